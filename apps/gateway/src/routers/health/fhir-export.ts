import { randomUUID } from 'node:crypto';
import type { Context } from '../../context.js';
import { OBSERVATION_KINDS, type ObservationKind } from './observation-kinds.js';
import { outOfRange } from './encounter-detail.js';
import { VACCINE_NAMES } from './immunization-schedule.js';
import type { RecordHolder } from './record-holder.js';

/**
 * The resident's record as an HL7 FHIR R4 Bundle (type "collection"):
 * Patient, Encounter, Condition, Observation, Immunization and
 * MedicationRequest resources, coded with ICD-10, LOINC and UCUM, every
 * reference pointing at an entry of the same bundle (urn:uuid: full URLs).
 */

const SYSTEMS = {
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  vaccine: 'urn:shanwei:nip-vaccine',
} as const;

const ENCOUNTER_CLASS = {
  OUTPATIENT: { code: 'AMB', display: 'ambulatory' },
  PHYSICAL_EXAM: { code: 'AMB', display: 'ambulatory' },
  INPATIENT: { code: 'IMP', display: 'inpatient encounter' },
  EMERGENCY: { code: 'EMER', display: 'emergency' },
} as const;

const ENCOUNTER_TYPE_TEXT = {
  OUTPATIENT: '门诊',
  INPATIENT: '住院',
  EMERGENCY: '急诊',
  PHYSICAL_EXAM: '健康体检',
} as const;
const VITAL_SIGNS = new Set<string>(['heightCm', 'weightKg', 'bmi', 'systolicBp', 'diastolicBp']);

type Resource = { resourceType: string; id: string } & Record<string, unknown>;

const ref = (id: string) => ({ reference: `urn:uuid:${id}` });
const quantity = (value: number, unit: string) => ({ value, unit, system: SYSTEMS.ucum, code: unit });

