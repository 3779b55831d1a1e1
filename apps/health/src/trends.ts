/** A line of the exams page's trend chart. */
export interface TrendSeries {
  label: string;
  stroke: string;
  /** A dash pattern, so two lines differ in more than colour. */
  dash?: number[];
  points: { at: Date; value: number }[];
}

/** What the trend chart can show: blood pressure draws two lines (systolic and diastolic). */
export const TREND_METRICS = {
  bloodPressure: { kinds: ['systolicBp', 'diastolicBp'], unit: 'mmHg' },
  fastingGlucose: { kinds: ['fastingGlucose'], unit: 'mmol/L' },
  weightKg: { kinds: ['weightKg'], unit: 'kg' },
  bmi: { kinds: ['bmi'], unit: 'kg/m²' },
} as const;

export type TrendMetric = keyof typeof TREND_METRICS;
export const LINE_STYLES = [
  { stroke: '#c8102e', dash: undefined },
  { stroke: '#0a5cad', dash: [8, 5] },
] as const;
