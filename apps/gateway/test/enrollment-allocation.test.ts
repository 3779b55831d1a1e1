import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS, createWorld, errorShapeOf, expectInvalidInput, expectRefused, rowCounts, type SignedIn, type World } from './harness.js';
import { insertApprovedApplicants, type ApplicantSpec } from './support/enrollment.js';

/**
 * Allocation for one school and round: category priority, then points, then
 * a lottery reproducible from the seed; the dry run writes nothing; the
 * commit writes the same outcome once, never beyond capacity, and moves the
 * unplaced on to their next preference or to manual placement.
 */

const TABLES = ['EnrollmentApplication', 'EnrollmentEvent', 'AllocationRun', 'Message'];

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

  beforeAll(async () => {
    world = await createWorld(target);
    reviewer = await world.staff('reviewer');
    windowId = (await world.db.prisma.enrollmentWindow.findFirstOrThrow({ where: { year: 2027, level: 'PRIMARY' } })).id;
    // 陆河县河田小学学区: two schools, used by the lottery tests.
    const district = await world.db.prisma.schoolDistrict.findUniqueOrThrow({ where: { code: 'XQ441523P1' }, select: { id: true, schools: { orderBy: { code: 'asc' }, select: { id: true, name: true } } } });
    districtId = district.id;
    [first, second] = district.schools as [{ id: string; name: string }, { id: string; name: string }];
    await world.db.prisma.schoolCapacity.update({ where: { schoolId_year_grade: { schoolId: first.id, year: 2027, grade: 1 } }, data: { places: 10 } });
    // 40 equal applicants (same category, same points) for 10 places: only the lottery separates them.
    await insertApprovedApplicants(world.db, { windowId, districtId, referencePrefix: 'JY2027P-T', applicants: Array.from({ length: 40 }, (): ApplicantSpec => ({ category: 'HUKOU_ONLY', points: 0, schoolIds: [first.id, second.id] })) });

    // 陆河县水唇小学学区: the priority test.
    const other = await world.db.prisma.schoolDistrict.findUniqueOrThrow({ where: { code: 'XQ441523P2' }, select: { id: true, schools: { orderBy: { code: 'asc' }, select: { id: true } } } });
    [prioritySchool, priorityNext] = other.schools as [{ id: string }, { id: string }];
    await world.db.prisma.schoolCapacity.update({ where: { schoolId_year_grade: { schoolId: prioritySchool.id, year: 2027, grade: 1 } }, data: { places: 3 } });
    const specs: ApplicantSpec[] = [
      { category: 'MIGRANT', points: 20, schoolIds: [prioritySchool.id] },
      { category: 'MIGRANT', points: 50, schoolIds: [prioritySchool.id, priorityNext.id] },
      { category: 'HUKOU_ONLY', points: 0, schoolIds: [prioritySchool.id, priorityNext.id] },
      { category: 'HUKOU_AND_HOME', points: 0, schoolIds: [prioritySchool.id, priorityNext.id] },
      { category: 'HUKOU_AND_HOME', points: 0, schoolIds: [prioritySchool.id, priorityNext.id] },
    ];
    priorityIds.push(...(await insertApprovedApplicants(world.db, { windowId, districtId: other.id, referencePrefix: 'JY2027P-P', applicants: specs })));
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  it('priority: home owners with registration, then registration only, then migrants by points; the rest to the next preference or manual placement', async () => {
    const preview = await reviewer.call.enrollment.allocation.preview({ schoolId: prioritySchool.id, round: 1, seed: 7 });
    expect(preview).toMatchObject({ capacity: 3, placesTaken: 0, placesAvailable: 3, seed: 7, counts: { applicants: 5, offered: 3, nextPreference: 1, manualPlacement: 1 } });
    expect(preview.rows.map((row) => [row.category, row.points, row.outcome])).toEqual([
      ['HUKOU_AND_HOME', 0, 'OFFERED'],
      ['HUKOU_AND_HOME', 0, 'OFFERED'],
      ['HUKOU_ONLY', 0, 'OFFERED'],
      ['MIGRANT', 50, 'NEXT_PREFERENCE'],
      ['MIGRANT', 20, 'MANUAL_PLACEMENT'],
    ]);
    // Child names are masked in the table.
    expect(preview.rows.every((row) => row.childName.includes('*'))).toBe(true);
    const committed = await reviewer.call.enrollment.allocation.commit({ schoolId: prioritySchool.id, round: 1, seed: 7 });
    expect(committed.rows).toEqual(preview.rows);
    const [low, high] = await Promise.all(
      [priorityIds[0]!, priorityIds[1]!].map((id) => world.db.prisma.enrollmentApplication.findUniqueOrThrow({ where: { id }, select: { status: true, currentPreference: true } })),
    );
    expect(low).toEqual({ status: 'MANUAL_PLACEMENT', currentPreference: 1 });
    expect(high).toEqual({ status: 'APPROVED', currentPreference: 2 });
    // The migrant family now waits at its second choice.
    const next = await reviewer.call.enrollment.allocation.preview({ schoolId: priorityNext.id, round: 1, seed: 1 });
    expect(next.rows.map((row) => [row.category, row.points])).toEqual([['MIGRANT', 50]]);
  });

  it('a dry run writes nothing; the same seed gives the same outcome, another seed another lottery', async () => {
    const before = await rowCounts(world.db, TABLES);
    const a = await reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 1, seed: 20270601 });
    const b = await reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 1, seed: 20270601 });
    const c = await reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 1, seed: 42 });
    const generated = await reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 1 });
    expect(await rowCounts(world.db, TABLES)).toEqual(before);
    expect(b).toEqual(a);
    expect(a.counts).toEqual({ applicants: 40, offered: 10, nextPreference: 30, manualPlacement: 0 });
    expect(c.rows.map((row) => row.applicationId)).not.toEqual(a.rows.map((row) => row.applicationId));
    expect(generated.seed).toBeGreaterThanOrEqual(0);
    // Lottery numbers are a permutation of 1..40, and with equal category and points they decide the order.
    expect(a.rows.map((row) => row.lottery).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
    expect(a.rows.map((row) => row.lottery)).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
  });

  it('commit: the dry run’s outcome, written once with seed, inputs and outcome; capacity never exceeded; a second commit refused', async () => {
    const preview = await reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 1, seed: 20270601 });
    const messagesBefore = await world.db.prisma.message.count({ where: { topic: 'enrollment.status.OFFERED' } });
    const results = await Promise.allSettled([
      reviewer.call.enrollment.allocation.commit({ schoolId: first.id, round: 1, seed: 20270601 }),
      reviewer.call.enrollment.allocation.commit({ schoolId: first.id, round: 1, seed: 20270601 }),
    ]);
    const done = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [errorShapeOf(result.reason)] : []));
    expect(done).toHaveLength(1);
    expect(refused.map((shape) => [shape.data.code, shape.data.messageKey])).toEqual([['CONFLICT', 'errors.enrollment.allocationCommitted']]);
    const committed = done[0]!;
    expect(committed.rows).toEqual(preview.rows);
    const offered = await world.db.prisma.enrollmentApplication.findMany({ where: { offerSchoolId: first.id }, select: { id: true, status: true, offerRespondBy: true } });
    expect(offered).toHaveLength(10);
    expect(new Set(offered.map((row) => row.id))).toEqual(new Set(preview.rows.filter((row) => row.outcome === 'OFFERED').map((row) => row.applicationId)));
    expect(offered.every((row) => row.status === 'OFFERED' && row.offerRespondBy!.getTime() === world.clock.now().getTime() + 14 * 86_400_000)).toBe(true);
    const run = await world.db.prisma.allocationRun.findFirstOrThrow({ where: { schoolId: first.id, round: 1 } });
    expect(run.seed).toBe(20270601);
    expect((run.inputs as { candidates: unknown[] }).candidates).toHaveLength(40);
    expect((run.outcome as { applicationId: string; outcome: string }[]).map((row) => [row.applicationId, row.outcome])).toEqual(preview.rows.map((row) => [row.applicationId, row.outcome]));
    expect(await world.db.prisma.message.count({ where: { topic: 'enrollment.status.OFFERED' } })).toBe(messagesBefore + 10);
    const message = await world.db.prisma.message.findFirstOrThrow({ where: { topic: 'enrollment.status.OFFERED', params: { path: ['school'], equals: first.name } }, select: { params: true, link: true } });
    expect(message.link).toMatch(/^\/enrollment\/applications\//);

    // The same round again, with any seed: refused, and a dry run of it too.
    const before = await rowCounts(world.db, TABLES);
    await expectRefused(reviewer.call.enrollment.allocation.commit({ schoolId: first.id, round: 1, seed: 1 }), 'CONFLICT', 'errors.enrollment.allocationCommitted');
    await expectRefused(reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 1 }), 'CONFLICT', 'errors.enrollment.allocationCommitted');
    expect(await rowCounts(world.db, TABLES)).toEqual(before);

    // A second round finds the school full: nobody is offered a place beyond capacity.
    const round2 = await reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 2, seed: 5 });
    expect(round2).toMatchObject({ capacity: 10, placesTaken: 10, placesAvailable: 0, counts: { applicants: 0 } });
    // An offer not answered by its deadline lapses, and its place returns for a later round.
    const lapsing = offered[0]!;
    await world.db.prisma.enrollmentApplication.update({ where: { id: lapsing.id }, data: { offerRespondBy: new Date(world.clock.now().getTime() - 1000) } });
    expect(await reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 2, seed: 5 })).toMatchObject({ placesTaken: 9, placesAvailable: 1 });
    await world.db.prisma.enrollmentApplication.update({ where: { id: lapsing.id }, data: { offerRespondBy: lapsing.offerRespondBy } });
    // The thirty unplaced now wait at the second school.
    const atSecond = await reviewer.call.enrollment.allocation.preview({ schoolId: second.id, round: 1, seed: 5 });
    expect(atSecond.counts.applicants).toBe(30);
    const capacity = (await world.db.prisma.schoolCapacity.findUniqueOrThrow({ where: { schoolId_year_grade: { schoolId: second.id, year: 2027, grade: 1 } } })).places;
    const secondCommit = await reviewer.call.enrollment.allocation.commit({ schoolId: second.id, round: 1, seed: 5 });
    expect(secondCommit.counts.offered).toBe(Math.min(30, capacity));
    expect(await world.db.prisma.enrollmentApplication.count({ where: { offerSchoolId: second.id, status: 'OFFERED' } })).toBeLessThanOrEqual(capacity);
  });

  it('the allocation overview shows places, offers, waiting applicants and committed rounds', async () => {
    const overview = await reviewer.call.enrollment.allocation.overview();
    expect(overview.year).toBe(2027);
    const row = overview.schools.find((school) => school.id === first.id)!;
    expect(row).toMatchObject({ capacity: 10, offered: 10, accepted: 0, waiting: 0, grade: 1, level: 'PRIMARY' });
    expect(row.runs.map((run) => [run.round, run.seed, run.staffName])).toEqual([[1, 20270601, '赵敏']]);
    const next = overview.schools.find((school) => school.id === priorityNext.id)!;
    expect(next.waiting).toBe(1);
  });

  it('bad allocation input is refused with field messages', async () => {
    await expectInvalidInput(reviewer.call.enrollment.allocation.preview({ schoolId: first.id, round: 0 }), { round: 'validation.enrollment.round' });
    await expectInvalidInput(reviewer.call.enrollment.allocation.commit({ schoolId: first.id, round: 1, seed: -1 }), { seed: 'validation.enrollment.seed' });
    await expectInvalidInput(reviewer.call.enrollment.allocation.commit({ schoolId: 'x', round: 1, seed: 1 }), { schoolId: 'validation.enrollment.schoolId' });
  });
});
