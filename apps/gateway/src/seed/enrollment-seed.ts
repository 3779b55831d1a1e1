import type { Prisma } from '../generated/prisma/client.js';
import { TOWNS } from './places.js';
import type { SeededRandom } from './random.js';

/** Short names of the county areas, as schools are named: 海丰县海城中心小学. */
const AREA_SHORT: Record<string, string> = {
  '441502': '城区',
  '441521': '海丰县',
  '441523': '陆河县',
  '441581': '陆丰市',
};
const COMMUNITY_SUFFIXES = ['东', '西'] as const;
/** Junior-middle school districts each cover this many neighbouring towns. */
const TOWNS_PER_JUNIOR_DISTRICT = 3;
/** The intake year the demo city's enrollment windows are for. */
export const DEMO_INTAKE_YEAR = 2027;
export const CLASS_SIZE = { PRIMARY: 45, JUNIOR: 50 } as const;

function townBase(town: string): string {
  return town.replace(/(街道|镇)$/, '');
}

export interface CommunityPlan {
  id: string;
  code: string;
  name: string;
  areaCode: string;
  town: string;
  primaryDistrictId: string;
  juniorDistrictId: string;
}

export interface SchoolPlan {
  id: string;
  code: string;
  name: string;
  areaCode: string;
  level: 'PRIMARY' | 'JUNIOR';
  address: string;
  districtId: string;
}

/** The city's school geography: districts per level, the communities they cover, schools with places per entry grade. */
export interface EnrollmentGeography {
  districts: Prisma.SchoolDistrictCreateManyInput[];
  communities: CommunityPlan[];
  schools: SchoolPlan[];
  capacities: Prisma.SchoolCapacityCreateManyInput[];
}

/**
 * Every town (镇/街道) is one primary school district with two primary
 * schools and two communities; every three neighbouring towns of a county
 * area form one junior-middle district with two schools.
 */
export function planEnrollmentGeography(random: SeededRandom): EnrollmentGeography {
  const geography: EnrollmentGeography = { districts: [], communities: [], schools: [], capacities: [] };
  for (const [areaCode, towns] of Object.entries(TOWNS)) {
    const area = AREA_SHORT[areaCode]!;
    const juniorDistrictIds: string[] = [];
    for (let start = 0; start < towns.length; start += TOWNS_PER_JUNIOR_DISTRICT) {
      const index = start / TOWNS_PER_JUNIOR_DISTRICT + 1;
      const id = random.uuid();
      const base = townBase(towns[start]!);
      juniorDistrictIds.push(id);
      geography.districts.push({
        id,
        code: `XQ${areaCode}J${index}`,
        name: `${area}${base}初中学区`,
        areaCode,
        level: 'JUNIOR',
      });
      ['中学', '第二中学'].forEach((suffix, schoolIndex) => {
        geography.schools.push({
          id: random.uuid(),
          code: `SW${areaCode}J${String(index).padStart(2, '0')}${schoolIndex + 1}`,
          name: `${area}${base}${suffix}`,
          areaCode,
          level: 'JUNIOR',
          address: `${area}${towns[start]}学府路${schoolIndex * 20 + 8}号`,
          districtId: id,
        });
      });
    }
    towns.forEach((town, townIndex) => {
      const districtId = random.uuid();
      const base = townBase(town);
      geography.districts.push({
        id: districtId,
        code: `XQ${areaCode}P${townIndex + 1}`,
        name: `${area}${base}小学学区`,
        areaCode,
        level: 'PRIMARY',
      });
      ['中心小学', '第二小学'].forEach((suffix, schoolIndex) => {
        geography.schools.push({
          id: random.uuid(),
          code: `SW${areaCode}P${String(townIndex + 1).padStart(2, '0')}${schoolIndex + 1}`,
          name: `${area}${base}${suffix}`,
          areaCode,
          level: 'PRIMARY',
          address: `${area}${town}育才路${schoolIndex * 10 + 3}号`,
          districtId,
        });
      });
      COMMUNITY_SUFFIXES.forEach((suffix, communityIndex) => {
        geography.communities.push({
          id: random.uuid(),
          code: `${areaCode}${String(townIndex + 1).padStart(3, '0')}${String(communityIndex + 1).padStart(3, '0')}`,
          name: `${town}${base}${suffix}社区`,
          areaCode,
          town,
          primaryDistrictId: districtId,
          juniorDistrictId: juniorDistrictIds[Math.floor(townIndex / TOWNS_PER_JUNIOR_DISTRICT)]!,
        });
      });
    });
  }
  for (const school of geography.schools) {
    const classes = school.level === 'PRIMARY' ? random.int(2, 6) : random.int(6, 12);
    geography.capacities.push({
      schoolId: school.id,
      year: DEMO_INTAKE_YEAR,
      grade: school.level === 'PRIMARY' ? 1 : 7,
      places: classes * CLASS_SIZE[school.level],
    });
  }
  return geography;
}

