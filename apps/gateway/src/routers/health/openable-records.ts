import type { Context } from '../../context.js';
import { minorChildrenOf } from './record-holder.js';

/** Whose records a resident may open: their own and their minor children's. */
export async function listOpenableRecords(options: { ctx: Context; residentId: string }) {
  const { ctx, residentId } = options;
  const [self, children] = await Promise.all([
    ctx.db.prisma.resident.findUniqueOrThrow({
      where: { id: residentId },
      select: { id: true, name: true, gender: true, birthDate: true },
    }),
    minorChildrenOf(ctx, residentId),
  ]);
  const describe = (person: typeof self, relation: 'SELF' | 'CHILD') => ({
    ...person,
    birthDate: person.birthDate.toISOString().slice(0, 10),
    relation,
  });
  return [describe(self, 'SELF'), ...children.map((child) => describe(child, 'CHILD'))];
}
