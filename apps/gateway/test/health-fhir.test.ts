import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOUSEHOLD_MEMBERS } from '../src/seed/demo-accounts.js';
import {
  TARGETS,
  accessLogCount,
  createWorld,
  expectRefused,
  testResident,
  type Caller,
  type SignedIn,
  type World,
} from './harness.js';

/**
 * The FHIR R4 export: a "collection" Bundle whose entries carry the
 * elements R4 requires, coded with ICD-10, LOINC and UCUM, whose references
 * all resolve inside the bundle, and which holds exactly what the database
 * holds for the record.
 */

const [WIFE, , SON] = DEMO_HOUSEHOLD_MEMBERS;
/** 48: yearly exams (observations), and a first encounter in a sensitive category. */
const SENSITIVE = testResident('郑海燕', '1978-05-05', 106, { health: { sensitive: true, encounters: 4 } });

const SYSTEMS = {
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
};

type Bundle = Awaited<ReturnType<Caller['health']['exportFhir']>>;
// Loosely typed access to resources, as a FHIR client would read the JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any field of any resource, checked by the assertions
type AnyResource = { resourceType: string; id: string } & Record<string, any>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** FHIR id, date and dateTime formats (R4 datatypes). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const FHIR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const FHIR_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Every value of a `reference` property, anywhere in the JSON. */
function referencesIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) referencesIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'reference') found.push(String(inner));
      referencesIn(inner, found);
    }
  }
  return found;
}

/** Paths of values JSON cannot carry as such (undefined, Date, functions, NaN): the export must be plain JSON. */
function nonJsonValues(value: unknown, path = '$', found: string[] = []): string[] {
  if (
    value === undefined ||
    typeof value === 'function' ||
    value instanceof Date ||
    (typeof value === 'number' && !Number.isFinite(value))
  )
    found.push(path);
  else if (Array.isArray(value)) value.forEach((item, index) => nonJsonValues(item, `${path}[${index}]`, found));
  else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) nonJsonValues(inner, `${path}.${key}`, found);
  return found;
}

const codings = (concept: AnyResource[string]) => (concept?.coding ?? []) as { system?: string; code?: string }[];

/** What R4 requires of each resource type, and what this export promises on top. Returns the problems found. */
function problemsOf(resource: AnyResource): string[] {
  const problems: string[] = [];
  const need = (condition: unknown, what: string) => {
    if (!condition) problems.push(`${resource.resourceType}/${resource.id}: ${what}`);
  };
  need(FHIR_ID.test(resource.id), 'id format');
  switch (resource.resourceType) {
    case 'Patient':
      need(['male', 'female', 'other', 'unknown'].includes(resource.gender), 'gender');
      need(FHIR_DATE.test(resource.birthDate ?? ''), 'birthDate');
      need(resource.name?.[0]?.text, 'name');
      break;
    case 'Encounter':
      need(
        [
          'planned',
          'arrived',
          'triaged',
          'in-progress',
          'onleave',
          'finished',
          'cancelled',
          'entered-in-error',
          'unknown',
        ].includes(resource.status),
        'status',
      );
      need(resource.class?.system && resource.class?.code, 'class (Coding)');
      need(resource.subject?.reference, 'subject');
      need(FHIR_DATE_TIME.test(resource.period?.start ?? ''), 'period.start');
      break;
    case 'Condition':
      need(resource.subject?.reference, 'subject');
      need(
        codings(resource.code).some((coding) => coding.system === SYSTEMS.icd10 && coding.code),
        'code (ICD-10)',
      );
      need(
        codings(resource.clinicalStatus).some((coding) => coding.code),
        'clinicalStatus',
      );
      need(
        codings(resource.verificationStatus).some((coding) => coding.code),
        'verificationStatus',
      );
      break;
    case 'Observation':
      need(
        [
          'registered',
          'preliminary',
          'final',
          'amended',
          'corrected',
          'cancelled',
          'entered-in-error',
          'unknown',
        ].includes(resource.status),
        'status',
      );
      need(
        codings(resource.code).some((coding) => coding.system === SYSTEMS.loinc && coding.code),
        'code (LOINC)',
      );
      need(resource.subject?.reference, 'subject');
      need(typeof resource.valueQuantity?.value === 'number', 'valueQuantity.value');
      need(
        resource.valueQuantity?.system === SYSTEMS.ucum && resource.valueQuantity?.code,
        'valueQuantity UCUM system and code',
      );
      need(FHIR_DATE_TIME.test(resource.effectiveDateTime ?? ''), 'effectiveDateTime');
      for (const bound of ['low', 'high'] as const) {
        const quantity = resource.referenceRange?.[0]?.[bound];
        if (quantity)
          need(quantity.system === SYSTEMS.ucum && typeof quantity.value === 'number', `referenceRange.${bound}`);
      }
      break;
    case 'Immunization':
      need(['completed', 'entered-in-error', 'not-done'].includes(resource.status), 'status');
      need(
        codings(resource.vaccineCode).some((coding) => coding.system && coding.code),
        'vaccineCode',
      );
      need(resource.patient?.reference, 'patient');
      need(FHIR_DATE_TIME.test(resource.occurrenceDateTime ?? ''), 'occurrenceDateTime');
      need(resource.protocolApplied?.[0]?.doseNumberPositiveInt >= 1, 'protocolApplied.doseNumber');
      break;
    case 'MedicationRequest':
      need(
        ['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown'].includes(
          resource.status,
        ),
        'status',
      );
      need(
        [
          'proposal',
          'plan',
          'order',
          'original-order',
          'reflex-order',
          'filler-order',
          'instance-order',
          'option',
        ].includes(resource.intent),
        'intent',
      );
      need(resource.subject?.reference, 'subject');
      need(resource.medicationCodeableConcept?.text || resource.medicationReference?.reference, 'medication[x]');
      break;
    default:
      problems.push(`unexpected resource type ${resource.resourceType}`);
  }
  return problems;
}

