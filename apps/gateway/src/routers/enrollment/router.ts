import { z } from 'zod';
import { hasControlCharacters, multiLineText } from '../../schemas.js';
import { enrollmentReviewerProcedure, residentDataProcedure, router, subjectInput } from '../../trpc.js';
import {
  allocationOverview,
  allocationRound,
  commitAllocation,
  familyLottery,
  familyLotteryList,
  openAllocationRound,
  previewAllocation,
} from './allocation.js';
import {
  answerOffer,
  familyApplication,
  respondToRequest,
  savePreferences,
  startApplication,
  submitApplication,
} from './applications.js';
import { MAX_DOCUMENT_BYTES, readDocument, removeDocument, uploadDocument } from './documents.js';
import { guardedApplicationId } from './family.js';
import { enrollmentOverview } from './overview.js';
import {
  decideApplication,
  enrollmentStats,
  logReviewerLook,
  reviewApplication,
  reviewQueue,
  reviewSchools,
} from './review.js';

/**
 * 子女入学: parents apply for primary (grade 1) and junior-middle (grade 7)
 * places; the education bureau reviews and allocates. Family procedures
 * work for the resident or for counter staff under an ENROLLMENT-scoped
 * authorization (written to the access log); reviewer procedures need the
 * ENROLLMENT_REVIEWER role.
 */

const level = z.enum(['PRIMARY', 'JUNIOR'], { error: 'validation.enrollment.level' });
const status = z.enum(
  [
    'DRAFT',
    'SUBMITTED',
    'UNDER_REVIEW',
    'NEEDS_DOCUMENTS',
    'APPROVED',
    'REJECTED',
    'OFFERED',
    'ACCEPTED',
    'DECLINED',
    'MANUAL_PLACEMENT',
  ],
  {
    error: 'validation.enrollment.status',
  },
);
const category = z.enum(['HUKOU_AND_HOME', 'HUKOU_ONLY', 'MIGRANT'], { error: 'validation.enrollment.category' });
const documentKind = z.enum(['RENTAL_CONTRACT', 'GUARDIANSHIP', 'OTHER'], {
  error: 'validation.enrollment.documentKind',
});
const applicationId = z.uuid({ error: 'validation.enrollment.applicationId' });
const documentId = z.uuid({ error: 'validation.enrollment.documentId' });
const schoolId = z.uuid({ error: 'validation.enrollment.schoolId' });
const year = z
  .number({ error: 'validation.enrollment.year' })
  .int({ error: 'validation.enrollment.year' })
  .min(2000, { error: 'validation.enrollment.year' })
  .max(2100, { error: 'validation.enrollment.year' });
const round = z
  .number({ error: 'validation.enrollment.round' })
  .int({ error: 'validation.enrollment.round' })
  .min(1, { error: 'validation.enrollment.round' })
  .max(10, { error: 'validation.enrollment.round' });
const runId = z.uuid({ error: 'validation.enrollment.runId' });
const dryRunId = z.uuid({ error: 'validation.enrollment.dryRunId' });
const message = multiLineText({ max: 500, message: 'validation.enrollment.message' });

/** A plain file name: no folders, no control characters. */
const fileName = z
  .string({ error: 'validation.enrollment.fileName' })
  .trim()
  .min(1, { error: 'validation.enrollment.fileName' })
  .max(200, { error: 'validation.enrollment.fileName' })
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  .regex(/^[^/\\\u0000-\u001f]+$/, { error: 'validation.enrollment.fileName' })
  .refine((value) => !hasControlCharacters(value), { error: 'validation.controlCharacters' });

/** base64 of at most 5 MB; a little slack so that a file just over the limit gets the exact size message from the check. */
const contentBase64 = z
  .string({ error: 'validation.enrollment.fileContent' })
  .min(1, { error: 'validation.enrollment.fileContent' })
  .max(Math.ceil((MAX_DOCUMENT_BYTES * 1.1) / 3) * 4, { error: 'validation.enrollment.fileTooLarge' })
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'validation.enrollment.fileContent' });

const applicationInput = z.object({ applicationId });

