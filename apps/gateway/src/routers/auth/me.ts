import type { Context } from '../../context.js';
import type { StaffRole } from '../../generated/prisma/enums.js';
import { ageOn } from '../../people/household.js';

/** Age from which residents are offered the elder-friendly mode (适老化) until they choose. */
export const ELDER_MODE_OFFER_AGE = 60;

interface Preferences {
  /** 长辈模式 as the user chose it; null when they never chose. */
  elderMode: boolean | null;
  /** True for an older resident who has not chosen yet: the shell offers the mode once. */
  offerElderMode: boolean;
}

export type Me =
  | ({ kind: 'RESIDENT'; name: string; maskedIdNumber: string; areaCode: string } & Preferences)
  | ({
      kind: 'STAFF';
      name: string;
      staffNumber: string;
      role: StaffRole;
      center: { name: string; code: string };
      /** CARE_PROVIDER staff: the home-care provider they work for. */
      provider: { name: string; code: string } | null;
    } & Preferences)
  | null;

/** Who is signed in, with masked identifiers only, and their display preferences. */
export async function describeMe(ctx: Context): Promise<Me> {
  const session = ctx.session;
  if (!session) return null;
  if (session.kind === 'RESIDENT') {
    const resident = await ctx.db.prisma.resident.findUniqueOrThrow({
      where: { id: session.residentId },
      select: { name: true, idNumberMask: true, areaCode: true, birthDate: true, prefersElderMode: true },
    });
    return {
      kind: 'RESIDENT',
      name: resident.name,
      maskedIdNumber: resident.idNumberMask,
      areaCode: resident.areaCode,
      elderMode: resident.prefersElderMode,
      offerElderMode:
        resident.prefersElderMode === null && ageOn(resident.birthDate, ctx.now()) >= ELDER_MODE_OFFER_AGE,
    };
  }
  const staff = await ctx.db.prisma.staffMember.findUniqueOrThrow({
    where: { id: session.staffId },
    select: {
      name: true,
      staffNumber: true,
      role: true,
      prefersElderMode: true,
      center: { select: { name: true, code: true } },
      provider: { select: { name: true, code: true } },
    },
  });
  const { prefersElderMode, ...rest } = staff;
  return { kind: 'STAFF', ...rest, elderMode: prefersElderMode, offerElderMode: false };
}
