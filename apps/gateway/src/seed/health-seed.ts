import type { Prisma } from '../generated/prisma/client.js';
import { addMonths, ageInMonths, NATIONAL_SCHEDULE } from '../routers/health/immunization-schedule.js';
import { bulkInsert } from './bulk-insert.js';
import {
  ALLERGIES,
  BLOOD_TYPES,
  CHILD_DIAGNOSES,
  COMMON_DIAGNOSES,
  DOCTOR_SERVICES,
  HYPERTENSION,
  OBSERVATION_KINDS,
  SENSITIVE_DIAGNOSES,
  TYPE2_DIABETES,
  type DiagnosisTemplate,
  type ObservationKind,
} from './clinical-catalog.js';
import { GIVEN_FEMALE, GIVEN_MALE, SURNAMES, TOWNS } from './places.js';
import type { SeededRandom } from './random.js';

/** Facilities at the four levels of the health network, in every county area. */
export interface Facilities {
  all: Prisma.HealthFacilityCreateManyInput[];
  city: string[];
  county: Map<string, string>;
  towns: Map<string, string[]>;
  villages: Map<string, string[]>;
}

const COUNTY_HOSPITALS: Record<string, string> = {
  '441502': '汕尾市城区人民医院',
  '441521': '海丰县人民医院',
  '441523': '陆河县人民医院',
  '441581': '陆丰市人民医院',
};

export function planFacilities(random: SeededRandom): Facilities {
  const facilities: Facilities = { all: [], city: [], county: new Map(), towns: new Map(), villages: new Map() };
  const add = (code: string, name: string, level: 'CITY' | 'COUNTY' | 'TOWN' | 'VILLAGE', areaCode: string) => {
    const id = random.uuid();
    facilities.all.push({ id, code, name, level, areaCode });
    return id;
  };
  facilities.city.push(
    add('HF4415000001', '汕尾市人民医院', 'CITY', '441502'),
    add('HF4415000002', '汕尾市第二人民医院', 'CITY', '441502'),
  );
  for (const [area, towns] of Object.entries(TOWNS)) {
    facilities.county.set(area, add(`HF${area}0000`, COUNTY_HOSPITALS[area]!, 'COUNTY', area));
    facilities.towns.set(
      area,
      towns.map((town, index) =>
        add(`HF${area}${String(index + 1).padStart(2, '0')}00`, `${town}卫生院`, 'TOWN', area),
      ),
    );
    facilities.villages.set(
      area,
      towns
        .slice(0, 3)
        .map((town, index) =>
          add(
            `HF${area}${String(index + 1).padStart(2, '0')}01`,
            `${town}${['东风', '新村', '红星'][index]}村卫生站`,
            'VILLAGE',
            area,
          ),
        ),
    );
  }
  return facilities;
}

export interface HealthPerson {
  residentId: string;
  birthDate: string;
  gender: 'MALE' | 'FEMALE';
  areaCode: string;
  /** Test and demo people can ask for what a check needs. */
  encounters?: number;
  sensitive?: boolean;
  missLatestDose?: boolean;
  chronic?: readonly ('HYPERTENSION' | 'TYPE2_DIABETES')[];
}

export class HealthRows {
  profiles: Prisma.HealthProfileCreateManyInput[] = [];
  conditions: Record<string, unknown>[] = [];
  encounters: Record<string, unknown>[] = [];
  diagnoses: Record<string, unknown>[] = [];
  prescriptions: Record<string, unknown>[] = [];
  observations: Record<string, unknown>[] = [];
  exams: Record<string, unknown>[] = [];
  immunizations: Record<string, unknown>[] = [];
  followUps: Record<string, unknown>[] = [];
  contracts: Prisma.FamilyDoctorContractCreateManyInput[] = [];
}

const DAY = 86_400_000;
const dateOnly = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));

function clinicianName(random: SeededRandom) {
  return `${random.pick(SURNAMES)}${random.pick(random.chance(0.5) ? GIVEN_MALE : GIVEN_FEMALE)}`;
}

