import { z } from 'zod';
import { recordAccess } from '../../access-log/record.js';
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
import { checkQrToken, issueQrToken } from './qr-token.js';
import { advanceReplacement } from './replacement-progress.js';
import { singleLineText } from '../../schemas.js';

const replacementStatus = z.enum(['SUBMITTED', 'IN_PRODUCTION', 'READY_FOR_PICKUP', 'COLLECTED']);

export const cardRouter = router({
  /** The e-card: holder, masked numbers, status, and the replacement in progress if any. */
  summary: residentDataProcedure('CARD', 'card.summary').query(async ({ ctx }) => {
    const residentId = ctx.subject.residentId;
    const [resident, card, replacement, events] = await Promise.all([
      ctx.db.prisma.resident.findUniqueOrThrow({
        where: { id: residentId },
        select: { name: true, idNumberMask: true },
      }),
      findCurrentCard(ctx.db.prisma, residentId),
      ctx.db.prisma.cardReplacement.findFirst({
        where: { residentId },
        orderBy: { createdAt: 'desc' },
        select: {
          id: true,
          status: true,
          reason: true,
          createdAt: true,
          updatedAt: true,
          pickupCenter: { select: { name: true, address: true } },
        },
      }),
      ctx.db.prisma.cardEvent.findMany({
        where: { residentId },
        orderBy: { createdAt: 'desc' },
        take: 10,
        select: {
          id: true,
          kind: true,
          createdAt: true,
          staff: { select: { name: true, center: { select: { name: true } } } },
        },
      }),
    ]);
    return {
      holderName: resident.name,
      maskedIdNumber: resident.idNumberMask,
      card: card && {
        maskedCardNumber: card.cardNumberMask,
        bank: card.bank,
        issuedAt: card.issuedAt.toISOString().slice(0, 10),
        status: card.status,
        lostAt: card.lostAt,
      },
      replacement,
      events: events.map((event) => ({
        id: event.id,
        kind: event.kind,
        createdAt: event.createdAt,
        onBehalfBy: event.staff ? { staffName: event.staff.name, centerName: event.staff.center.name } : null,
      })),
    };
  }),

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
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      const check = checkQrToken(ctx.protector, input.token, now);
      if (!check.ok) return { valid: false as const, reason: check.reason };
      const card = await ctx.db.prisma.socialSecurityCard.findUnique({
        where: { id: check.cardId },
        select: {
          status: true,
          cardNumberMask: true,
          residentId: true,
          resident: { select: { name: true, idNumberMask: true } },
        },
      });
      if (!card) return { valid: false as const, reason: 'signature' as const };
      await recordAccess(ctx, {
        residentId: card.residentId,
        staffId: ctx.session.staffId,
        centerId: ctx.session.centerId,
        authorizationId: null,
        basis: 'QR_PRESENTED',
        action: 'card.verifyQr',
      });
      return {
        valid: true as const,
        holderName: card.resident.name,
        maskedIdNumber: card.resident.idNumberMask,
        maskedCardNumber: card.cardNumberMask,
        status: card.status,
      };
    }),

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
    .query(async ({ ctx, input }) => {
      const take = 24;
      const rows = await ctx.db.prisma.benefitPayment.findMany({
        where: { residentId: ctx.subject.residentId, ...(input.before ? { id: { lt: BigInt(input.before) } } : {}) },
        orderBy: [{ month: 'desc' }, { id: 'desc' }],
        take: take + 1,
      });
      const page = rows.slice(0, take);
      return {
        payments: page.map((row) => ({
          id: row.id.toString(),
          kind: row.kind,
          month: row.month.toISOString().slice(0, 7),
          amountFen: row.amountFen,
          payer: row.payer,
        })),
        nextBefore: rows.length > take ? page[page.length - 1]!.id.toString() : null,
      };
    }),

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
    queue: cardOfficeProcedure.query(async ({ ctx }) => {
      const rows = await ctx.db.prisma.cardReplacement.findMany({
        where: { status: { in: ['SUBMITTED', 'IN_PRODUCTION'] } },
        orderBy: { createdAt: 'asc' },
        take: 100,
        select: {
          id: true,
          status: true,
          reason: true,
          createdAt: true,
          resident: { select: { idNumberMask: true } },
          pickupCenter: { select: { name: true } },
        },
      });
      return rows.map((row) => ({
        id: row.id,
        status: row.status,
        reason: row.reason,
        createdAt: row.createdAt,
        maskedIdNumber: row.resident.idNumberMask,
        pickupCenterName: row.pickupCenter.name,
      }));
    }),

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
