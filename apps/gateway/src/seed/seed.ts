import { birthDateOf, composeIdNumber, genderOf, maskCardNumber, maskIdNumber, maskPhone } from '@portal/identity';
import { createHash } from 'node:crypto';
import type { ServerDeps } from '../context.js';
import type { Prisma } from '../generated/prisma/client.js';
import { hashPassword } from '../security/passwords.js';
import {
  DEMO_ELDERS,
  DEMO_ENROLLMENT_FAMILIES,
  DEMO_HOUSEHOLD_MEMBERS,
  DEMO_PASSWORD,
  DEMO_RESIDENTS,
  DEMO_STAFF,
} from './demo-accounts.js';
import {
  communitiesOfTown,
  gradeFor,
  planEnrollmentGeography,
  planEnrollmentWindows,
  schoolNameFor,
  schoolYearAt,
  writeEnrollmentGeography,
  type EnrollmentGeography,
} from './enrollment-seed.js';
import { seedDemoApplications } from './enrollment-demo.js';
import {
  providerOffices,
  seedCareProviders,
  seedCareRecords,
  type CarePerson,
  type KnownCare,
} from './eldercare-seed.js';
import {
  HealthRows,
  planFacilities,
  planHealthRecord,
  writeHealthRows,
  type Facilities,
  type HealthPerson,
} from './health-seed.js';
import { AREA_NAMES, BANKS, EMPLOYERS, GIVEN_FEMALE, GIVEN_MALE, SURNAMES, TOWNS } from './places.js';
import { SeededRandom } from './random.js';

/** A resident with known facts, e.g. the demo sign-ins or a browser test's own people. */
export interface KnownResident {
  name: string;
  idNumber: string;
  areaCode: string;
  phone: string | null;
  employed: boolean;
  minimumLiving: boolean;
  /** People with the same key live in one household; without one, a person lives alone. */
  household?: string;
  relation?: HouseholdRelation;
  /** What a demo or test needs in the health record. */
  health?: Pick<HealthPerson, 'encounters' | 'sensitive' | 'missLatestDose' | 'chronic'>;
  /** Benefits the city pays every month of the last year (e.g. 低保, 特困供养), besides `minimumLiving`. */
  entitlements?: readonly ('MINIMUM_LIVING' | 'SOCIAL_ASSISTANCE')[];
  /** The ID number of a parent: the city's family records link them (an adult child can then be given a delegation). */
  childOf?: string;
  /** Home care: a care profile, maybe an assessment level in force, a payment method. */
  care?: KnownCare;
  /** What a demo or test needs for school enrollment (子女入学). */
  enrollment?: EnrollmentFacts;
}

/** A resident's facts in the city's records that school enrollment reads. */
export interface EnrollmentFacts {
  /** The town of the household's registered address (its first community); the first member of a household to say wins. */
  town?: string;
  /** A migrant family: the household is registered outside the city, in this area (e.g. "445202"); household-wide like `town`. */
  registeredOutside?: string;
  /** Holds a residence permit (居住证) for a community of `town` (or of the area's first town), first issued this many years ago. */
  residencePermitYears?: number;
  /** Owns a home in the household's community (or the residence permit's). */
  ownsHome?: boolean;
  /** A pupil's grade in the current school year on the student roll; by default from the birth date (grades 1–9). */
  grade?: number;
  /** Exactly this many months of contributions up to the reference date (only for employed residents). */
  contributionMonths?: number;
}

type HouseholdRelation = 'HEAD' | 'SPOUSE' | 'CHILD' | 'PARENT' | 'OTHER';

export interface SeedOptions {
  residents: number;
  /** Added after the demo residents; the browser tests give each test its own people. */
  extraResidents?: KnownResident[];
  /** Contributions run up to the month before this date. */
  referenceDate?: Date;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** The demo's enrollment families and their applications (npm start); tests bring their own people. */
  enrollmentDemo?: boolean;
}

const AREAS = Object.keys(TOWNS);
const SOCIAL_INSURANCE_PAYER = '汕尾市社会保险基金管理局';
const CIVIL_AFFAIRS_PAYER = '汕尾市民政局';

