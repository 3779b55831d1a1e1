import { randomUUID } from 'node:crypto';
import { maskName } from '@portal/identity';
import { appendAccessLog } from '../../access-log/chain.js';
import { recordAccess } from '../../access-log/record.js';
import type { ServerDeps } from '../../context.js';
import { AppError, errors } from '../../errors.js';
import type { Subject } from '../../trpc.js';
import { notifyResident } from '../messages/notify.js';
import {
  ABILITY_ITEMS,
  ABILITY_LEVELS,
  ABILITY_TOTAL_MAX,
  computeAbilityLevel,
  LEVEL_MIN_TOTAL,
  RISK_EVENTS_FOR_ADJUSTMENT,
  type AbilityAdjustments,
} from './ability-assessment.js';
import { ageOn } from '../../people/household.js';
import { chinaMonthStart, isoDate } from '../../china-time.js';
import { requireEligibleResident } from './care-profile.js';

/** One open request per resident: asking again returns the open one. */
export async function requestAssessment(deps: ServerDeps, subject: Subject) {
  await requireEligibleResident(deps, subject.residentId);
  const now = deps.now();
  return deps.db.prisma.$transaction(async (tx) => {
    // Serializes concurrent requests for the same resident.
    await tx.$queryRaw`SELECT 1 FROM "Resident" WHERE "id" = ${subject.residentId}::uuid FOR NO KEY UPDATE`;
    const open = await tx.careAssessmentRequest.findFirst({
      where: { residentId: subject.residentId, completedAt: null },
      select: { id: true, requestedAt: true },
    });
    if (open) return { id: open.id, requestedAt: open.requestedAt, duplicate: true };
    const request = await tx.careAssessmentRequest.create({
      data: { id: randomUUID(), residentId: subject.residentId, requestedAt: now },
      select: { id: true, requestedAt: true },
    });
    return { id: request.id, requestedAt: request.requestedAt, duplicate: false };
  });
}

/** The scale the assessor's form shows: items grouped by indicator, ranges, and the level cut-offs. */
export function assessmentScale() {
  return {
    standard: 'GB/T 42195-2022',
    items: ABILITY_ITEMS.map((item) => ({ ...item })),
    totalMax: ABILITY_TOTAL_MAX,
    levels: ABILITY_LEVELS.map((level) => ({ level, minTotal: LEVEL_MIN_TOTAL[level] })),
    riskEventsForAdjustment: RISK_EVENTS_FOR_ADJUSTMENT,
  };
}

/** Open requests, oldest first; names masked until the assessor opens one (which is logged). */
export async function assessorQueue(deps: ServerDeps) {
  const now = deps.now();
  const rows = await deps.db.prisma.careAssessmentRequest.findMany({
    where: { completedAt: null },
    orderBy: { requestedAt: 'asc' },
    take: 100,
    select: {
      id: true,
      requestedAt: true,
      resident: {
        select: {
          name: true,
          gender: true,
          birthDate: true,
          areaCode: true,
          careAssessments: { orderBy: { assessedAt: 'desc' }, take: 1, select: { level: true, assessedAt: true } },
        },
      },
    },
  });
  return rows.map((row) => ({
    requestId: row.id,
    requestedAt: row.requestedAt,
    maskedName: maskName(row.resident.name),
    gender: row.resident.gender,
    age: ageOn(row.resident.birthDate, now),
    areaCode: row.resident.areaCode,
    previousLevel: row.resident.careAssessments[0]?.level ?? null,
  }));
}

async function findRequest(deps: ServerDeps, requestId: string) {
  const request = await deps.db.prisma.careAssessmentRequest.findUnique({
    where: { id: requestId },
    select: { id: true, residentId: true, requestedAt: true, completedAt: true },
  });
  if (!request) throw errors.notFound('Assessment request');
  return request;
}

