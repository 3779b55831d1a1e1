import type { Context } from '../../context.js';
import { errors } from '../../errors.js';
import { visibleEncounters, type RecordHolder } from './record-holder.js';

export function outOfRange(value: number, low: number | null, high: number | null): 'LOW' | 'HIGH' | null {
  if (low !== null && value < low) return 'LOW';
  if (high !== null && value > high) return 'HIGH';
  return null;
}

/** One encounter with its diagnoses, prescriptions and results; not found when this viewer may not see it. */
export async function encounterDetail(ctx: Context, holder: RecordHolder, encounterId: string) {
  const encounter = await ctx.db.prisma.encounter.findFirst({
    where: { AND: [{ id: encounterId }, visibleEncounters(holder)] },
    select: {
      id: true,
      type: true,
      startedAt: true,
      endedAt: true,
      department: true,
      clinician: true,
      summary: true,
      sensitiveCategory: true,
      hiddenFromAssisted: true,
      facility: { select: { name: true, level: true } },
      diagnoses: { select: { icd10Code: true, name: true, primary: true }, orderBy: { primary: 'desc' } },
      prescriptions: { select: { drug: true, dose: true, frequency: true, days: true } },
      observations: {
        select: { kind: true, loincCode: true, value: true, unit: true, referenceLow: true, referenceHigh: true },
        orderBy: { kind: 'asc' },
      },
      physicalExam: { select: { conclusion: true } },
    },
  });
  if (!encounter) throw errors.notFound('Encounter');
  return {
    ...encounter,
    observations: encounter.observations.map((observation) => ({
      ...observation,
      flag: outOfRange(observation.value, observation.referenceLow, observation.referenceHigh),
    })),
  };
}
