import { CHINA_OFFSET_MS } from '../../people/household.js';

// Months and days as the city counts them: in China Standard Time.

/** The first day of the month `now` falls in, in China, as a date (UTC midnight, for @db.Date columns). */
export function monthStartOf(now: Date, offsetMonths = 0): Date {
  const local = new Date(now.getTime() + CHINA_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + offsetMonths, 1));
}

/** "2026-11" */
export function monthKey(month: Date): string {
  return month.toISOString().slice(0, 7);
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Home-care services and the subsidy are for residents of 60 and over (老年人: 六十周岁以上). */
export const ELDERCARE_MIN_AGE = 60;

/** `hour` o'clock in China on the day `dayOffset` days after `from`'s China date. */
export function chinaTimeOn(from: Date, dayOffset: number, hour: number): Date {
  const local = new Date(from.getTime() + CHINA_OFFSET_MS);
  return new Date(
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + dayOffset, hour) - CHINA_OFFSET_MS,
  );
}
