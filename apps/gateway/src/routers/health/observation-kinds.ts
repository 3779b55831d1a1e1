/** LOINC code, unit (UCUM) and adult reference range of each value the portal records. */
export const OBSERVATION_KINDS = {
  heightCm: { loinc: '8302-2', unit: 'cm', low: null, high: null },
  weightKg: { loinc: '29463-7', unit: 'kg', low: null, high: null },
  bmi: { loinc: '39156-5', unit: 'kg/m2', low: 18.5, high: 23.9 },
  systolicBp: { loinc: '8480-6', unit: 'mm[Hg]', low: 90, high: 139 },
  diastolicBp: { loinc: '8462-4', unit: 'mm[Hg]', low: 60, high: 89 },
  fastingGlucose: { loinc: '1558-6', unit: 'mmol/L', low: 3.9, high: 6.1 },
  totalCholesterol: { loinc: '2093-3', unit: 'mmol/L', low: 2.8, high: 5.2 },
  hemoglobin: { loinc: '718-7', unit: 'g/L', low: 115, high: 175 },
  whiteBloodCells: { loinc: '6690-2', unit: '10*9/L', low: 3.5, high: 9.5 },
} as const;

export type ObservationKind = keyof typeof OBSERVATION_KINDS;
