import type { ServerDeps } from '../../context.js';
import { appendAccessLog } from '../../access-log/chain.js';
import { recordAccess } from '../../access-log/record.js';
import { AppError, errors } from '../../errors.js';
import type { CareOrderStatus } from '../../generated/prisma/enums.js';
import { chinaDayRange, chinaMonthStart } from '../../china-time.js';
import { providerActor } from './care-actor.js';
import { orderMessageFields, recordOrderChange } from './orders.js';

/** The provider's steps: each status may only follow the one before it. */
export const PROVIDER_STEPS = {
  CONFIRMED: 'BOOKED',
  IN_SERVICE: 'CONFIRMED',
  COMPLETED: 'IN_SERVICE',
} as const satisfies Partial<Record<CareOrderStatus, CareOrderStatus>>;
export type ProviderStep = keyof typeof PROVIDER_STEPS;

export interface ProviderStaff {
  staffId: string;
  centerId: string;
  providerId: string;
}

/**
 * This provider's orders (never another's), soonest first, with what the
 * worker needs to serve them: name, address, note. Each resident shown is
 * written to their access log, as any staff look at resident data is.
 */
export async function providerOrders(
  deps: ServerDeps,
  staff: ProviderStaff,
  filter: { date?: string | undefined; status?: CareOrderStatus | undefined },
) {
  const now = deps.now();
  const orders = await deps.db.prisma.careOrder.findMany({
    where: {
      providerId: staff.providerId,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.date
        ? { slot: { startsAt: chinaDayRange(filter.date) } }
        : { slot: { startsAt: { gte: chinaMonthStart(now, -1) } } }),
    },
    orderBy: [{ slot: { startsAt: 'asc' } }, { id: 'asc' }],
    take: 100,
    select: {
      id: true,
      residentId: true,
      status: true,
      priceFen: true,
      subsidyFen: true,
      selfPayFen: true,
      paymentMethod: true,
      note: true,
      stars: true,
      ratingComment: true,
      slot: { select: { startsAt: true, endsAt: true, item: { select: { kind: true, name: true } } } },
      resident: { select: { name: true, phoneMask: true, household: { select: { address: true } } } },
    },
  });
  for (const residentId of new Set(orders.map((order) => order.residentId))) {
    await recordAccess(deps, {
      residentId,
      staffId: staff.staffId,
      centerId: staff.centerId,
      authorizationId: null,
      basis: 'CARE_ORDER',
      action: 'eldercare.provider.orders',
    });
  }
  return orders.map((order) => ({
    id: order.id,
    status: order.status,
    kind: order.slot.item.kind,
    itemName: order.slot.item.name,
    startsAt: order.slot.startsAt,
    endsAt: order.slot.endsAt,
    residentName: order.resident.name,
    maskedPhone: order.resident.phoneMask,
    address: order.resident.household?.address ?? null,
    note: order.note,
    priceFen: order.priceFen,
    subsidyFen: order.subsidyFen,
    selfPayFen: order.selfPayFen,
    paymentMethod: order.paymentMethod,
    rating: order.stars === null ? null : { stars: order.stars, comment: order.ratingComment },
    nextStep:
      (Object.keys(PROVIDER_STEPS) as ProviderStep[]).find((step) => PROVIDER_STEPS[step] === order.status) ?? null,
  }));
}

/** Moves one of this provider's orders one step on; any other transition is refused and changes nothing. */
export async function advanceOrder(
  deps: ServerDeps,
  staff: ProviderStaff,
  input: { orderId: string; to: ProviderStep },
) {
  const now = deps.now();
  const from = PROVIDER_STEPS[input.to];
  const changed = await deps.db.prisma.$transaction(async (tx) => {
    const order = await tx.careOrder.findFirst({
      where: { id: input.orderId, providerId: staff.providerId },
      select: orderMessageFields,
    });
    // Another provider's order is "not found": providers do not learn of each other's customers.
    if (!order) throw errors.notFound('Order');
    const moved = await tx.careOrder.updateMany({
      where: { id: order.id, providerId: staff.providerId, status: from },
      data: { status: input.to, updatedAt: now },
    });
    if (moved.count !== 1) {
      throw new AppError(
        'CONFLICT',
        'errors.eldercare.illegalTransition',
        `An order in status ${order.status} cannot move to ${input.to}.`,
        { from: order.status, to: input.to },
      );
    }
    await recordOrderChange(tx, order, input.to, providerActor(staff.staffId), now);
    // In the same transaction: the step and its record commit together.
    await appendAccessLog(
      tx,
      deps.audit,
      {
        residentId: order.residentId,
        staffId: staff.staffId,
        centerId: staff.centerId,
        authorizationId: null,
        basis: 'CARE_ORDER',
        action: `eldercare.provider.${input.to}`,
      },
      now,
    );
    return { id: order.id, residentId: order.residentId, status: input.to };
  });
  return { id: changed.id, status: changed.status };
}
