import type { Context } from '../../context.js';
import type { ApplicantCategory, EnrollmentLevel } from '../../generated/prisma/enums.js';

/**
 * MIGRANT points (随迁子女积分), all from the city's own records:
 * - 1 point per month of social-insurance contributions in the city in the
 *   60 months before the application (the higher of the two parents), at most 60;
 * - 2 points per full year the family's current residence permit (居住证) has run, at most 20;
 * - 10 points when a parent owns a home in the district.
 */
export const POINTS_RULE = {
  contributionLookbackMonths: 60,
  pointsPerContributionMonth: 1,
  pointsPerPermitYear: 2,
  maxPermitPoints: 20,
  homeInDistrictPoints: 10,
} as const;

export interface PointsBreakdown {
  contributionMonths: number;
  contributionPoints: number;
  permitYears: number;
  permitPoints: number;
  homePoints: number;
  total: number;
}

/** How the applicant category was derived, shown to the family and to reviewers. */
export interface CategoryFacts {
  /** Null when the family neither is registered in a city community nor holds a residence permit. */
  district: { id: string; name: string } | null;
  category: ApplicantCategory | null;
  /** The household is registered (户籍) in a community of this district. */
  hukouInDistrict: boolean;
  registeredCommunity: string | null;
  /** A parent owns a home (不动产登记) in a community of this district. */
  homeOwnedInDistrict: boolean;
  homeAddress: string | null;
  residencePermit: { community: string; issuedOn: string; expiresOn: string; years: number } | null;
  /** Months with contributions in the lookback period, the higher of the two parents (from the card service's records). */
  contributionMonths: number;
  /** MIGRANT only. */
  points: PointsBreakdown | null;
}

function monthStart(date: Date, offsetMonths = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offsetMonths, 1));
}

function fullYearsBetween(from: Date, to: Date): number {
  let years = to.getUTCFullYear() - from.getUTCFullYear();
  if (
    to.getUTCMonth() < from.getUTCMonth() ||
    (to.getUTCMonth() === from.getUTCMonth() && to.getUTCDate() < from.getUTCDate())
  )
    years -= 1;
  return Math.max(years, 0);
}

const districtSelect = {
  primaryDistrict: { select: { id: true, name: true } },
  juniorDistrict: { select: { id: true, name: true } },
} as const;

function districtFor(
  community: { primaryDistrict: { id: string; name: string }; juniorDistrict: { id: string; name: string } },
  level: EnrollmentLevel,
) {
  return level === 'PRIMARY' ? community.primaryDistrict : community.juniorDistrict;
}

/**
 * The child's school district and applicant category for a level, from the
 * household registration, the parents' property records and residence
 * permits, and their contribution months. Nothing is asked of the family.
 */
export async function deriveCategory(
  ctx: Pick<Context, 'db'>,
  householdId: string,
  level: EnrollmentLevel,
  now: Date,
): Promise<CategoryFacts> {
  const prisma = ctx.db.prisma;
  const [household, parents] = await Promise.all([
    prisma.household.findUniqueOrThrow({
      where: { id: householdId },
      select: { community: { select: { name: true, ...districtSelect } } },
    }),
    prisma.resident.findMany({
      where: { householdId, householdRelation: { in: ['HEAD', 'SPOUSE'] } },
      select: {
        id: true,
        properties: {
          orderBy: { registeredOn: 'asc' },
          select: { address: true, community: { select: districtSelect } },
        },
        residencePermits: {
          where: { issuedOn: { lte: now }, expiresOn: { gt: now } },
          orderBy: { issuedOn: 'desc' },
          select: { issuedOn: true, expiresOn: true, community: { select: { name: true, ...districtSelect } } },
        },
      },
    }),
  ]);
  const contributionCounts = parents.length
    ? await prisma.contributionMonth.groupBy({
        by: ['residentId'],
        where: {
          residentId: { in: parents.map((parent) => parent.id) },
          month: { gte: monthStart(now, -POINTS_RULE.contributionLookbackMonths), lt: monthStart(now) },
        },
        _count: { _all: true },
      })
    : [];
  const contributionMonths = Math.max(0, ...contributionCounts.map((row) => row._count._all));

  const permit =
    parents
      .flatMap((parent) => parent.residencePermits)
      .sort((a, b) => b.issuedOn.getTime() - a.issuedOn.getTime())[0] ?? null;
  const registeredDistrict = household.community ? districtFor(household.community, level) : null;
  const district = registeredDistrict ?? (permit ? districtFor(permit.community, level) : null);
  const home = district
    ? (parents
        .flatMap((parent) => parent.properties)
        .find((property) => districtFor(property.community, level).id === district.id) ?? null)
    : null;

  const base = {
    district,
    hukouInDistrict: registeredDistrict !== null,
    registeredCommunity: household.community?.name ?? null,
    homeOwnedInDistrict: home !== null,
    homeAddress: home?.address ?? null,
    residencePermit: permit
      ? {
          community: permit.community.name,
          issuedOn: permit.issuedOn.toISOString().slice(0, 10),
          expiresOn: permit.expiresOn.toISOString().slice(0, 10),
          years: fullYearsBetween(permit.issuedOn, now),
        }
      : null,
    contributionMonths,
  };
  if (!district) return { ...base, category: null, points: null };
  if (registeredDistrict) return { ...base, category: home ? 'HUKOU_AND_HOME' : 'HUKOU_ONLY', points: null };
  return {
    ...base,
    category: 'MIGRANT',
    points: migrantPoints(contributionMonths, base.residencePermit?.years ?? 0, home !== null),
  };
}

export function migrantPoints(
  contributionMonths: number,
  permitYears: number,
  homeInDistrict: boolean,
): PointsBreakdown {
  const counted = Math.min(contributionMonths, POINTS_RULE.contributionLookbackMonths);
  const contributionPoints = counted * POINTS_RULE.pointsPerContributionMonth;
  const permitPoints = Math.min(permitYears * POINTS_RULE.pointsPerPermitYear, POINTS_RULE.maxPermitPoints);
  const homePoints = homeInDistrict ? POINTS_RULE.homeInDistrictPoints : 0;
  return {
    contributionMonths: counted,
    contributionPoints,
    permitYears,
    permitPoints,
    homePoints,
    total: contributionPoints + permitPoints + homePoints,
  };
}

/** Documents the city does not hold, by category: a migrant family renting its home shows the rental contract. */
export function requiredDocumentKinds(
  facts: Pick<CategoryFacts, 'category' | 'homeOwnedInDistrict'>,
): 'RENTAL_CONTRACT'[] {
  return facts.category === 'MIGRANT' && !facts.homeOwnedInDistrict ? ['RENTAL_CONTRACT'] : [];
}