interface PlannedResident {
  name: string;
  idNumber: string;
  gender: 'MALE' | 'FEMALE';
  birthDate: string;
  areaCode: string;
  phone: string | null;
  employed: boolean;
  minimumLiving: boolean;
  household: string;
  relation: HouseholdRelation;
  health?: KnownResident['health'];
  enrollment?: EnrollmentFacts;
  entitlements?: KnownResident['entitlements'];
}

function monthStart(date: Date, offsetMonths = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offsetMonths, 1));
}

function ageAt(birthDate: string, when: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = when.getUTCFullYear() - y;
  if (when.getUTCMonth() + 1 < m || (when.getUTCMonth() + 1 === m && when.getUTCDate() < d)) age -= 1;
  return age;
}

/** True when the database already holds demo data: a restart must not seed twice. */
export async function isSeeded(deps: ServerDeps): Promise<boolean> {
  return (await deps.db.prisma.serviceCenter.count()) > 0;
}

/**
 * A deterministic city: service centers and staff in every town, health
 * facilities at every level, residents in households over the four county
 * areas, each with a social security card, monthly contributions, benefits
 * and a multi-year health record. Scales to millions in batches.
 */
export async function seedDemoData(deps: ServerDeps, options: SeedOptions): Promise<void> {
  const random = new SeededRandom(20140305); // the plan's date
  const reference = options.referenceDate ?? deps.now();
  const batchSize = options.batchSize ?? 500;
  const prisma = deps.db.prisma;
  // One real argon2id hash shared by the demo accounts: hashing a million passwords would take hours.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  // Provider offices get ids derived from their codes, so that the seeded random stream (and all later demo data) stays as it was.
  const centers = [
    ...seedCenters(random),
    ...providerOffices().map((office) => ({ id: uuidFromKey(`service-center:${office.code}`), ...office })),
  ];
  await prisma.serviceCenter.createMany({ data: centers });
  const centerIdByCode = new Map(centers.map((center) => [center.code, center.id]));
  const { providerIdByCode } = await seedCareProviders(deps, random);
  const staff: Prisma.StaffMemberCreateManyInput[] = DEMO_STAFF.map((member) => ({
    id: random.uuid(),
    staffNumber: member.staffNumber,
    name: member.name,
    role: member.role,
    centerId: centerIdByCode.get(member.centerCode)!,
    providerId: 'providerCode' in member ? providerIdByCode.get(member.providerCode)! : null,
    passwordHash,
  }));
  const staffedCenters = new Set<string>(DEMO_STAFF.map((member) => member.centerCode));
  let staffNumber = 3001;
  for (const center of centers) {
    if (staffedCenters.has(center.code)) continue;
    staff.push({
      id: random.uuid(),
      staffNumber: `SW${staffNumber++}`,
      name: `${random.pick(SURNAMES)}${random.pick(random.chance(0.5) ? GIVEN_MALE : GIVEN_FEMALE)}`,
      role: 'COUNTER',
      centerId: center.id,
      passwordHash,
    });
  }
  await prisma.staffMember.createMany({ data: staff });

  const facilities = planFacilities(random);
  await prisma.healthFacility.createMany({ data: facilities.all });

  // School enrollment draws from its own generator, so the rest of the city does not depend on it.
  const enrollmentRandom = new SeededRandom(20270901);
  const geography = planEnrollmentGeography(enrollmentRandom);
  await writeEnrollmentGeography(prisma, geography);
  await prisma.enrollmentWindow.createMany({ data: planEnrollmentWindows(enrollmentRandom, reference) });

  const known: KnownResident[] = [
    ...DEMO_RESIDENTS.map((demo) => ({
      name: demo.name,
      idNumber: demo.idNumber,
      areaCode: demo.areaCode,
      phone: demo.phone,
      employed: demo.key !== 'elder',
      minimumLiving: demo.key === 'elder',
      ...('household' in demo ? { household: demo.household, relation: demo.relation } : {}),
      ...('health' in demo
        ? { health: { ...demo.health, chronic: 'chronic' in demo.health ? [...demo.health.chronic] : undefined } }
        : {}),
      ...('enrollment' in demo ? { enrollment: { ...demo.enrollment } } : {}),
    })),
    ...DEMO_HOUSEHOLD_MEMBERS.map((member) => ({ ...member })),
    ...(options.enrollmentDemo
      ? DEMO_ENROLLMENT_FAMILIES.map((member) => ({ ...member, enrollment: { ...member.enrollment } }))
      : []),
    ...DEMO_ELDERS.map((elder) => ({ ...elder, ...('care' in elder ? { care: { ...elder.care } } : {}) })),
    ...(options.extraResidents ?? []),
  ];
  const elderDemo = DEMO_RESIDENTS.find((resident) => resident.key === 'elder')!;
  const childDemo = DEMO_RESIDENTS.find((resident) => resident.key === 'elderChild')!;
  for (const person of known) {
    if (person.idNumber === elderDemo.idNumber) {
      person.care = {
        livingSituation: 'ALONE',
        paymentMethod: 'CASH',
        level: 'MODERATE',
        emergencyContacts: [{ name: childDemo.name, relation: '儿子', phone: childDemo.phone }],
        history: true,
      };
    }
    if (person.idNumber === childDemo.idNumber) person.childOf = elderDemo.idNumber;
  }
  const usedIds = new Set<string>(known.map((resident) => resident.idNumber));
  const planned: PlannedResident[] = known.map((person, index) => ({
    ...person,
    household: person.household ?? `known-${index}`,
    relation: person.relation ?? 'HEAD',
    gender: genderOf(person.idNumber),
    birthDate: birthDateOf(person.idNumber),
  }));

  const total = Math.max(options.residents, planned.length);
  let done = 0;
  let generatedIndex = 0;
  while (done < total) {
    const batch: PlannedResident[] = [];
    if (done === 0) batch.push(...planned);
    // Whole households only, so that a family is written together.
    while (batch.length < batchSize && done + batch.length < total) {
      const household = planHousehold(random, usedIds, reference, generatedIndex++);
      batch.push(...household.slice(0, total - done - batch.length));
    }
    await prisma.$transaction(
      async (tx) => {
        await writeBatch(deps, tx, random, batch, reference, passwordHash, facilities, {
          geography,
          random: enrollmentRandom,
        });
      },
      { timeout: 300_000, maxWait: 60_000 },
    );
    done += batch.length;
    options.onProgress?.(done, total);
  }
  await seedDemoReplacement(deps, random, centerIdByCode, reference);
  if (options.enrollmentDemo) await seedDemoApplications(deps, enrollmentRandom);
  await seedFamiliesAndCare(deps, random, known);
}

