import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import { z } from 'zod';
import { appendAccessLog } from './access-log/chain.js';
import { STAFF_ACTION_TRANSACTION, inTransaction } from './access-log/record.js';
import { findLiveAuthorization } from './routers/assist/authorizations.js';
import { findLiveDelegation } from './routers/delegation/live-delegation.js';
import type { Context } from './context.js';
import { isDatabaseUnavailable, serviceUnavailableShape } from './db/outage.js';
import { AppError, errors } from './errors.js';
import type { Service } from './generated/prisma/enums.js';

const t = initTRPC.context<Context>().create({
  // Dates and bigints keep their types on the way to the browser.
  transformer: superjson,
  errorFormatter({ shape, error }) {
    if (isDatabaseUnavailable(error)) return serviceUnavailableShape(shape);
    const cause = error.cause;
    let messageKey = 'errors.unexpected';
    let params: Record<string, string | number> | undefined;
    let fieldErrors: Record<string, string> | undefined;
    if (error instanceof AppError) {
      messageKey = error.messageKey;
      params = error.params;
    } else if (cause instanceof z.ZodError) {
      messageKey = 'errors.invalidInput';
      fieldErrors = {};
      for (const issue of cause.issues) {
        // A strict input names each key it does not take (e.g. a lottery seed nobody may choose).
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) fieldErrors[[...issue.path, key].join('.')] ??= 'validation.unknownField';
          continue;
        }
        const field = issue.path.join('.') || '_';
        // Schemas give message keys (validation.*); zod's own English messages fall back to a generic key.
        fieldErrors[field] ??= issue.message.startsWith('validation.') ? issue.message : 'validation.invalid';
      }
    } else if (error.code === 'NOT_FOUND') {
      messageKey = 'errors.notFound';
    } else if (error.code === 'TOO_MANY_REQUESTS') {
      messageKey = 'errors.tooManyRequests';
    }
    const safeMessage =
      error.code === 'INTERNAL_SERVER_ERROR'
        ? 'Internal error'
        : cause instanceof z.ZodError
          ? 'Invalid input'
          : shape.message;
    return {
      ...shape,
      message: safeMessage,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, messageKey, params, fieldErrors },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every call must carry the portal header: with the SameSite=Strict cookie this stops cross-site forgery. */
const requirePortalHeader = t.middleware(({ ctx, next }) => {
  if (!ctx.request.hasPortalHeader) throw errors.csrf();
  return next();
});

export const publicProcedure = t.procedure.use(requirePortalHeader);

export const signedInProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw errors.signInRequired();
  return next({ ctx: { session: ctx.session } });
});

export const residentProcedure = signedInProcedure.use(({ ctx, next }) => {
  if (ctx.session.kind !== 'RESIDENT') throw errors.forbidden();
  return next({ ctx: { session: ctx.session } });
});

export const staffProcedure = signedInProcedure.use(({ ctx, next }) => {
  if (ctx.session.kind !== 'STAFF') throw errors.forbidden();
  return next({ ctx: { session: ctx.session } });
});

export const counterStaffProcedure = staffProcedure.use(({ ctx, next }) => {
  if (ctx.session.role !== 'COUNTER') throw errors.forbidden();
  return next({ ctx: { session: ctx.session } });
});

export const cardOfficeProcedure = staffProcedure.use(({ ctx, next }) => {
  if (ctx.session.role !== 'CARD_OFFICE') throw errors.forbidden();
  return next({ ctx: { session: ctx.session } });
});

/** Education bureau reviewers (教育局审核员): the enrollment queue, decisions and allocation. */
export const enrollmentReviewerProcedure = staffProcedure.use(({ ctx, next }) => {
  if (ctx.session.role !== 'ENROLLMENT_REVIEWER') throw errors.forbidden();
  return next({ ctx: { session: ctx.session } });
});

/** 能力评估员: records ability assessments of older residents. */
export const careAssessorProcedure = staffProcedure.use(({ ctx, next }) => {
  if (ctx.session.role !== 'CARE_ASSESSOR') throw errors.forbidden();
  return next({ ctx: { session: ctx.session } });
});

/** Staff of a home-care provider: every call knows which provider, from the staff record, never from the browser. */
export const careProviderProcedure = staffProcedure.use(async ({ ctx, next }) => {
  if (ctx.session.role !== 'CARE_PROVIDER') throw errors.forbidden();
  const staff = await ctx.db.prisma.staffMember.findUniqueOrThrow({
    where: { id: ctx.session.staffId },
    select: { providerId: true },
  });
  if (!staff.providerId) throw errors.forbidden();
  return next({ ctx: { session: ctx.session, providerId: staff.providerId } });
});