export async function writeEnrollmentGeography(
  prisma: Pick<Prisma.TransactionClient, 'schoolDistrict' | 'community' | 'school' | 'schoolCapacity'>,
  geography: EnrollmentGeography,
) {
  await prisma.schoolDistrict.createMany({ data: geography.districts });
  await prisma.community.createMany({ data: geography.communities.map(({ town: _town, ...community }) => community) });
  await prisma.school.createMany({ data: geography.schools });
  await prisma.schoolCapacity.createMany({ data: geography.capacities });
}

/**
 * The intake year's windows, open around the reference date so that the
 * demo (and the tests, whose clock starts just after it) can apply; offers
 * are answered within 14 days.
 */
export function planEnrollmentWindows(random: SeededRandom, reference: Date): Prisma.EnrollmentWindowCreateManyInput[] {
  const opensAt = new Date(reference.getTime() - 14 * 86_400_000);
  const closesAt = new Date(reference.getTime() + 120 * 86_400_000);
  return (['PRIMARY', 'JUNIOR'] as const).map((level) => ({
    id: random.uuid(),
    year: DEMO_INTAKE_YEAR,
    level,
    opensAt,
    closesAt,
    respondDays: 14,
  }));
}

/** The school year (by the calendar year it began in September) that a date falls in. */
export function schoolYearAt(date: Date): number {
  return date.getUTCMonth() >= 8 ? date.getUTCFullYear() : date.getUTCFullYear() - 1;
}

/** The grade a child is in during a school year when they started grade 1 on time (six by 31 August), or null outside grades 1–9. */
export function gradeFor(birthDate: string, schoolYear: number): number | null {
  const [year, month] = birthDate.split('-').map(Number) as [number, number];
  const entryYear = month <= 8 ? year + 6 : year + 7;
  const grade = schoolYear - entryYear + 1;
  return grade >= 1 && grade <= 9 ? grade : null;
}

export function communitiesOfTown(geography: EnrollmentGeography, areaCode: string, town: string): CommunityPlan[] {
  return geography.communities.filter((community) => community.areaCode === areaCode && community.town === town);
}

/** A school of the community's district at that level, for a pupil's student-roll record; the area's first one when the family lives elsewhere. */
export function schoolNameFor(
  geography: EnrollmentGeography,
  communityId: string | null,
  level: 'PRIMARY' | 'JUNIOR',
  areaCode: string,
): string {
  const community = communityId ? geography.communities.find((candidate) => candidate.id === communityId) : undefined;
  const districtId = community
    ? level === 'PRIMARY'
      ? community.primaryDistrictId
      : community.juniorDistrictId
    : undefined;
  const school = geography.schools.find(
    (candidate) =>
      candidate.level === level && (districtId ? candidate.districtId === districtId : candidate.areaCode === areaCode),
  );
  return school!.name;
}
