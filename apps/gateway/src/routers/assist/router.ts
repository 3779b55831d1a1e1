import { randomUUID, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { appendAccessLog } from '../../access-log/chain.js';
import { recordAccess } from '../../access-log/record.js';
import { THROTTLE, claimAttempt, minutesUntil, settleSuccess, throttleKey } from '../../auth/throttle.js';
import { AppError, errors } from '../../errors.js';
import { idNumberSchema, oneTimeCodeSchema, servicesSchema, singleLineText, tokenSchema } from '../../schemas.js';
import { notifyResident } from '../messages/notify.js';
import { counterStaffProcedure, residentProcedure, router } from '../../trpc.js';
import { AUTHORIZATION_MAX_MS, authorizationState } from './authorizations.js';
import { issueLookupToken, readLookupToken } from './lookup-token.js';
import { CODE_MAX_ATTEMPTS, codeHash, createOneTimeCode } from './one-time-codes.js';

export { CODE_MAX_ATTEMPTS };

const lookupTokenSchema = tokenSchema({ min: 10, max: 500, message: 'validation.lookupToken' });
const authorizationIdSchema = z.object({ authorizationId: z.uuid({ error: 'validation.authorizationId' }) });

const authorizationSummarySelect = {
  id: true,
  method: true,
  scopes: true,
  includesSensitiveHealth: true,
  reason: true,
  createdAt: true,
  expiresAt: true,
  endedAt: true,
  revokedAt: true,
} as const;

export const assistRouter = router({
  // ---- resident side -------------------------------------------------

  /** The resident creates a 6-digit code on their own device and reads it out at the counter. */
  createCode: residentProcedure
    .input(z.object({ scopes: servicesSchema, includesSensitiveHealth: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      return createOneTimeCode({
        ctx,
        residentId: ctx.session.residentId,
        scopes: input.scopes,
        includesSensitiveHealth: input.includesSensitiveHealth,
        now: ctx.now(),
      });
    }),

  /** Authorizations the resident gave, live ones first; each can be revoked while live. */
  myAuthorizations: residentProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.prisma.assistAuthorization.findMany({
      where: { residentId: ctx.session.residentId },
      orderBy: { createdAt: 'desc' },
      take: 20,
      select: { ...authorizationSummarySelect, staff: { select: { name: true } }, center: { select: { name: true } } },
    });
    const now = ctx.now();
    return rows.map((row) => ({
      id: row.id,
      method: row.method,
      scopes: row.scopes,
      includesSensitiveHealth: row.includesSensitiveHealth,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      staffName: row.staff.name,
      centerName: row.center.name,
      state: authorizationState(row, now),
    }));
  }),

  revoke: residentProcedure.input(authorizationIdSchema).mutation(async ({ ctx, input }) => {
    const result = await ctx.db.prisma.assistAuthorization.updateMany({
      where: { id: input.authorizationId, residentId: ctx.session.residentId, revokedAt: null, endedAt: null },
      data: { revokedAt: ctx.now() },
    });
    if (result.count === 0) {
      const exists = await ctx.db.prisma.assistAuthorization.count({
        where: { id: input.authorizationId, residentId: ctx.session.residentId },
      });
      if (!exists) throw errors.notFound('Authorization');
    }
    return { ok: true as const };
  }),

  // ---- counter side --------------------------------------------------

  /**
   * Exact ID-number match only: no listing, no partial search, and nothing
   * about the resident yet. Each staff member's lookups are limited (and the
   * ones that find nobody more strictly: guessed numbers), and each lookup
   * that finds someone is in that resident's access log.
   */
  findResident: counterStaffProcedure.input(z.object({ idNumber: idNumberSchema })).mutation(async ({ ctx, input }) => {
    const lookups = await claimAttempt(ctx, [
      throttleKey(ctx, THROTTLE.staffLookups, ctx.session.staffId),
      throttleKey(ctx, THROTTLE.staffLookupMisses, ctx.session.staffId),
    ]);
    if (lookups.refusedUntil) {
      throw new AppError('TOO_MANY_REQUESTS', 'errors.lookupLocked', 'Too many lookups; try again later.', {
        minutes: minutesUntil(lookups.refusedUntil, ctx.now()),
      });
    }
    if (lookups.delayMs > 0) await sleep(lookups.delayMs);
    const resident = await ctx.db.prisma.resident.findUnique({
      where: { idNumberHash: ctx.protector.lookupHash(input.idNumber, 'idNumber') },
      select: { id: true, idNumberMask: true },
    });
    if (!resident) {
      // Never the number itself: who looked, and that it found nobody.
      ctx.logger.info(
        { requestId: ctx.request.requestId, staffId: ctx.session.staffId },
        'counter lookup found nobody',
      );
      throw new AppError('NOT_FOUND', 'errors.residentNotFound', 'No resident has this ID number.');
    }
    // A lookup that found someone is no miss; every lookup still counts towards the overall limit.
    await settleSuccess(ctx, {
      ...lookups,
      keys: lookups.keys.filter((key) => key.rule === THROTTLE.staffLookupMisses),
    });
    await recordAccess(ctx, {
      residentId: resident.id,
      staffId: ctx.session.staffId,
      centerId: ctx.session.centerId,
      authorizationId: null,
      basis: 'LOOKUP',
      action: 'assist.findResident',
    });
    return {
      lookupToken: issueLookupToken(ctx.protector, resident.id, ctx.session.staffId, ctx.now()),
      maskedIdNumber: resident.idNumberMask,
    };
  }),

  /**
   * The resident reads their code out. Each try is counted on the code
   * before it is compared, so concurrent and batched guesses are counted
   * exactly: after CODE_MAX_ATTEMPTS the code is dead (the resident is told
   * and makes a new one; their next codes are not blocked). Each staff
   * member's wrong codes over all residents are limited too.
   */
  authorizeWithCode: counterStaffProcedure
    .input(z.object({ lookupToken: lookupTokenSchema, code: oneTimeCodeSchema }))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      const residentId = readLookupToken(ctx.protector, input.lookupToken, ctx.session.staffId, now);
      if (!residentId) throw new AppError('BAD_REQUEST', 'errors.lookupExpired', 'Look the resident up again.');
      const staffAttempt = await claimAttempt(ctx, [throttleKey(ctx, THROTTLE.staffCodes, ctx.session.staffId)]);
      if (staffAttempt.refusedUntil) {
        throw new AppError('TOO_MANY_REQUESTS', 'errors.codeLocked', 'Too many wrong codes; try again later.', {
          minutes: minutesUntil(staffAttempt.refusedUntil, now),
        });
      }
      const [tried] = await ctx.db.prisma.$queryRaw<{ id: string; codeHash: string; attempts: number }[]>`
        UPDATE "OneTimeCode" SET "attempts" = "attempts" + 1
         WHERE "residentId" = ${residentId}::uuid AND "usedAt" IS NULL AND "expiresAt" > ${now} AND "attempts" < ${CODE_MAX_ATTEMPTS}
         RETURNING "id", "codeHash", "attempts"`;
      const expected = tried && Buffer.from(tried.codeHash, 'hex');
      const given = Buffer.from(codeHash(ctx, residentId, input.code), 'hex');
      if (!tried || !expected || expected.length !== given.length || !timingSafeEqual(expected, given)) {
        if (tried && tried.attempts >= CODE_MAX_ATTEMPTS) {
          // That was the code's last try: it is dead, and the resident hears of it.
          const center = await ctx.db.prisma.serviceCenter.findUniqueOrThrow({
            where: { id: ctx.session.centerId },
            select: { name: true },
          });
          await notifyResident(
            ctx.db.prisma,
            { residentId, topic: 'assist.codeBlocked', params: { center: center.name }, link: '/' },
            now,
          );
        }
        throw new AppError('BAD_REQUEST', 'errors.codeInvalid', 'The code is wrong, used or expired.');
      }
      const authorization = await ctx.db.prisma.$transaction(async (tx) => {
        // Two counters entering the same right code at once: one wins.
        const claimed = await tx.oneTimeCode.updateMany({
          where: { id: tried.id, usedAt: null },
          data: { usedAt: now },
        });
        if (claimed.count !== 1) return null;
        const code = await tx.oneTimeCode.findUniqueOrThrow({
          where: { id: tried.id },
          select: { scopes: true, includesSensitiveHealth: true },
        });
        const created = await tx.assistAuthorization.create({
          data: {
            id: randomUUID(),
            residentId,
            staffId: ctx.session.staffId,
            centerId: ctx.session.centerId,
            method: 'ONE_TIME_CODE',
            scopes: code.scopes,
            includesSensitiveHealth: code.includesSensitiveHealth,
            createdAt: now,
            expiresAt: new Date(now.getTime() + AUTHORIZATION_MAX_MS),
          },
          select: { id: true, scopes: true, expiresAt: true, method: true, includesSensitiveHealth: true },
        });
        await appendAccessLog(
          tx,
          ctx.audit,
          {
            residentId,
            staffId: ctx.session.staffId,
            centerId: ctx.session.centerId,
            authorizationId: created.id,
            basis: 'ONE_TIME_CODE',
            action: 'assist.authorized',
          },
          now,
        );
        return created;
      });
      if (!authorization)
        throw new AppError('BAD_REQUEST', 'errors.codeInvalid', 'The code is wrong, used or expired.');
      await settleSuccess(ctx, staffAttempt);
      return authorization;
    }),

  /** For a resident without a phone: staff checked the ID card in person and give the reason. */
  authorizeInPerson: counterStaffProcedure
    .input(
      z.object({
        lookupToken: lookupTokenSchema,
        scopes: servicesSchema,
        idDocumentChecked: z.literal(true, { error: 'validation.idDocumentChecked' }),
        includesSensitiveHealth: z.boolean().default(false),
        reason: singleLineText({ min: 2, max: 200, message: 'validation.reason' }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      const residentId = readLookupToken(ctx.protector, input.lookupToken, ctx.session.staffId, now);
      if (!residentId) throw new AppError('BAD_REQUEST', 'errors.lookupExpired', 'Look the resident up again.');
      return ctx.db.prisma.$transaction(async (tx) => {
        const authorization = await tx.assistAuthorization.create({
          data: {
            id: randomUUID(),
            residentId,
            staffId: ctx.session.staffId,
            centerId: ctx.session.centerId,
            method: 'IN_PERSON',
            scopes: input.scopes,
            includesSensitiveHealth: input.includesSensitiveHealth && input.scopes.includes('HEALTH'),
            idDocumentChecked: true,
            reason: input.reason,
            createdAt: now,
            expiresAt: new Date(now.getTime() + AUTHORIZATION_MAX_MS),
          },
          select: { id: true, scopes: true, expiresAt: true, method: true, includesSensitiveHealth: true },
        });
        await appendAccessLog(
          tx,
          ctx.audit,
          {
            residentId,
            staffId: ctx.session.staffId,
            centerId: ctx.session.centerId,
            authorizationId: authorization.id,
            basis: 'IN_PERSON',
            action: 'assist.authorized',
          },
          now,
        );
        return authorization;
      });
    }),

  /** The banner's facts: whose data is on screen and until when. Nothing when the authorization is no longer live. */
  get: counterStaffProcedure.input(authorizationIdSchema).query(async ({ ctx, input }) => {
    const row = await ctx.db.prisma.assistAuthorization.findFirst({
      where: { id: input.authorizationId, staffId: ctx.session.staffId },
      select: { ...authorizationSummarySelect, resident: { select: { name: true, idNumberMask: true } } },
    });
    if (!row) throw errors.notFound('Authorization');
    const state = authorizationState(row, ctx.now());
    return {
      id: row.id,
      method: row.method,
      scopes: row.scopes,
      includesSensitiveHealth: row.includesSensitiveHealth,
      expiresAt: row.expiresAt,
      state,
      resident: state === 'LIVE' ? { name: row.resident.name, maskedIdNumber: row.resident.idNumberMask } : null,
    };
  }),

  /** This staff member's live authorizations, to resume a visit after a reload. */
  myLive: counterStaffProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.prisma.assistAuthorization.findMany({
      where: { staffId: ctx.session.staffId, endedAt: null, revokedAt: null, expiresAt: { gt: ctx.now() } },
      orderBy: { createdAt: 'desc' },
      take: 20,
      select: {
        id: true,
        method: true,
        scopes: true,
        includesSensitiveHealth: true,
        expiresAt: true,
        resident: { select: { name: true, idNumberMask: true } },
      },
    });
    return rows.map((row) => ({
      ...row,
      resident: { name: row.resident.name, maskedIdNumber: row.resident.idNumberMask },
    }));
  }),

  /** The visit is over. */
  end: counterStaffProcedure.input(authorizationIdSchema).mutation(async ({ ctx, input }) => {
    await ctx.db.prisma.assistAuthorization.updateMany({
      where: { id: input.authorizationId, staffId: ctx.session.staffId, endedAt: null },
      data: { endedAt: ctx.now() },
    });
    return { ok: true as const };
  }),
});