/** A plausible multi-year record for one person, appended to `rows`. */
export function planHealthRecord(
  random: SeededRandom,
  person: HealthPerson,
  reference: Date,
  facilities: Facilities,
  rows: HealthRows,
) {
  const birth = new Date(`${person.birthDate}T00:00:00Z`);
  const ageYears = Math.floor(ageInMonths(birth, reference) / 12);
  const { residentId, areaCode } = person;
  const town = () => random.pick(facilities.towns.get(areaCode)!);
  const anyFacility = () => {
    const roll = random.next();
    if (roll < 0.15) return { id: random.pick(facilities.city), level: 'CITY' };
    if (roll < 0.4) return { id: facilities.county.get(areaCode)!, level: 'COUNTY' };
    if (roll < 0.85) return { id: town(), level: 'TOWN' };
    return { id: random.pick(facilities.villages.get(areaCode)!), level: 'VILLAGE' };
  };

  rows.profiles.push({
    residentId,
    bloodType: random.chance(0.9) ? random.pick(BLOOD_TYPES) : null,
    allergies: random.chance(0.15) ? [random.pick(ALLERGIES)] : [],
  });

  // Encounters over the last five years (or since birth).
  const since = Math.max(birth.getTime(), reference.getTime() - 5 * 365 * DAY);
  const count = person.encounters ?? random.int(ageYears < 7 ? 3 : 1, ageYears >= 60 ? 8 : 5);
  for (let index = 0; index < count; index += 1) {
    const startedAt = new Date(
      since + Math.floor(random.next() * (reference.getTime() - since - DAY)) + random.int(8, 16) * 3_600_000,
    );
    const template: DiagnosisTemplate =
      person.sensitive && index === 0
        ? random.pick(SENSITIVE_DIAGNOSES)
        : ageYears < 14
          ? random.pick(CHILD_DIAGNOSES)
          : random.pick(COMMON_DIAGNOSES);
    const facility =
      template.icd10 === 'K35.8' ? { id: facilities.county.get(areaCode)!, level: 'COUNTY' } : anyFacility();
    const type = template.icd10 === 'K35.8' ? 'INPATIENT' : template.icd10 === 'S93.4' ? 'EMERGENCY' : 'OUTPATIENT';
    addEncounter(random, rows, {
      residentId,
      facilityId: facility.id,
      type,
      startedAt,
      endedAt: type === 'INPATIENT' ? new Date(startedAt.getTime() + random.int(3, 6) * DAY) : null,
      department: template.department,
      summary: template.summary,
      sensitiveCategory: template.sensitive ?? null,
      diagnoses: [{ icd10Code: template.icd10, name: template.name }],
      prescriptions: template.prescriptions,
    });
    if (template.sensitive) {
      rows.conditions.push({
        id: random.uuid(),
        residentId,
        icd10Code: template.icd10,
        name: template.name,
        onsetOn: dateOnly(startedAt),
        chronic: template.sensitive !== 'REPRODUCTIVE_HEALTH',
        sensitiveCategory: template.sensitive,
      });
    }
  }

  // Annual physical exams from 40 (and every year for the elderly under the basic public health service).
  const chronic =
    person.chronic ??
    (ageYears >= 55
      ? [
          ...(random.chance(0.35) ? (['HYPERTENSION'] as const) : []),
          ...(random.chance(0.15) ? (['TYPE2_DIABETES'] as const) : []),
        ]
      : []);
  if (ageYears >= 40) {
    const heightCm = person.gender === 'MALE' ? random.int(160, 178) : random.int(150, 166);
    let weightKg = random.int(50, 80);
    let systolic = random.int(112, 132) + (chronic.includes('HYPERTENSION') ? 18 : 0);
    let glucose = 4.8 + random.next() + (chronic.includes('TYPE2_DIABETES') ? 2.4 : 0);
    for (let yearsAgo = 4; yearsAgo >= 0; yearsAgo -= 1) {
      const startedAt = new Date(
        Date.UTC(reference.getUTCFullYear() - yearsAgo, 3 + random.int(0, 2), random.int(1, 28), 1 + random.int(0, 3)),
      );
      if (startedAt >= reference) continue;
      weightKg += random.int(-2, 2);
      systolic += random.int(-4, 6);
      glucose += random.next() * 0.4 - 0.15;
      const values: Partial<Record<ObservationKind, number>> = {
        heightCm,
        weightKg,
        bmi: Math.round((weightKg / (heightCm / 100) ** 2) * 10) / 10,
        systolicBp: systolic,
        diastolicBp: Math.round(systolic * 0.62),
        fastingGlucose: Math.round(glucose * 10) / 10,
        totalCholesterol: Math.round((4 + random.next() * 2) * 10) / 10,
        hemoglobin: random.int(118, 158),
      };
      const encounterId = addEncounter(random, rows, {
        residentId,
        facilityId: town(),
        type: 'PHYSICAL_EXAM',
        startedAt,
        endedAt: null,
        department: '健康体检科',
        summary: '年度健康体检。',
        sensitiveCategory: null,
        diagnoses: [],
        prescriptions: [],
        observations: values,
      });
      const flagged = (values.systolicBp ?? 0) > 139 || (values.fastingGlucose ?? 0) > 6.1;
      rows.exams.push({
        id: random.uuid(),
        residentId,
        encounterId,
        conclusion: flagged ? '血压或血糖偏高，建议复查并到家庭医生处随访。' : '未见明显异常，建议保持健康生活方式。',
      });
    }
  }

  // Chronic disease management: quarterly follow-ups, a family doctor, and the condition itself.
  for (const disease of chronic) {
    const condition = disease === 'HYPERTENSION' ? HYPERTENSION : TYPE2_DIABETES;
    const onset = new Date(reference.getTime() - random.int(3, 10) * 365 * DAY);
    rows.conditions.push({
      id: random.uuid(),
      residentId,
      icd10Code: condition.icd10,
      name: condition.name,
      onsetOn: dateOnly(onset),
      chronic: true,
      sensitiveCategory: null,
    });
    const facilityId = town();
    const clinician = clinicianName(random);
    for (let quartersAgo = 8; quartersAgo >= 1; quartersAgo -= 1) {
      const visitedOn = dateOnly(new Date(reference.getTime() - quartersAgo * 91 * DAY + random.int(-10, 10) * DAY));
      const nextDueOn = dateOnly(new Date(visitedOn.getTime() + 91 * DAY));
      rows.followUps.push({
        id: random.uuid(),
        residentId,
        disease,
        visitedOn,
        facilityId,
        clinician,
        systolic: disease === 'HYPERTENSION' ? random.int(128, 156) : null,
        diastolic: disease === 'HYPERTENSION' ? random.int(78, 96) : null,
        fastingGlucose: disease === 'TYPE2_DIABETES' ? Math.round((6 + random.next() * 3) * 10) / 10 : null,
        weightKg: random.int(52, 78),
        advice:
          disease === 'HYPERTENSION'
            ? '低盐饮食，每日食盐不超过5克；坚持服药，每周测量血压。'
            : '控制主食量，餐后散步30分钟；按时服药，定期监测血糖。',
        nextDueOn,
      });
    }
  }
  if (chronic.length || ageYears >= 65 || (ageYears < 7 && random.chance(0.5))) {
    const startsOn = dateOnly(new Date(reference.getTime() - random.int(30, 300) * DAY));
    rows.contracts.push({
      id: random.uuid(),
      residentId,
      doctorName: clinicianName(random),
      teamName: `家庭医生团队${random.int(1, 12)}组`,
      facilityId: town(),
      startsOn,
      endsOn: dateOnly(new Date(startsOn.getTime() + 365 * DAY)),
      services: DOCTOR_SERVICES.filter(() => random.chance(0.7)),
    });
  }

  // Children get the national schedule's doses on time; some are a dose behind.
  const ageMonths = ageInMonths(birth, reference);
  if (ageYears < 14) {
    const behind = person.missLatestDose ?? random.chance(0.3);
    const doses: { code: string; dose: number; on: Date }[] = [];
    for (const vaccine of NATIONAL_SCHEDULE) {
      vaccine.doseAgesMonths.forEach((months, index) => {
        if (months <= ageMonths) doses.push({ code: vaccine.code, dose: index + 1, on: addMonths(birth, months) });
      });
    }
    doses.sort((a, b) => a.on.getTime() - b.on.getTime());
    if (behind && doses.length > 2) doses.pop();
    for (const dose of doses) {
      rows.immunizations.push({
        id: random.uuid(),
        residentId,
        vaccineCode: dose.code,
        doseNumber: dose.dose,
        administeredOn: dateOnly(new Date(dose.on.getTime() + random.int(0, 6) * DAY)),
        facilityId: town(),
        lotNumber: `${dose.code.replace(/[^A-Za-z]/g, '').toUpperCase()}${reference.getUTCFullYear() - random.int(0, 3)}${String(random.int(1, 9999)).padStart(4, '0')}`,
      });
    }
  }
}

