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
      await signIn(ctx, `resident:${input.idNumber}`, input.password, async () => {
        const resident = await ctx.db.prisma.resident.findUnique({
          where: { idNumberHash: ctx.protector.lookupHash(input.idNumber, 'idNumber') },
          select: { id: true, passwordHash: true },
        });
        return resident && { principal: { kind: 'RESIDENT', residentId: resident.id }, passwordHash: resident.passwordHash };
      });
      return { ok: true as const };
    }),

  signInStaff: publicProcedure
    .input(z.object({ staffNumber: staffNumberSchema, password: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      await signIn(ctx, `staff:${input.staffNumber}`, input.password, async () => {
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
});
