import { describe, expect, it } from 'vitest';
import { composeIdNumber, findIdNumberProblem, genderOf, normalizeIdNumber } from './id-number.js';
import { maskIdNumber, maskPhone } from './masking.js';

describe('ID numbers (GB 11643-1999)', () => {
  it('accepts the standard published example', () => {
    // The example number printed in GB 11643-1999 itself.
    expect(findIdNumberProblem('11010519491231002X')).toBeNull();
  });

  it('refuses a wrong check character', () => {
    expect(findIdNumberProblem('110105194912310021')).toBe('checkDigit');
  });

  it('refuses impossible birth dates and bad shapes', () => {
    expect(findIdNumberProblem(composeIdNumber('441502', '1990-02-30', 1))).toBe('birthDate');
    expect(findIdNumberProblem('44150219900101123')).toBe('shape');
    expect(findIdNumberProblem('4415021990010112AX')).toBe('shape');
  });

  it('composes valid numbers and reads the gender from the sequence', () => {
    const id = composeIdNumber('441581', '1956-07-15', 123);
    expect(findIdNumberProblem(id)).toBeNull();
    expect(genderOf(id)).toBe('MALE');
    expect(normalizeIdNumber(' 11010519491231002x ')).toBe('11010519491231002X');
  });

  it('masks as the city asks', () => {
    expect(maskIdNumber('44150219900101123X')).toBe('4415**********123X');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});