/** Parent–child records, care profiles and assessments for the residents that ask for them, and 陈秀英's delegation to her son. */
async function seedFamiliesAndCare(deps: ServerDeps, random: SeededRandom, known: KnownResident[]) {
  const prisma = deps.db.prisma;
  const idOf = async (idNumber: string) =>
    (
      await prisma.resident.findUniqueOrThrow({
        where: { idNumberHash: deps.protector.lookupHash(idNumber, 'idNumber') },
        select: { id: true },
      })
    ).id;
  const relations: Prisma.FamilyRelationCreateManyInput[] = [];
  const carePeople: CarePerson[] = [];
  for (const person of known) {
    if (person.childOf)
      relations.push({
        id: random.uuid(),
        parentId: await idOf(person.childOf),
        childId: await idOf(person.idNumber),
        source: '出生医学证明',
      });
    if (person.care) carePeople.push({ residentId: await idOf(person.idNumber), care: person.care });
  }
  if (relations.length) await prisma.familyRelation.createMany({ data: relations });
  const assessor = await prisma.staffMember.findFirstOrThrow({
    where: { role: 'CARE_ASSESSOR' },
    orderBy: { staffNumber: 'asc' },
    select: { id: true },
  });
  await seedCareRecords(deps, random, carePeople, assessor.id);
  // 陈秀英 has delegated home care to her son for half a year.
  const elder = DEMO_RESIDENTS.find((resident) => resident.key === 'elder')!;
  const child = DEMO_RESIDENTS.find((resident) => resident.key === 'elderChild')!;
  const now = deps.now();
  await prisma.delegationGrant.create({
    data: {
      id: random.uuid(),
      grantorId: await idOf(elder.idNumber),
      granteeId: await idOf(child.idNumber),
      service: 'ELDERCARE',
      basis: 'ADULT_CHILD',
      startsAt: new Date(now.getTime() - 30 * 86_400_000),
      endsAt: new Date(now.getTime() + 180 * 86_400_000),
      createdAt: new Date(now.getTime() - 30 * 86_400_000),
    },
  });
}