/** What the assessor needs to visit and assess: written to the resident's access log. */
export async function assessorSubject(
  deps: ServerDeps,
  staff: { staffId: string; centerId: string },
  requestId: string,
) {
  const now = deps.now();
  const request = await findRequest(deps, requestId);
  const resident = await deps.db.prisma.resident.findUniqueOrThrow({
    where: { id: request.residentId },
    select: {
      name: true,
      idNumberMask: true,
      gender: true,
      birthDate: true,
      areaCode: true,
      phoneMask: true,
      household: { select: { address: true } },
      careProfile: {
        select: {
          livingSituation: true,
          emergencyContacts: { orderBy: { position: 'asc' }, select: { name: true, relation: true, phoneMask: true } },
        },
      },
      careAssessments: {
        orderBy: { assessedAt: 'desc' },
        take: 5,
        select: { id: true, assessedAt: true, effectiveFrom: true, level: true, totalScore: true },
      },
    },
  });
  await recordAccess(deps, {
    residentId: request.residentId,
    staffId: staff.staffId,
    centerId: staff.centerId,
    authorizationId: null,
    basis: 'ASSESSMENT_REQUEST',
    action: 'eldercare.assessor.subject',
  });
  return {
    request: { id: request.id, requestedAt: request.requestedAt, completedAt: request.completedAt },
    resident: {
      name: resident.name,
      maskedIdNumber: resident.idNumberMask,
      gender: resident.gender,
      age: ageOn(resident.birthDate, now),
      areaCode: resident.areaCode,
      address: resident.household?.address ?? null,
      maskedPhone: resident.phoneMask,
      livingSituation: resident.careProfile?.livingSituation ?? null,
      emergencyContacts: (resident.careProfile?.emergencyContacts ?? []).map((contact) => ({
        name: contact.name,
        relation: contact.relation,
        maskedPhone: contact.phoneMask,
      })),
    },
    previousAssessments: resident.careAssessments.map((assessment) => ({
      ...assessment,
      effectiveFrom: isoDate(assessment.effectiveFrom),
    })),
    scale: assessmentScale(),
  };
}

export interface AssessmentRecord {
  requestId: string;
  scores: Record<string, number>;
  adjustments: AbilityAdjustments;
}

/**
 * Records the assessment of an open request. The level is computed here from
 * validated scores; the subsidy follows it from the first day of next month.
 */
export async function recordAssessment(
  deps: ServerDeps,
  staff: { staffId: string; centerId: string },
  input: AssessmentRecord,
) {
  const now = deps.now();
  const result = computeAbilityLevel(input.scores, input.adjustments);
  const effectiveFrom = chinaMonthStart(now, 1);
  const assessment = await deps.db.prisma.$transaction(async (tx) => {
    const request = await tx.careAssessmentRequest.findUnique({
      where: { id: input.requestId },
      select: { residentId: true },
    });
    if (!request) throw errors.notFound('Assessment request');
    const closed = await tx.careAssessmentRequest.updateMany({
      where: { id: input.requestId, completedAt: null },
      data: { completedAt: now },
    });
    if (closed.count !== 1)
      throw new AppError('CONFLICT', 'errors.eldercare.assessmentDone', 'This request has already been assessed.');
    const created = await tx.careAssessment.create({
      data: {
        id: randomUUID(),
        residentId: request.residentId,
        requestId: input.requestId,
        assessorId: staff.staffId,
        assessedAt: now,
        effectiveFrom,
        selfCareScore: result.selfCareScore,
        mobilityScore: result.mobilityScore,
        mentalScore: result.mentalScore,
        perceptionScore: result.perceptionScore,
        totalScore: result.totalScore,
        coma: input.adjustments.coma,
        dementiaOrMentalDisorder: input.adjustments.dementiaOrMentalDisorder,
        riskEvents30Days: input.adjustments.riskEvents30Days,
        level: result.level,
        items: {
          createMany: { data: ABILITY_ITEMS.map((item) => ({ itemKey: item.key, score: input.scores[item.key]! })) },
        },
      },
      select: { id: true, residentId: true },
    });
    await notifyResident(
      tx,
      {
        residentId: request.residentId,
        topic: 'eldercare.assessment.RECORDED',
        params: { level: result.level, effectiveFrom: isoDate(effectiveFrom), total: result.totalScore },
        link: '/eldercare',
      },
      now,
    );
    await appendAccessLog(
      tx,
      deps.audit,
      {
        residentId: request.residentId,
        staffId: staff.staffId,
        centerId: staff.centerId,
        authorizationId: null,
        basis: 'ASSESSMENT_REQUEST',
        action: 'eldercare.assessor.record',
      },
      now,
    );
    return created;
  });
  return { assessmentId: assessment.id, ...result, effectiveFrom: isoDate(effectiveFrom) };
}
