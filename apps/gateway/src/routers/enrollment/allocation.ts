import { randomInt, randomUUID } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { ApplicantCategory, EnrollmentLevel } from '../../generated/prisma/enums.js';
import { notifyResidents } from '../messages/notify.js';
import { isUniqueViolation } from './applications.js';
import { CATEGORY_PRIORITY, GRADE_OF_LEVEL, maskChildName } from './rules.js';
import { changedByAnother } from './status.js';

/** Seeds are 31-bit, so that they read and type easily and fit an INTEGER column. */
export const MAX_SEED = 2_147_483_647;

type Db = Pick<Prisma.TransactionClient, 'school' | 'enrollmentWindow' | 'schoolCapacity' | 'enrollmentApplication' | 'allocationRun' | '$queryRaw'>;

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

export interface AllocationInputs {
  school: { id: string; name: string; level: EnrollmentLevel };
  window: { id: string; year: number; respondDays: number };
  grade: number;
  round: number;
  capacity: number;
  placesTaken: number;
  placesAvailable: number;
  /** In reference order, so that the lottery draws over the same list every time. */
  candidates: Candidate[];
}

export type Outcome = 'OFFERED' | 'NEXT_PREFERENCE' | 'MANUAL_PLACEMENT';

export interface AllocationRow {
  applicationId: string;
  reference: string;
  childName: string;
  category: ApplicantCategory;
  points: number;
  lottery: number;
  position: number;
  outcome: Outcome;
}

function allocationNotFound(): AppError {
  return new AppError('NOT_FOUND', 'errors.enrollment.schoolNotFound', 'School not found.');
}

/**
 * What one school's round starts from: its places in the entry grade left
 * after places accepted and offers still open (declined and lapsed ones free
 * theirs), and the approved
 * applications whose current preference is this school.
 */
