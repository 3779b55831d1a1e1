import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { guardianHousehold, minorChildrenWhere } from '../../people/household.js';

const childSelect = {
  id: true,
  name: true,
  gender: true,
  birthDate: true,
  idNumberMask: true,
  householdId: true,
  studentRoll: { select: { grade: true, schoolYear: true, schoolName: true } },
} as const;

/** Minor children registered in the parent's household, from the household registration (never from the browser). */
export async function childrenOf(ctx: Pick<Context, 'db'>, householdId: string, now: Date) {
  return ctx.db.prisma.resident.findMany({
    where: minorChildrenWhere(householdId, now),
    orderBy: { birthDate: 'asc' },
    select: childSelect,
  });
}

export type HouseholdChild = Awaited<ReturnType<typeof childrenOf>>[number];

/** One child of the parent's household, or a refusal that does not say whether the child exists. */
export async function guardedChild(
  ctx: Pick<Context, 'db'>,
  parentId: string,
  childId: string,
  now: Date,
): Promise<{ householdId: string; child: HouseholdChild }> {
  const householdId = await guardianHousehold(ctx, parentId);
  const child = householdId
    ? await ctx.db.prisma.resident.findFirst({
        where: { id: childId, ...minorChildrenWhere(householdId, now) },
        select: childSelect,
      })
    : null;
  if (!householdId || !child) throw notYourChild();
  return { householdId, child };
}

export function notYourChild(): AppError {
  return new AppError('FORBIDDEN', 'errors.enrollment.notYourChild', 'This child is not in your household.');
}

export function applicationNotFound(): AppError {
  return new AppError('NOT_FOUND', 'errors.enrollment.applicationNotFound', 'Application not found.');
}

/**
 * An application the parent may see and act on: one for a child of their
 * household (either parent may). Others' applications are "not found".
 */
export async function guardedApplicationId(
  ctx: Pick<Context, 'db'>,
  parentId: string,
  applicationId: string,
): Promise<void> {
  const householdId = await guardianHousehold(ctx, parentId);
  const found = householdId
    ? await ctx.db.prisma.enrollmentApplication.count({
        where: { id: applicationId, child: { householdId, householdRelation: 'CHILD' } },
      })
    : 0;
  if (!found) throw applicationNotFound();
}
