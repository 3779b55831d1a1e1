import { z } from 'zod';
import { CHINA_TIME_ZONE, startOfChinaYear } from '../../china-time.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { visibleEncounters, type RecordHolder } from './record-holder.js';
import { hasControlCharacters } from '../../schemas.js';

export const ENCOUNTER_TYPES = ['OUTPATIENT', 'INPATIENT', 'EMERGENCY', 'PHYSICAL_EXAM'] as const;
export const FACILITY_LEVELS = ['CITY', 'COUNTY', 'TOWN', 'VILLAGE'] as const;

export const timelineFilters = z.object({
  year: z
    .number({ error: 'validation.year' })
    .int({ error: 'validation.year' })
    .min(1900, { error: 'validation.year' })
    .max(2100, { error: 'validation.year' })
    .optional(),
  level: z.enum(FACILITY_LEVELS, { error: 'validation.facilityLevel' }).optional(),
  type: z.enum(ENCOUNTER_TYPES, { error: 'validation.encounterType' }).optional(),
  cursor: z
    .string({ error: 'validation.cursor' })
    .max(200, { error: 'validation.cursor' })
    .refine((value) => !hasControlCharacters(value), { error: 'validation.controlCharacters' })
    .optional(),
  limit: z.number().int().min(1, { error: 'validation.limit' }).max(50, { error: 'validation.limit' }).default(20),
});

type TimelineFilters = z.infer<typeof timelineFilters>;

interface Cursor {
  startedAt: Date;
  id: string;
}

/** An opaque cursor: the last row's (startedAt, id), so pages stay stable while new encounters arrive. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ s: cursor.startedAt.toISOString(), i: cursor.id })).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { s?: unknown; i?: unknown };
    const startedAt = typeof value.s === 'string' ? new Date(value.s) : null;
    const id = z.uuid().safeParse(value.i);
    if (startedAt && !Number.isNaN(startedAt.getTime()) && id.success) return { startedAt, id: id.data };
  } catch {
    // fall through
  }
  throw new AppError('BAD_REQUEST', 'errors.invalidCursor', 'The page cursor is not valid; start from the first page.');
}

/**
 * Encounters newest first, filtered, one page at a time (keyset on startedAt
 * and id). Three queries whatever the record's size: the page, its
 * facilities and its diagnoses.
 */
export async function healthTimeline(ctx: Context, holder: RecordHolder, filters: TimelineFilters) {
  const cursor = filters.cursor ? decodeCursor(filters.cursor) : null;
  const where: Prisma.EncounterWhereInput = {
    AND: [
      visibleEncounters(holder),
      filters.year
        ? { startedAt: { gte: startOfChinaYear(filters.year), lt: startOfChinaYear(filters.year + 1) } }
        : {},
      filters.type ? { type: filters.type } : {},
      filters.level ? { facility: { is: { level: filters.level } } } : {},
      cursor
        ? { OR: [{ startedAt: { lt: cursor.startedAt } }, { startedAt: cursor.startedAt, id: { lt: cursor.id } }] }
        : {},
    ],
  };
  const rows = await ctx.db.prisma.encounter.findMany({
    where,
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: filters.limit + 1,
    select: {
      id: true,
      type: true,
      startedAt: true,
      department: true,
      summary: true,
      sensitiveCategory: true,
      hiddenFromAssisted: true,
      facility: { select: { name: true, level: true } },
      diagnoses: { select: { icd10Code: true, name: true, primary: true }, orderBy: { primary: 'desc' } },
    },
  });
  const page = rows.slice(0, filters.limit);
  const last = page[page.length - 1];
  return {
    encounters: page,
    nextCursor: rows.length > filters.limit && last ? encodeCursor(last) : null,
  };
}

/** The years that have encounters this viewer may see, for the year filter. */
export async function encounterYears(ctx: Context, holder: RecordHolder): Promise<number[]> {
  const rows = await ctx.db.prisma.$queryRaw<{ year: number }[]>`
    SELECT DISTINCT EXTRACT(YEAR FROM "startedAt" AT TIME ZONE ${CHINA_TIME_ZONE}::text)::int AS "year"
    FROM "Encounter"
    WHERE "residentId" = ${holder.residentId}::uuid
      AND (${holder.includeSensitive} OR "sensitiveCategory" IS NULL)
      AND (${holder.includeHidden} OR "hiddenFromAssisted" = false)
    ORDER BY "year" DESC`;
  return rows.map((row) => Number(row.year));
}