/**
 * A family input that refuses any key it does not name (with the subject's
 * authorizationId and delegationId, which residentDataProcedure reads).
 */
function strictFamilyInput<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.strictObject({ ...subjectInput.shape, ...shape });
}

function familyProcedure(auditAction: string) {
  return residentDataProcedure('ENROLLMENT', auditAction);
}

const applicationRouter = router({
  /** Creates the draft for a child and the current window, or returns the one the child has. */
  start: familyProcedure('enrollment.start')
    .input(z.object({ childId: z.uuid({ error: 'validation.enrollment.childId' }), level }))
    .mutation(({ ctx, input }) => startApplication(ctx, ctx.subject, input)),

  get: familyProcedure('enrollment.application')
    .input(applicationInput)
    .query(({ ctx, input }) => familyApplication(ctx, ctx.subject, input.applicationId)),

  savePreferences: familyProcedure('enrollment.preferences')
    .input(
      z.object({
        applicationId,
        schoolIds: z
          .array(schoolId, { error: 'validation.enrollment.schoolIds' })
          .min(1, { error: 'validation.enrollment.schoolIds' })
          .max(3, { error: 'validation.enrollment.schoolIds' })
          .refine((ids) => new Set(ids).size === ids.length, { error: 'validation.enrollment.schoolsDistinct' }),
      }),
    )
    .mutation(({ ctx, input }) => savePreferences(ctx, ctx.subject, input)),

  submit: familyProcedure('enrollment.submit')
    .input(z.object({ applicationId, requestKey: z.uuid({ error: 'validation.requestKey' }) }))
    .mutation(({ ctx, input }) => submitApplication(ctx, ctx.subject, input)),

  /** Back to review after a request for documents (with the new document uploaded). */
  respond: familyProcedure('enrollment.respond')
    .input(z.object({ applicationId, note: message.optional() }))
    .mutation(({ ctx, input }) => respondToRequest(ctx, ctx.subject, input)),

  acceptOffer: familyProcedure('enrollment.acceptOffer')
    .input(applicationInput)
    .mutation(({ ctx, input }) => answerOffer(ctx, ctx.subject, input, true)),

  declineOffer: familyProcedure('enrollment.declineOffer')
    .input(applicationInput)
    .mutation(({ ctx, input }) => answerOffer(ctx, ctx.subject, input, false)),

  /** 摇号: the rounds this application was in, with the published commitment and, once committed, the seed and the family's lottery number. */
  lottery: familyProcedure('enrollment.lottery')
    .input(strictFamilyInput({ applicationId }))
    .query(({ ctx, input }) => familyLottery(ctx, ctx.subject, input.applicationId)),

  /** The published list of one committed round the application was in, to recompute the draw. */
  lotteryList: familyProcedure('enrollment.lottery')
    .input(strictFamilyInput({ applicationId, runId }))
    .query(({ ctx, input }) => familyLotteryList(ctx, ctx.subject, input)),
});

const documentsRouter = router({
  /** A PDF, JPEG or PNG of at most 5 MB, checked from its bytes, stored outside the web root. */
  upload: familyProcedure('enrollment.upload')
    .input(z.object({ applicationId, kind: documentKind, fileName, contentBase64 }))
    .mutation(({ ctx, input }) =>
      uploadDocument(ctx, ctx.subject, {
        applicationId: input.applicationId,
        kind: input.kind,
        fileName: input.fileName,
        content: Buffer.from(input.contentBase64, 'base64'),
      }),
    ),

  remove: familyProcedure('enrollment.removeDocument')
    .input(z.object({ documentId }))
    .mutation(({ ctx, input }) => removeDocument(ctx, ctx.subject, input.documentId)),

  download: familyProcedure('enrollment.download')
    .input(z.object({ documentId }))
    .query(({ ctx, input }) =>
      readDocument(ctx, input.documentId, (id) => guardedApplicationId(ctx, ctx.subject.residentId, id)),
    ),
});

