import { afterEach, describe, expect, it, vi } from 'vitest';
import { displayUnit, formatValue, todayInCity } from '../src/format';
import { LINE_STYLES, TREND_METRICS } from '../src/trends';

const locale = vi.hoisted(() => ({ portalLocale: { value: 'zh-CN' } }));
vi.mock('@portal/ui', () => locale);

afterEach(() => {
  vi.useRealTimers();
  locale.portalLocale.value = 'zh-CN';
});

describe('trend metrics', () => {
  it('draws blood pressure as two lines and every other metric as one', () => {
    expect(TREND_METRICS.bloodPressure.kinds).toEqual(['systolicBp', 'diastolicBp']);
    for (const [metric, { kinds }] of Object.entries(TREND_METRICS)) {
      if (metric !== 'bloodPressure') expect(kinds).toHaveLength(1);
    }
  });

  it('gives each metric a unit as people read it', () => {
    expect(TREND_METRICS.bloodPressure.unit).toBe('mmHg');
    expect(TREND_METRICS.fastingGlucose.unit).toBe('mmol/L');
    expect(TREND_METRICS.weightKg.unit).toBe('kg');
    expect(TREND_METRICS.bmi.unit).toBe('kg/m²');
  });

  it('has a style for every line a metric draws, differing in more than colour', () => {
    const mostLines = Math.max(...Object.values(TREND_METRICS).map(({ kinds }) => kinds.length));
    expect(LINE_STYLES.length).toBeGreaterThanOrEqual(mostLines);
    const [first, second] = LINE_STYLES;
    expect(first.stroke).not.toBe(second.stroke);
    expect(first.dash).not.toEqual(second.dash);
    for (const style of LINE_STYLES) expect(style.stroke).toMatch(/^#[0-9a-f]{6}$/);
  });
});

describe('format helpers', () => {
  it('shows at most two decimals in the page’s language', () => {
    expect(formatValue(5.6789)).toBe('5.68');
    expect(formatValue(120)).toBe('120');
    expect(formatValue(12345.5)).toBe('12,345.5');
    locale.portalLocale.value = 'en';
    expect(formatValue(0.125)).toBe('0.13');
  });

  it('shows UCUM units the way people write them, and others as they are', () => {
    expect(displayUnit('mm[Hg]')).toBe('mmHg');
    expect(displayUnit('kg/m2')).toBe('kg/m²');
    expect(displayUnit('10*9/L')).toBe('×10⁹/L');
    expect(displayUnit('mmol/L')).toBe('mmol/L');
  });

  it('gives today’s date in China time, not the machine’s', () => {
    vi.useFakeTimers();
    // 17:30 UTC on 31 December is already 1 January in the city.
    vi.setSystemTime(new Date('2025-12-31T17:30:00Z'));
    expect(todayInCity()).toBe('2026-01-01');
    vi.setSystemTime(new Date('2025-12-31T15:59:00Z'));
    expect(todayInCity()).toBe('2025-12-31');
  });
});
