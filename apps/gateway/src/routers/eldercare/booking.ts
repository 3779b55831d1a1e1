import { randomUUID } from 'node:crypto';
import type { ServerDeps } from '../../context.js';
import { AppError, errors } from '../../errors.js';
import { isUniqueViolation } from '../../db/unique-violation.js';
import type { Subject } from '../../trpc.js';
import { chinaIsoDate } from '../../china-time.js';
import { actorOf, notifyCareParties } from './care-actor.js';
import { requireEligibleResident } from './care-profile.js';
import { BOOKING_HORIZON_DAYS, BOOKING_LEAD_MS, splitPrice } from './catalogue.js';
import { appendLedgerEntry, creditMonthlyAllowance } from './subsidy.js';

export interface BookingRequest {
  slotId: string;
  requestKey: string;
  note?: string | undefined;
}

function orderSummary(
  order: {
    id: string;
    status: string;
    priceFen: number;
    subsidyFen: number;
    selfPayFen: number;
    paymentMethod: string;
    createdAt: Date;
  },
  duplicate: boolean,
) {
  return {
    id: order.id,
    status: order.status as 'BOOKED' | 'CONFIRMED' | 'IN_SERVICE' | 'COMPLETED' | 'CANCELLED',
    priceFen: order.priceFen,
    subsidyFen: order.subsidyFen,
    selfPayFen: order.selfPayFen,
    paymentMethod: order.paymentMethod as 'NONE' | 'CASH' | 'SOCIAL_SECURITY_CARD',
    createdAt: order.createdAt,
    duplicate,
  };
}

const orderFields = {
  id: true,
  residentId: true,
  status: true,
  priceFen: true,
  subsidyFen: true,
  selfPayFen: true,
  paymentMethod: true,
  createdAt: true,
} as const;

/**
 * Books one place in a slot. In one transaction: the subsidy account is locked
 * and checked against its ledger, the price is split into subsidy and
 * self-pay, the slot takes one more booking only if it still has room (a
 * conditional update: of two families racing for the last place, exactly one
 * wins), and the order, its first event, the ledger debit and the messages
 * are written. Any refusal leaves nothing behind; the same request key
 * returns the first order.
 */
export async function bookService(deps: ServerDeps, subject: Subject, request: BookingRequest) {
  const resident = await requireEligibleResident(deps, subject.residentId);
  const now = deps.now();
  const actor = actorOf(subject);
  try {
    return await deps.db.prisma.$transaction(async (tx) => {
      const existing = await tx.careOrder.findUnique({
        where: { requestKey: request.requestKey },
        select: orderFields,
      });
      if (existing) {
        if (existing.residentId !== resident.id)
          throw errors.conflict('errors.requestKeyReused', 'Request key already used.');
        return orderSummary(existing, true);
      }
      const slot = await tx.careSlot.findUnique({
        where: { id: request.slotId },
        select: {
          id: true,
          startsAt: true,
          item: {
            select: {
              kind: true,
              name: true,
              priceFen: true,
              subsidyCapFen: true,
              provider: { select: { id: true, name: true, areaCode: true } },
            },
          },
        },
      });
      if (!slot || slot.item.provider.areaCode !== resident.areaCode) throw errors.notFound('Slot');
      if (
        slot.startsAt.getTime() <= now.getTime() + BOOKING_LEAD_MS ||
        slot.startsAt.getTime() > now.getTime() + BOOKING_HORIZON_DAYS * 86_400_000
      ) {
        throw new AppError('BAD_REQUEST', 'errors.eldercare.slotNotBookable', 'This time can no longer be booked.');
      }
      const balanceFen = await creditMonthlyAllowance(tx, resident.id, now);
      const profile = await tx.careProfile.findUnique({
        where: { residentId: resident.id },
        select: { paymentMethod: true },
      });
      const paymentMethod = profile?.paymentMethod ?? 'NONE';
      const { subsidyFen, selfPayFen } = splitPrice(slot.item.priceFen, slot.item.subsidyCapFen, balanceFen);
      if (selfPayFen > 0 && paymentMethod === 'NONE') {
        throw new AppError(
          'BAD_REQUEST',
          'errors.eldercare.paymentMethodRequired',
          'The subsidy does not cover this service and no payment method is set.',
          { selfPayFen },
        );
      }
      const taken =
        await tx.$executeRaw`UPDATE "CareSlot" SET "booked" = "booked" + 1 WHERE "id" = ${slot.id}::uuid AND "booked" < "capacity"`;
      if (taken !== 1)
        throw errors.conflict('errors.eldercare.slotTaken', 'This time has just been booked by someone else.');
      const order = await tx.careOrder.create({
        data: {
          id: randomUUID(),
          residentId: resident.id,
          slotId: slot.id,
          providerId: slot.item.provider.id,
          status: 'BOOKED',
          priceFen: slot.item.priceFen,
          subsidyFen,
          selfPayFen,
          paymentMethod,
          note: request.note ?? null,
          requestKey: request.requestKey,
          createdAt: now,
          updatedAt: now,
        },
        select: orderFields,
      });
      await tx.careOrderEvent.create({
        data: { id: randomUUID(), orderId: order.id, status: 'BOOKED', createdAt: now, ...actor },
      });
      if (subsidyFen > 0) {
        await appendLedgerEntry(
          tx,
          balanceFen,
          {
            residentId: resident.id,
            kind: 'ORDER_PAYMENT',
            amountFen: -subsidyFen,
            orderId: order.id,
            actorKind: actor.actorKind,
            actorResidentId: actor.actorResidentId,
            actorStaffId: actor.actorStaffId,
          },
          now,
        );
      }
      await notifyCareParties(
        tx,
        resident.id,
        actor,
        {
          topic: 'eldercare.order.BOOKED',
          params: {
            kind: slot.item.kind,
            item: slot.item.name,
            provider: slot.item.provider.name,
            startsAt: slot.startsAt.toISOString(),
            date: chinaIsoDate(slot.startsAt),
            resident: resident.name,
          },
          link: '/eldercare/orders',
        },
        now,
      );
      return orderSummary(order, false);
    });
  } catch (error) {
    // Two submissions of one request key at once: the loser of the unique index returns the winner's order.
    if (isUniqueViolation(error)) {
      const existing = await deps.db.prisma.careOrder.findUnique({
        where: { requestKey: request.requestKey },
        select: orderFields,
      });
      if (existing && existing.residentId === resident.id) return orderSummary(existing, true);
    }
    throw error;
  }
}