/** Everything that must hold of any exported bundle; returns the resources by type. */
function checkBundle(bundle: Bundle, now: Date) {
  expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: now.toISOString() });
  expect(bundle.id).toMatch(UUID);
  expect(nonJsonValues(bundle)).toEqual([]);
  const entries = bundle.entry as { fullUrl: string; resource: AnyResource }[];
  expect(entries.length).toBeGreaterThan(1);
  for (const entry of entries) expect(entry.fullUrl).toBe(`urn:uuid:${entry.resource.id}`);
  const fullUrls = new Set(entries.map((entry) => entry.fullUrl));
  expect(fullUrls.size).toBe(entries.length);
  expect(entries.flatMap((entry) => problemsOf(entry.resource))).toEqual([]);
  // Every reference resolves to an entry of this bundle.
  const references = referencesIn(bundle);
  expect(references.length).toBeGreaterThan(0);
  expect(references.filter((reference) => !fullUrls.has(reference))).toEqual([]);
  const byType = new Map<string, AnyResource[]>();
  for (const { resource } of entries)
    byType.set(resource.resourceType, [...(byType.get(resource.resourceType) ?? []), resource]);
  expect(byType.get('Patient')).toHaveLength(1);
  // The patient is the first entry; everything else is about them.
  expect(entries[0]!.resource.resourceType).toBe('Patient');
  const patient = `urn:uuid:${entries[0]!.resource.id}`;
  for (const { resource } of entries.slice(1))
    expect(resource.subject?.reference ?? resource.patient?.reference, `${resource.resourceType}/${resource.id}`).toBe(
      patient,
    );
  return byType;
}

