import type { Context } from '../../context.js';
import { outOfRange } from './encounter-detail.js';
import { visibleEncounters, visibleObservations, type RecordHolder } from './record-holder.js';

/** The values charted across years. */
export const TREND_KINDS = ['systolicBp', 'diastolicBp', 'fastingGlucose', 'weightKg', 'bmi'] as const;

/**
 * Physical exams with their values (out-of-range ones flagged) and the
 * trends of blood pressure, fasting glucose, weight and BMI across years.
 * Two queries: the exams, and every visible observation of the holder.
 */
export async function healthObservations(ctx: Context, holder: RecordHolder) {
  // An exam is shown only when its encounter is: neither hidden from this viewer nor in a sensitive category it may not see.
  const { residentId: _residentId, ...examEncounter } = visibleEncounters(holder);
  const [exams, observations] = await Promise.all([
    ctx.db.prisma.physicalExam.findMany({
      where: { residentId: holder.residentId, encounter: { is: examEncounter } },
      select: {
        encounterId: true,
        conclusion: true,
        encounter: { select: { startedAt: true, facility: { select: { name: true } } } },
      },
    }),
    ctx.db.prisma.observation.findMany({
      where: visibleObservations(holder),
      orderBy: [{ observedAt: 'asc' }, { kind: 'asc' }],
      select: {
        encounterId: true,
        kind: true,
        value: true,
        unit: true,
        referenceLow: true,
        referenceHigh: true,
        observedAt: true,
      },
    }),
  ]);
  const byEncounter = new Map<string, typeof observations>();
  for (const observation of observations) {
    if (!observation.encounterId) continue;
    const list = byEncounter.get(observation.encounterId) ?? [];
    list.push(observation);
    byEncounter.set(observation.encounterId, list);
  }
  const trends = Object.fromEntries(
    TREND_KINDS.map((kind) => [
      kind,
      observations
        .filter((observation) => observation.kind === kind)
        .map((observation) => ({ observedAt: observation.observedAt, value: observation.value })),
    ]),
  ) as Record<(typeof TREND_KINDS)[number], { observedAt: Date; value: number }[]>;
  return {
    exams: exams
      .map((exam) => ({
        encounterId: exam.encounterId,
        examinedAt: exam.encounter.startedAt,
        facilityName: exam.encounter.facility.name,
        conclusion: exam.conclusion,
        values: (byEncounter.get(exam.encounterId) ?? []).map((observation) => ({
          kind: observation.kind,
          value: observation.value,
          unit: observation.unit,
          referenceLow: observation.referenceLow,
          referenceHigh: observation.referenceHigh,
          flag: outOfRange(observation.value, observation.referenceLow, observation.referenceHigh),
        })),
      }))
      .sort((a, b) => b.examinedAt.getTime() - a.examinedAt.getTime()),
    trends,
  };
}
