import { describe, expect, it } from 'vitest';
import {
  ageOn,
  chinaDayRange,
  chinaIsoDate,
  chinaMonthStart,
  chinaTimeOn,
  endOfChinaDay,
  latestBirthDateForAge,
  startOfChinaDay,
  startOfChinaYear,
} from '../src/china-time.js';
import { ADULT_AGE, isAdult, minorChildrenWhere } from '../src/people/household.js';

const born = new Date('2008-05-02T00:00:00Z');
/** Midnight in China on the 18th birthday: 16:00 UTC the day before. */
const birthdayStarts = new Date('2026-05-01T16:00:00Z');
const justBefore = new Date(birthdayStarts.getTime() - 1);

describe('ages, counted in China', () => {
  it('turns 18 at midnight in China, 8 hours before midnight UTC', () => {
    expect(ageOn(born, justBefore)).toBe(17);
    expect(ageOn(born, birthdayStarts)).toBe(18);
    expect(ageOn(born, new Date('2026-05-01T23:59:59.999Z'))).toBe(18);
  });

  it('bounds the birth dates of an age, leap days included', () => {
    const nows = [
      new Date('2026-02-28T15:59:59.999Z'),
      new Date('2026-02-28T16:00:00Z'),
      new Date('2028-02-28T16:00:00Z'), // 29 February 2028 in China
      new Date('2028-02-29T16:00:00Z'),
      new Date('2026-12-31T16:00:00Z'), // 1 January 2027 in China
    ];
    for (const now of nows) {
      const cutoff = latestBirthDateForAge(18, now);
      for (let offset = -3; offset <= 3; offset++) {
        const birthDate = new Date(cutoff.getTime() + offset * 86_400_000);
        expect(ageOn(birthDate, now) >= 18, `${birthDate.toISOString()} at ${now.toISOString()}`).toBe(
          birthDate <= cutoff,
        );
      }
    }
  });

  it('counts someone born on 29 February a year older on 1 March', () => {
    const leapling = new Date('2008-02-29T00:00:00Z');
    expect(ageOn(leapling, new Date('2026-02-28T12:00:00Z'))).toBe(17);
    expect(ageOn(leapling, new Date('2026-02-28T16:00:00Z'))).toBe(18);
  });
});

describe('China days, months and years', () => {
  it("reads today's date in China", () => {
    expect(chinaIsoDate(new Date('2026-11-26T15:59:59.999Z'))).toBe('2026-11-26');
    expect(chinaIsoDate(new Date('2026-11-26T16:00:00Z'))).toBe('2026-11-27');
  });

  it('bounds a China day', () => {
    expect(startOfChinaDay('2026-11-27')).toEqual(new Date('2026-11-26T16:00:00Z'));
    expect(endOfChinaDay('2026-11-27')).toEqual(new Date('2026-11-27T16:00:00Z'));
    expect(chinaDayRange('2026-11-27')).toEqual({
      gte: new Date('2026-11-26T16:00:00Z'),
      lt: new Date('2026-11-27T16:00:00Z'),
    });
  });

  it('starts a China year and month', () => {
    expect(startOfChinaYear(2027)).toEqual(new Date('2026-12-31T16:00:00Z'));
    expect(chinaMonthStart(new Date('2026-11-30T16:00:00Z'))).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(chinaMonthStart(new Date('2026-11-30T15:00:00Z'), 1)).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(chinaMonthStart(new Date('2026-01-15T00:00:00Z'), -1)).toEqual(new Date('2025-12-01T00:00:00Z'));
  });

  it('finds an hour in China some days on', () => {
    expect(chinaTimeOn(new Date('2026-11-26T16:30:00Z'), 0, 9)).toEqual(new Date('2026-11-27T01:00:00Z'));
    expect(chinaTimeOn(new Date('2026-11-26T15:30:00Z'), 2, 9)).toEqual(new Date('2026-11-28T01:00:00Z'));
  });
});

describe('adulthood agrees with age at the 18th birthday', () => {
  const instants = [justBefore, birthdayStarts, new Date('2026-05-01T23:59:59Z'), new Date('2026-05-02T00:00:00Z')];

  it('isAdult is true exactly when ageOn reaches 18, in the 8 hours where China and UTC dates differ too', () => {
    expect(isAdult(born, justBefore)).toBe(false);
    expect(isAdult(born, birthdayStarts)).toBe(true);
    for (const now of instants) expect(isAdult(born, now)).toBe(ageOn(born, now) >= ADULT_AGE);
  });

  it('the minor-children filter keeps a child until midnight in China on the 18th birthday', () => {
    const cutoff = (now: Date) => minorChildrenWhere('household', now).birthDate as { gt: Date };
    expect(born > cutoff(justBefore).gt).toBe(true);
    expect(born > cutoff(birthdayStarts).gt).toBe(false);
  });
});
