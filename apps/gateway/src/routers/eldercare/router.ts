import { z } from 'zod';
import { careAssessorProcedure, careProviderProcedure, residentDataProcedure, router } from '../../trpc.js';
import { abilityAdjustmentsSchema, abilityScoresSchema } from './ability-assessment.js';
import { assessmentScale, assessorQueue, assessorSubject, recordAssessment, requestAssessment } from './assessments.js';
import { bookService } from './booking.js';
import { careProfile, careProfileInput, updateCareProfile } from './care-profile.js';
import { careCatalogue } from './catalogue.js';
import { cancelOrder, rateOrder, residentOrders } from './orders.js';
import { advanceOrder, providerOrders } from './provider-orders.js';
import { multiLineText } from '../../schemas.js';

const serviceKindSchema = z.enum(['MEAL', 'CLEANING', 'BATHING', 'MEDICAL_ESCORT', 'HOME_VISIT', 'EMERGENCY_CALL'], {
  error: 'validation.eldercare.kind',
});
const orderStatusSchema = z.enum(['BOOKED', 'CONFIRMED', 'IN_SERVICE', 'COMPLETED', 'CANCELLED'], {
  error: 'validation.eldercare.status',
});
const orderIdInput = z.object({ orderId: z.uuid({ error: 'validation.eldercare.orderId' }) });
const requestIdInput = z.object({ requestId: z.uuid({ error: 'validation.eldercare.requestId' }) });

/**
 * 居家养老: home-based elderly care. Resident-side procedures go through
 * residentDataProcedure('ELDERCARE'): the older resident, a family member
 * with a live delegation (delegationId), or counter staff with an ELDERCARE
 * authorization (authorizationId, logged). Assessors and provider staff have
 * their own procedures; a provider sees only its own orders.
 */
export const eldercareRouter = router({
  profile: residentDataProcedure('ELDERCARE', 'eldercare.profile').query(({ ctx }) => careProfile(ctx, ctx.subject)),

  updateProfile: residentDataProcedure('ELDERCARE', 'eldercare.updateProfile')
    .input(careProfileInput)
    .mutation(({ ctx, input }) => updateCareProfile(ctx, ctx.subject, input)),

  requestAssessment: residentDataProcedure('ELDERCARE', 'eldercare.requestAssessment').mutation(({ ctx }) =>
    requestAssessment(ctx, ctx.subject),
  ),

  catalogue: residentDataProcedure('ELDERCARE', 'eldercare.catalogue')
    .input(z.object({ kind: serviceKindSchema.optional() }))
    .query(({ ctx, input }) => careCatalogue(ctx, ctx.subject, input.kind)),

  book: residentDataProcedure('ELDERCARE', 'eldercare.book')
    .input(
      z.object({
        slotId: z.uuid({ error: 'validation.eldercare.slotId' }),
        requestKey: z.uuid({ error: 'validation.requestKey' }),
        note: multiLineText({ max: 200, message: 'validation.eldercare.note' }).optional(),
      }),
    )
    .mutation(({ ctx, input }) => bookService(ctx, ctx.subject, { ...input, note: input.note || undefined })),

  orders: residentDataProcedure('ELDERCARE', 'eldercare.orders')
    .input(z.object({ when: z.enum(['UPCOMING', 'PAST'], { error: 'validation.eldercare.when' }) }))
    .query(({ ctx, input }) => residentOrders(ctx, ctx.subject, input.when)),

  cancel: residentDataProcedure('ELDERCARE', 'eldercare.cancel')
    .input(orderIdInput)
    .mutation(({ ctx, input }) => cancelOrder(ctx, ctx.subject, input.orderId)),

  rate: residentDataProcedure('ELDERCARE', 'eldercare.rate')
    .input(
      orderIdInput.extend({
        stars: z
          .number({ error: 'validation.eldercare.stars' })
          .int({ error: 'validation.eldercare.stars' })
          .min(1, { error: 'validation.eldercare.stars' })
          .max(5, { error: 'validation.eldercare.stars' }),
        comment: multiLineText({ max: 300, message: 'validation.eldercare.comment' }).optional(),
      }),
    )
    .mutation(({ ctx, input }) => rateOrder(ctx, ctx.subject, { ...input, comment: input.comment || undefined })),

  assessor: router({
    /** The GB/T 42195-2022 scale: items, ranges and level cut-offs. */
    scale: careAssessorProcedure.query(() => assessmentScale()),
    queue: careAssessorProcedure.query(({ ctx }) => assessorQueue(ctx)),
    subject: careAssessorProcedure
      .input(requestIdInput)
      .query(({ ctx, input }) => assessorSubject(ctx, ctx.session, input.requestId)),
    record: careAssessorProcedure
      .input(
        requestIdInput.extend({
          scores: abilityScoresSchema,
          adjustments: abilityAdjustmentsSchema.default({
            coma: false,
            dementiaOrMentalDisorder: false,
            riskEvents30Days: 0,
          }),
        }),
      )
      .mutation(({ ctx, input }) => recordAssessment(ctx, ctx.session, input)),
  }),

  provider: router({
    orders: careProviderProcedure
      .input(
        z.object({
          date: z.iso.date({ error: 'validation.eldercare.date' }).optional(),
          status: orderStatusSchema.optional(),
        }),
      )
      .query(({ ctx, input }) =>
        providerOrders(
          ctx,
          { staffId: ctx.session.staffId, centerId: ctx.session.centerId, providerId: ctx.providerId },
          input,
        ),
      ),
    advance: careProviderProcedure
      .input(
        orderIdInput.extend({
          to: z.enum(['CONFIRMED', 'IN_SERVICE', 'COMPLETED'], { error: 'validation.eldercare.status' }),
        }),
      )
      .mutation(({ ctx, input }) =>
        advanceOrder(
          ctx,
          { staffId: ctx.session.staffId, centerId: ctx.session.centerId, providerId: ctx.providerId },
          input,
        ),
      ),
  }),
});
