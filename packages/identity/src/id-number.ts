/**
 * Resident ID numbers (居民身份证号码) per GB 11643-1999: 6-digit area code,
 * 8-digit birth date, 3-digit sequence (odd for men, even for women) and a
 * check character computed with ISO 7064 MOD 11-2.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

export type IdNumberProblem = 'shape' | 'birthDate' | 'checkDigit';

export function computeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/** Upper-cases a trailing x and strips spaces, as people type it. */
export function normalizeIdNumber(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

export function findIdNumberProblem(idNumber: string): IdNumberProblem | null {
  if (!SHAPE.test(idNumber)) return 'shape';
  const year = Number(idNumber.slice(6, 10));
  const month = Number(idNumber.slice(10, 12));
  const day = Number(idNumber.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid =
    year >= 1900 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!valid) return 'birthDate';
  if (computeCheckCharacter(idNumber.slice(0, 17)) !== idNumber[17]) return 'checkDigit';
  return null;
}

export function isValidIdNumber(idNumber: string): boolean {
  return findIdNumberProblem(idNumber) === null;
}

export function birthDateOf(idNumber: string): string {
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
}

export function genderOf(idNumber: string): 'MALE' | 'FEMALE' {
  return Number(idNumber[16]) % 2 === 1 ? 'MALE' : 'FEMALE';
}

/** Builds a valid ID number from its parts (used by the seed and tests). */
export function composeIdNumber(areaCode: string, birthDate: string, sequence: number): string {
  const first17 = `${areaCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + computeCheckCharacter(first17);
}