function seedCenters(random: SeededRandom): Prisma.ServiceCenterCreateManyInput[] {
  const centers: Prisma.ServiceCenterCreateManyInput[] = [
    {
      id: random.uuid(),
      code: 'SC441502000',
      name: '汕尾市社会保障卡服务中心',
      areaCode: '441502',
      address: '汕尾市城区汕尾大道中段',
    },
    {
      id: random.uuid(),
      code: 'EDU441500',
      name: '汕尾市教育局',
      areaCode: '441502',
      address: '汕尾市城区香洲街道教育路1号',
    },
  ];
  for (const area of AREAS) {
    TOWNS[area]!.forEach((town, index) => {
      centers.push({
        id: random.uuid(),
        code: `SC${area}${String(index + 1).padStart(3, '0')}`,
        name: `${town}社区综合服务中心`,
        areaCode: area,
        address: `${AREA_NAMES[area]}${town}人民路${index + 1}号`,
      });
    });
  }
  return centers;
}

/** A household as the city registers it: a head, maybe a spouse, children, and an elderly parent. */
function planHousehold(random: SeededRandom, usedIds: Set<string>, reference: Date, index: number): PlannedResident[] {
  const areaCode = AREAS[index % AREAS.length]!;
  const household = `generated-${index}`;
  const roll = random.next();
  const member = (relation: HouseholdRelation, minAge: number, maxAge: number, surname?: string) =>
    planResident(random, usedIds, reference, areaCode, random.int(minAge, maxAge), household, relation, surname);
  if (roll < 0.15) return [member('HEAD', 20, 59)];
  if (roll < 0.3) {
    const head = member('HEAD', 62, 88);
    return random.chance(0.6) ? [head, member('SPOUSE', 60, 86)] : [head];
  }
  const head = member('HEAD', 26, 55);
  const surname = head.name.slice(0, 1);
  const family = [head, member('SPOUSE', 24, 55)];
  if (roll < 0.45) return family;
  const headAge = ageAt(head.birthDate, reference);
  const children = random.int(1, 2);
  for (let child = 0; child < children; child += 1)
    family.push(member('CHILD', 0, Math.min(17, headAge - 20), surname));
  if (roll > 0.8) family.push(member('PARENT', 62, 88, surname));
  return family;
}

