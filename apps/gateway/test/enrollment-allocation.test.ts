import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TARGETS,
  accessLogCount,
  authorizeByCode,
  createWorld,
  errorShapeOf,
  expectInvalidInput,
  expectRefused,
  makeDeps,
  rowCounts,
  signInStaff,
  type SignedIn,
  type World,
} from './harness.js';
import { REPO_ROOT } from '../src/config.js';
import { FAMILIES, FAMILY_RESIDENTS, insertApprovedApplicants, type ApplicantSpec } from './support/enrollment.js';

/**
 * Allocation for one school and round: category priority, then points, then
 * the verifiable lottery. The system draws each round's seed once and
 * publishes its SHA-256 when the round is opened; nobody can choose a seed.
 * Dry runs use that seed and are recorded; the commit writes the dry run's
 * outcome once, reveals the seed, publishes every applicant's lottery number,
 * never exceeds capacity, and moves the unplaced on to their next preference
 * or to manual placement. Families see the commitment, then the seed and
 * their own number, and nothing of rounds they were not in.
 */

/** What a dry run must leave alone (it writes its own AllocationDryRun row only). */
const TABLES = [
  'EnrollmentApplication',
  'EnrollmentEvent',
  'AllocationRound',
  'AllocationRun',
  'AllocationEntry',
  'Message',
];

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
/** docs/lottery.md, computed here independently of the gateway's code. */
const lotteryNumberOf = (seed: string, reference: string) => sha256(`${seed}:${reference}`).slice(0, 16);

