import { randomUUID } from 'node:crypto';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { ApplicantCategory, EnrollmentLevel } from '../../generated/prisma/enums.js';
import type { Subject } from '../../trpc.js';
import { notifyResidents } from '../messages/notify.js';
import { isUniqueViolation } from '../../db/unique-violation.js';
import { guardedApplicationId } from './family.js';
import { compareLottery, drawSeed, isSeed, lotteryNumber, outcomeDigest, seedCommitment } from './lottery.js';
import { CATEGORY_PRIORITY, GRADE_OF_LEVEL, maskChildName } from './rules.js';
import { changedByAnother } from './status.js';

type Db = Pick<
  Prisma.TransactionClient,
  | 'school'
  | 'enrollmentWindow'
  | 'schoolCapacity'
  | 'enrollmentApplication'
  | 'allocationRun'
  | 'allocationRound'
  | 'allocationDryRun'
  | '$queryRaw'
>;

export interface Candidate {
  applicationId: string;
  reference: string;
  applicantId: string;
  childName: string;
  category: ApplicantCategory;
  points: number;
  /** The family chose a further school after this one. */
  hasNextPreference: boolean;
}

interface Target {
  school: { id: string; name: string; level: EnrollmentLevel };
  window: { id: string; year: number; respondDays: number };
}

export interface AllocationInputs extends Target {
  grade: number;
  round: number;
  capacity: number;
  placesTaken: number;
  placesAvailable: number;
  /** In reference order. */
  candidates: Candidate[];
}

export type Outcome = 'OFFERED' | 'NEXT_PREFERENCE' | 'MANUAL_PLACEMENT';

export interface AllocationRow {
  applicationId: string;
  reference: string;
  childName: string;
  category: ApplicantCategory;
  points: number;
  /** 16 hex characters: the first 8 bytes of SHA-256("<seed>:<reference>"). */
  lotteryNumber: string;
  position: number;
  outcome: Outcome;
}

/** The round's seed as stored: encrypted, bound to its round. */
interface SealedRound {
  id: string;
  round: number;
  seedEnc: Uint8Array;
  seedCommitment: string;
  openedAt: Date;
}

function allocationNotFound(): AppError {
  return new AppError('NOT_FOUND', 'errors.enrollment.schoolNotFound', 'School not found.');
}

function seedContext(roundId: string): string {
  return `allocationSeed:${roundId}`;
}

/** The school and the enrollment window (the latest for its level, or the year asked for). */
async function resolveTarget(db: Db, input: { schoolId: string; year?: number | undefined }): Promise<Target> {
  const school = await db.school.findUnique({
    where: { id: input.schoolId },
    select: { id: true, name: true, level: true },
  });
  if (!school) throw allocationNotFound();
  const window = await db.enrollmentWindow.findFirst({
    where: { level: school.level, ...(input.year ? { year: input.year } : {}) },
    orderBy: { year: 'desc' },
    select: { id: true, year: true, respondDays: true },
  });
  if (!window)
    throw new AppError('BAD_REQUEST', 'errors.enrollment.noWindow', 'No enrollment window for this level and year.');
  return { school, window };
}

/**
 * What one school's round starts from: its places in the entry grade left
 * after places accepted and offers still open (declined and lapsed ones free
 * theirs), and the approved
 * applications whose current preference is this school.
 */
