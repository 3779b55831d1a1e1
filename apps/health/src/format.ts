import { portalLocale } from '@portal/ui';

/** A measured value as people write it: at most two decimals, in the page's language. */
export function formatValue(value: number): string {
  return new Intl.NumberFormat(portalLocale.value, { maximumFractionDigits: 2 }).format(value);
}

/** UCUM units (as stored and exported) in the form people read them. */
const UNIT_TEXT: Record<string, string> = {
  'mm[Hg]': 'mmHg',
  'kg/m2': 'kg/m²',
  '10*9/L': '×10⁹/L',
};

export function displayUnit(unit: string): string {
  return UNIT_TEXT[unit] ?? unit;
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
