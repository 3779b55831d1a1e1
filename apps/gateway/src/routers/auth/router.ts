import { z } from 'zod';
import { clearedSessionCookie, endSession } from '../../auth/sessions.js';
import { idNumberSchema, passwordSchema, staffNumberSchema } from '../../schemas.js';
import { publicProcedure, router, signedInProcedure } from '../../trpc.js';
import { describeMe } from './me.js';
import { signIn } from './sign-in.js';

export const authRouter = router({
  signInResident: publicProcedure
    .input(z.object({ idNumber: idNumberSchema, password: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      await signIn(ctx, 'RESIDENT', `resident:${input.idNumber}`, input.password, async () => {
        const resident = await ctx.db.prisma.resident.findUnique({
          where: { idNumberHash: ctx.protector.lookupHash(input.idNumber, 'idNumber') },
          select: { id: true, passwordHash: true },
        });
        return (
          resident && { principal: { kind: 'RESIDENT', residentId: resident.id }, passwordHash: resident.passwordHash }
        );
      });
      return { ok: true as const };
    }),

  signInStaff: publicProcedure
    .input(z.object({ staffNumber: staffNumberSchema, password: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      await signIn(ctx, 'STAFF', `staff:${input.staffNumber}`, input.password, async () => {
        const staff = await ctx.db.prisma.staffMember.findUnique({
          where: { staffNumber: input.staffNumber },
          select: { id: true, passwordHash: true },
        });
        return staff && { principal: { kind: 'STAFF', staffId: staff.id }, passwordHash: staff.passwordHash };
      });
      return { ok: true as const };
    }),

  signOut: signedInProcedure.mutation(async ({ ctx }) => {
    await endSession(ctx, ctx.session.id);
    ctx.request.setCookie(clearedSessionCookie(ctx.config.secureCookies));
    return { ok: true as const };
  }),

  me: publicProcedure.query(({ ctx }) => describeMe(ctx)),

  /** Remembers the elder-friendly mode (长辈模式) for this user, on every device they sign in on. */
  setElderMode: signedInProcedure
    .input(z.object({ on: z.boolean({ error: 'validation.invalid' }) }))
    .mutation(async ({ ctx, input }) => {
      if (ctx.session.kind === 'RESIDENT') {
        await ctx.db.prisma.resident.update({
          where: { id: ctx.session.residentId },
          data: { prefersElderMode: input.on },
        });
      } else {
        await ctx.db.prisma.staffMember.update({
          where: { id: ctx.session.staffId },
          data: { prefersElderMode: input.on },
        });
      }
      return { elderMode: input.on };
    }),
});