describe.each(TARGETS)('FHIR R4 export on %s', (target) => {
  let world: World;
  let sonId: string;
  let sensitiveId: string;
  let worker: SignedIn;

  beforeAll(async () => {
    world = await createWorld(target, { extraResidents: [SENSITIVE] });
    sonId = await world.residentIdOf(SON.idNumber);
    sensitiveId = await world.residentIdOf(SENSITIVE.idNumber);
    worker = await world.resident('worker');
  });
  afterAll(() => world?.close());

  /** The database's counts for one record, as the bundle should hold them. */
  async function storedCounts(residentId: string) {
    const prisma = world.db.prisma;
    const [encounters, problems, diagnoses, prescriptions, observations, immunizations] = await Promise.all([
      prisma.encounter.count({ where: { residentId } }),
      prisma.healthCondition.count({ where: { residentId } }),
      prisma.diagnosis.count({ where: { encounter: { residentId } } }),
      prisma.prescription.count({ where: { encounter: { residentId } } }),
      prisma.observation.count({ where: { residentId } }),
      prisma.immunization.count({ where: { residentId } }),
    ]);
    return {
      Patient: 1,
      Encounter: encounters,
      Condition: problems + diagnoses,
      MedicationRequest: prescriptions,
      Observation: observations,
      Immunization: immunizations,
    };
  }

  const countsOf = (byType: Map<string, AnyResource[]>) =>
    Object.fromEntries(
      ['Patient', 'Encounter', 'Condition', 'MedicationRequest', 'Observation', 'Immunization'].map((type) => [
        type,
        byType.get(type)?.length ?? 0,
      ]),
    );

  it('an adult’s record: Patient, Encounter, Condition, Observation and MedicationRequest, valid R4, counts as stored', async () => {
    const resident = await world.signIn(SENSITIVE.idNumber);
    const bundle = await resident.call.health.exportFhir({});
    const byType = checkBundle(bundle, world.clock.now());
    const counts = countsOf(byType);
    expect(counts).toEqual(await storedCounts(sensitiveId));
    for (const type of ['Encounter', 'Condition', 'Observation', 'MedicationRequest'])
      expect(counts[type], type).toBeGreaterThan(0);
    expect(byType.get('Patient')![0]).toMatchObject({
      id: sensitiveId,
      gender: 'female',
      birthDate: '1978-05-05',
      name: [{ text: SENSITIVE.name }],
    });
    // The ids are the database's, so the same record exports to the same resources.
    const encounterIds = (
      await world.db.prisma.encounter.findMany({ where: { residentId: sensitiveId }, select: { id: true } })
    )
      .map((row) => row.id)
      .sort();
    expect(
      byType
        .get('Encounter')!
        .map((resource) => resource.id)
        .sort(),
    ).toEqual(encounterIds);
  });

  it('out-of-range values carry an interpretation, and units are UCUM codes', async () => {
    const elder = await world.resident('elder');
    const byType = checkBundle(await elder.call.health.exportFhir({}), world.clock.now());
    const observations = byType.get('Observation')!;
    expect(observations.length).toBe((await storedCounts(await world.residentId('elder'))).Observation);
    for (const observation of observations) {
      const { value } = observation.valueQuantity;
      const low = observation.referenceRange?.[0]?.low?.value;
      const high = observation.referenceRange?.[0]?.high?.value;
      const expected = low !== undefined && value < low ? 'L' : high !== undefined && value > high ? 'H' : undefined;
      expect(observation.interpretation?.[0]?.coding?.[0]?.code, `${observation.code.text} ${value}`).toBe(expected);
    }
    // She is diabetic: some fasting glucose (LOINC 1558-6) is high, in mmol/L.
    const glucose = observations.filter((observation) => observation.code.coding[0].code === '1558-6');
    expect(glucose.length).toBeGreaterThan(0);
    expect(glucose.every((observation) => observation.valueQuantity.code === 'mmol/L')).toBe(true);
    expect(glucose.some((observation) => observation.interpretation?.[0]?.coding?.[0]?.code === 'H')).toBe(true);
    // Her chronic conditions are active problem-list items.
    const problems = byType
      .get('Condition')!
      .filter((condition) => condition.category[0].coding[0].code === 'problem-list-item');
    expect(
      problems.map((condition) => [condition.code.coding[0].code, condition.clinicalStatus.coding[0].code]).sort(),
    ).toEqual([
      ['E11.9', 'active'],
      ['I10', 'active'],
    ]);
  });

  it('sensitive encounters and conditions carry meta.security R (restricted); the others carry none', async () => {
    const resident = await world.signIn(SENSITIVE.idNumber);
    const byType = checkBundle(await resident.call.health.exportFhir({}), world.clock.now());
    const sensitiveEncounters = new Set(
      (
        await world.db.prisma.encounter.findMany({
          where: { residentId: sensitiveId, sensitiveCategory: { not: null } },
        })
      ).map((row) => row.id),
    );
    const sensitiveConditions = new Set(
      (
        await world.db.prisma.healthCondition.findMany({
          where: { residentId: sensitiveId, sensitiveCategory: { not: null } },
        })
      ).map((row) => row.id),
    );
    expect(sensitiveEncounters.size).toBeGreaterThan(0);
    expect(sensitiveConditions.size).toBeGreaterThan(0);
    const restricted = (resource: AnyResource) =>
      (resource.meta?.security ?? []).some(
        (coding: { system: string; code: string }) => coding.system === SYSTEMS.confidentiality && coding.code === 'R',
      );
    for (const encounter of byType.get('Encounter')!)
      expect(restricted(encounter), encounter.id).toBe(sensitiveEncounters.has(encounter.id));
    for (const condition of byType
      .get('Condition')!
      .filter((resource) => resource.category[0].coding[0].code === 'problem-list-item')) {
      expect(restricted(condition), condition.id).toBe(sensitiveConditions.has(condition.id));
    }
  });

  it('an encounter hidden from the counter is still in the resident’s own export', async () => {
    const resident = await world.signIn(SENSITIVE.idNumber);
    const encounter = await world.db.prisma.encounter.findFirstOrThrow({
      where: { residentId: sensitiveId, sensitiveCategory: null },
      select: { id: true },
    });
    await resident.call.health.setHiddenFromAssisted({ encounterId: encounter.id, hidden: true });
    try {
      const bundle = await resident.call.health.exportFhir({});
      expect(bundle.entry.some((entry) => entry.resource.id === encounter.id)).toBe(true);
    } finally {
      await resident.call.health.setHiddenFromAssisted({ encounterId: encounter.id, hidden: false });
    }
  });

  it('a parent exports a minor child’s record, with Immunization resources; nothing is logged', async () => {
    const before = await accessLogCount(world.db);
    const bundle = await worker.call.health.exportFhir({ personId: sonId });
    const byType = checkBundle(bundle, world.clock.now());
    expect(byType.get('Patient')![0]).toMatchObject({
      id: sonId,
      gender: 'male',
      birthDate: '2025-09-10',
      name: [{ text: SON.name }],
    });
    expect(countsOf(byType)).toEqual(await storedCounts(sonId));
    const immunizations = byType.get('Immunization')!;
    expect(immunizations.length).toBeGreaterThan(10);
    for (const immunization of immunizations) {
      expect(immunization.occurrenceDateTime).toMatch(FHIR_DATE);
      expect(immunization.vaccineCode.text).toEqual(expect.any(String));
    }
    // The dose he missed is not in the export.
    expect(
      immunizations.some(
        (immunization) =>
          immunization.vaccineCode.coding[0].code === 'MPSV-A' &&
          immunization.protocolApplied[0].doseNumberPositiveInt === 2,
      ),
    ).toBe(false);
    // The father's own export is his.
    const own = checkBundle(await worker.call.health.exportFhir({}), world.clock.now());
    expect(own.get('Patient')![0]).toMatchObject({ id: await world.residentId('worker'), birthDate: '1985-03-12' });
    expect(own.get('Immunization')).toBeUndefined();
    expect(await accessLogCount(world.db)).toBe(before);
  });

  it('nobody else’s record can be exported', async () => {
    const [wife, second] = await Promise.all([world.signIn(WIFE.idNumber), world.resident('second')]);
    const refusals: [SignedIn, string][] = [
      [worker, sensitiveId],
      [worker, await world.residentIdOf(WIFE.idNumber)],
      [wife, await world.residentId('worker')],
      [second, sonId],
    ];
    for (const [caller, personId] of refusals) {
      await expectRefused(caller.call.health.exportFhir({ personId }), 'FORBIDDEN', 'errors.notYourRecord');
    }
    // The mother may export her son's record too.
    expect((await wife.call.health.exportFhir({ personId: sonId })).entry[0]!.resource).toMatchObject({
      resourceType: 'Patient',
      id: sonId,
    });
    const counter = await world.staff('counter');
    await expectRefused(counter.call.health.exportFhir({}), 'FORBIDDEN', 'errors.forbidden');
  });
});