function planResident(
  random: SeededRandom,
  usedIds: Set<string>,
  reference: Date,
  areaCode: string,
  age: number,
  household: string,
  relation: HouseholdRelation,
  surname?: string,
): PlannedResident {
  const year = reference.getUTCFullYear() - age - 1;
  const birthDate = `${year}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
  const male = random.chance(0.5);
  // The sequence number is odd for men and even for women (GB 11643-1999).
  const first = male ? 1 : 2;
  let sequence = random.int(0, 498) * 2 + first;
  let idNumber = composeIdNumber(areaCode, birthDate, sequence);
  while (usedIds.has(idNumber)) {
    sequence = sequence + 2 > 998 ? first : sequence + 2;
    idNumber = composeIdNumber(areaCode, birthDate, sequence);
  }
  usedIds.add(idNumber);
  const realAge = ageAt(birthDate, reference);
  return {
    name: `${surname ?? random.pick(SURNAMES)}${random.pick(male ? GIVEN_MALE : GIVEN_FEMALE)}`,
    idNumber,
    gender: male ? 'MALE' : 'FEMALE',
    birthDate,
    areaCode,
    phone:
      realAge >= 16 && random.chance(0.85)
        ? `1${random.pick(['38', '39', '37', '35', '58', '86'])}${String(random.int(0, 99_999_999)).padStart(8, '0')}`
        : null,
    employed: realAge >= 18 && realAge < 60 && random.chance(0.8),
    minimumLiving: random.chance(0.05),
    household,
    relation,
  };
}

async function writeBatch(
  deps: ServerDeps,
  tx: Prisma.TransactionClient,
  random: SeededRandom,
  batch: PlannedResident[],
  reference: Date,
  passwordHash: string,
  facilities: Facilities,
  enrollment: { geography: EnrollmentGeography; random: SeededRandom },
) {
  const { protector } = deps;
  const { geography } = enrollment;
  const schoolYear = schoolYearAt(reference);
  const householdPlaces = new Map<string, { communityId: string | null; areaCode: string; town: string }>();
  const rolls: Prisma.StudentRollCreateManyInput[] = [];
  const properties: Prisma.PropertyRecordCreateManyInput[] = [];
  const permits: Prisma.ResidencePermitCreateManyInput[] = [];
  const health = new HealthRows();
  const householdIds = new Map<string, string>();
  const households: Prisma.HouseholdCreateManyInput[] = [];
  const residents: Prisma.ResidentCreateManyInput[] = [];
  const cards: Prisma.SocialSecurityCardCreateManyInput[] = [];
  const contributionPlans: ContributionPlan[] = [];
  const benefitPlans: BenefitPlan[] = [];
  const oneOffBenefits: Prisma.BenefitPaymentCreateManyInput[] = [];
  for (const person of batch) {
    let householdId = householdIds.get(person.household);
    if (!householdId) {
      householdId = random.uuid();
      householdIds.set(person.household, householdId);
      const drawnTown = random.pick(TOWNS[person.areaCode] ?? TOWNS['441502']!);
      const lane = `${random.int(1, 30)}巷${random.int(1, 99)}号`;
      const outside = person.enrollment?.registeredOutside;
      if (outside) {
        households.push({
          id: householdId,
          areaCode: outside,
          address: `${OUTSIDE_AREA_NAMES[outside] ?? '外省市'}${lane}`,
          communityId: null,
        });
        householdPlaces.set(person.household, {
          communityId: null,
          areaCode: outside,
          town: person.enrollment?.town ?? drawnTown,
        });
      } else {
        const town = person.enrollment?.town ?? drawnTown;
        const community = enrollment.random.pick(communitiesOfTown(geography, person.areaCode, town));
        households.push({
          id: householdId,
          areaCode: person.areaCode,
          address: `${AREA_NAMES[person.areaCode]}${town}${lane}`,
          communityId: community.id,
        });
        householdPlaces.set(person.household, { communityId: community.id, areaCode: person.areaCode, town });
      }
    }
    const place = householdPlaces.get(person.household)!;
    const residentId = random.uuid();
    residents.push({
      id: residentId,
      idNumberEnc: protector.encrypt(person.idNumber, 'idNumber'),
      idNumberHash: protector.lookupHash(person.idNumber, 'idNumber'),
      idNumberMask: maskIdNumber(person.idNumber),
      name: person.name,
      gender: person.gender,
      birthDate: new Date(`${person.birthDate}T00:00:00Z`),
      phoneEnc: person.phone ? protector.encrypt(person.phone, 'phone') : null,
      phoneMask: person.phone ? maskPhone(person.phone) : null,
      areaCode: person.areaCode,
      householdId,
      householdRelation: person.relation,
      passwordHash,
    });
    // Residents born elsewhere (migrant families) see the doctors of the county area they live in.
    const livingArea = TOWNS[person.areaCode]
      ? person.areaCode
      : (Object.keys(TOWNS).find((area) => TOWNS[area]!.includes(place.town)) ?? '441502');
    planHealthRecord(
      random,
      { residentId, birthDate: person.birthDate, gender: person.gender, areaCode: livingArea, ...person.health },
      reference,
      facilities,
      health,
    );
    planEnrollmentFacts(
      enrollment,
      { residentId, person, place, reference, schoolYear },
      { rolls, properties, permits },
    );
    const cardNumber = `S${random.int(10_000_000, 99_999_999)}`;
    const birthYear = Number(person.birthDate.slice(0, 4));
    const issuedYear = Math.max(birthYear + 1, reference.getUTCFullYear() - random.int(1, 10));
    cards.push({
      id: random.uuid(),
      residentId,
      cardNumberEnc: protector.encrypt(cardNumber, 'cardNumber'),
      cardNumberMask: maskCardNumber(cardNumber),
      bank: random.pick(BANKS),
      issuedAt: new Date(
        Date.UTC(Math.min(issuedYear, reference.getUTCFullYear()), random.int(0, 11), random.int(1, 28)),
      ),
      status: 'ACTIVE',
    });
    const age = ageAt(person.birthDate, reference);
    if (person.employed) {
      contributionPlans.push({
        residentId,
        baseFen: random.int(40, 120) * 100 * 100,
        employer: random.pick(EMPLOYERS),
        months: person.enrollment?.contributionMonths ?? Math.min(random.int(24, 72), (age - 18) * 12),
      });
    }
    const retired = age >= (person.gender === 'MALE' ? 60 : 55) && !person.employed;
    if (retired) {
      benefitPlans.push({
        residentId,
        kind: 'PENSION',
        months: 24,
        amountFen: random.int(18, 35) * 100 * 100,
        payer: SOCIAL_INSURANCE_PAYER,
      });
    }
    for (const kind of person.entitlements ?? []) {
      benefitPlans.push({
        residentId,
        kind,
        months: 12,
        amountFen: kind === 'MINIMUM_LIVING' ? 86_000 : 120_000,
        payer: CIVIL_AFFAIRS_PAYER,
      });
    }
    if (person.minimumLiving) {
      benefitPlans.push({
        residentId,
        kind: 'MINIMUM_LIVING',
        months: 12,
        amountFen: 86_000,
        payer: CIVIL_AFFAIRS_PAYER,
      });
      oneOffBenefits.push({
        residentId,
        kind: 'SOCIAL_ASSISTANCE',
        month: monthStart(reference, -random.int(1, 11)),
        amountFen: random.int(10, 30) * 10_000,
        payer: CIVIL_AFFAIRS_PAYER,
      });
    }
  }
  await tx.household.createMany({ data: households });
  await tx.resident.createMany({ data: residents });
  await tx.socialSecurityCard.createMany({ data: cards });
  await insertContributions(tx, contributionPlans, reference);
  await insertMonthlyBenefits(tx, benefitPlans, reference);
  if (oneOffBenefits.length) await tx.benefitPayment.createMany({ data: oneOffBenefits });
  await writeHealthRows(tx, health);
  if (rolls.length) await tx.studentRoll.createMany({ data: rolls });
  if (properties.length) await tx.propertyRecord.createMany({ data: properties });
  if (permits.length) await tx.residencePermit.createMany({ data: permits });
}

/** Where migrant families in the demo are registered (户籍地). */
const OUTSIDE_AREA_NAMES: Record<string, string> = {
  '445202': '广东省揭阳市榕城区',
  '445102': '广东省潮州市湘桥区',
  '440513': '广东省汕头市潮阳区',
  '441402': '广东省梅州市梅江区',
};

/**
 * The records school enrollment reads: a pupil's grade on the student roll
 * (from the birth date unless told), homes owned (known people when told;
 * about half of the generated households' heads), and residence permits.
 */
function planEnrollmentFacts(
  enrollment: { geography: EnrollmentGeography; random: SeededRandom },
  who: {
    residentId: string;
    person: PlannedResident;
    place: { communityId: string | null; areaCode: string; town: string };
    reference: Date;
    schoolYear: number;
  },
  rows: {
    rolls: Prisma.StudentRollCreateManyInput[];
    properties: Prisma.PropertyRecordCreateManyInput[];
    permits: Prisma.ResidencePermitCreateManyInput[];
  },
) {
  const { residentId, person, place, reference, schoolYear } = who;
  const facts = person.enrollment;
  // The county area of the town the family lives in (a migrant family's household is registered elsewhere).
  const cityArea = Object.keys(TOWNS).find((area) => TOWNS[area]!.includes(place.town)) ?? '441502';
  const permitCommunity =
    facts?.residencePermitYears !== undefined
      ? (communitiesOfTown(enrollment.geography, cityArea, place.town)[0] ?? null)
      : null;
  const homeCommunityId = place.communityId ?? permitCommunity?.id ?? null;
  if (person.relation === 'CHILD') {
    const grade = facts?.grade ?? gradeFor(person.birthDate, schoolYear);
    if (grade) {
      rows.rolls.push({
        residentId,
        grade,
        schoolYear,
        schoolName: schoolNameFor(enrollment.geography, homeCommunityId, grade <= 6 ? 'PRIMARY' : 'JUNIOR', cityArea),
      });
    }
  }
  const generatedHead = person.household.startsWith('generated-') && person.relation === 'HEAD';
  const ownsHome = facts?.ownsHome ?? (generatedHead && place.communityId !== null && enrollment.random.chance(0.55));
  if (ownsHome && homeCommunityId) {
    rows.properties.push({
      id: enrollment.random.uuid(),
      ownerId: residentId,
      communityId: homeCommunityId,
      address: `${AREA_NAMES[cityArea]}${place.town}${enrollment.random.int(1, 40)}号${enrollment.random.int(1, 30)}${String(enrollment.random.int(1, 4)).padStart(2, '0')}房`,
      registeredOn: new Date(
        Date.UTC(
          reference.getUTCFullYear() - enrollment.random.int(1, 12),
          enrollment.random.int(0, 11),
          enrollment.random.int(1, 28),
        ),
      ),
    });
  }
  if (permitCommunity && facts?.residencePermitYears !== undefined) {
    rows.permits.push({
      id: enrollment.random.uuid(),
      residentId,
      communityId: permitCommunity.id,
      issuedOn: new Date(Date.UTC(reference.getUTCFullYear() - facts.residencePermitYears, reference.getUTCMonth(), 1)),
      expiresOn: new Date(Date.UTC(reference.getUTCFullYear() + 1, reference.getUTCMonth(), 1)),
    });
  }
}

interface ContributionPlan {
  residentId: string;
  baseFen: number;
  employer: string;
  months: number;
}

interface BenefitPlan {
  residentId: string;
  kind: 'PENSION' | 'MINIMUM_LIVING' | 'SOCIAL_ASSISTANCE';
  months: number;
  amountFen: number;
  payer: string;
}

const referenceMonth = (reference: Date) => monthStart(reference).toISOString().slice(0, 10);

/**
 * One row per resident and month, up to the month before the reference date,
 * expanded by the database: tens of rows per resident would make row-by-row
 * inserts the slowest part of a million-resident seed. Bases are whole
 * hundreds of yuan, so every rate below gives whole fen.
 */
async function insertContributions(tx: Prisma.TransactionClient, plans: ContributionPlan[], reference: Date) {
  if (!plans.length) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO "ContributionMonth" ("residentId", "month", "employer", "baseFen",
       "pensionPersonal", "pensionEmployer", "medicalPersonal", "medicalEmployer",
       "unemploymentPersonal", "unemploymentEmployer", "workInjuryEmployer", "maternityEmployer")
     SELECT p.id, (date_trunc('month', $1::date) - make_interval(months => g))::date, p.employer, p.base,
       p.base * 8 / 100, p.base * 16 / 100, p.base * 2 / 100, p.base * 55 / 1000,
       p.base * 2 / 1000, p.base * 48 / 10000, p.base * 4 / 1000, p.base * 8 / 1000
     FROM unnest($2::uuid[], $3::text[], $4::int[], $5::int[]) AS p(id, employer, base, months)
     CROSS JOIN LATERAL generate_series(1, p.months) AS g`,
    referenceMonth(reference),
    plans.map((plan) => plan.residentId),
    plans.map((plan) => plan.employer),
    plans.map((plan) => plan.baseFen),
    plans.map((plan) => plan.months),
  );
}

