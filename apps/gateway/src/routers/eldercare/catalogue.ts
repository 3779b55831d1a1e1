import type { ServerDeps } from '../../context.js';
import type { CareServiceKind } from '../../generated/prisma/enums.js';
import type { Subject } from '../../trpc.js';
import { requireEligibleResident } from './care-profile.js';
import { publishScheduledSlots } from './care-slots.js';
import { ensureMonthlyAllowance } from './subsidy.js';

/** How far ahead residents can book. */
export const BOOKING_HORIZON_DAYS = 14;
/** A slot can be booked until this long before it starts, so the provider can plan. */
export const BOOKING_LEAD_MS = 60 * 60_000;

/** What the subsidy pays for one order, and what is left for the resident. */
export function splitPrice(priceFen: number, subsidyCapFen: number, balanceFen: number) {
  const subsidyFen = Math.max(0, Math.min(priceFen, subsidyCapFen, balanceFen));
  return { subsidyFen, selfPayFen: priceFen - subsidyFen };
}

/**
 * Home services offered in the resident's county area, each with its price,
 * what the subsidy would pay towards one order now, and the free slots.
 */
export async function careCatalogue(deps: ServerDeps, subject: Subject, kind: CareServiceKind | undefined) {
  const resident = await requireEligibleResident(deps, subject.residentId);
  const balanceFen = await ensureMonthlyAllowance(deps, resident.id);
  const now = deps.now();
  const bookableFrom = new Date(now.getTime() + BOOKING_LEAD_MS);
  const horizon = new Date(now.getTime() + BOOKING_HORIZON_DAYS * 86_400_000);
  const schedules = await deps.db.prisma.careServiceItem.findMany({
    where: { provider: { areaCode: resident.areaCode }, ...(kind ? { kind } : {}) },
    select: { id: true, startHours: true, slotCapacity: true, durationMinutes: true },
  });
  await publishScheduledSlots(deps.db.prisma, schedules, now, BOOKING_HORIZON_DAYS);
  const [profile, items] = await Promise.all([
    deps.db.prisma.careProfile.findUnique({ where: { residentId: resident.id }, select: { paymentMethod: true } }),
    deps.db.prisma.careServiceItem.findMany({
      where: { provider: { areaCode: resident.areaCode }, ...(kind ? { kind } : {}) },
      orderBy: [{ kind: 'asc' }, { priceFen: 'asc' }, { id: 'asc' }],
      select: {
        id: true,
        kind: true,
        name: true,
        priceFen: true,
        subsidyCapFen: true,
        durationMinutes: true,
        provider: { select: { id: true, name: true, address: true, hotline: true } },
        slots: {
          where: { startsAt: { gt: bookableFrom, lte: horizon } },
          orderBy: { startsAt: 'asc' },
          select: { id: true, startsAt: true, endsAt: true, capacity: true, booked: true },
        },
      },
    }),
  ]);
  return {
    areaCode: resident.areaCode,
    balanceFen,
    paymentMethod: profile?.paymentMethod ?? 'NONE',
    items: items.map((item) => ({
      id: item.id,
      kind: item.kind,
      name: item.name,
      priceFen: item.priceFen,
      subsidyCapFen: item.subsidyCapFen,
      durationMinutes: item.durationMinutes,
      provider: item.provider,
      /** With today's balance. */
      ...splitPrice(item.priceFen, item.subsidyCapFen, balanceFen),
      slots: item.slots
        .filter((slot) => slot.booked < slot.capacity)
        .map((slot) => ({
          id: slot.id,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          remaining: slot.capacity - slot.booked,
        })),
    })),
  };
}
