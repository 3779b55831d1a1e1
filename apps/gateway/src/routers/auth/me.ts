import type { Context } from '../../context.js';

export type Me =
  | { kind: 'RESIDENT'; name: string; maskedIdNumber: string; areaCode: string }
  | {
      kind: 'STAFF';
      name: string;
      staffNumber: string;
      role: 'COUNTER' | 'CARD_OFFICE';
      center: { name: string; code: string };
    }
  | null;

/** Who is signed in, with masked identifiers only. */
export async function describeMe(ctx: Context): Promise<Me> {
  const session = ctx.session;
  if (!session) return null;
  if (session.kind === 'RESIDENT') {
    const resident = await ctx.db.prisma.resident.findUniqueOrThrow({
      where: { id: session.residentId },
      select: { name: true, idNumberMask: true, areaCode: true },
    });
    return { kind: 'RESIDENT', name: resident.name, maskedIdNumber: resident.idNumberMask, areaCode: resident.areaCode };
  }
  const staff = await ctx.db.prisma.staffMember.findUniqueOrThrow({
    where: { id: session.staffId },
    select: { name: true, staffNumber: true, role: true, center: { select: { name: true, code: true } } },
  });
  return { kind: 'STAFF', ...staff };
}
