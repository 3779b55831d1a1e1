import { randomUUID } from 'node:crypto';
import { appendAccessLog } from '../../access-log/chain.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { ApplicantCategory, ApplicationStatus, EnrollmentLevel } from '../../generated/prisma/enums.js';
import { applicationDetail } from './applications.js';
import { applicationNotFound } from './family.js';
import { APPLICATION_STATUSES, GRADE_OF_LEVEL } from './rules.js';
import { changeStatus, changedByAnother, reviewerActor } from './status.js';

export const QUEUE_PAGE_SIZE = 50;

export interface QueueFilters {
  status?: Exclude<ApplicationStatus, 'DRAFT'> | undefined;
  schoolId?: string | undefined;
  category?: ApplicantCategory | undefined;
  year?: number | undefined;
  level?: EnrollmentLevel | undefined;
  cursor?: string | undefined;
}

/** Submitted applications (never drafts), oldest submission first, 50 a page. */
export async function reviewQueue(ctx: Context, filters: QueueFilters) {
  const where: Prisma.EnrollmentApplicationWhereInput = {
    // Never drafts, whatever the filter says.
    status: filters.status ? { equals: filters.status, not: 'DRAFT' } : { not: 'DRAFT' },
    ...(filters.category ? { category: filters.category } : {}),
    ...(filters.schoolId ? { preferences: { some: { schoolId: filters.schoolId } } } : {}),
    ...(filters.year || filters.level
      ? {
          window: {
            ...(filters.year ? { year: filters.year } : {}),
            ...(filters.level ? { level: filters.level } : {}),
          },
        }
      : {}),
  };
  const rows = await ctx.db.prisma.enrollmentApplication.findMany({
    where,
    orderBy: [{ submittedAt: 'asc' }, { id: 'asc' }],
    take: QUEUE_PAGE_SIZE + 1,
    ...(filters.cursor ? { cursor: { id: filters.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      reference: true,
      status: true,
      category: true,
      points: true,
      version: true,
      assisted: true,
      submittedAt: true,
      updatedAt: true,
      child: { select: { name: true } },
      window: { select: { year: true, level: true } },
      preferences: { where: { rank: 1 }, select: { school: { select: { id: true, name: true } } } },
    },
  });
  const page = rows.slice(0, QUEUE_PAGE_SIZE);
  return {
    rows: page.map((row) => ({
      id: row.id,
      reference: row.reference,
      status: row.status,
      category: row.category,
      points: row.points,
      version: row.version,
      assisted: row.assisted,
      submittedAt: row.submittedAt,
      updatedAt: row.updatedAt,
      childName: row.child.name,
      year: row.window.year,
      level: row.window.level,
      firstChoice: row.preferences[0]?.school ?? null,
    })),
    nextCursor: rows.length > QUEUE_PAGE_SIZE ? page.at(-1)!.id : null,
  };
}

/** Schools for the reviewer's filters and the allocation page. */
export async function reviewSchools(ctx: Context) {
  const schools = await ctx.db.prisma.school.findMany({
    orderBy: [{ areaCode: 'asc' }, { level: 'asc' }, { code: 'asc' }],
    select: {
      id: true,
      code: true,
      name: true,
      areaCode: true,
      level: true,
      address: true,
      district: { select: { id: true, name: true } },
    },
  });
  return schools.map((school) => ({ ...school, grade: GRADE_OF_LEVEL[school.level] }));
}

/**
 * One application for a reviewer, with who else looked and when. Each look
 * is recorded; the first look at a submitted application starts its review
 * (UNDER_REVIEW, and the family is told).
 */
/**
 * A reviewer's look at a family's data goes into the applying parent's access
 * log (谁查看了我的信息), with the application as its basis.
 */
export async function logReviewerLook(
  tx: Prisma.TransactionClient,
  ctx: Pick<Context, 'audit' | 'now'>,
  reviewer: { staffId: string; centerId: string },
  applicantId: string,
  action: 'enrollment.review' | 'enrollment.reviewDocument',
) {
  await appendAccessLog(
    tx,
    ctx.audit,
    {
      residentId: applicantId,
      staffId: reviewer.staffId,
      centerId: reviewer.centerId,
      authorizationId: null,
      basis: 'ENROLLMENT_APPLICATION',
      action,
    },
    ctx.now(),
  );
}

export async function reviewApplication(
  ctx: Context,
  reviewer: { staffId: string; centerId: string },
  applicationId: string,
) {
  const staffId = reviewer.staffId;
  const now = ctx.now();
  const application = await ctx.db.prisma.enrollmentApplication.findUnique({
    where: { id: applicationId },
    select: {
      id: true,
      status: true,
      version: true,
      reference: true,
      applicantId: true,
      child: { select: { name: true } },
    },
  });
  if (!application || application.status === 'DRAFT') throw applicationNotFound();
  await ctx.db.prisma.$transaction(async (tx) => {
    await tx.enrollmentReviewView.create({ data: { id: randomUUID(), applicationId, staffId, viewedAt: now } });
    if (application.status === 'SUBMITTED') {
      try {
        await changeStatus(
          tx,
          {
            application: {
              id: application.id,
              status: application.status,
              version: application.version,
              reference: application.reference,
              applicantId: application.applicantId,
              childName: application.child.name,
            },
            to: 'UNDER_REVIEW',
            actor: reviewerActor(staffId),
          },
          now,
        );
      } catch (error) {
        // Another reviewer opened it at the same moment and started the review: nothing more to do.
        if (!(error instanceof AppError)) throw error;
      }
    }
    await logReviewerLook(tx, ctx, reviewer, application.applicantId, 'enrollment.review');
  });
  const [detail, views] = await Promise.all([
    applicationDetail(ctx, applicationId),
    ctx.db.prisma.enrollmentReviewView.findMany({
      where: { applicationId },
      orderBy: { viewedAt: 'desc' },
      take: 20,
      select: { viewedAt: true, staff: { select: { name: true, staffNumber: true } } },
    }),
  ]);
  return {
    ...detail,
    views: views.map((view) => ({
      at: view.viewedAt,
      staffName: view.staff.name,
      staffNumber: view.staff.staffNumber,
    })),
  };
}

export type Decision = 'APPROVE' | 'REJECT' | 'REQUEST_DOCUMENTS';

const DECISION_STATUS: Record<Decision, ApplicationStatus> = {
  APPROVE: 'APPROVED',
  REJECT: 'REJECTED',
  REQUEST_DOCUMENTS: 'NEEDS_DOCUMENTS',
};

/**
 * A reviewer's decision on the version they saw: if another reviewer (or the
 * family) changed the application since, the decision is refused with
 * CONFLICT and nothing is written.
 */
export async function decideApplication(
  ctx: Context,
  staffId: string,
  input: { applicationId: string; version: number; decision: Decision; message?: string | undefined },
) {
  const now = ctx.now();
  const application = await ctx.db.prisma.enrollmentApplication.findUnique({
    where: { id: input.applicationId },
    select: {
      id: true,
      status: true,
      version: true,
      reference: true,
      applicantId: true,
      child: { select: { name: true } },
    },
  });
  if (!application || application.status === 'DRAFT') throw applicationNotFound();
  if (application.version !== input.version) throw changedByAnother();
  const to = DECISION_STATUS[input.decision];
  const version = await ctx.db.prisma.$transaction((tx) =>
    changeStatus(
      tx,
      {
        application: {
          id: application.id,
          status: application.status,
          version: input.version,
          reference: application.reference,
          applicantId: application.applicantId,
          childName: application.child.name,
        },
        to,
        actor: reviewerActor(staffId),
        message: input.message ?? null,
      },
      now,
    ),
  );
  return { applicationId: application.id, status: to, version };
}

/** Applications by status, and how many went through without any counter-staff step (handled entirely online). */
export async function enrollmentStats(ctx: Context, year: number | undefined) {
  const where: Prisma.EnrollmentApplicationWhereInput = year ? { window: { year } } : {};
  const [byStatus, online, assisted] = await Promise.all([
    ctx.db.prisma.enrollmentApplication.groupBy({ by: ['status'], where, _count: { _all: true } }),
    ctx.db.prisma.enrollmentApplication.count({ where: { ...where, status: { not: 'DRAFT' }, assisted: false } }),
    ctx.db.prisma.enrollmentApplication.count({ where: { ...where, status: { not: 'DRAFT' }, assisted: true } }),
  ]);
  const counts = Object.fromEntries(APPLICATION_STATUSES.map((status) => [status, 0])) as Record<
    ApplicationStatus,
    number
  >;
  for (const row of byStatus) counts[row.status] = row._count._all;
  return { byStatus: counts, submitted: online + assisted, handledEntirelyOnline: online, assisted };
}
