import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAccessLog } from '../../access-log/chain.js';
import { readThrottle, recordFailure, clearFailures, throttleKey } from '../../auth/throttle.js';
import { AppError, errors } from '../../errors.js';
import { idNumberSchema, oneTimeCodeSchema, servicesSchema } from '../../schemas.js';
import { randomSixDigitCode } from '../../security/tokens.js';
import { counterStaffProcedure, residentProcedure, router } from '../../trpc.js';
import { AUTHORIZATION_MAX_MS, authorizationState } from './authorizations.js';
import { issueLookupToken, readLookupToken } from './lookup-token.js';

const CODE_TTL_MS = 10 * 60_000;
const lookupTokenSchema = z.string().min(10).max(500);
const authorizationIdSchema = z.object({ authorizationId: z.uuid({ error: 'validation.authorizationId' }) });

function codeHash(ctx: { protector: { lookupHashHex(value: string, context: string): string } }, residentId: string, code: string) {
  return ctx.protector.lookupHashHex(`${residentId}:${code}`, 'oneTimeCode');
}

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
    const now = ctx.now();
    const residentId = ctx.session.residentId;
    // A new code replaces any unused one.
    await ctx.db.prisma.oneTimeCode.updateMany({
      where: { residentId, usedAt: null, expiresAt: { gt: now } },
      data: { expiresAt: now },
    });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const code = randomSixDigitCode();
      const expiresAt = new Date(now.getTime() + CODE_TTL_MS);
      const created = await ctx.db.prisma.oneTimeCode
        .create({
          data: {
            id: randomUUID(),
            residentId,
            codeHash: codeHash(ctx, residentId, code),
            scopes: input.scopes,
            includesSensitiveHealth: input.includesSensitiveHealth && input.scopes.includes('HEALTH'),
            createdAt: now,
            expiresAt,
          },
        })
        .then(() => true)
        .catch((error: unknown) => {
          // The same code was drawn before for this resident: draw again.
          if ((error as { code?: string }).code === 'P2002') return false;
          throw error;
        });
      if (created) return { code, expiresAt, scopes: input.scopes, includesSensitiveHealth: input.includesSensitiveHealth && input.scopes.includes('HEALTH') };
    }
    throw new AppError('INTERNAL_SERVER_ERROR', 'errors.unexpected', 'Could not create a code.');
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

  /** Exact ID-number match only: no listing, no partial search, and nothing about the resident yet. */
  findResident: counterStaffProcedure.input(z.object({ idNumber: idNumberSchema })).mutation(async ({ ctx, input }) => {
    const resident = await ctx.db.prisma.resident.findUnique({
      where: { idNumberHash: ctx.protector.lookupHash(input.idNumber, 'idNumber') },
      select: { id: true, idNumberMask: true },
    });
    if (!resident) throw new AppError('NOT_FOUND', 'errors.residentNotFound', 'No resident has this ID number.');
    return {
      lookupToken: issueLookupToken(ctx.protector, resident.id, ctx.session.staffId, ctx.now()),
      maskedIdNumber: resident.idNumberMask,
    };
  }),

  authorizeWithCode: counterStaffProcedure
    .input(z.object({ lookupToken: lookupTokenSchema, code: oneTimeCodeSchema }))
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      const residentId = readLookupToken(ctx.protector, input.lookupToken, ctx.session.staffId, now);
      if (!residentId) throw new AppError('BAD_REQUEST', 'errors.lookupExpired', 'Look the resident up again.');
      // Six digits are guessable: wrong codes for one resident are limited like sign-ins.
      const guardKey = throttleKey('account', `code:${residentId}`);
      const guard = await readThrottle(ctx, [guardKey]);
      if (guard.lockedUntil) {
        throw new AppError('TOO_MANY_REQUESTS', 'errors.codeLocked', 'Too many wrong codes; ask for a new one later.');
      }
      const authorization = await ctx.db.prisma.$transaction(async (tx) => {
        const claimed = await tx.oneTimeCode.updateMany({
          where: { codeHash: codeHash(ctx, residentId, input.code), residentId, usedAt: null, expiresAt: { gt: now } },
          data: { usedAt: now },
        });
        if (claimed.count !== 1) return null;
        const code = await tx.oneTimeCode.findUniqueOrThrow({ where: { codeHash: codeHash(ctx, residentId, input.code) } });
        return tx.assistAuthorization.create({
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
      });
      if (!authorization) {
        await recordFailure(ctx, [guardKey]);
        throw new AppError('BAD_REQUEST', 'errors.codeInvalid', 'The code is wrong, used or expired.');
      }
      await clearFailures(ctx, guardKey);
      await appendAccessLog(
        ctx.db,
        { residentId, staffId: ctx.session.staffId, centerId: ctx.session.centerId, authorizationId: authorization.id, basis: 'ONE_TIME_CODE', action: 'assist.authorized' },
        now,
      );
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
        reason: z.string({ error: 'validation.reason' }).trim().min(2, { error: 'validation.reason' }).max(200, { error: 'validation.reason' }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      const residentId = readLookupToken(ctx.protector, input.lookupToken, ctx.session.staffId, now);
      if (!residentId) throw new AppError('BAD_REQUEST', 'errors.lookupExpired', 'Look the resident up again.');
      const authorization = await ctx.db.prisma.assistAuthorization.create({
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
        ctx.db,
        { residentId, staffId: ctx.session.staffId, centerId: ctx.session.centerId, authorizationId: authorization.id, basis: 'IN_PERSON', action: 'assist.authorized' },
        now,
      );
      return authorization;
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
      select: { id: true, method: true, scopes: true, includesSensitiveHealth: true, expiresAt: true, resident: { select: { name: true, idNumberMask: true } } },
    });
    return rows.map((row) => ({ ...row, resident: { name: row.resident.name, maskedIdNumber: row.resident.idNumberMask } }));
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
