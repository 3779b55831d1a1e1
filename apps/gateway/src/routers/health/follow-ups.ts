import type { Context } from '../../context.js';
import { isOverdue } from './immunization-schedule.js';
import type { RecordHolder } from './record-holder.js';

const day = (date: Date) => date.toISOString().slice(0, 10);

/** Chronic-disease follow-ups (慢病随访) by disease, newest visit first, with the next due date. */
export async function healthFollowUps(ctx: Context, holder: RecordHolder) {
  const visits = await ctx.db.prisma.chronicFollowUp.findMany({
    where: { residentId: holder.residentId },
    orderBy: [{ disease: 'asc' }, { visitedOn: 'desc' }],
    select: {
      id: true,
      disease: true,
      visitedOn: true,
      clinician: true,
      systolic: true,
      diastolic: true,
      fastingGlucose: true,
      weightKg: true,
      advice: true,
      nextDueOn: true,
      facility: { select: { name: true } },
    },
  });
  const today = ctx.now();
  const diseases = [...new Set(visits.map((visit) => visit.disease))].map((disease) => {
    const list = visits.filter((visit) => visit.disease === disease);
    const next = list[0]!.nextDueOn;
    return {
      disease,
      nextDueOn: day(next),
      overdue: isOverdue(next, today),
      visits: list.map((visit) => ({ ...visit, visitedOn: day(visit.visitedOn), nextDueOn: day(visit.nextDueOn) })),
    };
  });
  return { diseases };
}
