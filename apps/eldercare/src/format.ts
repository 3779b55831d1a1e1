import { COUNTY_AREAS } from '@portal/identity';
import { formatDate, formatTime } from '@portal/ui';

/** A slot as people say it: 2026/11/28 11:00–12:00. */
export function slotText(startsAt: Date, endsAt: Date): { date: string; from: string; to: string } {
  return { date: formatDate(startsAt), from: formatTime(startsAt), to: formatTime(endsAt) };
}

/** Today in the city (China Standard Time) as YYYY-MM-DD. */
export function todayInCity(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

/** A YYYY-MM-DD date some days after today in the city. */
export function cityDatePlusDays(days: number): string {
  const [year, month, day] = todayInCity().split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** A county area's name in the page's language, from its division code. */
export function areaName(code: string, locale: string): string {
  const area = COUNTY_AREAS.find((candidate) => candidate.code === code);
  if (!area) return code;
  return locale === 'en' ? area.en : area.zh;
}

/** A delegation ends at the start of the day after its last day: the last day it holds, for display. */
export function lastDayOf(endsAt: Date): Date {
  return new Date(endsAt.getTime() - 1);
}
