import type { KnownResident } from '../../src/seed/seed.js';
import { testResident } from '../harness.js';

/**
 * Families for the enrollment tests, all in 香洲街道 (one primary school
 * district, 城区香洲小学学区, with two schools) unless said otherwise:
 * categories derived from the city's records, children on either side of
 * the age and grade rules, a migrant family with points and one without a
 * permit (no district).
 */
export const FAMILIES = {
  /** 户籍+房产: registered in 香洲, owns a home there. Children: one eligible for primary 2027, one too young, one too old. */
  homeHead: testResident('梁国华', '1985-01-01', 501, {
    household: 'liang',
    relation: 'HEAD',
    employed: true,
    enrollment: { town: '香洲街道', ownsHome: true },
  }),
  homeChild: testResident('梁小明', '2021-08-31', 503, { household: 'liang', relation: 'CHILD' }),
  homeTooYoung: testResident('梁小雨', '2021-09-01', 504, { household: 'liang', relation: 'CHILD' }),
  homeTooOld: testResident('梁小雪', '2020-08-31', 506, { household: 'liang', relation: 'CHILD' }),
  /** 户籍 only. */
  hukouHead: testResident('何志刚', '1986-02-02', 505, {
    household: 'he',
    relation: 'HEAD',
    employed: true,
    enrollment: { town: '香洲街道' },
  }),
  hukouSpouse: testResident('何丽娟', '1987-03-03', 508, { household: 'he', relation: 'SPOUSE', employed: true }),
  hukouChild: testResident('何小军', '2020-09-01', 507, { household: 'he', relation: 'CHILD' }),
  /** 随迁子女: registered in 揭阳, permit for 3 years, 40 contribution months: 40 + 6 = 46 points. */
  migrantHead: testResident('郭建明', '1984-04-04', 509, {
    areaCode: '445202',
    household: 'guo',
    relation: 'HEAD',
    employed: true,
    enrollment: { town: '香洲街道', registeredOutside: '445202', residencePermitYears: 3, contributionMonths: 40 },
  }),
  migrantChild: testResident('郭小芳', '2021-05-05', 510, { areaCode: '445202', household: 'guo', relation: 'CHILD' }),
  /** 随迁子女 with fewer points: permit 1 year, 10 months: 10 + 2 = 12. */
  migrant2Head: testResident('邓文华', '1988-05-05', 511, {
    areaCode: '445202',
    household: 'deng',
    relation: 'HEAD',
    employed: true,
    enrollment: { town: '香洲街道', registeredOutside: '445202', residencePermitYears: 1, contributionMonths: 10 },
  }),
  migrant2Child: testResident('邓小龙', '2021-06-06', 513, {
    areaCode: '445202',
    household: 'deng',
    relation: 'CHILD',
  }),
  /** Registered outside the city, no residence permit: no school district. */
  noPermitHead: testResident('孔德明', '1983-06-06', 515, {
    areaCode: '445202',
    household: 'kong',
    relation: 'HEAD',
    enrollment: { registeredOutside: '445202' },
  }),
  noPermitChild: testResident('孔小燕', '2021-01-10', 516, {
    areaCode: '445202',
    household: 'kong',
    relation: 'CHILD',
  }),
  /** Junior middle: one child in grade 6 (by birth date), one in grade 5. */
  juniorHead: testResident('苏振华', '1980-07-07', 517, {
    household: 'su',
    relation: 'HEAD',
    enrollment: { town: '香洲街道' },
  }),
  juniorChild: testResident('苏小杰', '2014-10-05', 519, { household: 'su', relation: 'CHILD' }),
  juniorTooYoung: testResident('苏小梅', '2015-10-10', 520, { household: 'su', relation: 'CHILD' }),
  /** Lives in another town (海城镇, 海丰县): a different district. */
  otherTownHead: testResident('温海生', '1982-08-08', 521, {
    areaCode: '441521',
    household: 'wen',
    relation: 'HEAD',
    enrollment: { town: '海城镇' },
  }),
  otherTownChild: testResident('温小宝', '2021-02-02', 523, {
    areaCode: '441521',
    household: 'wen',
    relation: 'CHILD',
  }),
} satisfies Record<string, KnownResident>;

export const FAMILY_RESIDENTS: KnownResident[] = Object.values(FAMILIES);

/** Tiny valid files of each accepted type, and ones that only pretend. */
export const FILES = {
  pdf: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  png: Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a8b20000000049454e44ae426082',
    'hex',
  ),
  jpeg: Buffer.concat([
    Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'),
    Buffer.alloc(64, 0),
    Buffer.from('ffd9', 'hex'),
  ]),
  /** A Windows program (MZ header) renamed to .pdf. */
  exe: Buffer.concat([
    Buffer.from(
      '4d5a90000300000004000000ffff0000b800000000000000400000000000000000000000000000000000000000000000000000000000000000000000800000000e1fba0e00b409cd21b8014ccd21546869732070726f6772616d2063616e6e6f742062652072756e20696e20444f53206d6f64652e',
      'hex',
    ),
    Buffer.alloc(200, 0),
  ]),
  html: Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'),
};

export function base64(content: Buffer): string {
  return content.toString('base64');
}

export { insertApprovedApplicants, type ApplicantSpec } from './allocation-fixtures.js';
