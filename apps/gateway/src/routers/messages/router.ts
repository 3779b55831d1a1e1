import { z } from 'zod';
import { residentProcedure, router } from '../../trpc.js';

const PAGE = 20;

/** The message center (消息中心): every service's messages to a resident, newest first. */
export const messagesRouter = router({
  list: residentProcedure
    .input(z.object({ before: z.uuid({ error: 'validation.cursor' }).optional() }))
    .query(async ({ ctx, input }) => {
      const residentId = ctx.session.residentId;
      const anchor = input.before
        ? await ctx.db.prisma.message.findFirst({
            where: { id: input.before, residentId },
            select: { createdAt: true, id: true },
          })
        : null;
      const rows = await ctx.db.prisma.message.findMany({
        where: {
          residentId,
          ...(anchor
            ? { OR: [{ createdAt: { lt: anchor.createdAt } }, { createdAt: anchor.createdAt, id: { lt: anchor.id } }] }
            : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: PAGE + 1,
        select: { id: true, topic: true, params: true, link: true, createdAt: true, readAt: true },
      });
      const page = rows.slice(0, PAGE);
      return {
        messages: page.map((row) => ({ ...row, params: row.params as Record<string, string | number> })),
        nextBefore: rows.length > PAGE ? page[page.length - 1]!.id : null,
      };
    }),

  unreadCount: residentProcedure.query(async ({ ctx }) => ({
    unread: await ctx.db.prisma.message.count({ where: { residentId: ctx.session.residentId, readAt: null } }),
  })),

  /** Marks the given messages read, or every message when no ids are given. Marking twice changes nothing. */
  markRead: residentProcedure
    .input(
      z.object({
        ids: z
          .array(z.uuid({ error: 'validation.invalid' }))
          .min(1)
          .max(100)
          .optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.db.prisma.message.updateMany({
        where: { residentId: ctx.session.residentId, readAt: null, ...(input.ids ? { id: { in: input.ids } } : {}) },
        data: { readAt: ctx.now() },
      });
      return { marked: result.count };
    }),
});