interface EncounterPlan {
  residentId: string;
  facilityId: string;
  type: string;
  startedAt: Date;
  endedAt: Date | null;
  department: string;
  summary: string;
  sensitiveCategory: string | null;
  diagnoses: { icd10Code: string; name: string }[];
  prescriptions: DiagnosisTemplate['prescriptions'];
  observations?: Partial<Record<ObservationKind, number>>;
}

function addEncounter(random: SeededRandom, rows: HealthRows, plan: EncounterPlan): string {
  const id = random.uuid();
  rows.encounters.push({
    id,
    residentId: plan.residentId,
    facilityId: plan.facilityId,
    type: plan.type,
    startedAt: plan.startedAt,
    endedAt: plan.endedAt,
    department: plan.department,
    clinician: clinicianName(random),
    summary: plan.summary,
    sensitiveCategory: plan.sensitiveCategory,
    hiddenFromAssisted: false,
  });
  plan.diagnoses.forEach((diagnosis, index) =>
    rows.diagnoses.push({
      id: random.uuid(),
      encounterId: id,
      icd10Code: diagnosis.icd10Code,
      name: diagnosis.name,
      primary: index === 0,
    }),
  );
  for (const prescription of plan.prescriptions)
    rows.prescriptions.push({ id: random.uuid(), encounterId: id, ...prescription });
  const observations =
    plan.observations ??
    (plan.type === 'OUTPATIENT' && random.chance(0.3)
      ? { whiteBloodCells: Math.round((4 + random.next() * 8) * 10) / 10 }
      : {});
  for (const [kind, value] of Object.entries(observations) as [ObservationKind, number][]) {
    const definition = OBSERVATION_KINDS[kind];
    rows.observations.push({
      id: random.uuid(),
      residentId: plan.residentId,
      encounterId: id,
      loincCode: definition.loinc,
      kind,
      value,
      unit: definition.unit,
      referenceLow: definition.low,
      referenceHigh: definition.high,
      observedAt: plan.startedAt,
    });
  }
  return id;
}

