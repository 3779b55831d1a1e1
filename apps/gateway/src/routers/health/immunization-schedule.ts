/**
 * The national immunization programme's schedule for children
 * (国家免疫规划疫苗儿童免疫程序, 2021 edition): each vaccine's doses and the
 * age, in months, at which each dose is due.
 */
export interface ScheduledVaccine {
  code: string;
  /** Age in months for dose 1, 2, ... */
  doseAgesMonths: number[];
}

export const NATIONAL_SCHEDULE: ScheduledVaccine[] = [
  { code: 'HepB', doseAgesMonths: [0, 1, 6] },
  { code: 'BCG', doseAgesMonths: [0] },
  { code: 'IPV', doseAgesMonths: [2, 3] },
  { code: 'bOPV', doseAgesMonths: [4, 48] },
  { code: 'DTaP', doseAgesMonths: [3, 4, 5, 18] },
  { code: 'DT', doseAgesMonths: [72] },
  { code: 'MMR', doseAgesMonths: [8, 18] },
  { code: 'JE-L', doseAgesMonths: [8, 24] },
  { code: 'MPSV-A', doseAgesMonths: [6, 9] },
  { code: 'MPSV-AC', doseAgesMonths: [36, 72] },
  { code: 'HepA-L', doseAgesMonths: [18] },
];

/** The schedule covers children up to this age. */
export const SCHEDULE_END_MONTHS = 84;

export function addMonths(date: Date, months: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, date.getUTCDate()));
}

export function ageInMonths(birthDate: Date, on: Date): number {
  let months = (on.getUTCFullYear() - birthDate.getUTCFullYear()) * 12 + (on.getUTCMonth() - birthDate.getUTCMonth());
  if (on.getUTCDate() < birthDate.getUTCDate()) months -= 1;
  return months;
}

/** Due dates are calendar days (stored at UTC midnight): one is overdue only once its whole day has passed. */
export function isOverdue(dueOn: Date, now: Date): boolean {
  return dueOn.getTime() < Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

export interface DueDose {
  vaccineCode: string;
  doseNumber: number;
  dueOn: Date;
  overdue: boolean;
}

/**
 * The next dose of each vaccine that is due now or within `lookAheadMonths`,
 * given the doses already recorded.
 */
export function dueDoses(
  birthDate: Date,
  given: { vaccineCode: string; doseNumber: number }[],
  today: Date,
  lookAheadMonths = 1,
): DueDose[] {
  if (ageInMonths(birthDate, today) >= SCHEDULE_END_MONTHS) return [];
  const horizon = addMonths(today, lookAheadMonths);
  const due: DueDose[] = [];
  for (const vaccine of NATIONAL_SCHEDULE) {
    const dosesGiven = new Set(
      given.filter((record) => record.vaccineCode === vaccine.code).map((record) => record.doseNumber),
    );
    const next = vaccine.doseAgesMonths.findIndex((_, index) => !dosesGiven.has(index + 1));
    if (next === -1) continue;
    const dueOn = addMonths(birthDate, vaccine.doseAgesMonths[next]!);
    if (dueOn <= horizon)
      due.push({ vaccineCode: vaccine.code, doseNumber: next + 1, dueOn, overdue: isOverdue(dueOn, today) });
  }
  return due.sort((a, b) => a.dueOn.getTime() - b.dueOn.getTime());
}

/** Chinese names of the schedule's vaccines (the browser has both languages; the FHIR export uses these). */
export const VACCINE_NAMES: Record<string, string> = {
  HepB: '乙肝疫苗',
  BCG: '卡介苗',
  IPV: '脊灰灭活疫苗',
  bOPV: '二价脊灰减毒活疫苗',
  DTaP: '百白破疫苗',
  DT: '白破疫苗',
  MMR: '麻腮风疫苗',
  'JE-L': '乙脑减毒活疫苗',
  'MPSV-A': 'A群流脑多糖疫苗',
  'MPSV-AC': 'A群C群流脑多糖疫苗',
  'HepA-L': '甲肝减毒活疫苗',
};
