import { z } from 'zod';
import { latestCheckpoint, writeCheckpoints } from '../../access-log/checkpoints.js';
import { residentProcedure, router } from '../../trpc.js';

export const accessLogRouter = router({
  /** 谁查看了我的信息: every staff look at the resident's data, newest first. */
  mine: residentProcedure
    .input(
      z.object({
        /** The seq of the last entry already shown. */
        before: z
          .string()
          .regex(/^\d{1,19}$/, { error: 'validation.cursor' })
          .optional(),
        limit: z.number().int().min(1).max(100).default(20),
      }),
    )
    .query(async ({ ctx, input }) => {
      const residentId = ctx.session.residentId;
      // What the resident is shown is signed first: a later removal of these entries cannot go unnoticed.
      await writeCheckpoints(ctx, { residentId });
      const checkpoint = await latestCheckpoint(ctx, residentId);
      const rows = await ctx.db.prisma.accessLogEntry.findMany({
        where: { residentId, ...(input.before ? { seq: { lt: BigInt(input.before) } } : {}) },
        orderBy: { seq: 'desc' },
        take: input.limit + 1,
        select: {
          seq: true,
          action: true,
          basis: true,
          createdAt: true,
          staff: { select: { name: true } },
          center: { select: { name: true } },
        },
      });
      const page = rows.slice(0, input.limit);
      return {
        entries: page.map((row) => ({
          id: row.seq.toString(),
          action: row.action,
          basis: row.basis,
          createdAt: row.createdAt,
          staffName: row.staff.name,
          centerName: row.center.name,
        })),
        nextBefore: rows.length > input.limit ? page[page.length - 1]!.seq.toString() : null,
        /** The signed statement of how long the resident's log is and how it ends, to keep or to check (docs/architecture.md). */
        checkpoint: checkpoint && {
          chainSeq: checkpoint.chainSeq,
          headHash: checkpoint.headHash,
          createdAt: checkpoint.createdAt,
          keyId: checkpoint.keyId,
          signature: checkpoint.signature,
          publicKey: ctx.audit.publicKeyBase64url(),
        },
      };
    }),
});
