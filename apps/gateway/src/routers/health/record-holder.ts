import { z } from 'zod';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { guardianHousehold, isAdult, minorChildrenWhere } from '../../people/household.js';
import type { Subject } from '../../trpc.js';

export const personInput = z.object({
  /** A minor child in the parent's household; the signed-in resident when absent. */
  personId: z.uuid({ error: 'validation.personId' }).optional(),
});

/** Whose health record is on screen, and what of it this viewer may see. */
export interface RecordHolder {
  residentId: string;
  name: string;
  gender: 'MALE' | 'FEMALE';
  birthDate: Date;
  /** SELF: the resident's own record; CHILD: a parent viewing a minor child's; ASSISTED: staff at the counter. */
  view: 'SELF' | 'CHILD' | 'ASSISTED';
  includeSensitive: boolean;
  includeHidden: boolean;
}

/**
 * A resident sees their own record and those of their minor children: the
 * household relation comes from the city's household registration, never
 * from what the browser claims. Staff see the authorizing resident's record,
 * without records the resident hid from the counter, and without sensitive
 * categories unless the authorization includes them.
 */
export async function resolveRecordHolder(
  ctx: Context,
  subject: Subject,
  personId: string | undefined,
): Promise<RecordHolder> {
  const select = {
    id: true,
    name: true,
    gender: true,
    birthDate: true,
    householdId: true,
    householdRelation: true,
  } as const;
  if (subject.actor.kind === 'STAFF') {
    if (personId && personId !== subject.residentId) throw notTheirs();
    const resident = await ctx.db.prisma.resident.findUniqueOrThrow({ where: { id: subject.residentId }, select });
    return {
      ...holderFields(resident),
      view: 'ASSISTED',
      includeSensitive: subject.actor.includesSensitiveHealth,
      includeHidden: false,
    };
  }
  if (subject.actor.kind === 'DELEGATE') {
    // Someone else acting for the holder sees what the counter would see: nothing hidden from others, nothing sensitive.
    if (personId && personId !== subject.residentId) throw notTheirs();
    const resident = await ctx.db.prisma.resident.findUniqueOrThrow({ where: { id: subject.residentId }, select });
    return { ...holderFields(resident), view: 'ASSISTED', includeSensitive: false, includeHidden: false };
  }
  if (!personId || personId === subject.residentId) {
    const resident = await ctx.db.prisma.resident.findUniqueOrThrow({ where: { id: subject.residentId }, select });
    return { ...holderFields(resident), view: 'SELF', includeSensitive: true, includeHidden: true };
  }
  // The child and the parent, who must share a household in which the parent is head or spouse.
  const [child, parent] = await Promise.all([
    ctx.db.prisma.resident.findUnique({ where: { id: personId }, select }),
    ctx.db.prisma.resident.findUniqueOrThrow({
      where: { id: subject.residentId },
      select: { householdId: true, householdRelation: true },
    }),
  ]);
  const guardian =
    child &&
    parent.householdId !== null &&
    child.householdId === parent.householdId &&
    child.householdRelation === 'CHILD' &&
    (parent.householdRelation === 'HEAD' || parent.householdRelation === 'SPOUSE') &&
    !isAdult(child.birthDate, ctx.now());
  if (!guardian) throw notTheirs();
  return { ...holderFields(child), view: 'CHILD', includeSensitive: true, includeHidden: true };
}

function holderFields(resident: { id: string; name: string; gender: 'MALE' | 'FEMALE'; birthDate: Date }) {
  return { residentId: resident.id, name: resident.name, gender: resident.gender, birthDate: resident.birthDate };
}

function notTheirs() {
  return new AppError('FORBIDDEN', 'errors.notYourRecord', 'This health record is not yours to see.');
}

/** The holder as every response describes it, so each screen says whose record it is. */
export function describeHolder(holder: RecordHolder) {
  return {
    id: holder.residentId,
    name: holder.name,
    gender: holder.gender,
    birthDate: holder.birthDate.toISOString().slice(0, 10),
    view: holder.view,
  };
}

/** Encounters this viewer may see. */
export function visibleEncounters(holder: RecordHolder): Prisma.EncounterWhereInput {
  return {
    residentId: holder.residentId,
    ...(holder.includeSensitive ? {} : { sensitiveCategory: null }),
    ...(holder.includeHidden ? {} : { hiddenFromAssisted: false }),
  };
}

/** Observations outside any encounter, or inside one this viewer may see. */
export function visibleObservations(holder: RecordHolder): Prisma.ObservationWhereInput {
  const { residentId: _residentId, ...encounterFilter } = visibleEncounters(holder);
  return Object.keys(encounterFilter).length
    ? { residentId: holder.residentId, OR: [{ encounterId: null }, { encounter: { is: encounterFilter } }] }
    : { residentId: holder.residentId };
}

export function visibleConditions(holder: RecordHolder): Prisma.HealthConditionWhereInput {
  return { residentId: holder.residentId, ...(holder.includeSensitive ? {} : { sensitiveCategory: null }) };
}

/** A resident's minor children in their household, for the record switcher. */
export async function minorChildrenOf(ctx: Context, residentId: string) {
  const householdId = await guardianHousehold(ctx, residentId);
  if (!householdId) return [];
  return ctx.db.prisma.resident.findMany({
    where: minorChildrenWhere(householdId, ctx.now()),
    orderBy: { birthDate: 'asc' },
    select: { id: true, name: true, gender: true, birthDate: true },
  });
}