export async function loadAllocationInputs(
  db: Db,
  target: Target,
  round: number,
  now: Date,
): Promise<AllocationInputs> {
  const { school, window } = target;
  const grade = GRADE_OF_LEVEL[school.level];
  const [capacity, placesTaken, candidates] = await Promise.all([
    db.schoolCapacity.findUnique({
      where: { schoolId_year_grade: { schoolId: school.id, year: window.year, grade } },
      select: { places: true },
    }),
    // Accepted places, and offers still open; an offer not answered by its deadline has lapsed and its place returns.
    db.enrollmentApplication.count({
      where: {
        windowId: window.id,
        offerSchoolId: school.id,
        OR: [{ status: 'ACCEPTED' }, { status: 'OFFERED', offerRespondBy: { gt: now } }],
      },
    }),
    db.$queryRaw<
      {
        id: string;
        reference: string;
        applicantId: string;
        childName: string;
        category: ApplicantCategory;
        points: number;
        hasNext: boolean;
      }[]
    >`
      SELECT a."id", a."reference", a."applicantId", r."name" AS "childName", a."category"::text AS "category", a."points",
        EXISTS (SELECT 1 FROM "EnrollmentPreference" n WHERE n."applicationId" = a."id" AND n."rank" = a."currentPreference" + 1) AS "hasNext"
      FROM "EnrollmentApplication" a
      JOIN "EnrollmentPreference" p ON p."applicationId" = a."id" AND p."rank" = a."currentPreference"
      JOIN "Resident" r ON r."id" = a."childId"
      WHERE a."windowId" = ${window.id}::uuid AND a."status" = 'APPROVED' AND p."schoolId" = ${school.id}::uuid
      ORDER BY a."reference"`,
  ]);
  const places = capacity?.places ?? 0;
  return {
    school,
    window,
    grade,
    round,
    capacity: places,
    placesTaken,
    placesAvailable: Math.max(places - placesTaken, 0),
    candidates: candidates.map((row) => ({
      applicationId: row.id,
      reference: row.reference,
      applicantId: row.applicantId,
      childName: row.childName,
      category: row.category,
      points: Number(row.points),
      hasNextPreference: row.hasNext,
    })),
  };
}

/**
 * The allocation rule: category priority (户籍+房产, 户籍, 随迁子女), then
 * points (highest first), then the lottery: ascending lottery number, each
 * applicant's own SHA-256("<seed>:<reference>") cut to 8 bytes, then
 * reference. A family's number depends on the seed and their reference only,
 * never on who else applied, so anyone with the revealed seed recomputes it
 * (docs/lottery.md). The first places go to the front of the order; the
 * others move to their next preference, or to manual placement when they
 * have none.
 */
export function allocate(inputs: AllocationInputs, seed: string): AllocationRow[] {
  const ranked = inputs.candidates
    .map((candidate) => ({
      candidate,
      reference: candidate.reference,
      lotteryNumber: lotteryNumber(seed, candidate.reference),
    }))
    .sort(
      (a, b) =>
        CATEGORY_PRIORITY[a.candidate.category] - CATEGORY_PRIORITY[b.candidate.category] ||
        b.candidate.points - a.candidate.points ||
        compareLottery(a, b),
    );
  return ranked.map(({ candidate, lotteryNumber: number }, index) => ({
    applicationId: candidate.applicationId,
    reference: candidate.reference,
    childName: maskChildName(candidate.childName),
    category: candidate.category,
    points: candidate.points,
    lotteryNumber: number,
    position: index + 1,
    outcome:
      index < inputs.placesAvailable ? 'OFFERED' : candidate.hasNextPreference ? 'NEXT_PREFERENCE' : 'MANUAL_PLACEMENT',
  }));
}

function counts(rows: AllocationRow[]) {
  return {
    applicants: rows.length,
    offered: rows.filter((row) => row.outcome === 'OFFERED').length,
    nextPreference: rows.filter((row) => row.outcome === 'NEXT_PREFERENCE').length,
    manualPlacement: rows.filter((row) => row.outcome === 'MANUAL_PLACEMENT').length,
  };
}

/** What a dry run and a commit answer alike. The seed is not in it: only a commit adds it. */
function summary(inputs: AllocationInputs, round: SealedRound, rows: AllocationRow[], digest: string) {
  return {
    school: { id: inputs.school.id, name: inputs.school.name },
    year: inputs.window.year,
    level: inputs.school.level,
    grade: inputs.grade,
    round: inputs.round,
    seedCommitment: round.seedCommitment,
    publishedAt: round.openedAt,
    outcomeDigest: digest,
    capacity: inputs.capacity,
    placesTaken: inputs.placesTaken,
    placesAvailable: inputs.placesAvailable,
    counts: counts(rows),
    rows,
  };
}

async function assertNotCommitted(db: Db, inputs: AllocationInputs): Promise<void> {
  const run = await db.allocationRun.findUnique({
    where: { schoolId_windowId_round: { schoolId: inputs.school.id, windowId: inputs.window.id, round: inputs.round } },
    select: { committedAt: true },
  });
  if (run) throw alreadyCommitted(inputs.round);
}

