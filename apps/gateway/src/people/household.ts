import type { Context } from '../context.js';
import type { Prisma } from '../generated/prisma/client.js';
import { ageOn } from '../china-time.js';

/**
 * Facts about residents that several services read the same way: age, adulthood
 * and a parent's minor children, all from the city's records (household
 * registration, birth dates), never from the browser. Ages are counted in China time
 * (`src/china-time.ts`); adulthood and the minor-children filter still count in UTC (issue 12,
 * item 5: moving them to China time changes what test/health-access.test.ts asserts).
 */

export { ageOn };

export const ADULT_AGE = 18;

/** Adult from their 18th birthday on. */
export function isAdult(birthDate: Date, now: Date): boolean {
  return (
    new Date(Date.UTC(birthDate.getUTCFullYear() + ADULT_AGE, birthDate.getUTCMonth(), birthDate.getUTCDate())) <= now
  );
}

/** The filter for a household's minor children: registered as CHILD and born less than 18 years ago. */
export function minorChildrenWhere(householdId: string, now: Date): Prisma.ResidentWhereInput {
  const adultCutoff = new Date(now);
  adultCutoff.setUTCFullYear(adultCutoff.getUTCFullYear() - ADULT_AGE);
  return { householdId, householdRelation: 'CHILD', birthDate: { gt: adultCutoff } };
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
