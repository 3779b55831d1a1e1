import type { ServerDeps } from '../../context.js';

export const INSURANCES = ['pension', 'medical', 'unemployment', 'workInjury', 'maternity'] as const;
export type Insurance = (typeof INSURANCES)[number];

export interface InsuranceAmounts {
  personalFen: number;
  employerFen: number;
}

/** A year of monthly contributions of the five insurances, with yearly totals. */
export async function contributionsForYear(deps: ServerDeps, residentId: string, year: number | undefined) {
  const years = await deps.db.prisma.$queryRaw<{ year: number }[]>`
    SELECT DISTINCT EXTRACT(YEAR FROM "month")::int AS "year"
    FROM "ContributionMonth" WHERE "residentId" = ${residentId}::uuid ORDER BY "year" DESC`;
  const availableYears = years.map((row) => Number(row.year));
  const chosen = year ?? availableYears[0];
  if (chosen === undefined) return { years: availableYears, year: null, months: [], totals: emptyTotals() };
  const rows = await deps.db.prisma.contributionMonth.findMany({
    where: { residentId, month: { gte: new Date(Date.UTC(chosen, 0, 1)), lt: new Date(Date.UTC(chosen + 1, 0, 1)) } },
    orderBy: { month: 'asc' },
  });
  const totals = emptyTotals();
  const months = rows.map((row) => {
    const insurances: Record<Insurance, InsuranceAmounts> = {
      pension: { personalFen: row.pensionPersonal, employerFen: row.pensionEmployer },
      medical: { personalFen: row.medicalPersonal, employerFen: row.medicalEmployer },
      unemployment: { personalFen: row.unemploymentPersonal, employerFen: row.unemploymentEmployer },
      workInjury: { personalFen: 0, employerFen: row.workInjuryEmployer },
      maternity: { personalFen: 0, employerFen: row.maternityEmployer },
    };
    for (const insurance of INSURANCES) {
      totals[insurance].personalFen += insurances[insurance].personalFen;
      totals[insurance].employerFen += insurances[insurance].employerFen;
    }
    return { month: row.month.toISOString().slice(0, 7), employer: row.employer, baseFen: row.baseFen, insurances };
  });
  return { years: availableYears, year: chosen, months, totals };
}

function emptyTotals(): Record<Insurance, InsuranceAmounts> {
  return Object.fromEntries(INSURANCES.map((insurance) => [insurance, { personalFen: 0, employerFen: 0 }])) as Record<
    Insurance,
    InsuranceAmounts
  >;
}