const uuid = { type: 'uuid' };
const text = { type: 'text' };

export async function writeHealthRows(tx: Prisma.TransactionClient, rows: HealthRows) {
  if (rows.profiles.length) await tx.healthProfile.createMany({ data: rows.profiles });
  await bulkInsert(
    tx,
    'HealthCondition',
    [
      { name: 'id', ...uuid },
      { name: 'residentId', ...uuid },
      { name: 'icd10Code', ...text },
      { name: 'name', ...text },
      { name: 'onsetOn', type: 'date' },
      { name: 'chronic', type: 'boolean' },
      { name: 'sensitiveCategory', type: '"SensitiveCategory"' },
    ],
    rows.conditions,
  );
  await bulkInsert(
    tx,
    'Encounter',
    [
      { name: 'id', ...uuid },
      { name: 'residentId', ...uuid },
      { name: 'facilityId', ...uuid },
      { name: 'type', type: '"EncounterType"' },
      { name: 'startedAt', type: 'timestamptz' },
      { name: 'endedAt', type: 'timestamptz' },
      { name: 'department', ...text },
      { name: 'clinician', ...text },
      { name: 'summary', ...text },
      { name: 'sensitiveCategory', type: '"SensitiveCategory"' },
      { name: 'hiddenFromAssisted', type: 'boolean' },
    ],
    rows.encounters,
  );
  await bulkInsert(
    tx,
    'Diagnosis',
    [
      { name: 'id', ...uuid },
      { name: 'encounterId', ...uuid },
      { name: 'icd10Code', ...text },
      { name: 'name', ...text },
      { name: 'primary', type: 'boolean' },
    ],
    rows.diagnoses,
  );
  await bulkInsert(
    tx,
    'Prescription',
    [
      { name: 'id', ...uuid },
      { name: 'encounterId', ...uuid },
      { name: 'drug', ...text },
      { name: 'dose', ...text },
      { name: 'frequency', ...text },
      { name: 'days', type: 'integer' },
    ],
    rows.prescriptions,
  );
  await bulkInsert(
    tx,
    'Observation',
    [
      { name: 'id', ...uuid },
      { name: 'residentId', ...uuid },
      { name: 'encounterId', ...uuid },
      { name: 'loincCode', ...text },
      { name: 'kind', ...text },
      { name: 'value', type: 'double precision' },
      { name: 'unit', ...text },
      { name: 'referenceLow', type: 'double precision' },
      { name: 'referenceHigh', type: 'double precision' },
      { name: 'observedAt', type: 'timestamptz' },
    ],
    rows.observations,
  );
  await bulkInsert(
    tx,
    'PhysicalExam',
    [
      { name: 'id', ...uuid },
      { name: 'residentId', ...uuid },
      { name: 'encounterId', ...uuid },
      { name: 'conclusion', ...text },
    ],
    rows.exams,
  );
  await bulkInsert(
    tx,
    'Immunization',
    [
      { name: 'id', ...uuid },
      { name: 'residentId', ...uuid },
      { name: 'vaccineCode', ...text },
      { name: 'doseNumber', type: 'integer' },
      { name: 'administeredOn', type: 'date' },
      { name: 'facilityId', ...uuid },
      { name: 'lotNumber', ...text },
    ],
    rows.immunizations,
  );
  await bulkInsert(
    tx,
    'ChronicFollowUp',
    [
      { name: 'id', ...uuid },
      { name: 'residentId', ...uuid },
      { name: 'disease', type: '"ChronicDisease"' },
      { name: 'visitedOn', type: 'date' },
      { name: 'facilityId', ...uuid },
      { name: 'clinician', ...text },
      { name: 'systolic', type: 'integer' },
      { name: 'diastolic', type: 'integer' },
      { name: 'fastingGlucose', type: 'double precision' },
      { name: 'weightKg', type: 'double precision' },
      { name: 'advice', ...text },
      { name: 'nextDueOn', type: 'date' },
    ],
    rows.followUps,
  );
  if (rows.contracts.length) await tx.familyDoctorContract.createMany({ data: rows.contracts });
}
