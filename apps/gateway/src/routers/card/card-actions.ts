import { randomUUID } from 'node:crypto';
import type { ServerDeps } from '../../context.js';
import { AppError, errors } from '../../errors.js';
import type { Subject } from '../../trpc.js';
import { notifyResident } from '../messages/notify.js';
import { findCurrentCard } from './current-card.js';

/**
 * Where a new card can be picked up: the card service center and the community
 * service centers (codes SC…). Other workplaces in the same table, such as the
 * education bureau or a home-care provider's office, hand out no cards.
 */
export const CARD_PICKUP_CENTERS = { code: { startsWith: 'SC' } } as const;

/** Who did it: the resident, staff on the resident's behalf (代办), or a family member under a delegation (委托). */
function actorFields(subject: Subject) {
  switch (subject.actor.kind) {
    case 'STAFF':
      return { staffId: subject.actor.staffId, authorizationId: subject.actor.authorizationId, delegationId: null };
    case 'DELEGATE':
      return { staffId: null, authorizationId: null, delegationId: subject.actor.delegationId };
    case 'RESIDENT':
      return { staffId: null, authorizationId: null, delegationId: null };
  }
}

/** Reporting a loss takes effect at once. Reporting it again changes nothing. */
export async function reportCardLoss(deps: ServerDeps, subject: Subject) {
  const now = deps.now();
  return deps.db.prisma.$transaction(async (tx) => {
    const card = await findCurrentCard(tx, subject.residentId);
    if (!card) throw errors.notFound('Card');
    if (card.status === 'LOST') return { status: card.status, lostAt: card.lostAt, alreadyReported: true };
    const updated = await tx.socialSecurityCard.updateMany({
      where: { id: card.id, status: 'ACTIVE' },
      data: { status: 'LOST', lostAt: now },
    });
    if (updated.count === 1) {
      await tx.cardEvent.create({
        data: {
          id: randomUUID(),
          residentId: subject.residentId,
          cardId: card.id,
          kind: 'LOSS_REPORTED',
          createdAt: now,
          ...actorFields(subject),
        },
      });
      if (subject.actor.kind === 'STAFF') {
        // Done for the resident at a counter: they hear of it in their message center.
        const center = await tx.serviceCenter.findUniqueOrThrow({
          where: { id: subject.actor.centerId },
          select: { name: true },
        });
        await notifyResident(
          tx,
          {
            residentId: subject.residentId,
            topic: 'card.lossReportedForYou',
            params: { center: center.name },
            link: '/card',
          },
          now,
        );
      } else if (subject.actor.kind === 'DELEGATE') {
        // Done by a family member under a delegation: the resident hears who did it.
        const delegate = await tx.resident.findUniqueOrThrow({
          where: { id: subject.actor.delegateResidentId },
          select: { name: true },
        });
        await notifyResident(
          tx,
          {
            residentId: subject.residentId,
            topic: 'card.lossReportedByDelegate',
            params: { delegate: delegate.name },
            link: '/card',
          },
          now,
        );
      }
    }
    return { status: 'LOST' as const, lostAt: now, alreadyReported: updated.count === 0 };
  });
}

export interface ReplacementRequest {
  requestKey: string;
  reason: 'LOST' | 'DAMAGED';
  pickupCenterCode: string;
}

/** One open replacement at a time; the same request key submitted twice gives the same replacement. */
export async function requestReplacement(deps: ServerDeps, subject: Subject, request: ReplacementRequest) {
  const now = deps.now();
  return deps.db.prisma.$transaction(async (tx) => {
    const existing = await tx.cardReplacement.findUnique({ where: { requestKey: request.requestKey } });
    if (existing) {
      if (existing.residentId !== subject.residentId)
        throw errors.conflict('errors.requestKeyReused', 'Request key already used.');
      return { id: existing.id, status: existing.status, duplicate: true };
    }
    const card = await findCurrentCard(tx, subject.residentId);
    if (!card) throw errors.notFound('Card');
    if (request.reason === 'LOST' && card.status !== 'LOST') {
      throw new AppError(
        'BAD_REQUEST',
        'errors.reportLossFirst',
        'Report the card lost before asking for a replacement.',
      );
    }
    const open = await tx.cardReplacement.findFirst({
      where: { residentId: subject.residentId, status: { not: 'COLLECTED' } },
      select: { id: true },
    });
    if (open) throw errors.conflict('errors.replacementOpen', 'A replacement is already in progress.');
    const center = await tx.serviceCenter.findFirst({
      where: { AND: [{ code: request.pickupCenterCode }, CARD_PICKUP_CENTERS] },
      select: { id: true, name: true },
    });
    if (!center) throw new AppError('BAD_REQUEST', 'errors.unknownCenter', 'Unknown pickup center.');
    const replacement = await tx.cardReplacement.create({
      data: {
        id: randomUUID(),
        residentId: subject.residentId,
        oldCardId: card.id,
        reason: request.reason,
        status: 'SUBMITTED',
        pickupCenterId: center.id,
        requestKey: request.requestKey,
        createdAt: now,
        updatedAt: now,
      },
    });
    await tx.cardEvent.create({
      data: {
        id: randomUUID(),
        residentId: subject.residentId,
        cardId: card.id,
        kind: 'REPLACEMENT_SUBMITTED',
        createdAt: now,
        ...actorFields(subject),
      },
    });
    await notifyResident(
      tx,
      {
        residentId: subject.residentId,
        topic: 'card.replacement.SUBMITTED',
        params: { center: center.name },
        link: '/card/replacement',
      },
      now,
    );
    return { id: replacement.id, status: replacement.status, duplicate: false };
  });
}
