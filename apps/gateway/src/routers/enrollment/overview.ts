import type { Context } from '../../context.js';
import type { Subject } from '../../trpc.js';
import { deriveCategory } from './category.js';
import { guardianHousehold } from '../../people/household.js';
import { childrenOf } from './family.js';
import { levelEligibility, windowState, type IneligibleReason } from './rules.js';

/**
 * What the enrollment start page shows: the windows, the household's
 * children with their eligibility for each current window (and why not),
 * and the family's applications.
 */
export async function enrollmentOverview(ctx: Context, subject: Subject) {
  const now = ctx.now();
  const prisma = ctx.db.prisma;
  const householdId = await guardianHousehold(ctx, subject.residentId);
  const [windows, children, applications] = await Promise.all([
    prisma.enrollmentWindow.findMany({
      orderBy: [{ year: 'desc' }, { level: 'asc' }],
      select: { id: true, year: true, level: true, opensAt: true, closesAt: true, respondDays: true },
    }),
    householdId ? childrenOf(ctx, householdId, now) : Promise.resolve([]),
    householdId
      ? prisma.enrollmentApplication.findMany({
          where: { child: { householdId, householdRelation: 'CHILD' } },
          orderBy: { updatedAt: 'desc' },
          select: {
            id: true,
            reference: true,
            status: true,
            updatedAt: true,
            childId: true,
            child: { select: { name: true } },
            window: { select: { id: true, year: true, level: true } },
            offerRespondBy: true,
          },
        })
      : Promise.resolve([]),
  ]);
  // The current window per level: the latest year's.
  const current = windows.filter(
    (window, index) => windows.findIndex((other) => other.level === window.level) === index,
  );
  const districtByLevel = new Map<string, boolean>();
  if (householdId) {
    for (const window of current) {
      const facts = await deriveCategory(ctx, householdId, window.level, now);
      districtByLevel.set(window.level, facts.district !== null);
    }
  }
  return {
    windows: windows.map((window) => ({ ...window, state: windowState(window, now) })),
    children: children.map((child) => ({
      id: child.id,
      name: child.name,
      gender: child.gender,
      birthDate: child.birthDate.toISOString().slice(0, 10),
      maskedIdNumber: child.idNumberMask,
      eligibility: current.map((window) => {
        let reason: IneligibleReason | null = levelEligibility(
          window.level,
          window.year,
          child.birthDate,
          child.studentRoll,
        );
        if (!reason && !districtByLevel.get(window.level)) reason = 'noDistrict';
        const application = applications.find(
          (candidate) => candidate.childId === child.id && candidate.window.id === window.id,
        );
        return {
          windowId: window.id,
          year: window.year,
          level: window.level,
          eligible: reason === null,
          reason,
          applicationId: application?.id ?? null,
        };
      }),
    })),
    applications: applications.map((application) => ({
      id: application.id,
      reference: application.reference,
      childName: application.child.name,
      year: application.window.year,
      level: application.window.level,
      status: application.status,
      updatedAt: application.updatedAt,
      offerRespondBy: application.offerRespondBy,
    })),
  };
}
