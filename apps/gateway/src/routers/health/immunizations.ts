import type { Context } from '../../context.js';
import { ageInMonths, dueDoses, SCHEDULE_END_MONTHS } from './immunization-schedule.js';
import type { RecordHolder } from './record-holder.js';

const day = (date: Date) => date.toISOString().slice(0, 10);

/** Doses given, newest first, and for children the doses due by the national schedule. */
export async function healthImmunizations(ctx: Context, holder: RecordHolder) {
  const records = await ctx.db.prisma.immunization.findMany({
    where: { residentId: holder.residentId },
    orderBy: [{ administeredOn: 'desc' }, { vaccineCode: 'asc' }],
    select: {
      id: true,
      vaccineCode: true,
      doseNumber: true,
      administeredOn: true,
      lotNumber: true,
      facility: { select: { name: true, level: true } },
    },
  });
  return {
    records: records.map((record) => ({ ...record, administeredOn: day(record.administeredOn) })),
    due: dueDoses(holder.birthDate, records, ctx.now()).map((dose) => ({ ...dose, dueOn: day(dose.dueOn) })),
    /** False once the holder is past the childhood schedule (an adult's empty list is expected). */
    scheduleApplies: ageInMonths(holder.birthDate, ctx.now()) < SCHEDULE_END_MONTHS,
  };
}