/** Whose data a call is about, and who is looking. */
export type Subject =
  | { residentId: string; actor: { kind: 'RESIDENT' } }
  | {
      residentId: string;
      /** A family member acting under a live delegation (委托) the resident gave them for this service. */
      actor: { kind: 'DELEGATE'; delegateResidentId: string; delegationId: string };
    }
  | {
      residentId: string;
      actor: {
        kind: 'STAFF';
        staffId: string;
        centerId: string;
        authorizationId: string;
        basis: 'ONE_TIME_CODE' | 'IN_PERSON';
        /** The resident let staff see sensitive health records too. */
        includesSensitiveHealth: boolean;
      };
    };

export const subjectInput = z.object({
  /** Staff only: the live authorization under which they act for a resident. */
  authorizationId: z.uuid({ error: 'validation.authorizationId' }).optional(),
  /** Residents only: the live delegation under which they act for the resident who gave it. */
  delegationId: z.uuid({ error: 'validation.delegationId' }).optional(),
});

/**
 * Procedures on a resident's data in one service. A resident reaches their own
 * data, or, with `delegationId`, the data of a resident who delegated this
 * service to them (a live grant: started, not ended, not revoked); staff reach
 * it only through a live authorization of theirs that covers the service, and
 * every successful staff call is written to the access log as `auditAction`
 * (what was seen or done, e.g. "card.contributions"). A delegate's actions are
 * recorded by each service with the actor (see Subject).
 */
export function residentDataProcedure(service: Service, auditAction: string) {
  return signedInProcedure.input(subjectInput).use(async ({ ctx, input, next }) => {
    let subject: Subject;
    if (ctx.session.kind === 'RESIDENT') {
      if (input.authorizationId) throw errors.forbidden();
      if (input.delegationId) {
        const delegation = await findLiveDelegation(ctx, input.delegationId, ctx.session.residentId);
        if (!delegation) throw new AppError('FORBIDDEN', 'errors.delegationRequired', 'A live delegation is required.');
        if (delegation.service !== service) {
          throw new AppError('FORBIDDEN', 'errors.delegationScope', 'The delegation does not cover this service.');
        }
        subject = {
          residentId: delegation.grantorId,
          actor: { kind: 'DELEGATE', delegateResidentId: ctx.session.residentId, delegationId: delegation.id },
        };
      } else {
        subject = { residentId: ctx.session.residentId, actor: { kind: 'RESIDENT' } };
      }
    } else {
      if (input.delegationId) throw errors.forbidden();
      if (ctx.session.role !== 'COUNTER') throw errors.forbidden();
      if (!input.authorizationId)
        throw new AppError('FORBIDDEN', 'errors.authorizationRequired', 'A live authorization is required.');
      const authorization = await findLiveAuthorization(ctx, input.authorizationId, ctx.session.staffId);
      if (!authorization) {
        throw new AppError('FORBIDDEN', 'errors.authorizationRequired', 'A live authorization is required.');
      }
      if (!authorization.scopes.includes(service)) {
        throw new AppError('FORBIDDEN', 'errors.scopeMissing', 'The authorization does not cover this service.');
      }
      subject = {
        residentId: authorization.residentId,
        actor: {
          kind: 'STAFF',
          staffId: ctx.session.staffId,
          centerId: ctx.session.centerId,
          authorizationId: authorization.id,
          basis: authorization.method,
          includesSensitiveHealth: authorization.includesSensitiveHealth,
        },
      };
    }
    const actor = subject.actor;
    // The same context shape on every path, so that handlers see `subject` and the database to use.
    const callHandler = (db: Context['db']) => next({ ctx: { subject, db } });
    if (actor.kind !== 'STAFF') return callHandler(ctx.db);
    // Staff: the handler and its access-log entry commit together, or neither does.
    const refused: { result?: Awaited<ReturnType<typeof callHandler>> } = {};
    const committed = await ctx.db.prisma
      .$transaction(async (tx) => {
        const result = await callHandler(inTransaction(ctx.db, tx));
        if (!result.ok) {
          refused.result = result;
          throw ROLL_BACK;
        }
        await appendAccessLog(
          tx,
          ctx.audit,
          {
            residentId: subject.residentId,
            staffId: actor.staffId,
            centerId: actor.centerId,
            authorizationId: actor.authorizationId,
            basis: actor.basis,
            action: auditAction,
          },
          ctx.now(),
        );
        return result;
      }, STAFF_ACTION_TRANSACTION)
      .catch((error: unknown) => {
        if (error === ROLL_BACK) return null;
        throw error;
      });
    return committed ?? refused.result!;
  });
}

/** Thrown to roll a refused staff call's transaction back; its result is returned as it was. */
const ROLL_BACK = new Error('roll back');