function alreadyCommitted(round: number): AppError {
  return new AppError(
    'CONFLICT',
    'errors.enrollment.allocationCommitted',
    'This round has already been committed for this school.',
    { round },
  );
}

const sealedRoundSelect = { id: true, round: true, seedEnc: true, seedCommitment: true, openedAt: true } as const;

/** The round's drawn seed, still sealed; a round nobody has opened has none, and nothing can run before it is published. */
async function openedRound(db: Db, inputs: AllocationInputs): Promise<SealedRound> {
  const round = await db.allocationRound.findUnique({
    where: { schoolId_windowId_round: { schoolId: inputs.school.id, windowId: inputs.window.id, round: inputs.round } },
    select: sealedRoundSelect,
  });
  if (!round)
    throw new AppError('BAD_REQUEST', 'errors.enrollment.roundNotOpen', 'Publish the round’s seed commitment first.', {
      round: inputs.round,
    });
  return round;
}

/** Unseals a round's seed, for the gateway's own use; it leaves the gateway only with a commit. */
function unsealSeed(ctx: Pick<Context, 'protector'>, round: SealedRound): string {
  const seed = ctx.protector.decrypt(round.seedEnc, seedContext(round.id));
  if (!isSeed(seed) || seedCommitment(seed) !== round.seedCommitment)
    throw new Error(`The stored seed of allocation round ${round.id} does not match its published commitment`);
  return seed;
}

/**
 * Rounds go in order: round 1 first, and round n only after round n − 1 is
 * committed. Two rounds open at once would let a reviewer choose between two
 * seeds.
 */
async function assertNextRound(db: Db, target: Target, round: number): Promise<void> {
  const last = await db.allocationRun.findFirst({
    where: { schoolId: target.school.id, windowId: target.window.id },
    orderBy: { round: 'desc' },
    select: { round: true },
  });
  const next = (last?.round ?? 0) + 1;
  if (round !== next)
    throw new AppError('BAD_REQUEST', 'errors.enrollment.roundOutOfOrder', 'Rounds are opened one after another.', {
      round: next,
    });
}

/**
 * 公示摇号种子: opens a round. The first opening draws the round's seed (32
 * random bytes), stores it encrypted and publishes its SHA-256 with the time;
 * every later opening, from this gateway or another, finds that one (the
 * unique school + window + round decides a race). Nobody can choose or
 * replace a seed.
 */
