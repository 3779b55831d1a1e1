import { randomUUID } from 'node:crypto';
import type { ServerDeps } from '../../context.js';
import { AppError, errors } from '../../errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { CareOrderStatus } from '../../generated/prisma/enums.js';
import type { Subject } from '../../trpc.js';
import { chinaIsoDate } from '../../china-time.js';
import { actorOf, describeActors, notifyCareParties, type CareActor } from './care-actor.js';
import { appendLedgerEntry, lockSubsidyAccount } from './subsidy.js';

export const orderListFields = {
  id: true,
  status: true,
  priceFen: true,
  subsidyFen: true,
  selfPayFen: true,
  paymentMethod: true,
  note: true,
  createdAt: true,
  updatedAt: true,
  stars: true,
  ratingComment: true,
  ratedAt: true,
  slot: { select: { startsAt: true, endsAt: true, item: { select: { kind: true, name: true } } } },
  provider: { select: { name: true, hotline: true } },
  events: {
    orderBy: { createdAt: 'asc' },
    select: {
      status: true,
      createdAt: true,
      actorKind: true,
      actorResidentId: true,
      delegationId: true,
      actorStaffId: true,
      authorizationId: true,
    },
  },
} as const satisfies Prisma.CareOrderSelect;

const ORDERS_SHOWN = 50;

/**
 * The resident's orders, upcoming (not yet finished or cancelled, soonest
 * first) or past (newest first), each with its history: who did what, for whom.
 */
export async function residentOrders(deps: ServerDeps, subject: Subject, when: 'UPCOMING' | 'PAST') {
  const prisma = deps.db.prisma;
  const open: CareOrderStatus[] = ['BOOKED', 'CONFIRMED', 'IN_SERVICE'];
  const [resident, orders] = await Promise.all([
    prisma.resident.findUniqueOrThrow({ where: { id: subject.residentId }, select: { name: true } }),
    prisma.careOrder.findMany({
      where: { residentId: subject.residentId, status: when === 'UPCOMING' ? { in: open } : { notIn: open } },
      orderBy:
        when === 'UPCOMING'
          ? [{ slot: { startsAt: 'asc' } }, { id: 'asc' }]
          : [{ slot: { startsAt: 'desc' } }, { id: 'desc' }],
      take: ORDERS_SHOWN,
      select: orderListFields,
    }),
  ]);
  const describe = await describeActors(
    prisma,
    orders.flatMap((order) => order.events),
    resident.name,
  );
  return {
    residentName: resident.name,
    orders: orders.map((order) => ({
      id: order.id,
      status: order.status,
      kind: order.slot.item.kind,
      itemName: order.slot.item.name,
      provider: order.provider,
      startsAt: order.slot.startsAt,
      endsAt: order.slot.endsAt,
      priceFen: order.priceFen,
      subsidyFen: order.subsidyFen,
      selfPayFen: order.selfPayFen,
      paymentMethod: order.paymentMethod,
      note: order.note,
      createdAt: order.createdAt,
      rating:
        order.stars === null ? null : { stars: order.stars, comment: order.ratingComment, ratedAt: order.ratedAt },
      canCancel: order.status === 'BOOKED',
      canRate: order.status === 'COMPLETED' && order.stars === null,
      events: order.events.map((event) => ({ status: event.status, at: event.createdAt, actor: describe(event) })),
    })),
  };
}

type OrderForMessage = {
  id: string;
  residentId: string;
  slot: { startsAt: Date; item: { kind: string; name: string } };
  provider: { name: string };
  resident: { name: string };
};

export function orderMessageParams(order: OrderForMessage) {
  return {
    kind: order.slot.item.kind,
    item: order.slot.item.name,
    provider: order.provider.name,
    startsAt: order.slot.startsAt.toISOString(),
    date: chinaIsoDate(order.slot.startsAt),
    resident: order.resident.name,
  };
}