async function insertMonthlyBenefits(tx: Prisma.TransactionClient, plans: BenefitPlan[], reference: Date) {
  if (!plans.length) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO "BenefitPayment" ("residentId", "kind", "month", "amountFen", "payer")
     SELECT p.id, p.kind::"BenefitKind", (date_trunc('month', $1::date) - make_interval(months => g))::date, p.amount, p.payer
     FROM unnest($2::uuid[], $3::text[], $4::int[], $5::int[], $6::text[]) AS p(id, kind, months, amount, payer)
     CROSS JOIN LATERAL generate_series(1, p.months) AS g`,
    referenceMonth(reference),
    plans.map((plan) => plan.residentId),
    plans.map((plan) => plan.kind),
    plans.map((plan) => plan.months),
    plans.map((plan) => plan.amountFen),
    plans.map((plan) => plan.payer),
  );
}

/** 黄丽华 lost her card last month; the replacement is in production for pickup in 海城镇. */
async function seedDemoReplacement(
  deps: ServerDeps,
  random: SeededRandom,
  centerIdByCode: Map<string, string>,
  reference: Date,
) {
  const demo = DEMO_RESIDENTS.find((resident) => resident.key === 'replacing')!;
  const resident = await deps.db.prisma.resident.findUniqueOrThrow({
    where: { idNumberHash: deps.protector.lookupHash(demo.idNumber, 'idNumber') },
    select: { id: true, cards: { select: { id: true } } },
  });
  const cardId = resident.cards[0]!.id;
  const lostAt = new Date(reference.getTime() - 20 * 86_400_000);
  const submittedAt = new Date(lostAt.getTime() + 3_600_000);
  const producingAt = new Date(lostAt.getTime() + 3 * 86_400_000);
  await deps.db.prisma.$transaction([
    deps.db.prisma.socialSecurityCard.update({ where: { id: cardId }, data: { status: 'LOST', lostAt } }),
    deps.db.prisma.cardReplacement.create({
      data: {
        id: random.uuid(),
        residentId: resident.id,
        oldCardId: cardId,
        reason: 'LOST',
        status: 'IN_PRODUCTION',
        pickupCenterId: centerIdByCode.get('SC441521001')!,
        requestKey: random.uuid(),
        createdAt: submittedAt,
        updatedAt: producingAt,
      },
    }),
    deps.db.prisma.message.createMany({
      data: [
        {
          id: random.uuid(),
          residentId: resident.id,
          topic: 'card.replacement.SUBMITTED',
          params: { center: '海城镇社区综合服务中心' },
          link: '/card/replacement',
          createdAt: submittedAt,
          readAt: submittedAt,
        },
        {
          id: random.uuid(),
          residentId: resident.id,
          topic: 'card.replacement.IN_PRODUCTION',
          params: { center: '海城镇社区综合服务中心' },
          link: '/card/replacement',
          createdAt: producingAt,
        },
      ],
    }),
    deps.db.prisma.cardEvent.createMany({
      data: [
        { id: random.uuid(), residentId: resident.id, cardId, kind: 'LOSS_REPORTED', createdAt: lostAt },
        { id: random.uuid(), residentId: resident.id, cardId, kind: 'REPLACEMENT_SUBMITTED', createdAt: submittedAt },
        {
          id: random.uuid(),
          residentId: resident.id,
          cardId,
          kind: 'REPLACEMENT_IN_PRODUCTION',
          createdAt: producingAt,
        },
      ],
    }),
  ]);
}

/** A stable UUID (version 5 layout) for a seed row named by `key`. */
function uuidFromKey(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