export async function openAllocationRound(
  ctx: Context,
  staffId: string,
  input: { schoolId: string; round: number; year?: number | undefined },
) {
  const prisma = ctx.db.prisma;
  const target = await resolveTarget(prisma, input);
  const key = {
    schoolId_windowId_round: { schoolId: target.school.id, windowId: target.window.id, round: input.round },
  };
  const existing = await prisma.allocationRound.findUnique({ where: key, select: { id: true } });
  if (!existing) {
    await assertNextRound(prisma, target, input.round);
    const id = randomUUID();
    const seed = drawSeed();
    try {
      await prisma.allocationRound.create({
        data: {
          id,
          schoolId: target.school.id,
          windowId: target.window.id,
          round: input.round,
          seedEnc: ctx.protector.encrypt(seed, seedContext(id)),
          seedCommitment: seedCommitment(seed),
          openedAt: ctx.now(),
          openedById: staffId,
        },
      });
    } catch (error) {
      // Opened at the same moment elsewhere: the seed drawn first stands, this one is never used.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return allocationRound(ctx, input);
}

/**
 * One round as the reviewer sees it: not yet open (and which round can be
 * opened next), open with its commitment and every dry run, or committed
 * with the revealed seed.
 */
export async function allocationRound(
  ctx: Context,
  input: { schoolId: string; round: number; year?: number | undefined },
) {
  const prisma = ctx.db.prisma;
  const target = await resolveTarget(prisma, input);
  const [round, last] = await Promise.all([
    prisma.allocationRound.findUnique({
      where: {
        schoolId_windowId_round: { schoolId: target.school.id, windowId: target.window.id, round: input.round },
      },
      select: {
        seedCommitment: true,
        openedAt: true,
        openedBy: { select: { name: true } },
        run: { select: { id: true, seed: true, committedAt: true, outcomeDigest: true } },
        dryRuns: {
          orderBy: { createdAt: 'asc' },
          select: {
            id: true,
            createdAt: true,
            candidates: true,
            places: true,
            offered: true,
            outcomeDigest: true,
            staff: { select: { name: true } },
          },
        },
      },
    }),
    prisma.allocationRun.findFirst({
      where: { schoolId: target.school.id, windowId: target.window.id },
      orderBy: { round: 'desc' },
      select: { round: true },
    }),
  ]);
  return {
    school: { id: target.school.id, name: target.school.name },
    year: target.window.year,
    round: input.round,
    /** The round a reviewer may open next for this school. */
    nextRound: (last?.round ?? 0) + 1,
    state: !round ? ('NOT_OPEN' as const) : round.run ? ('COMMITTED' as const) : ('OPEN' as const),
    seedCommitment: round?.seedCommitment ?? null,
    publishedAt: round?.openedAt ?? null,
    publishedBy: round?.openedBy.name ?? null,
    /** Revealed by the commit, never before. */
    seed: round?.run?.seed ?? null,
    committedAt: round?.run?.committedAt ?? null,
    outcomeDigest: round?.run?.outcomeDigest ?? null,
    dryRuns: (round?.dryRuns ?? []).map(({ staff, ...dryRun }) => ({ ...dryRun, staffName: staff.name })),
  };
}

/**
 * A dry run: the outcome the round's own seed gives for today's inputs. It
 * is recorded (who, when, how many candidates and places, the outcome's
 * digest) and changes nothing else; the seed stays sealed.
 */
export async function previewAllocation(
  ctx: Context,
  staffId: string,
  input: { schoolId: string; round: number; year?: number | undefined },
) {
  const prisma = ctx.db.prisma;
  const now = ctx.now();
  const inputs = await loadAllocationInputs(prisma, await resolveTarget(prisma, input), input.round, now);
  await assertNotCommitted(prisma, inputs);
  const round = await openedRound(prisma, inputs);
  const rows = allocate(inputs, unsealSeed(ctx, round));
  const digest = outcomeDigest(rows);
  const dryRun = await prisma.allocationDryRun.create({
    data: {
      id: randomUUID(),
      roundId: round.id,
      staffId,
      candidates: rows.length,
      places: inputs.placesAvailable,
      offered: counts(rows).offered,
      outcomeDigest: digest,
      createdAt: now,
    },
    select: { id: true, createdAt: true },
  });
  return { ...summary(inputs, round, rows, digest), dryRun: { id: dryRun.id, createdAt: dryRun.createdAt } };
}

/**
 * Commits a round: the outcome of the dry run the reviewer names, in one
 * transaction with the run (the revealed seed, checked against the
 * commitment; inputs; outcome), the published list (reference, category,
 * points, lottery number, position, outcome), the offers (with a respond-by
 * time), the moves to next preferences or manual placement, each status
 * change's record and each family's message. If the outcome is no longer
 * the dry run's (an application or the places changed since), nothing is
 * written and the reviewer runs it again. The school's capacity row is
 * locked, so no two rounds fill the same places; a second commit of the same
 * round is refused.
 */
export async function commitAllocation(
  ctx: Context,
  staffId: string,
  input: { schoolId: string; round: number; dryRunId: string; year?: number | undefined },
) {
  const now = ctx.now();
  try {
    return await ctx.db.prisma.$transaction(
      async (tx) => {
        const school = await tx.school.findUnique({ where: { id: input.schoolId }, select: { id: true } });
        if (!school) throw allocationNotFound();
        await tx.$queryRaw`SELECT 1 FROM "SchoolCapacity" WHERE "schoolId" = ${input.schoolId}::uuid FOR UPDATE`;
        const inputs = await loadAllocationInputs(tx, await resolveTarget(tx, input), input.round, now);
        await assertNotCommitted(tx, inputs);
        const round = await openedRound(tx, inputs);
        const dryRun = await tx.allocationDryRun.findUnique({
          where: { id: input.dryRunId },
          select: { roundId: true, outcomeDigest: true },
        });
        if (!dryRun || dryRun.roundId !== round.id)
          throw new AppError('BAD_REQUEST', 'errors.enrollment.dryRunFirst', 'Commit a dry run of this round.');
        const seed = unsealSeed(ctx, round);
        const rows = allocate(inputs, seed);
        const digest = outcomeDigest(rows);
        if (digest !== dryRun.outcomeDigest) {
          throw new AppError(
            'CONFLICT',
            'errors.enrollment.allocationChanged',
            'The applicants or places changed since the dry run.',
          );
        }
        const run = await tx.allocationRun.create({
          data: {
            id: randomUUID(),
            schoolId: inputs.school.id,
            windowId: inputs.window.id,
            round: inputs.round,
            roundId: round.id,
            seed,
            seedCommitment: round.seedCommitment,
            outcomeDigest: digest,
            places: inputs.placesAvailable,
            inputs: {
              year: inputs.window.year,
              grade: inputs.grade,
              capacity: inputs.capacity,
              placesTaken: inputs.placesTaken,
              candidates: inputs.candidates.map(
                ({ applicationId, reference, category, points, hasNextPreference }) => ({
                  applicationId,
                  reference,
                  category,
                  points,
                  hasNextPreference,
                }),
              ),
            },
            outcome: rows.map(
              ({ applicationId, reference, category, points, lotteryNumber: number, position, outcome }) => ({
                applicationId,
                reference,
                category,
                points,
                lotteryNumber: number,
                position,
                outcome,
              }),
            ),
            staffId,
            committedAt: now,
          },
          select: { id: true, committedAt: true },
        });
        // The published list is the run's outcome, row by row, copied inside the database: one
        // statement instead of sending every applicant's row again as parameters.
        await tx.$executeRaw`
          INSERT INTO "AllocationEntry" ("runId", "applicationId", "reference", "category", "points", "lotteryNumber", "position", "outcome")
          SELECT r."id", (e->>'applicationId')::uuid, e->>'reference', (e->>'category')::"ApplicantCategory", (e->>'points')::int,
            e->>'lotteryNumber', (e->>'position')::int, (e->>'outcome')::"AllocationOutcome"
          FROM "AllocationRun" r CROSS JOIN LATERAL jsonb_array_elements(r."outcome") AS e
          WHERE r."id" = ${run.id}::uuid`;
        const respondBy = new Date(now.getTime() + inputs.window.respondDays * 86_400_000);
        const ids = (outcome: Outcome) => rows.filter((row) => row.outcome === outcome).map((row) => row.applicationId);
        const offered = ids('OFFERED');
        const manual = ids('MANUAL_PLACEMENT');
        const next = ids('NEXT_PREFERENCE');
        const moves: [string[], Prisma.EnrollmentApplicationUncheckedUpdateManyInput][] = [
          [offered, { status: 'OFFERED', offerSchoolId: inputs.school.id, offerRespondBy: respondBy }],
          [manual, { status: 'MANUAL_PLACEMENT' }],
          [next, { currentPreference: { increment: 1 } }],
        ];
        for (const [applicationIds, data] of moves) {
          if (!applicationIds.length) continue;
          const updated = await tx.enrollmentApplication.updateMany({
            where: { id: { in: applicationIds }, status: 'APPROVED' },
            data: {
              ...data,
              version: { increment: 1 },
              updatedAt: now,
            } as Prisma.EnrollmentApplicationUncheckedUpdateManyInput,
          });
          // An application changed between reading and writing: start again rather than place on stale facts.
          if (updated.count !== applicationIds.length) throw changedByAnother();
        }
        const changed = rows.filter((row) => row.outcome !== 'NEXT_PREFERENCE');
        const byId = new Map(inputs.candidates.map((candidate) => [candidate.applicationId, candidate]));
        await tx.enrollmentEvent.createMany({
          data: changed.map((row) => ({
            id: randomUUID(),
            applicationId: row.applicationId,
            fromStatus: 'APPROVED' as const,
            toStatus: row.outcome as 'OFFERED' | 'MANUAL_PLACEMENT',
            staffId,
            createdAt: now,
          })),
        });
        await notifyResidents(
          tx,
          changed.map((row) => {
            const candidate = byId.get(row.applicationId)!;
            return {
              residentId: candidate.applicantId,
              topic: `enrollment.status.${row.outcome}`,
              params: {
                child: candidate.childName,
                reference: candidate.reference,
                ...(row.outcome === 'OFFERED' ? { school: inputs.school.name } : {}),
              },
              link: `/enrollment/applications/${row.applicationId}`,
            };
          }),
          now,
        );
        return {
          runId: run.id,
          committedAt: run.committedAt,
          respondBy,
          seed,
          ...summary(inputs, round, rows, digest),
        };
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyCommitted(input.round);
    throw error;
  }
}

/**
 * Per school for an intake year: places in the entry grade, offers made and
 * accepted, approved applicants waiting with this school as their current
 * preference, and the rounds committed.
 */
export async function allocationOverview(ctx: Context, input: { year?: number | undefined }) {
  const prisma = ctx.db.prisma;
  const latest = await prisma.enrollmentWindow.findFirst({
    where: input.year ? { year: input.year } : {},
    orderBy: { year: 'desc' },
    select: { year: true },
  });
  const year = input.year ?? latest?.year ?? ctx.now().getUTCFullYear();
  const [schools, offers, waiting, runs, openRounds] = await Promise.all([
    prisma.school.findMany({
      orderBy: [{ areaCode: 'asc' }, { level: 'asc' }, { code: 'asc' }],
      select: {
        id: true,
        code: true,
        name: true,
        areaCode: true,
        level: true,
        district: { select: { name: true } },
        capacities: { where: { year }, select: { grade: true, places: true } },
      },
    }),
    prisma.enrollmentApplication.groupBy({
      by: ['offerSchoolId', 'status'],
      where: { window: { year }, offerSchoolId: { not: null }, status: { in: ['OFFERED', 'ACCEPTED', 'DECLINED'] } },
      _count: { _all: true },
    }),
    prisma.$queryRaw<{ schoolId: string; waiting: number }[]>`
      SELECT p."schoolId", count(*)::int AS "waiting"
      FROM "EnrollmentApplication" a
      JOIN "EnrollmentWindow" w ON w."id" = a."windowId"
      JOIN "EnrollmentPreference" p ON p."applicationId" = a."id" AND p."rank" = a."currentPreference"
      WHERE w."year" = ${year} AND a."status" = 'APPROVED'
      GROUP BY p."schoolId"`,
    prisma.allocationRun.findMany({
      where: { window: { year } },
      orderBy: [{ committedAt: 'asc' }],
      select: {
        id: true,
        schoolId: true,
        round: true,
        seed: true,
        seedCommitment: true,
        places: true,
        committedAt: true,
        staff: { select: { name: true } },
      },
    }),
    // Rounds opened (their commitment published) and not committed yet: at most one per school.
    prisma.allocationRound.findMany({
      where: { window: { year }, run: { is: null } },
      select: { schoolId: true, round: true, seedCommitment: true, openedAt: true },
    }),
  ]);
  const count = (schoolId: string, status: string) =>
    offers.find((row) => row.offerSchoolId === schoolId && row.status === status)?._count._all ?? 0;
  return {
    year,
    schools: schools.map((school) => {
      const grade = GRADE_OF_LEVEL[school.level];
      return {
        id: school.id,
        code: school.code,
        name: school.name,
        areaCode: school.areaCode,
        level: school.level,
        grade,
        districtName: school.district.name,
        capacity: school.capacities.find((capacity) => capacity.grade === grade)?.places ?? 0,
        offered: count(school.id, 'OFFERED'),
        accepted: count(school.id, 'ACCEPTED'),
        declined: count(school.id, 'DECLINED'),
        waiting: Number(waiting.find((row) => row.schoolId === school.id)?.waiting ?? 0),
        runs: runs
          .filter((run) => run.schoolId === school.id)
          .map((run) => ({
            id: run.id,
            round: run.round,
            seed: run.seed,
            seedCommitment: run.seedCommitment,
            places: run.places,
            committedAt: run.committedAt,
            staffName: run.staff.name,
          })),
        openRound: openRounds.find((round) => round.schoolId === school.id) ?? null,
      };
    }),
  };
}

// ---------------------------------------------------------------- the family's view

const familyRunSelect = {
  id: true,
  round: true,
  seed: true,
  seedCommitment: true,
  outcomeDigest: true,
  places: true,
  committedAt: true,
  school: { select: { id: true, name: true } },
  window: { select: { year: true } },
  allocationRound: { select: { openedAt: true } },
  _count: { select: { entries: true } },
} as const;

/**
 * 摇号 for one application, as its family (or counter staff under an
 * authorization) sees it: every committed round the application was in,
 * with the revealed seed and the family's own lottery number, position and
 * outcome; and, while the application waits at its current school, that
 * school's open round with the published commitment. Rounds the
 * application was not in are never shown.
 */
export async function familyLottery(ctx: Context, subject: Subject, applicationId: string) {
  await guardedApplicationId(ctx, subject.residentId, applicationId);
  const prisma = ctx.db.prisma;
  const application = await prisma.enrollmentApplication.findUniqueOrThrow({
    where: { id: applicationId },
    select: {
      id: true,
      reference: true,
      status: true,
      windowId: true,
      currentPreference: true,
      window: { select: { year: true } },
      preferences: { select: { rank: true, schoolId: true } },
    },
  });
  const entries = await prisma.allocationEntry.findMany({
    // Runs from before the verifiable lottery have no published list.
    where: { applicationId, run: { roundId: { not: null } } },
    orderBy: { run: { committedAt: 'asc' } },
    select: {
      category: true,
      points: true,
      lotteryNumber: true,
      position: true,
      outcome: true,
      run: { select: familyRunSelect },
    },
  });
  const committed = entries.map(({ run, ...own }) => ({
    state: 'COMMITTED' as const,
    runId: run.id,
    school: run.school,
    year: run.window.year,
    round: run.round,
    seedCommitment: run.seedCommitment!,
    publishedAt: run.allocationRound?.openedAt ?? null,
    seed: run.seed,
    committedAt: run.committedAt,
    outcomeDigest: run.outcomeDigest,
    places: run.places,
    applicants: run._count.entries,
    own: { reference: application.reference, ...own },
  }));
  const waitingAt =
    application.status === 'APPROVED'
      ? application.preferences.find((preference) => preference.rank === application.currentPreference)?.schoolId
      : undefined;
  const open = waitingAt
    ? await prisma.allocationRound.findFirst({
        where: { schoolId: waitingAt, windowId: application.windowId, run: { is: null } },
        select: { round: true, seedCommitment: true, openedAt: true, school: { select: { id: true, name: true } } },
      })
    : null;
  const pending = open
    ? [
        {
          state: 'OPEN' as const,
          runId: null,
          school: open.school,
          year: application.window.year,
          round: open.round,
          seedCommitment: open.seedCommitment,
          publishedAt: open.openedAt,
          seed: null,
          committedAt: null,
          outcomeDigest: null,
          places: null,
          applicants: null,
          own: null,
        },
      ]
    : [];
  return { applicationId: application.id, reference: application.reference, rounds: [...committed, ...pending] };
}

/**
 * The published list (公示名单) of one committed round the application was
 * in: every applicant's reference, category, points, lottery number,
 * position and outcome in allocation order, and the revealed seed, so that
 * the whole draw can be recomputed. No names, no ID numbers.
 */
export async function familyLotteryList(
  ctx: Context,
  subject: Subject,
  input: { applicationId: string; runId: string },
) {
  await guardedApplicationId(ctx, subject.residentId, input.applicationId);
  const prisma = ctx.db.prisma;
  const own = await prisma.allocationEntry.findUnique({
    where: { runId_applicationId: { runId: input.runId, applicationId: input.applicationId } },
    select: { runId: true },
  });
  if (!own)
    throw new AppError('NOT_FOUND', 'errors.enrollment.lotteryNotFound', 'This application was not in that round.');
  const run = await prisma.allocationRun.findUniqueOrThrow({
    where: { id: input.runId },
    select: {
      ...familyRunSelect,
      entries: {
        orderBy: { position: 'asc' },
        select: { position: true, reference: true, category: true, points: true, lotteryNumber: true, outcome: true },
      },
    },
  });
  return {
    runId: run.id,
    school: run.school,
    year: run.window.year,
    round: run.round,
    seedCommitment: run.seedCommitment,
    publishedAt: run.allocationRound?.openedAt ?? null,
    seed: run.seed,
    committedAt: run.committedAt,
    outcomeDigest: run.outcomeDigest,
    places: run.places,
    entries: run.entries,
  };
}