export const orderMessageFields = {
  id: true,
  residentId: true,
  status: true,
  subsidyFen: true,
  slotId: true,
  slot: { select: { startsAt: true, item: { select: { kind: true, name: true } } } },
  provider: { select: { name: true } },
  resident: { select: { name: true } },
} as const satisfies Prisma.CareOrderSelect;

/** Writes a status change with its event and messages; the order must have been moved by a conditional update already. */
export async function recordOrderChange(
  tx: Prisma.TransactionClient,
  order: OrderForMessage,
  status: CareOrderStatus,
  actor: CareActor,
  now: Date,
) {
  await tx.careOrderEvent.create({ data: { id: randomUUID(), orderId: order.id, status, createdAt: now, ...actor } });
  await notifyCareParties(
    tx,
    order.residentId,
    actor,
    { topic: `eldercare.order.${status}`, params: orderMessageParams(order), link: '/eldercare/orders' },
    now,
  );
}

/**
 * Cancelling is possible only while the order is BOOKED (before the provider
 * confirms). The slot's place is freed and the subsidy paid is refunded to
 * the ledger, in the same transaction.
 */
export async function cancelOrder(deps: ServerDeps, subject: Subject, orderId: string) {
  const now = deps.now();
  const actor = actorOf(subject);
  return deps.db.prisma.$transaction(async (tx) => {
    const order = await tx.careOrder.findFirst({
      where: { id: orderId, residentId: subject.residentId },
      select: orderMessageFields,
    });
    if (!order) throw errors.notFound('Order');
    // The account before the slot, in the same order as booking takes them, so the two never deadlock.
    let balanceFen = await lockSubsidyAccount(tx, subject.residentId, now);
    const moved = await tx.careOrder.updateMany({
      where: { id: order.id, status: 'BOOKED' },
      data: { status: 'CANCELLED', updatedAt: now },
    });
    if (moved.count !== 1)
      throw new AppError(
        'CONFLICT',
        'errors.eldercare.cannotCancel',
        'Only an order the provider has not confirmed yet can be cancelled.',
      );
    await tx.$executeRaw`UPDATE "CareSlot" SET "booked" = "booked" - 1 WHERE "id" = ${order.slotId}::uuid AND "booked" > 0`;
    if (order.subsidyFen > 0) {
      balanceFen = await appendLedgerEntry(
        tx,
        balanceFen,
        {
          residentId: subject.residentId,
          kind: 'ORDER_REFUND',
          amountFen: order.subsidyFen,
          orderId: order.id,
          actorKind: actor.actorKind,
          actorResidentId: actor.actorResidentId,
          actorStaffId: actor.actorStaffId,
        },
        now,
      );
    }
    await recordOrderChange(tx, order, 'CANCELLED', actor, now);
    return { id: order.id, status: 'CANCELLED' as const, refundedFen: order.subsidyFen, balanceFen };
  });
}

/** One rating per completed order. */
export async function rateOrder(
  deps: ServerDeps,
  subject: Subject,
  input: { orderId: string; stars: number; comment?: string | undefined },
) {
  const now = deps.now();
  const order = await deps.db.prisma.careOrder.findFirst({
    where: { id: input.orderId, residentId: subject.residentId },
    select: { id: true, status: true, stars: true },
  });
  if (!order) throw errors.notFound('Order');
  if (order.status !== 'COMPLETED')
    throw new AppError('CONFLICT', 'errors.eldercare.rateAfterCompletion', 'Only a completed service can be rated.');
  const rated = await deps.db.prisma.careOrder.updateMany({
    where: { id: order.id, status: 'COMPLETED', stars: null },
    data: { stars: input.stars, ratingComment: input.comment ?? null, ratedAt: now },
  });
  if (rated.count !== 1)
    throw new AppError('CONFLICT', 'errors.eldercare.alreadyRated', 'This service has already been rated.');
  return { id: order.id, stars: input.stars, comment: input.comment ?? null, ratedAt: now };
}
