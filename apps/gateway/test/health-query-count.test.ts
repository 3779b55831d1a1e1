import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TARGETS,
  authorizeInPerson,
  createWorld,
  queryCounter,
  testResident,
  type Caller,
  type SignedIn,
  type World,
} from './harness.js';

/**
 * Round trips per health view: the same, and few, whether the record holds
 * 5 encounters or 200. Counted with openDatabase's onQuery, around the one
 * procedure call only (the session lookup included, sign-in excluded).
 */

/** Both 30, so without yearly exams: their timelines are exactly these visits. */
const FEW = testResident('韩晓东', '1996-03-03', 301, { health: { encounters: 5 } });
const MANY = testResident('韩晓西', '1996-04-04', 303, { health: { encounters: 200 } });

/**
 * Statements each call sends, with 5 encounters and with 200. Every call
 * starts with the session lookup (one statement for a resident); Prisma loads
 * relations (facility, diagnoses, ...) with one extra statement each, not
 * one per row.
 */
const RESIDENT_STATEMENTS = {
  // session, holder, page, years, facilities, diagnoses
  timeline: 6,
  // the same without the years
  timelineNextPage: 5,
  // session, holder, profile, conditions, family doctor (+ facility), latest follow-ups, immunizations
  overview: 8,
  // session, holder, encounter, facility, diagnoses, prescriptions, observations, exam
  encounter: 8,
  // session, holder, exams (+ encounters, facilities), observations
  observations: 6,
  // session, holder, immunizations (+ facilities)
  immunizations: 4,
  // session, holder, follow-ups (+ facilities)
  followUps: 4,
  // session, holder, conditions, encounters (+ facilities, diagnoses, prescriptions), observations, immunizations (+ facilities)
  exportFhir: 10,
} as const;

/**
 * Staff add the authorization lookup and the access-log append to their
 * resident's chain (the head locked, then the entry written and the head
 * moved in one statement); the staff member comes with the session in one
 * statement. The view and its entry share one transaction, whose COMMIT
 * PostgreSQL's driver adapter reports and PGlite's does not.
 */
const STAFF_EXTRA = { pglite: 3, postgres: 4 } as const;

describe.each(TARGETS)('health views send a fixed number of SQL statements, on %s', (target) => {
  const counter = queryCounter();
  let world: World;
  const people: Record<
    'few' | 'many',
    { id: string; resident: SignedIn; encounterId: string; authorizationId: string }
  > = {} as never;
  let staff: SignedIn;

  beforeAll(async () => {
    world = await createWorld(target, { extraResidents: [FEW, MANY], onQuery: counter.onQuery });
    staff = await world.staff('counter');
    for (const [key, person] of [
      ['few', FEW],
      ['many', MANY],
    ] as const) {
      const id = await world.residentIdOf(person.idNumber);
      expect(await world.db.prisma.encounter.count({ where: { residentId: id } })).toBe(key === 'few' ? 5 : 200);
      const encounter = await world.db.prisma.encounter.findFirstOrThrow({
        where: { residentId: id },
        select: { id: true },
      });
      const { id: authorizationId } = await authorizeInPerson(staff, person.idNumber, 'No phone', {
        scopes: ['HEALTH'],
      });
      people[key] = { id, resident: await world.signIn(person.idNumber), encounterId: encounter.id, authorizationId };
    }
  });
  afterAll(() => world?.close());

  /** Statements sent by one call. */
  async function measure(call: () => Promise<unknown>): Promise<number> {
    counter.reset();
    await call();
    return counter.count;
  }

  const residentViews: Record<
    keyof typeof RESIDENT_STATEMENTS,
    (caller: Caller, encounterId: string) => Promise<unknown>
  > = {
    timeline: (c) => c.health.timeline({ limit: 20 }),
    timelineNextPage: async (c) => {
      const first = await c.health.timeline({ limit: 2 });
      counter.reset();
      return c.health.timeline({ limit: 2, cursor: first.nextCursor! });
    },
    overview: (c) => c.health.overview({}),
    encounter: (c, encounterId) => c.health.encounter({ encounterId }),
    observations: (c) => c.health.observations({}),
    immunizations: (c) => c.health.immunizations({}),
    followUps: (c) => c.health.followUps({}),
    exportFhir: (c) => c.health.exportFhir({}),
  };

  it.each(Object.keys(RESIDENT_STATEMENTS) as (keyof typeof RESIDENT_STATEMENTS)[])(
    'resident %s: the same few statements for 5 encounters as for 200',
    async (name) => {
      const counts = {
        few: await measure(() => residentViews[name](people.few.resident.call, people.few.encounterId)),
        many: await measure(() => residentViews[name](people.many.resident.call, people.many.encounterId)),
      };
      expect(counts).toEqual({ few: RESIDENT_STATEMENTS[name], many: RESIDENT_STATEMENTS[name] });
    },
  );

  it.each(['timeline', 'overview'] as const)(
    'staff %s: the resident’s statements plus the authorization and the access log, whatever the size',
    async (name) => {
      const views = {
        timeline: (authorizationId: string) => staff.call.health.timeline({ authorizationId, limit: 20 }),
        overview: (authorizationId: string) => staff.call.health.overview({ authorizationId }),
      };
      const counts = {
        few: await measure(() => views[name](people.few.authorizationId)),
        many: await measure(() => views[name](people.many.authorizationId)),
      };
      const expected = RESIDENT_STATEMENTS[name] + STAFF_EXTRA[target];
      expect(counts).toEqual({ few: expected, many: expected });
    },
  );

  it('the timeline page really differs in size: 5 rows against 20 of 200', async () => {
    expect((await people.few.resident.call.health.timeline({ limit: 20 })).encounters).toHaveLength(5);
    const many = await people.many.resident.call.health.timeline({ limit: 20 });
    expect(many.encounters).toHaveLength(20);
    expect(many.nextCursor).not.toBeNull();
  });
});
