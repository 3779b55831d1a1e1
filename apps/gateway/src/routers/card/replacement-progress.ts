import { randomInt, randomUUID } from 'node:crypto';
import { maskCardNumber } from '@portal/identity';
import type { ServerDeps } from '../../context.js';
import { AppError, errors } from '../../errors.js';
import type { CardEventKind, ReplacementStatus } from '../../generated/prisma/enums.js';
import { notifyResident } from '../messages/notify.js';

/** The only moves a replacement makes, in order. */
const NEXT: Record<ReplacementStatus, ReplacementStatus | null> = {
  SUBMITTED: 'IN_PRODUCTION',
  IN_PRODUCTION: 'READY_FOR_PICKUP',
  READY_FOR_PICKUP: 'COLLECTED',
  COLLECTED: null,
};

const EVENT: Record<ReplacementStatus, CardEventKind> = {
  SUBMITTED: 'REPLACEMENT_SUBMITTED',
  IN_PRODUCTION: 'REPLACEMENT_IN_PRODUCTION',
  READY_FOR_PICKUP: 'REPLACEMENT_READY',
  COLLECTED: 'REPLACEMENT_COLLECTED',
};

export interface ProgressActor {
  staffId: string;
  authorizationId: string | null;
}

/**
 * Moves a replacement one step. `from` is the status the caller saw, so two
 * clerks pressing at once move it once. On collection the new card becomes
 * the resident's card and the old one is marked replaced.
 */
export async function advanceReplacement(
  deps: ServerDeps,
  options: { replacementId: string; from: ReplacementStatus; residentId?: string; actor: ProgressActor },
) {
  const to = NEXT[options.from];
  if (!to) throw new AppError('BAD_REQUEST', 'errors.replacementDone', 'This replacement is complete.');
  const now = deps.now();
  return deps.db.prisma.$transaction(async (tx) => {
    const replacement = await tx.cardReplacement.findFirst({
      where: { id: options.replacementId, ...(options.residentId ? { residentId: options.residentId } : {}) },
      include: { pickupCenter: { select: { name: true, address: true } } },
    });
    if (!replacement) throw errors.notFound('Replacement');
    const moved = await tx.cardReplacement.updateMany({
      where: { id: replacement.id, status: options.from },
      data: { status: to, updatedAt: now },
    });
    if (moved.count !== 1)
      throw errors.conflict('errors.replacementChanged', 'The replacement changed meanwhile; reload.');
    let cardId = replacement.oldCardId;
    if (to === 'COLLECTED') {
      const old = await tx.socialSecurityCard.findUniqueOrThrow({
        where: { id: replacement.oldCardId },
        select: { bank: true },
      });
      const cardNumber = `S${randomInt(10_000_000, 100_000_000)}`;
      const created = await tx.socialSecurityCard.create({
        data: {
          id: randomUUID(),
          residentId: replacement.residentId,
          cardNumberEnc: deps.protector.encrypt(cardNumber, 'cardNumber'),
          cardNumberMask: maskCardNumber(cardNumber),
          bank: old.bank,
          issuedAt: now,
          status: 'ACTIVE',
        },
      });
      await tx.socialSecurityCard.update({ where: { id: replacement.oldCardId }, data: { status: 'REPLACED' } });
      await tx.cardReplacement.update({ where: { id: replacement.id }, data: { newCardId: created.id } });
      cardId = created.id;
    }
    await tx.cardEvent.create({
      data: {
        id: randomUUID(),
        residentId: replacement.residentId,
        cardId,
        kind: EVENT[to],
        staffId: options.actor.staffId,
        authorizationId: options.actor.authorizationId,
        createdAt: now,
      },
    });
    await notifyResident(
      tx,
      {
        residentId: replacement.residentId,
        topic: `card.replacement.${to}`,
        params: { center: replacement.pickupCenter.name, address: replacement.pickupCenter.address },
        link: to === 'COLLECTED' ? '/card' : '/card/replacement',
      },
      now,
    );
    return { id: replacement.id, status: to };
  });
}
