import type { Context } from '../context.js';
import type { Prisma } from '../generated/prisma/client.js';
import { ageOn, latestBirthDateForAge } from '../china-time.js';

/**
 * Facts about residents that several services read the same way: age, adulthood
 * and a parent's minor children, all from the city's records (household
 * registration, birth dates), never from the browser. Ages, adulthood and the minor-children
 * filter all count in China time (`src/china-time.ts`), so they agree at every instant.
 */

export { ageOn };

export const ADULT_AGE = 18;

/** Adult from their 18th birthday on. */
export function isAdult(birthDate: Date, now: Date): boolean {
  return ageOn(birthDate, now) >= ADULT_AGE;
}

/** The filter for a household's minor children: registered as CHILD and born less than 18 years ago. */
export function minorChildrenWhere(householdId: string, now: Date): Prisma.ResidentWhereInput {
  return { householdId, householdRelation: 'CHILD', birthDate: { gt: latestBirthDateForAge(ADULT_AGE, now) } };
}

/** The resident's household when they are its head or spouse: the people who act for its minor children. */
export async function guardianHousehold(ctx: Pick<Context, 'db'>, residentId: string): Promise<string | null> {
  const resident = await ctx.db.prisma.resident.findUniqueOrThrow({
    where: { id: residentId },
    select: { householdId: true, householdRelation: true },
  });
  if (!resident.householdId || (resident.householdRelation !== 'HEAD' && resident.householdRelation !== 'SPOUSE'))
    return null;
  return resident.householdId;
}