export async function loadAllocationInputs(db: Db, input: { schoolId: string; round: number; year?: number | undefined }, now: Date): Promise<AllocationInputs> {
  const school = await db.school.findUnique({ where: { id: input.schoolId }, select: { id: true, name: true, level: true } });
  if (!school) throw allocationNotFound();
  const window = await db.enrollmentWindow.findFirst({
    where: { level: school.level, ...(input.year ? { year: input.year } : {}) },
    orderBy: { year: 'desc' },
    select: { id: true, year: true, respondDays: true },
  });
  if (!window) throw new AppError('BAD_REQUEST', 'errors.enrollment.noWindow', 'No enrollment window for this level and year.');
  const grade = GRADE_OF_LEVEL[school.level];
  const [capacity, placesTaken, candidates] = await Promise.all([
    db.schoolCapacity.findUnique({ where: { schoolId_year_grade: { schoolId: school.id, year: window.year, grade } }, select: { places: true } }),
    // Accepted places, and offers still open; an offer not answered by its deadline has lapsed and its place returns.
    db.enrollmentApplication.count({
      where: { windowId: window.id, offerSchoolId: school.id, OR: [{ status: 'ACCEPTED' }, { status: 'OFFERED', offerRespondBy: { gt: now } }] },
    }),
    db.$queryRaw<{ id: string; reference: string; applicantId: string; childName: string; category: ApplicantCategory; points: number; hasNext: boolean }[]>`
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
    round: input.round,
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
 * points (highest first), then the lottery. Lottery numbers come from a
 * Fisher–Yates shuffle of the candidates in reference order driven by
 * xoroshiro128+ seeded with the recorded seed, so anyone with the seed and
 * the inputs gets the same numbers. The first places go to the front of the
 * order; the others move to their next preference, or to manual placement
 * when they have none.
 */
export function allocate(inputs: AllocationInputs, seed: number): AllocationRow[] {
  const rng = xoroshiro128plus(seed);
  const order = inputs.candidates.map((_, index) => index);
  for (let index = order.length - 1; index > 0; index -= 1) {
    const other = uniformInt(rng, 0, index);
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  const lottery = new Array<number>(order.length);
  order.forEach((candidateIndex, position) => {
    lottery[candidateIndex] = position + 1;
  });
  const ranked = inputs.candidates
    .map((candidate, index) => ({ candidate, lottery: lottery[index]! }))
    .sort(
      (a, b) =>
        CATEGORY_PRIORITY[a.candidate.category] - CATEGORY_PRIORITY[b.candidate.category] ||
        b.candidate.points - a.candidate.points ||
        a.lottery - b.lottery,
    );
  return ranked.map(({ candidate, lottery: number }, index) => ({
    applicationId: candidate.applicationId,
    reference: candidate.reference,
    childName: maskChildName(candidate.childName),
    category: candidate.category,
    points: candidate.points,
    lottery: number,
    position: index + 1,
    outcome: index < inputs.placesAvailable ? 'OFFERED' : candidate.hasNextPreference ? 'NEXT_PREFERENCE' : 'MANUAL_PLACEMENT',
  }));
}

function summary(inputs: AllocationInputs, seed: number, rows: AllocationRow[]) {
  return {
    school: { id: inputs.school.id, name: inputs.school.name },
    year: inputs.window.year,
    level: inputs.school.level,
    grade: inputs.grade,
    round: inputs.round,
    seed,
    capacity: inputs.capacity,
    placesTaken: inputs.placesTaken,
    placesAvailable: inputs.placesAvailable,
    counts: {
      applicants: rows.length,
      offered: rows.filter((row) => row.outcome === 'OFFERED').length,
      nextPreference: rows.filter((row) => row.outcome === 'NEXT_PREFERENCE').length,
      manualPlacement: rows.filter((row) => row.outcome === 'MANUAL_PLACEMENT').length,
    },
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
  return new AppError('CONFLICT', 'errors.enrollment.allocationCommitted', 'This round has already been committed for this school.', { round });
}

/** A dry run: the outcome for these inputs and this seed (a new one when none is given). Writes nothing. */
export async function previewAllocation(ctx: Context, input: { schoolId: string; round: number; seed?: number | undefined; year?: number | undefined }) {
  const inputs = await loadAllocationInputs(ctx.db.prisma, input, ctx.now());
  await assertNotCommitted(ctx.db.prisma, inputs);
  const seed = input.seed ?? randomInt(MAX_SEED + 1);
  return summary(inputs, seed, allocate(inputs, seed));
}

/**
 * Commits a round: the same outcome as the dry run for the same inputs and
 * seed, in one transaction with the run (seed, inputs, outcome), the offers
 * (with a respond-by time), the moves to next preferences or manual
 * placement, each status change's record and each family's message. The
 * school's capacity row is locked, so no two rounds fill the same places; a
 * second commit of the same round is refused.
 */
export async function commitAllocation(ctx: Context, staffId: string, input: { schoolId: string; round: number; seed: number; year?: number | undefined }) {
  const now = ctx.now();
  try {
    return await ctx.db.prisma.$transaction(
      async (tx) => {
        const school = await tx.school.findUnique({ where: { id: input.schoolId }, select: { id: true } });
        if (!school) throw allocationNotFound();
        await tx.$queryRaw`SELECT 1 FROM "SchoolCapacity" WHERE "schoolId" = ${input.schoolId}::uuid FOR UPDATE`;
        const inputs = await loadAllocationInputs(tx, input, now);
        await assertNotCommitted(tx, inputs);
        const rows = allocate(inputs, input.seed);
        const run = await tx.allocationRun.create({
          data: {
            id: randomUUID(),
            schoolId: inputs.school.id,
            windowId: inputs.window.id,
            round: inputs.round,
            seed: input.seed,
            places: inputs.placesAvailable,
            inputs: {
              year: inputs.window.year,
              grade: inputs.grade,
              capacity: inputs.capacity,
              placesTaken: inputs.placesTaken,
              candidates: inputs.candidates.map(({ applicationId, reference, category, points, hasNextPreference }) => ({ applicationId, reference, category, points, hasNextPreference })),
            },
            outcome: rows.map(({ applicationId, reference, lottery, position, outcome }) => ({ applicationId, reference, lottery, position, outcome })),
            staffId,
            committedAt: now,
          },
          select: { id: true, committedAt: true },
        });
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
            data: { ...data, version: { increment: 1 }, updatedAt: now } as Prisma.EnrollmentApplicationUncheckedUpdateManyInput,
          });
          // An application changed between reading and writing: start again rather than place on stale facts.
          if (updated.count !== applicationIds.length) throw changedByAnother();
        }
        const changed = rows.filter((row) => row.outcome !== 'NEXT_PREFERENCE');
        const byId = new Map(inputs.candidates.map((candidate) => [candidate.applicationId, candidate]));
        await tx.enrollmentEvent.createMany({
          data: changed.map((row) => ({ id: randomUUID(), applicationId: row.applicationId, fromStatus: 'APPROVED' as const, toStatus: row.outcome as 'OFFERED' | 'MANUAL_PLACEMENT', staffId, createdAt: now })),
        });
        await notifyResidents(
          tx,
          changed.map((row) => {
            const candidate = byId.get(row.applicationId)!;
            return {
              residentId: candidate.applicantId,
              topic: `enrollment.status.${row.outcome}`,
              params: { child: candidate.childName, reference: candidate.reference, ...(row.outcome === 'OFFERED' ? { school: inputs.school.name } : {}) },
              link: `/enrollment/applications/${row.applicationId}`,
            };
          }),
          now,
        );
        return { runId: run.id, committedAt: run.committedAt, respondBy, ...summary(inputs, input.seed, rows) };
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
  const latest = await prisma.enrollmentWindow.findFirst({ where: input.year ? { year: input.year } : {}, orderBy: { year: 'desc' }, select: { year: true } });
  const year = input.year ?? latest?.year ?? ctx.now().getUTCFullYear();
  const [schools, offers, waiting, runs] = await Promise.all([
    prisma.school.findMany({
      orderBy: [{ areaCode: 'asc' }, { level: 'asc' }, { code: 'asc' }],
      select: { id: true, code: true, name: true, areaCode: true, level: true, district: { select: { name: true } }, capacities: { where: { year }, select: { grade: true, places: true } } },
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
      select: { id: true, schoolId: true, round: true, seed: true, places: true, committedAt: true, staff: { select: { name: true } } },
    }),
  ]);
  const count = (schoolId: string, status: string) => offers.find((row) => row.offerSchoolId === schoolId && row.status === status)?._count._all ?? 0;
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
          .map((run) => ({ id: run.id, round: run.round, seed: run.seed, places: run.places, committedAt: run.committedAt, staffName: run.staff.name })),
      };
    }),
  };
}
