import type { Context } from '../../context.js';
import { dueDoses, isOverdue } from './immunization-schedule.js';
import { visibleConditions, type RecordHolder } from './record-holder.js';

type Attention =
  | { kind: 'FOLLOW_UP_DUE'; disease: 'HYPERTENSION' | 'TYPE2_DIABETES'; dueOn: string; overdue: boolean }
  | { kind: 'VACCINE_DUE'; vaccineCode: string; doseNumber: number; dueOn: string; overdue: boolean };

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Blood type, allergies, conditions, the family doctor, and what needs
 * attention next. A fixed number of queries whatever the record's size.
 */
export async function healthOverview(ctx: Context, holder: RecordHolder) {
  const prisma = ctx.db.prisma;
  const today = ctx.now();
  const [profile, conditions, contract, latestFollowUps, immunizations] = await Promise.all([
    prisma.healthProfile.findUnique({
      where: { residentId: holder.residentId },
      select: { bloodType: true, allergies: true },
    }),
    prisma.healthCondition.findMany({
      where: visibleConditions(holder),
      orderBy: { onsetOn: 'asc' },
      select: { id: true, icd10Code: true, name: true, onsetOn: true, chronic: true, sensitiveCategory: true },
    }),
    prisma.familyDoctorContract.findFirst({
      where: { residentId: holder.residentId, endsOn: { gte: today } },
      orderBy: { endsOn: 'desc' },
      select: {
        doctorName: true,
        teamName: true,
        startsOn: true,
        endsOn: true,
        services: true,
        facility: { select: { name: true, level: true } },
      },
    }),
    prisma.$queryRaw<{ disease: 'HYPERTENSION' | 'TYPE2_DIABETES'; nextDueOn: Date }[]>`
      SELECT DISTINCT ON ("disease") "disease", "nextDueOn"
      FROM "ChronicFollowUp" WHERE "residentId" = ${holder.residentId}::uuid
      ORDER BY "disease", "visitedOn" DESC`,
    prisma.immunization.findMany({
      where: { residentId: holder.residentId },
      select: { vaccineCode: true, doseNumber: true },
    }),
  ]);
  const attention: Attention[] = [
    ...latestFollowUps.map((row) => ({
      kind: 'FOLLOW_UP_DUE' as const,
      disease: row.disease,
      dueOn: day(row.nextDueOn),
      overdue: isOverdue(row.nextDueOn, today),
    })),
    ...dueDoses(holder.birthDate, immunizations, today).map((dose) => ({
      kind: 'VACCINE_DUE' as const,
      vaccineCode: dose.vaccineCode,
      doseNumber: dose.doseNumber,
      dueOn: day(dose.dueOn),
      overdue: dose.overdue,
    })),
  ].sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  return {
    bloodType: profile?.bloodType ?? null,
    allergies: profile?.allergies ?? [],
    conditions: conditions.map((condition) => ({ ...condition, onsetOn: day(condition.onsetOn) })),
    familyDoctor: contract && { ...contract, startsOn: day(contract.startsOn), endsOn: day(contract.endsOn) },
    attention,
  };
}
