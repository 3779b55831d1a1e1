/**
 * Time as the city counts it: China Standard Time (UTC+8, no daylight saving). Every day, month,
 * year and age the portal reads from an instant is a China one, and it is computed here only.
 *
 * Calendar dates (birth dates, months, @db.Date columns) are stored at UTC midnight; a "China date"
 * is such a date, or its ISO form "2027-05-06".
 */

export const CHINA_OFFSET_MS = 8 * 60 * 60_000;

/** The time zone for SQL (`AT TIME ZONE`), the same offset as `CHINA_OFFSET_MS`. */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

const DAY_MS = 86_400_000;

/** `instant`'s date in China, at UTC midnight (the form @db.Date columns and birth dates have). */
export function chinaDateOf(instant: Date): Date {
  const local = new Date(instant.getTime() + CHINA_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()));
}

/** `instant`'s date in China, e.g. "2027-05-06". */
export function chinaIsoDate(instant: Date): string {
  return isoDate(chinaDateOf(instant));
}

/** A calendar date (stored at UTC midnight) as "2027-05-06". */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A month (stored at UTC midnight of its first day) as "2026-11". */
export function isoMonth(month: Date): string {
  return month.toISOString().slice(0, 7);
}

/** The instant a China day ("2026-11-27") begins. */
export function startOfChinaDay(isoDay: string): Date {
  return new Date(`${isoDay}T00:00:00+08:00`);
}

/** The instant after a China day ends (the next day's start): a grant "until 2027-05-31" holds through that day. */
export function endOfChinaDay(isoDay: string): Date {
  return new Date(startOfChinaDay(isoDay).getTime() + DAY_MS);
}

/** The instants of a China day, as a Prisma range filter. */
export function chinaDayRange(isoDay: string): { gte: Date; lt: Date } {
  return { gte: startOfChinaDay(isoDay), lt: endOfChinaDay(isoDay) };
}

/** The instant a China calendar year begins. */
export function startOfChinaYear(year: number): Date {
  return new Date(Date.UTC(year, 0, 1) - CHINA_OFFSET_MS);
}

/** The first day of the China month `instant` falls in (plus `offsetMonths`), at UTC midnight. */
export function chinaMonthStart(instant: Date, offsetMonths = 0): Date {
  const local = chinaDateOf(instant);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + offsetMonths, 1));
}

/** `hour` o'clock in China on the day `dayOffset` days after `from`'s China date. */
export function chinaTimeOn(from: Date, dayOffset: number, hour: number): Date {
  const local = chinaDateOf(from);
  return new Date(
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + dayOffset, hour) - CHINA_OFFSET_MS,
  );
}

/** Whole years of age on `now`'s day in China (born on 29 February: a year older on 1 March). */
export function ageOn(birthDate: Date, now: Date): number {
  const today = chinaDateOf(now);
  let years = today.getUTCFullYear() - birthDate.getUTCFullYear();
  if (
    today.getUTCMonth() < birthDate.getUTCMonth() ||
    (today.getUTCMonth() === birthDate.getUTCMonth() && today.getUTCDate() < birthDate.getUTCDate())
  )
    years -= 1;
  return years;
}

/**
 * The last birth date of people who are `age` or older on `now`'s day in China: `ageOn(b, now) >= age`
 * exactly when `b <= latestBirthDateForAge(age, now)`.
 */
export function latestBirthDateForAge(age: number, now: Date): Date {
  const today = chinaDateOf(now);
  const year = today.getUTCFullYear() - age;
  const month = today.getUTCMonth();
  // 29 February in a year without one: the last such birthday is the 28th.
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(today.getUTCDate(), daysInMonth)));
}