const reviewRouter = router({
  queue: enrollmentReviewerProcedure
    .input(
      z.object({
        // Reviewers never see drafts: the family has not sent them.
        status: status.exclude(['DRAFT'], { error: 'validation.enrollment.status' }).optional(),
        schoolId: schoolId.optional(),
        category: category.optional(),
        year: year.optional(),
        level: level.optional(),
        cursor: applicationId.optional(),
      }),
    )
    .query(({ ctx, input }) => reviewQueue(ctx, input)),

  schools: enrollmentReviewerProcedure.query(({ ctx }) => reviewSchools(ctx)),

  /** Each look is recorded; the first look at a submitted application starts its review. */
  application: enrollmentReviewerProcedure
    .input(applicationInput)
    .query(({ ctx, input }) => reviewApplication(ctx, ctx.session, input.applicationId)),

  /** A submitted application's document; the look goes into the parent's access log. */
  document: enrollmentReviewerProcedure.input(z.object({ documentId })).query(({ ctx, input }) =>
    readDocument(ctx, input.documentId, async (id) => {
      const application = await ctx.db.prisma.enrollmentApplication.findUnique({
        where: { id },
        select: { status: true, applicantId: true },
      });
      if (!application || application.status === 'DRAFT') throw new Error('not submitted');
      await ctx.db.prisma.$transaction((tx) =>
        logReviewerLook(tx, ctx, ctx.session, application.applicantId, 'enrollment.reviewDocument'),
      );
    }),
  ),

  decide: enrollmentReviewerProcedure
    .input(
      z
        .object({
          applicationId,
          version: z
            .number({ error: 'validation.enrollment.version' })
            .int({ error: 'validation.enrollment.version' })
            .min(1, { error: 'validation.enrollment.version' }),
          decision: z.enum(['APPROVE', 'REJECT', 'REQUEST_DOCUMENTS'], { error: 'validation.enrollment.decision' }),
          message: message.optional(),
        })
        .superRefine((value, issue) => {
          if (value.decision !== 'APPROVE' && !value.message)
            issue.addIssue({ code: 'custom', path: ['message'], message: 'validation.enrollment.reasonRequired' });
        }),
    )
    .mutation(({ ctx, input }) => decideApplication(ctx, ctx.session.staffId, input)),

  stats: enrollmentReviewerProcedure
    .input(z.object({ year: year.optional() }).optional())
    .query(({ ctx, input }) => enrollmentStats(ctx, input?.year)),
});

/**
 * Allocation inputs are strict: an unknown key (a seed, say) is refused, not
 * ignored. Only the system draws a round's seed.
 */
const roundInput = z.strictObject({ schoolId, round, year: year.optional() });

const allocationRouter = router({
  overview: enrollmentReviewerProcedure
    .input(z.strictObject({ year: year.optional() }).optional())
    .query(({ ctx, input }) => allocationOverview(ctx, { year: input?.year })),

  /** One round: not open yet, open with its published commitment and dry runs, or committed with the revealed seed. */
  round: enrollmentReviewerProcedure.input(roundInput).query(({ ctx, input }) => allocationRound(ctx, input)),

  /** 公示摇号种子: the first opening of a round draws its seed and publishes the SHA-256; later ones return the same. */
  openRound: enrollmentReviewerProcedure
    .input(roundInput)
    .mutation(({ ctx, input }) => openAllocationRound(ctx, ctx.session.staffId, input)),

  /** A dry run with the round's own seed: recorded, and changes nothing else. */
  preview: enrollmentReviewerProcedure
    .input(roundInput)
    .mutation(({ ctx, input }) => previewAllocation(ctx, ctx.session.staffId, input)),

  /** Commits the outcome of the named dry run, revealing the seed. */
  commit: enrollmentReviewerProcedure
    .input(z.strictObject({ schoolId, round, dryRunId, year: year.optional() }))
    .mutation(({ ctx, input }) => commitAllocation(ctx, ctx.session.staffId, input)),
});

export const enrollmentRouter = router({
  /** Windows, the household's children with eligibility, and the family's applications. */
  overview: familyProcedure('enrollment.overview').query(({ ctx }) => enrollmentOverview(ctx, ctx.subject)),
  application: applicationRouter,
  documents: documentsRouter,
  review: reviewRouter,
  allocation: allocationRouter,
});