describe.each(TARGETS)('enrollment allocation, on %s', (target) => {
  let world: World;
  let reviewer: SignedIn;
  let windowId: string;
  let districtId: string;
  let first: { id: string; name: string };
  let second: { id: string; name: string };
  let prioritySchool: { id: string };
  let priorityNext: { id: string };
  const priorityIds: string[] = [];
  /** The first school's round 1, once committed: its revealed seed. */
  let firstSeed = '';

  beforeAll(async () => {
    world = await createWorld(target, { extraResidents: FAMILY_RESIDENTS });
    reviewer = await world.staff('reviewer');
    windowId = (await world.db.prisma.enrollmentWindow.findFirstOrThrow({ where: { year: 2027, level: 'PRIMARY' } }))
      .id;
    // 陆河县河田小学学区: two schools, used by the lottery tests.
    const district = await world.db.prisma.schoolDistrict.findUniqueOrThrow({
      where: { code: 'XQ441523P1' },
      select: { id: true, schools: { orderBy: { code: 'asc' }, select: { id: true, name: true } } },
    });
    districtId = district.id;
    [first, second] = district.schools as [{ id: string; name: string }, { id: string; name: string }];
    await world.db.prisma.schoolCapacity.update({
      where: { schoolId_year_grade: { schoolId: first.id, year: 2027, grade: 1 } },
      data: { places: 10 },
    });
    // 40 equal applicants (same category, same points) for 10 places: only the lottery separates them.
    await insertApprovedApplicants(world.db, {
      windowId,
      districtId,
      referencePrefix: 'JY2027P-T',
      applicants: Array.from({ length: 40 }, (): ApplicantSpec => ({
        category: 'HUKOU_ONLY',
        points: 0,
        schoolIds: [first.id, second.id],
      })),
    });

    // 陆河县水唇小学学区: the priority test.
    const other = await world.db.prisma.schoolDistrict.findUniqueOrThrow({
      where: { code: 'XQ441523P2' },
      select: { id: true, schools: { orderBy: { code: 'asc' }, select: { id: true } } },
    });
    [prioritySchool, priorityNext] = other.schools as [{ id: string }, { id: string }];
    await world.db.prisma.schoolCapacity.update({
      where: { schoolId_year_grade: { schoolId: prioritySchool.id, year: 2027, grade: 1 } },
      data: { places: 3 },
    });
    const specs: ApplicantSpec[] = [
      { category: 'MIGRANT', points: 20, schoolIds: [prioritySchool.id] },
      { category: 'MIGRANT', points: 50, schoolIds: [prioritySchool.id, priorityNext.id] },
      { category: 'HUKOU_ONLY', points: 0, schoolIds: [prioritySchool.id, priorityNext.id] },
      { category: 'HUKOU_AND_HOME', points: 0, schoolIds: [prioritySchool.id, priorityNext.id] },
      { category: 'HUKOU_AND_HOME', points: 0, schoolIds: [prioritySchool.id, priorityNext.id] },
    ];
    priorityIds.push(
      ...(await insertApprovedApplicants(world.db, {
        windowId,
        districtId: other.id,
        referencePrefix: 'JY2027P-P',
        applicants: specs,
      })),
    );
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  it('a chosen seed is refused: no procedure takes one, and nothing is drawn or recorded', async () => {
    const before = await rowCounts(world.db, [...TABLES, 'AllocationDryRun']);
    const chosen = 'a'.repeat(64);
    await expectInvalidInput(
      reviewer.call.enrollment.allocation.openRound({ schoolId: first.id, round: 1, seed: chosen } as never),
      { seed: 'validation.unknownField' },
    );
    await expectInvalidInput(
      reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 1, seed: 7 } as never),
      { seed: 'validation.unknownField' },
    );
    await expectInvalidInput(
      reviewer.call.enrollment.allocation.commit({
        schoolId: first.id,
        round: 1,
        dryRunId: randomUUID(),
        seed: chosen,
      } as never),
      { seed: 'validation.unknownField' },
    );
    await expectInvalidInput(
      reviewer.call.enrollment.allocation.round({ schoolId: first.id, round: 1, seed: chosen } as never),
      { seed: 'validation.unknownField' },
    );
    expect(await rowCounts(world.db, [...TABLES, 'AllocationDryRun'])).toEqual(before);
    // Nothing runs before the round is opened (its commitment published).
    await expectRefused(
      reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 1 }),
      'BAD_REQUEST',
      'errors.enrollment.roundNotOpen',
    );
    expect(await reviewer.call.enrollment.allocation.round({ schoolId: first.id, round: 1 })).toMatchObject({
      state: 'NOT_OPEN',
      nextRound: 1,
      seedCommitment: null,
      seed: null,
    });
  });

  it('priority: home owners with registration, then registration only, then migrants by points; the rest to the next preference or manual placement', async () => {
    await reviewer.call.enrollment.allocation.openRound({ schoolId: prioritySchool.id, round: 1 });
    const preview = await reviewer.call.enrollment.allocation.preview({ schoolId: prioritySchool.id, round: 1 });
    expect(preview).toMatchObject({
      capacity: 3,
      placesTaken: 0,
      placesAvailable: 3,
      counts: { applicants: 5, offered: 3, nextPreference: 1, manualPlacement: 1 },
    });
    expect(preview.rows.map((row) => [row.category, row.points, row.outcome])).toEqual([
      ['HUKOU_AND_HOME', 0, 'OFFERED'],
      ['HUKOU_AND_HOME', 0, 'OFFERED'],
      ['HUKOU_ONLY', 0, 'OFFERED'],
      ['MIGRANT', 50, 'NEXT_PREFERENCE'],
      ['MIGRANT', 20, 'MANUAL_PLACEMENT'],
    ]);
    // Child names are masked in the table.
    expect(preview.rows.every((row) => row.childName.includes('*'))).toBe(true);
    const committed = await reviewer.call.enrollment.allocation.commit({
      schoolId: prioritySchool.id,
      round: 1,
      dryRunId: preview.dryRun.id,
    });
    expect(committed.rows).toEqual(preview.rows);
    // The two equal home owners are in ascending lottery number.
    expect(committed.rows[0]!.lotteryNumber < committed.rows[1]!.lotteryNumber).toBe(true);
    const [low, high] = await Promise.all(
      [priorityIds[0]!, priorityIds[1]!].map((id) =>
        world.db.prisma.enrollmentApplication.findUniqueOrThrow({
          where: { id },
          select: { status: true, currentPreference: true },
        }),
      ),
    );
    expect(low).toEqual({ status: 'MANUAL_PLACEMENT', currentPreference: 1 });
    expect(high).toEqual({ status: 'APPROVED', currentPreference: 2 });
    // The migrant family now waits at its second choice.
    await reviewer.call.enrollment.allocation.openRound({ schoolId: priorityNext.id, round: 1 });
    const next = await reviewer.call.enrollment.allocation.preview({ schoolId: priorityNext.id, round: 1 });
    expect(next.rows.map((row) => [row.category, row.points])).toEqual([['MIGRANT', 50]]);
  });

  it('opening a round publishes the SHA-256 of a seed the system drew; the seed stays sealed and the round cannot be re-drawn', async () => {
    const opened = await reviewer.call.enrollment.allocation.openRound({ schoolId: first.id, round: 1 });
    expect(opened).toMatchObject({
      state: 'OPEN',
      round: 1,
      seed: null,
      publishedBy: '赵敏',
      publishedAt: world.clock.now(),
      dryRuns: [],
    });
    expect(opened.seedCommitment).toMatch(/^[0-9a-f]{64}$/);
    // Opening again (a reload, another reviewer) finds the same seed.
    world.clock.advance(60_000);
    expect(await reviewer.call.enrollment.allocation.openRound({ schoolId: first.id, round: 1 })).toMatchObject({
      seedCommitment: opened.seedCommitment,
      publishedAt: opened.publishedAt,
    });
    const stored = await world.db.prisma.allocationRound.findMany({ where: { schoolId: first.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.seedCommitment).toBe(opened.seedCommitment);
    // A later round cannot open while this one is not committed: two open rounds would offer two seeds to choose from.
    await expectRefused(
      reviewer.call.enrollment.allocation.openRound({ schoolId: first.id, round: 2 }),
      'BAD_REQUEST',
      'errors.enrollment.roundOutOfOrder',
    );
    // The overview shows the published commitment.
    const row = (await reviewer.call.enrollment.allocation.overview()).schools.find(
      (school) => school.id === first.id,
    )!;
    expect(row.openRound).toMatchObject({ round: 1, seedCommitment: opened.seedCommitment });
  });

  it('two gateways opening the same round at once draw one seed', async () => {
    const otherDb = await world.openAnother();
    const otherGateway = makeDeps(otherDb, { clock: world.clock, config: world.deps.config });
    const otherReviewer = await signInStaff(otherGateway, 'JY3001');
    const openings = await Promise.all(
      [reviewer, otherReviewer, reviewer, otherReviewer].map((caller) =>
        caller.call.enrollment.allocation.openRound({ schoolId: second.id, round: 1 }),
      ),
    );
    expect(new Set(openings.map((opening) => opening.seedCommitment)).size).toBe(1);
    expect(await world.db.prisma.allocationRound.count({ where: { schoolId: second.id, windowId, round: 1 } })).toBe(1);
  });

  it('each dry run is recorded and shows the outcome of the round’s own seed; lottery numbers are SHA-256 of seed and reference, and decide the order', async () => {
    const before = await rowCounts(world.db, TABLES);
    const dryRunsBefore = await world.db.prisma.allocationDryRun.count();
    const a = await reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 1 });
    world.clock.advance(60_000);
    const b = await reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 1 });
    expect(await rowCounts(world.db, TABLES)).toEqual(before);
    expect(await world.db.prisma.allocationDryRun.count()).toBe(dryRunsBefore + 2);
    // The seed never leaves the gateway before the commit.
    expect(a).not.toHaveProperty('seed');
    expect(b.rows).toEqual(a.rows);
    expect(b.outcomeDigest).toBe(a.outcomeDigest);
    expect(a.counts).toEqual({ applicants: 40, offered: 10, nextPreference: 30, manualPlacement: 0 });
    // With equal category and points, ascending lottery number decides; every number is distinct and 16 hex characters.
    const numbers = a.rows.map((row) => row.lotteryNumber);
    expect(numbers.every((number) => /^[0-9a-f]{16}$/.test(number))).toBe(true);
    expect(new Set(numbers).size).toBe(40);
    expect(numbers).toEqual([...numbers].sort());
    const round = await reviewer.call.enrollment.allocation.round({ schoolId: first.id, round: 1 });
    const staffId = await world.staffId('reviewer');
    expect(round.dryRuns.slice(-2)).toEqual([
      {
        id: a.dryRun.id,
        createdAt: a.dryRun.createdAt,
        candidates: 40,
        places: 10,
        offered: 10,
        outcomeDigest: a.outcomeDigest,
        staffName: '赵敏',
      },
      {
        id: b.dryRun.id,
        createdAt: b.dryRun.createdAt,
        candidates: 40,
        places: 10,
        offered: 10,
        outcomeDigest: a.outcomeDigest,
        staffName: '赵敏',
      },
    ]);
    const recorded = await world.db.prisma.allocationDryRun.findUniqueOrThrow({
      where: { id: a.dryRun.id },
      select: { staffId: true, round: { select: { schoolId: true, windowId: true, round: true } } },
    });
    expect(recorded).toEqual({ staffId, round: { schoolId: first.id, windowId, round: 1 } });
  });

  it('commit: the dry run’s outcome, written once with the revealed seed, inputs and the published list; capacity never exceeded; a second commit refused', async () => {
    const preview = await reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 1 });
    const messagesBefore = await world.db.prisma.message.count({ where: { topic: 'enrollment.status.OFFERED' } });
    const results = await Promise.allSettled([
      reviewer.call.enrollment.allocation.commit({ schoolId: first.id, round: 1, dryRunId: preview.dryRun.id }),
      reviewer.call.enrollment.allocation.commit({ schoolId: first.id, round: 1, dryRunId: preview.dryRun.id }),
    ]);
    const done = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [errorShapeOf(result.reason)] : []));
    expect(done).toHaveLength(1);
    expect(refused.map((shape) => [shape.data.code, shape.data.messageKey])).toEqual([
      ['CONFLICT', 'errors.enrollment.allocationCommitted'],
    ]);
    const committed = done[0]!;
    expect(committed.rows).toEqual(preview.rows);
    expect(committed.outcomeDigest).toBe(preview.outcomeDigest);
    // The seed is revealed, and it is the one committed to before the round.
    firstSeed = committed.seed;
    expect(firstSeed).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256(firstSeed)).toBe(preview.seedCommitment);
    expect(committed.seedCommitment).toBe(preview.seedCommitment);
    for (const row of committed.rows) expect(row.lotteryNumber).toBe(lotteryNumberOf(firstSeed, row.reference));
    const offered = await world.db.prisma.enrollmentApplication.findMany({
      where: { offerSchoolId: first.id },
      select: { id: true, status: true, offerRespondBy: true },
    });
    expect(offered).toHaveLength(10);
    expect(new Set(offered.map((row) => row.id))).toEqual(
      new Set(preview.rows.filter((row) => row.outcome === 'OFFERED').map((row) => row.applicationId)),
    );
    expect(
      offered.every(
        (row) =>
          row.status === 'OFFERED' && row.offerRespondBy!.getTime() === world.clock.now().getTime() + 14 * 86_400_000,
      ),
    ).toBe(true);
    const run = await world.db.prisma.allocationRun.findFirstOrThrow({ where: { schoolId: first.id, round: 1 } });
    expect(run).toMatchObject({
      seed: firstSeed,
      seedCommitment: preview.seedCommitment,
      outcomeDigest: preview.outcomeDigest,
    });
    // Until now the seed was only stored encrypted, bound to its round.
    const sealed = await world.db.prisma.allocationRound.findFirstOrThrow({
      where: { schoolId: first.id, round: 1 },
      select: { id: true, seedEnc: true },
    });
    expect(run.roundId).toBe(sealed.id);
    expect(Buffer.from(sealed.seedEnc).toString('latin1')).not.toContain(firstSeed);
    expect(world.deps.protector.decrypt(sealed.seedEnc, `allocationSeed:${sealed.id}`)).toBe(firstSeed);
    expect(() => world.deps.protector.decrypt(sealed.seedEnc, `allocationSeed:${randomUUID()}`)).toThrow();
    expect((run.inputs as { candidates: unknown[] }).candidates).toHaveLength(40);
    expect(
      (run.outcome as { applicationId: string; outcome: string }[]).map((row) => [row.applicationId, row.outcome]),
    ).toEqual(preview.rows.map((row) => [row.applicationId, row.outcome]));
    // The published list: no names, no ID numbers.
    const entries = await world.db.prisma.allocationEntry.findMany({
      where: { runId: run.id },
      orderBy: { position: 'asc' },
    });
    expect(
      entries.map(({ reference, category, points, lotteryNumber, position, outcome }) => ({
        reference,
        category,
        points,
        lotteryNumber,
        position,
        outcome,
      })),
    ).toEqual(
      preview.rows.map(({ reference, category, points, lotteryNumber, position, outcome }) => ({
        reference,
        category,
        points,
        lotteryNumber,
        position,
        outcome,
      })),
    );
    expect(await world.db.prisma.message.count({ where: { topic: 'enrollment.status.OFFERED' } })).toBe(
      messagesBefore + 10,
    );
    const message = await world.db.prisma.message.findFirstOrThrow({
      where: { topic: 'enrollment.status.OFFERED', params: { path: ['school'], equals: first.name } },
      select: { params: true, link: true },
    });
    expect(message.link).toMatch(/^\/enrollment\/applications\//);
    // The reviewer's view of the round now shows the seed.
    expect(await reviewer.call.enrollment.allocation.round({ schoolId: first.id, round: 1 })).toMatchObject({
      state: 'COMMITTED',
      seed: firstSeed,
      nextRound: 2,
    });

    // The same round again: refused, and a dry run of it too; opening it again only shows it.
    const before = await rowCounts(world.db, [...TABLES, 'AllocationDryRun']);
    await expectRefused(
      reviewer.call.enrollment.allocation.commit({ schoolId: first.id, round: 1, dryRunId: preview.dryRun.id }),
      'CONFLICT',
      'errors.enrollment.allocationCommitted',
    );
    await expectRefused(
      reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 1 }),
      'CONFLICT',
      'errors.enrollment.allocationCommitted',
    );
    expect(await reviewer.call.enrollment.allocation.openRound({ schoolId: first.id, round: 1 })).toMatchObject({
      state: 'COMMITTED',
      seed: firstSeed,
    });
    expect(await rowCounts(world.db, [...TABLES, 'AllocationDryRun'])).toEqual(before);
    // Rounds go in order.
    await expectRefused(
      reviewer.call.enrollment.allocation.openRound({ schoolId: first.id, round: 3 }),
      'BAD_REQUEST',
      'errors.enrollment.roundOutOfOrder',
    );

    // A second round finds the school full: nobody is offered a place beyond capacity.
    const opened2 = await reviewer.call.enrollment.allocation.openRound({ schoolId: first.id, round: 2 });
    expect(opened2.seedCommitment).not.toBe(preview.seedCommitment);
    const round2 = await reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 2 });
    expect(round2).toMatchObject({ capacity: 10, placesTaken: 10, placesAvailable: 0, counts: { applicants: 0 } });
    // An offer not answered by its deadline lapses, and its place returns for a later round.
    const lapsing = offered[0]!;
    await world.db.prisma.enrollmentApplication.update({
      where: { id: lapsing.id },
      data: { offerRespondBy: new Date(world.clock.now().getTime() - 1000) },
    });
    expect(await reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 2 })).toMatchObject({
      placesTaken: 9,
      placesAvailable: 1,
    });
    await world.db.prisma.enrollmentApplication.update({
      where: { id: lapsing.id },
      data: { offerRespondBy: lapsing.offerRespondBy },
    });
    // The thirty unplaced now wait at the second school (whose round 1 was opened before).
    const atSecond = await reviewer.call.enrollment.allocation.preview({ schoolId: second.id, round: 1 });
    expect(atSecond.counts.applicants).toBe(30);
    const capacity = (
      await world.db.prisma.schoolCapacity.findUniqueOrThrow({
        where: { schoolId_year_grade: { schoolId: second.id, year: 2027, grade: 1 } },
      })
    ).places;
    // If the places change after the dry run, its outcome no longer holds: the commit is refused and writes nothing.
    expect(capacity).toBeGreaterThan(1);
    await world.db.prisma.schoolCapacity.update({
      where: { schoolId_year_grade: { schoolId: second.id, year: 2027, grade: 1 } },
      data: { places: 1 },
    });
    const beforeStale = await rowCounts(world.db, TABLES);
    await expectRefused(
      reviewer.call.enrollment.allocation.commit({ schoolId: second.id, round: 1, dryRunId: atSecond.dryRun.id }),
      'CONFLICT',
      'errors.enrollment.allocationChanged',
    );
    expect(await rowCounts(world.db, TABLES)).toEqual(beforeStale);
    await world.db.prisma.schoolCapacity.update({
      where: { schoolId_year_grade: { schoolId: second.id, year: 2027, grade: 1 } },
      data: { places: capacity },
    });
    // A dry run of another round is not this round's.
    await expectRefused(
      reviewer.call.enrollment.allocation.commit({ schoolId: second.id, round: 1, dryRunId: preview.dryRun.id }),
      'BAD_REQUEST',
      'errors.enrollment.dryRunFirst',
    );
    const secondCommit = await reviewer.call.enrollment.allocation.commit({
      schoolId: second.id,
      round: 1,
      dryRunId: atSecond.dryRun.id,
    });
    expect(secondCommit.rows).toEqual(atSecond.rows);
    expect(secondCommit.counts.offered).toBe(Math.min(30, capacity));
    expect(
      await world.db.prisma.enrollmentApplication.count({ where: { offerSchoolId: second.id, status: 'OFFERED' } }),
    ).toBeLessThanOrEqual(capacity);
    // Each school's lottery numbers come from its own seed.
    expect(secondCommit.seed).not.toBe(firstSeed);
    for (const row of secondCommit.rows)
      expect(row.lotteryNumber).toBe(lotteryNumberOf(secondCommit.seed, row.reference));
  });

  it('the allocation overview shows places, offers, waiting applicants, committed rounds and the open one', async () => {
    const overview = await reviewer.call.enrollment.allocation.overview();
    expect(overview.year).toBe(2027);
    const row = overview.schools.find((school) => school.id === first.id)!;
    expect(row).toMatchObject({ capacity: 10, offered: 10, accepted: 0, waiting: 0, grade: 1, level: 'PRIMARY' });
    expect(row.runs.map((run) => [run.round, run.seed, run.seedCommitment, run.staffName])).toEqual([
      [1, firstSeed, sha256(firstSeed), '赵敏'],
    ]);
    expect(row.openRound).toMatchObject({ round: 2 });
    const next = overview.schools.find((school) => school.id === priorityNext.id)!;
    expect(next.waiting).toBe(1);
  });

  it('bad allocation input is refused with field messages', async () => {
    await expectInvalidInput(reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 0 }), {
      round: 'validation.enrollment.round',
    });
    await expectInvalidInput(reviewer.call.enrollment.allocation.openRound({ schoolId: first.id, round: 11 }), {
      round: 'validation.enrollment.round',
    });
    await expectInvalidInput(
      reviewer.call.enrollment.allocation.commit({ schoolId: first.id, round: 1, dryRunId: 'x' }),
      { dryRunId: 'validation.enrollment.dryRunId' },
    );
    await expectInvalidInput(
      reviewer.call.enrollment.allocation.commit({ schoolId: 'x', round: 1, dryRunId: randomUUID() }),
      { schoolId: 'validation.enrollment.schoolId' },
    );
    await expectRefused(
      reviewer.call.enrollment.allocation.openRound({ schoolId: randomUUID(), round: 1 }),
      'NOT_FOUND',
      'errors.enrollment.schoolNotFound',
    );
  });

  it('a family sees the commitment before the commit, then the seed and its own lottery number, and recomputes both; never a round it was not in', async () => {
    const home = await world.signIn(FAMILIES.homeHead.idNumber);
    const hukou = await world.signIn(FAMILIES.hukouHead.idNumber);
    const outsider = await world.signIn(FAMILIES.otherTownHead.idNumber);
    /** Filed and submitted by the family, then approved (the review is covered elsewhere). */
    const approved = async (
      parent: SignedIn,
      child: keyof typeof FAMILIES,
      pick: (schools: { id: string }[]) => string[],
    ) => {
      const started = await parent.call.enrollment.application.start({
        childId: await world.residentIdOf(FAMILIES[child].idNumber),
        level: 'PRIMARY',
      });
      const detail = await parent.call.enrollment.application.get({ applicationId: started.applicationId });
      await parent.call.enrollment.application.savePreferences({
        applicationId: started.applicationId,
        schoolIds: pick(detail.district.schools),
      });
      await parent.call.enrollment.application.submit({
        applicationId: started.applicationId,
        requestKey: randomUUID(),
      });
      await world.db.prisma.enrollmentApplication.update({
        where: { id: started.applicationId },
        data: { status: 'APPROVED', version: { increment: 1 } },
      });
      return { id: started.applicationId, reference: started.reference, schools: detail.district.schools };
    };
    const homeApplication = await approved(home, 'homeChild', (schools) => [schools[0]!.id]);
    const hukouApplication = await approved(hukou, 'hukouChild', (schools) => [schools[0]!.id]);
    const outsiderApplication = await approved(outsider, 'otherTownChild', (schools) => [schools[0]!.id]);
    const school = homeApplication.schools[0]!;

    // Before the round is opened there is nothing to show.
    expect((await home.call.enrollment.application.lottery({ applicationId: homeApplication.id })).rounds).toEqual([]);
    const opened = await reviewer.call.enrollment.allocation.openRound({ schoolId: school.id, round: 1 });
    // Published: the commitment and its time, no seed, no number.
    const before = await home.call.enrollment.application.lottery({ applicationId: homeApplication.id });
    expect(before).toEqual({
      applicationId: homeApplication.id,
      reference: homeApplication.reference,
      rounds: [
        {
          state: 'OPEN',
          runId: null,
          school: { id: school.id, name: expect.any(String) },
          year: 2027,
          round: 1,
          seedCommitment: opened.seedCommitment,
          publishedAt: opened.publishedAt,
          seed: null,
          committedAt: null,
          outcomeDigest: null,
          places: null,
          applicants: null,
          own: null,
        },
      ],
    });
    // Another district's family waits at another school: not in this round.
    expect(
      (await outsider.call.enrollment.application.lottery({ applicationId: outsiderApplication.id })).rounds,
    ).toEqual([]);
    await expectRefused(
      outsider.call.enrollment.application.lottery({ applicationId: homeApplication.id }),
      'NOT_FOUND',
      'errors.enrollment.applicationNotFound',
    );

    const preview = await reviewer.call.enrollment.allocation.preview({ schoolId: school.id, round: 1 });
    const committed = await reviewer.call.enrollment.allocation.commit({
      schoolId: school.id,
      round: 1,
      dryRunId: preview.dryRun.id,
    });
    expect(committed.counts.applicants).toBe(2);

    const after = await home.call.enrollment.application.lottery({ applicationId: homeApplication.id });
    expect(after.rounds).toHaveLength(1);
    const round = after.rounds[0]!;
    expect(round).toMatchObject({
      state: 'COMMITTED',
      runId: committed.runId,
      round: 1,
      seedCommitment: opened.seedCommitment,
      publishedAt: opened.publishedAt,
      committedAt: committed.committedAt,
      applicants: 2,
      places: committed.placesAvailable,
    });
    // Recomputed here from the published inputs alone: the seed matches the commitment, the number matches seed and reference.
    expect(sha256(round.seed!)).toBe(round.seedCommitment);
    const own = round.own!;
    expect(own.reference).toBe(homeApplication.reference);
    expect(own.lotteryNumber).toBe(lotteryNumberOf(round.seed!, homeApplication.reference));
    const row = committed.rows.find((candidate) => candidate.reference === homeApplication.reference)!;
    expect(own).toEqual({
      reference: row.reference,
      category: row.category,
      points: row.points,
      lotteryNumber: row.lotteryNumber,
      position: row.position,
      outcome: row.outcome,
    });

    // The published list of the round: every applicant, nothing personal.
    const list = await home.call.enrollment.application.lotteryList({
      applicationId: homeApplication.id,
      runId: committed.runId,
    });
    expect(list).toMatchObject({
      seed: round.seed,
      seedCommitment: opened.seedCommitment,
      outcomeDigest: committed.outcomeDigest,
    });
    expect(list.entries).toEqual(
      committed.rows.map(({ position, reference, category, points, lotteryNumber, outcome }) => ({
        position,
        reference,
        category,
        points,
        lotteryNumber,
        outcome,
      })),
    );
    const text = JSON.stringify(list);
    for (const person of [FAMILIES.homeChild, FAMILIES.hukouChild, FAMILIES.homeHead]) {
      expect(text).not.toContain(person.name);
      expect(text).not.toContain(person.idNumber);
    }
    expect(text).not.toContain('**');
    // The file a family downloads checks out with the documented script (docs/lottery.md), and a changed number does not.
    const verify = (published: unknown) => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'portal-lottery-')), 'list.json');
      fs.writeFileSync(file, JSON.stringify(published));
      const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'verify-lottery.mjs'), file], {
        encoding: 'utf8',
      });
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
      return { status: result.status, output: result.stdout };
    };
    expect(verify(list)).toMatchObject({ status: 0, output: expect.stringContaining('OK') });
    const tampered = {
      ...list,
      entries: list.entries.map((entry, index) =>
        index === 0 ? { ...entry, lotteryNumber: '0000000000000000' } : entry,
      ),
    };
    expect(verify(tampered)).toMatchObject({
      status: 1,
      output: expect.stringContaining(`${list.entries[0]!.reference}: lottery number 0000000000000000 published`),
    });
    // The other family in the round sees the same list; a family not in it sees neither the round nor its list.
    expect(
      (
        await hukou.call.enrollment.application.lotteryList({
          applicationId: hukouApplication.id,
          runId: committed.runId,
        })
      ).entries,
    ).toEqual(list.entries);
    await expectRefused(
      outsider.call.enrollment.application.lotteryList({
        applicationId: outsiderApplication.id,
        runId: committed.runId,
      }),
      'NOT_FOUND',
      'errors.enrollment.lotteryNotFound',
    );
    await expectRefused(
      outsider.call.enrollment.application.lotteryList({ applicationId: homeApplication.id, runId: committed.runId }),
      'NOT_FOUND',
      'errors.enrollment.applicationNotFound',
    );
    expect(
      (await outsider.call.enrollment.application.lottery({ applicationId: outsiderApplication.id })).rounds,
    ).toEqual([]);
    await expectInvalidInput(
      home.call.enrollment.application.lottery({ applicationId: homeApplication.id, seed: 'a'.repeat(64) } as never),
      { seed: 'validation.unknownField' },
    );

    // Counter staff under the family's ENROLLMENT authorization show the same, and the look is in the family's access log.
    const counter = await world.staff('counter');
    const grant = await authorizeByCode(counter, home, FAMILIES.homeHead.idNumber, { scopes: ['ENROLLMENT'] });
    const logBefore = await accessLogCount(world.db);
    expect(
      await counter.call.enrollment.application.lottery({
        authorizationId: grant.id,
        applicationId: homeApplication.id,
      }),
    ).toEqual(after);
    const log = await world.db.prisma.accessLogEntry.findMany({
      where: { seq: { gt: BigInt(logBefore) } },
      select: { action: true, residentId: true },
    });
    expect(log).toEqual([
      { action: 'enrollment.lottery', residentId: await world.residentIdOf(FAMILIES.homeHead.idNumber) },
    ]);
    // Under that authorization, another family's application stays out of reach.
    await expectRefused(
      counter.call.enrollment.application.lottery({ authorizationId: grant.id, applicationId: outsiderApplication.id }),
      'NOT_FOUND',
      'errors.enrollment.applicationNotFound',
    );
  });
});
