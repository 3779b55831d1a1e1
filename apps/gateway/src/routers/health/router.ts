import { z } from 'zod';
import { residentDataProcedure, residentProcedure, router } from '../../trpc.js';
import { encounterDetail } from './encounter-detail.js';
import { buildFhirBundle } from './fhir-export.js';
import { healthFollowUps } from './follow-ups.js';
import { healthImmunizations } from './immunizations.js';
import { healthObservations } from './observations.js';
import { healthOverview } from './overview.js';
import { setEncounterHidden } from './hidden-encounters.js';
import { listOpenableRecords } from './openable-records.js';
import { describeHolder, personInput, resolveRecordHolder } from './record-holder.js';
import { encounterYears, healthTimeline, timelineFilters } from './timeline.js';

/**
 * The resident health record (居民健康档案). Every view names the record's
 * holder; staff views are logged (by residentDataProcedure) under the action
 * given here, and never include what the resident hid or, unless authorized,
 * sensitive categories.
 */
function healthView(auditAction: string) {
  return residentDataProcedure('HEALTH', auditAction)
    .input(personInput)
    .use(async ({ ctx, input, next }) =>
      next({ ctx: { holder: await resolveRecordHolder(ctx, ctx.subject, input.personId) } }),
    );
}

const encounterIdInput = z.object({ encounterId: z.uuid({ error: 'validation.encounterId' }) });

export const healthRouter = router({
  /** Whose records the signed-in resident may open: their own and their minor children's. */
  people: residentProcedure.query(({ ctx }) => listOpenableRecords({ ctx, residentId: ctx.session.residentId })),

  overview: healthView('health.overview').query(async ({ ctx }) => ({
    holder: describeHolder(ctx.holder),
    ...(await healthOverview(ctx, ctx.holder)),
  })),

  timeline: healthView('health.timeline')
    .input(timelineFilters)
    .query(async ({ ctx, input }) => {
      const [page, years] = await Promise.all([
        healthTimeline(ctx, ctx.holder, input),
        input.cursor ? Promise.resolve(null) : encounterYears(ctx, ctx.holder),
      ]);
      return { holder: describeHolder(ctx.holder), ...page, years };
    }),

  encounter: healthView('health.encounter')
    .input(encounterIdInput)
    .query(async ({ ctx, input }) => ({
      holder: describeHolder(ctx.holder),
      encounter: await encounterDetail(ctx, ctx.holder, input.encounterId),
    })),

  immunizations: healthView('health.immunizations').query(async ({ ctx }) => ({
    holder: describeHolder(ctx.holder),
    ...(await healthImmunizations(ctx, ctx.holder)),
  })),

  observations: healthView('health.observations').query(async ({ ctx }) => ({
    holder: describeHolder(ctx.holder),
    ...(await healthObservations(ctx, ctx.holder)),
  })),

  followUps: healthView('health.followUps').query(async ({ ctx }) => ({
    holder: describeHolder(ctx.holder),
    ...(await healthFollowUps(ctx, ctx.holder)),
  })),

  /** The resident keeps one encounter out of counter (assisted) views, or shows it again. */
  setHiddenFromAssisted: residentProcedure
    .input(encounterIdInput.extend({ hidden: z.boolean({ error: 'validation.invalid' }) }))
    .mutation(({ ctx, input }) =>
      setEncounterHidden({
        deps: ctx,
        residentId: ctx.session.residentId,
        encounterId: input.encounterId,
        hidden: input.hidden,
      }),
    ),

  /** The record as an HL7 FHIR R4 JSON Bundle, for the resident (or a parent, for a minor child) only. */
  exportFhir: residentProcedure.input(personInput).query(async ({ ctx, input }) => {
    const holder = await resolveRecordHolder(
      ctx,
      { residentId: ctx.session.residentId, actor: { kind: 'RESIDENT' } },
      input.personId,
    );
    return buildFhirBundle(ctx, holder);
  }),
});