export async function buildFhirBundle(ctx: Context, holder: RecordHolder) {
  const prisma = ctx.db.prisma;
  const [conditions, encounters, observations, immunizations] = await Promise.all([
    prisma.healthCondition.findMany({ where: { residentId: holder.residentId }, orderBy: { onsetOn: 'asc' } }),
    prisma.encounter.findMany({
      where: { residentId: holder.residentId },
      orderBy: { startedAt: 'asc' },
      include: { facility: { select: { name: true } }, diagnoses: true, prescriptions: true },
    }),
    prisma.observation.findMany({ where: { residentId: holder.residentId }, orderBy: { observedAt: 'asc' } }),
    prisma.immunization.findMany({
      where: { residentId: holder.residentId },
      orderBy: { administeredOn: 'asc' },
      include: { facility: { select: { name: true } } },
    }),
  ]);
  const patientId = holder.residentId;
  const resources: Resource[] = [
    {
      resourceType: 'Patient',
      id: patientId,
      name: [{ text: holder.name, family: holder.name.slice(0, 1), given: [holder.name.slice(1)] }],
      gender: holder.gender === 'MALE' ? 'male' : 'female',
      birthDate: holder.birthDate.toISOString().slice(0, 10),
    },
  ];
  for (const encounter of encounters) {
    resources.push({
      resourceType: 'Encounter',
      id: encounter.id,
      ...(encounter.sensitiveCategory
        ? { meta: { security: [{ system: SYSTEMS.confidentiality, code: 'R', display: 'restricted' }] } }
        : {}),
      status: 'finished',
      class: { system: SYSTEMS.actCode, ...ENCOUNTER_CLASS[encounter.type] },
      type: [{ text: ENCOUNTER_TYPE_TEXT[encounter.type] }],
      subject: ref(patientId),
      period: {
        start: encounter.startedAt.toISOString(),
        ...(encounter.endedAt ? { end: encounter.endedAt.toISOString() } : {}),
      },
      serviceProvider: { display: encounter.facility.name },
      participant: [{ individual: { display: encounter.clinician } }],
      reasonCode: encounter.diagnoses.map((diagnosis) => ({
        coding: [{ system: SYSTEMS.icd10, code: diagnosis.icd10Code, display: diagnosis.name }],
      })),
    });
    for (const diagnosis of encounter.diagnoses) {
      resources.push({
        resourceType: 'Condition',
        id: diagnosis.id,
        clinicalStatus: { coding: [{ system: SYSTEMS.conditionClinical, code: 'resolved' }] },
        verificationStatus: { coding: [{ system: SYSTEMS.conditionVerification, code: 'confirmed' }] },
        category: [{ coding: [{ system: SYSTEMS.conditionCategory, code: 'encounter-diagnosis' }] }],
        code: {
          coding: [{ system: SYSTEMS.icd10, code: diagnosis.icd10Code, display: diagnosis.name }],
          text: diagnosis.name,
        },
        subject: ref(patientId),
        encounter: ref(encounter.id),
        recordedDate: encounter.startedAt.toISOString(),
      });
    }
    for (const prescription of encounter.prescriptions) {
      resources.push({
        resourceType: 'MedicationRequest',
        id: prescription.id,
        status: 'completed',
        intent: 'order',
        medicationCodeableConcept: { text: prescription.drug },
        subject: ref(patientId),
        encounter: ref(encounter.id),
        authoredOn: encounter.startedAt.toISOString(),
        dosageInstruction: [{ text: `${prescription.dose}，${prescription.frequency}` }],
        dispenseRequest: { expectedSupplyDuration: quantity(prescription.days, 'd') },
      });
    }
  }
  for (const condition of conditions) {
    resources.push({
      resourceType: 'Condition',
      id: condition.id,
      ...(condition.sensitiveCategory
        ? { meta: { security: [{ system: SYSTEMS.confidentiality, code: 'R', display: 'restricted' }] } }
        : {}),
      clinicalStatus: {
        coding: [{ system: SYSTEMS.conditionClinical, code: condition.chronic ? 'active' : 'resolved' }],
      },
      verificationStatus: { coding: [{ system: SYSTEMS.conditionVerification, code: 'confirmed' }] },
      category: [{ coding: [{ system: SYSTEMS.conditionCategory, code: 'problem-list-item' }] }],
      code: {
        coding: [{ system: SYSTEMS.icd10, code: condition.icd10Code, display: condition.name }],
        text: condition.name,
      },
      subject: ref(patientId),
      onsetDateTime: condition.onsetOn.toISOString().slice(0, 10),
    });
  }
  for (const observation of observations) {
    const definition = OBSERVATION_KINDS[observation.kind as ObservationKind];
    const flag = outOfRange(observation.value, observation.referenceLow, observation.referenceHigh);
    resources.push({
      resourceType: 'Observation',
      id: observation.id,
      status: 'final',
      category: [
        {
          coding: [
            {
              system: SYSTEMS.observationCategory,
              code: VITAL_SIGNS.has(observation.kind) ? 'vital-signs' : 'laboratory',
            },
          ],
        },
      ],
      code: {
        coding: [{ system: SYSTEMS.loinc, code: observation.loincCode, display: observation.kind }],
        text: observation.kind,
      },
      subject: ref(patientId),
      ...(observation.encounterId ? { encounter: ref(observation.encounterId) } : {}),
      effectiveDateTime: observation.observedAt.toISOString(),
      valueQuantity: quantity(observation.value, observation.unit ?? definition?.unit),
      ...(observation.referenceLow !== null || observation.referenceHigh !== null
        ? {
            referenceRange: [
              {
                ...(observation.referenceLow !== null
                  ? { low: quantity(observation.referenceLow, observation.unit) }
                  : {}),
                ...(observation.referenceHigh !== null
                  ? { high: quantity(observation.referenceHigh, observation.unit) }
                  : {}),
              },
            ],
          }
        : {}),
      ...(flag
        ? { interpretation: [{ coding: [{ system: SYSTEMS.interpretation, code: flag === 'HIGH' ? 'H' : 'L' }] }] }
        : {}),
    });
  }
  for (const immunization of immunizations) {
    resources.push({
      resourceType: 'Immunization',
      id: immunization.id,
      status: 'completed',
      vaccineCode: {
        coding: [
          { system: SYSTEMS.vaccine, code: immunization.vaccineCode, display: VACCINE_NAMES[immunization.vaccineCode] },
        ],
        text: VACCINE_NAMES[immunization.vaccineCode] ?? immunization.vaccineCode,
      },
      patient: ref(patientId),
      occurrenceDateTime: immunization.administeredOn.toISOString().slice(0, 10),
      lotNumber: immunization.lotNumber,
      location: { display: immunization.facility.name },
      protocolApplied: [{ doseNumberPositiveInt: immunization.doseNumber }],
    });
  }
  return {
    resourceType: 'Bundle' as const,
    id: randomUUID(),
    type: 'collection' as const,
    timestamp: ctx.now().toISOString(),
    entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
  };
}
