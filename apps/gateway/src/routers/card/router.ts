import { z } from 'zod';
import { AppError, errors } from '../../errors.js';
import {
  cardOfficeProcedure,
  counterStaffProcedure,
  residentDataProcedure,
  residentProcedure,
  router,
  signedInProcedure,
} from '../../trpc.js';
import { CARD_PICKUP_CENTERS, reportCardLoss, requestReplacement } from './card-actions.js';
import { contributionsForYear } from './contributions.js';
import { findCurrentCard } from './current-card.js';
import { issueQrToken } from './qr-token.js';
import { advanceReplacement } from './replacement-progress.js';
import { listBenefitPayments } from './benefits.js';
import { readCardSummary } from './card-summary.js';
import { listProductionQueue } from './office-queue.js';
import { verifyPresentedQr } from './verify-qr.js';
import { singleLineText } from '../../schemas.js';

const replacementStatus = z.enum(['SUBMITTED', 'IN_PRODUCTION', 'READY_FOR_PICKUP', 'COLLECTED']);

export const cardRouter = router({
  /** The e-card: holder, masked numbers, status, and the replacement in progress if any. */
  summary: residentDataProcedure('CARD', 'card.summary').query(({ ctx }) =>
    readCardSummary({ deps: ctx, residentId: ctx.subject.residentId }),
  ),

  /** A short-lived signed token for the e-card's QR code; only the resident's own device shows it. */
  qrToken: residentProcedure.query(async ({ ctx }) => {
    const card = await findCurrentCard(ctx.db.prisma, ctx.session.residentId);
    if (!card || card.status !== 'ACTIVE')
      throw new AppError('BAD_REQUEST', 'errors.cardNotActive', 'The card is not active.');
    return issueQrToken(ctx.protector, card.id, ctx.now());
  }),

  /** Counter staff check a QR code the resident shows them. Showing it is the resident's consent to this one check. */
  verifyQr: counterStaffProcedure
    .input(z.object({ token: singleLineText({ min: 1, max: 400, message: 'validation.qrToken' }) }))
    .mutation(({ ctx, input }) =>
      verifyPresentedQr({
        deps: ctx,
        token: input.token,
        staff: { staffId: ctx.session.staffId, centerId: ctx.session.centerId },
      }),
    ),

  contributions: residentDataProcedure('CARD', 'card.contributions')
    .input(
      z.object({
        year: z
          .number()
          .int()
          .min(1990, { error: 'validation.year' })
          .max(2100, { error: 'validation.year' })
          .optional(),
      }),
    )
    .query(({ ctx, input }) => contributionsForYear(ctx, ctx.subject.residentId, input.year)),

  benefits: residentDataProcedure('CARD', 'card.benefits')
    .input(
      z.object({
        before: z
          .string()
          .regex(/^\d{1,19}$/, { error: 'validation.cursor' })
          .optional(),
      }),
    )
    .query(({ ctx, input }) =>
      listBenefitPayments({ deps: ctx, residentId: ctx.subject.residentId, before: input.before }),
    ),

  reportLoss: residentDataProcedure('CARD', 'card.reportLoss').mutation(({ ctx }) => reportCardLoss(ctx, ctx.subject)),

  requestReplacement: residentDataProcedure('CARD', 'card.requestReplacement')
    .input(
      z.object({
        requestKey: z.uuid({ error: 'validation.requestKey' }),
        reason: z.enum(['LOST', 'DAMAGED'], { error: 'validation.reason' }),
        pickupCenterCode: z
          .string({ error: 'validation.center' })
          .regex(/^[A-Z0-9]{1,20}$/, { error: 'validation.center' }),
      }),
    )
    .mutation(({ ctx, input }) => requestReplacement(ctx, ctx.subject, input)),

  /** At the counter, staff hand over a ready card to the resident in front of them. */
  confirmPickup: residentDataProcedure('CARD', 'card.confirmPickup')
    .input(z.object({ replacementId: z.uuid() }))
    .mutation(({ ctx, input }) => {
      if (ctx.subject.actor.kind !== 'STAFF') throw errors.forbidden();
      return advanceReplacement(ctx, {
        replacementId: input.replacementId,
        residentId: ctx.subject.residentId,
        from: 'READY_FOR_PICKUP',
        actor: { staffId: ctx.subject.actor.staffId, authorizationId: ctx.subject.actor.authorizationId },
      });
    }),

  /** Service centers where a new card can be picked up (public facts, no personal data). */
  pickupCenters: signedInProcedure.query(({ ctx }) =>
    ctx.db.prisma.serviceCenter.findMany({
      where: CARD_PICKUP_CENTERS,
      orderBy: { code: 'asc' },
      select: { code: true, name: true, areaCode: true, address: true },
    }),
  ),

  office: router({
    /** The card office's production queue: replacements not yet ready, oldest first. No personal data beyond the masked ID. */
    queue: cardOfficeProcedure.query(({ ctx }) => listProductionQueue({ deps: ctx })),

    advance: cardOfficeProcedure
      .input(z.object({ replacementId: z.uuid(), from: replacementStatus.extract(['SUBMITTED', 'IN_PRODUCTION']) }))
      .mutation(({ ctx, input }) =>
        advanceReplacement(ctx, {
          replacementId: input.replacementId,
          from: input.from,
          actor: { staffId: ctx.session.staffId, authorizationId: null },
        }),
      ),
  }),
});
