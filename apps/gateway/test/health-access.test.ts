import { randomUUID } from 'node:crypto';
import { birthDateOf } from '@portal/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HOUSEHOLD_MEMBERS } from '../src/seed/demo-accounts.js';
import {
  TARGETS,
  accessLogCount,
  authorizeByCode,
  authorizeInPerson,
  callerFor,
  createWorld,
  demoResident,
  errorShapeOf,
  expectInvalidInput,
  expectRefused,
  lastAccessLogEntry,
  rowCounts,
  testResident,
  WRITABLE_TABLES,
  type Caller,
  type SignedIn,
  type World,
} from './harness.js';

/**
 * Who may open whose health record, what staff see of it, and what is
 * written to the access log. The household relations come from the seed:
 * 林志强 (worker) heads household "lin" with his wife 陈美玲 and two minor
 * children; the test adds the 周 household (a child turning 18 during the
 * test, one already 18, a grandparent), the 吴 household (another family's
 * child) and 郑海燕, who has a sensitive encounter.
 */

const [WIFE, DAUGHTER, SON, SCHOOL_STARTER] = DEMO_HOUSEHOLD_MEMBERS;

const ZHOU_HEAD = testResident('周建国', '1980-04-04', 101, { household: 'zhou', relation: 'HEAD' });
/** 17 when the test starts (2026-11-02); 18 on 2026-11-20. */
const ZHOU_TURNING = testResident('周小雨', '2008-11-20', 102, { household: 'zhou', relation: 'CHILD' });
const ZHOU_ADULT_CHILD = testResident('周大雨', '2008-06-01', 103, { household: 'zhou', relation: 'CHILD' });
const ZHOU_GRANDMOTHER = testResident('周母', '1952-02-02', 104, { household: 'zhou', relation: 'PARENT' });
const WU_HEAD = testResident('吴国栋', '1983-07-07', 105, { household: 'wu', relation: 'HEAD' });
const WU_CHILD = testResident('吴小宝', '2019-09-09', 107, { household: 'wu', relation: 'CHILD' });
/** 48, so with yearly physical exams; her first encounter is in a sensitive category. */
const SENSITIVE = testResident('郑海燕', '1978-05-05', 106, { health: { sensitive: true, encounters: 4 } });

const EXTRA_RESIDENTS = [ZHOU_HEAD, ZHOU_TURNING, ZHOU_ADULT_CHILD, ZHOU_GRANDMOTHER, WU_HEAD, WU_CHILD, SENSITIVE];

type ViewInput = { authorizationId?: string; personId?: string };

/** Every health view, called with the same subject input; the encounter view needs one of the holder's encounters. */
const HEALTH_VIEWS: Record<
  string,
  (
    caller: Caller,
    input: ViewInput,
    encounterId: string,
  ) => Promise<{ holder: { id: string; name: string; view: string } }>
> = {
  'health.overview': (c, input) => c.health.overview(input),
  'health.timeline': (c, input) => c.health.timeline(input),
  'health.encounter': (c, input, encounterId) => c.health.encounter({ ...input, encounterId }),
  'health.immunizations': (c, input) => c.health.immunizations(input),
  'health.observations': (c, input) => c.health.observations(input),
  'health.followUps': (c, input) => c.health.followUps(input),
};
const VIEW_NAMES = Object.keys(HEALTH_VIEWS);

/** 'allowed', or the code and message key of the refusal. */
async function answerTo(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'allowed',
    (error: unknown) => {
      const shape = errorShapeOf(error);
      return `${shape.data.code} ${shape.data.messageKey}`;
    },
  );
}

/** Whether a (whole, single-page) timeline's year filter offers exactly the city-time years of its encounters. */
function sameYears(timeline: { years: number[] | null; encounters: { startedAt: Date }[] }): boolean {
  const shown = [
    ...new Set(
      timeline.encounters.map((encounter) => new Date(encounter.startedAt.getTime() + 8 * 3_600_000).getUTCFullYear()),
    ),
  ].sort((a, b) => b - a);
  return JSON.stringify(timeline.years) === JSON.stringify(shown);
}

describe.each(TARGETS)('health records: access, privacy and the access log, on %s', (target) => {
  let world: World;
  const ids: Record<string, string> = {};
  /** One encounter of each holder, for the encounter view. */
  const anEncounter: Record<string, string> = {};

  beforeAll(async () => {
    world = await createWorld(target, { extraResidents: EXTRA_RESIDENTS });
    const people: Record<string, string> = {
      worker: demoResident('worker').idNumber,
      elder: demoResident('elder').idNumber,
      second: demoResident('second').idNumber,
      wife: WIFE.idNumber,
      daughter: DAUGHTER.idNumber,
      son: SON.idNumber,
      schoolStarter: SCHOOL_STARTER.idNumber,
      zhouHead: ZHOU_HEAD.idNumber,
      zhouTurning: ZHOU_TURNING.idNumber,
      zhouAdultChild: ZHOU_ADULT_CHILD.idNumber,
      zhouGrandmother: ZHOU_GRANDMOTHER.idNumber,
      wuHead: WU_HEAD.idNumber,
      wuChild: WU_CHILD.idNumber,
      sensitive: SENSITIVE.idNumber,
    };
    for (const [key, idNumber] of Object.entries(people)) {
      ids[key] = await world.residentIdOf(idNumber);
      const encounter = await world.db.prisma.encounter.findFirstOrThrow({
        where: { residentId: ids[key], sensitiveCategory: null },
        select: { id: true },
      });
      anEncounter[key] = encounter.id;
    }
  });
  afterAll(() => world?.close());

  /** A HEALTH authorization for a resident, by code (the resident signs in) or in person. */
  async function healthAuthorization(
    staff: SignedIn,
    idNumber: string,
    options: { includesSensitiveHealth?: boolean; inPerson?: boolean } = {},
  ) {
    const grant = { scopes: ['HEALTH' as const], includesSensitiveHealth: options.includesSensitiveHealth };
    if (options.inPerson) return authorizeInPerson(staff, idNumber, 'Resident has no mobile phone', grant);
    return authorizeByCode(staff, await world.signIn(idNumber), idNumber, grant);
  }

  describe('residents and their households', () => {
    it('a parent (head or spouse) sees a minor child’s record, and every response names the child', async () => {
      const [worker, wife] = await Promise.all([world.resident('worker'), world.signIn(WIFE.idNumber)]);
      for (const parent of [worker, wife]) {
        for (const [child, info] of [
          ['son', SON],
          ['daughter', DAUGHTER],
        ] as const) {
          for (const name of VIEW_NAMES) {
            const response = await HEALTH_VIEWS[name]!(parent.call, { personId: ids[child] }, anEncounter[child]!);
            expect(response.holder, `${name} for ${info.name}`).toEqual({
              id: ids[child],
              name: info.name,
              gender: expect.any(String),
              birthDate: birthDateOf(info.idNumber),
              view: 'CHILD',
            });
          }
        }
      }
      // Without a personId, or with their own, the parent sees their own record.
      expect((await worker.call.health.overview({})).holder).toMatchObject({
        id: ids.worker,
        name: demoResident('worker').name,
        view: 'SELF',
      });
      expect((await worker.call.health.timeline({ personId: ids.worker })).holder).toMatchObject({
        id: ids.worker,
        view: 'SELF',
      });
      // The child's timeline really is the child's.
      const timeline = await worker.call.health.timeline({ personId: ids.son, limit: 50 });
      const sonEncounters = await world.db.prisma.encounter.findMany({
        where: { residentId: ids.son },
        select: { id: true },
      });
      expect(new Set(timeline.encounters.map((encounter) => encounter.id))).toEqual(
        new Set(sonEncounters.map((encounter) => encounter.id)),
      );
    });

    it('health.people lists the resident and their minor children only', async () => {
      const [worker, wife, zhou, grandmother, second, daughter] = await Promise.all([
        world.resident('worker'),
        world.signIn(WIFE.idNumber),
        world.signIn(ZHOU_HEAD.idNumber),
        world.signIn(ZHOU_GRANDMOTHER.idNumber),
        world.resident('second'),
        world.signIn(DAUGHTER.idNumber),
      ]);
      const lin = [
        { id: ids.daughter, name: DAUGHTER.name, gender: 'FEMALE', birthDate: '2020-05-16', relation: 'CHILD' },
        {
          id: ids.schoolStarter,
          name: SCHOOL_STARTER.name,
          gender: 'MALE',
          birthDate: '2021-04-18',
          relation: 'CHILD',
        },
        { id: ids.son, name: SON.name, gender: 'MALE', birthDate: '2025-09-10', relation: 'CHILD' },
      ];
      expect(await worker.call.health.people()).toEqual([
        {
          id: ids.worker,
          name: demoResident('worker').name,
          gender: 'MALE',
          birthDate: '1985-03-12',
          relation: 'SELF',
        },
        ...lin,
      ]);
      expect((await wife.call.health.people()).slice(1)).toEqual(lin);
      expect((await zhou.call.health.people()).map((person) => [person.name, person.relation])).toEqual([
        [ZHOU_HEAD.name, 'SELF'],
        [ZHOU_TURNING.name, 'CHILD'],
      ]);
      // A grandparent, a resident living alone and a child list only themselves.
      for (const [caller, id] of [
        [grandmother, ids.zhouGrandmother],
        [second, ids.second],
        [daughter, ids.daughter],
      ] as const) {
        expect((await caller.call.health.people()).map((person) => [person.id, person.relation])).toEqual([
          [id, 'SELF'],
        ]);
      }
    });

    it('nobody else’s record: another resident, an adult of the household, another family’s child, an adult child; nothing logged', async () => {
      const [worker, wife, zhou, grandmother, daughter] = await Promise.all([
        world.resident('worker'),
        world.signIn(WIFE.idNumber),
        world.signIn(ZHOU_HEAD.idNumber),
        world.signIn(ZHOU_GRANDMOTHER.idNumber),
        world.signIn(DAUGHTER.idNumber),
      ]);
      const attempts: [string, SignedIn, string][] = [
        ['worker → another resident', worker, 'second'],
        ['worker → his wife', worker, 'wife'],
        ['wife → her husband', wife, 'worker'],
        ['worker → another family’s child', worker, 'wuChild'],
        ['zhou → his child who is 18', zhou, 'zhouAdultChild'],
        ['zhou → his mother', zhou, 'zhouGrandmother'],
        ['grandmother → her grandchild', grandmother, 'zhouTurning'],
        ['a child → her brother', daughter, 'son'],
        ['a child → her father', daughter, 'worker'],
      ];
      const before = await rowCounts(world.db, [...WRITABLE_TABLES]);
      const answers: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const [who, caller, whose] of attempts) {
        for (const name of VIEW_NAMES) {
          expected[`${who}: ${name}`] = 'FORBIDDEN errors.notYourRecord';
          answers[`${who}: ${name}`] = await answerTo(
            HEALTH_VIEWS[name]!(caller.call, { personId: ids[whose] }, anEncounter[whose]!),
          );
        }
        expected[`${who}: health.exportFhir`] = 'FORBIDDEN errors.notYourRecord';
        answers[`${who}: health.exportFhir`] = await answerTo(caller.call.health.exportFhir({ personId: ids[whose] }));
      }
      // An id that is nobody's.
      expected['worker → nobody'] = 'FORBIDDEN errors.notYourRecord';
      answers['worker → nobody'] = await answerTo(worker.call.health.overview({ personId: randomUUID() }));
      expect(answers).toEqual(expected);
      expect(await rowCounts(world.db, [...WRITABLE_TABLES])).toEqual(before);
    });

    it('an encounter id reaches only the record on screen', async () => {
      const worker = await world.resident('worker');
      // The son's encounter, asked for on the father's own record.
      await expectRefused(
        worker.call.health.encounter({ encounterId: anEncounter.son! }),
        'NOT_FOUND',
        'errors.notFound',
      );
      // Another resident's encounter, asked for on the son's record.
      await expectRefused(
        worker.call.health.encounter({ personId: ids.son, encounterId: anEncounter.second! }),
        'NOT_FOUND',
        'errors.notFound',
      );
      expect(
        (await worker.call.health.encounter({ personId: ids.son, encounterId: anEncounter.son! })).encounter.id,
      ).toBe(anEncounter.son);
      await expectInvalidInput(worker.call.health.overview({ personId: 'not-a-uuid' }), {
        personId: 'validation.personId',
      });
      await expectInvalidInput(worker.call.health.encounter({ encounterId: 'nope' }), {
        encounterId: 'validation.encounterId',
      });
    });

    it('a resident never names an authorization', async () => {
      const [counter, elder] = await Promise.all([world.staff('counter'), world.resident('elder')]);
      const { id } = await healthAuthorization(counter, demoResident('elder').idNumber);
      await expectRefused(elder.call.health.overview({ authorizationId: id }), 'FORBIDDEN', 'errors.forbidden');
    });
  });

  describe('staff at the counter', () => {
    it('see nothing without an authorization, with a card-only, ended, revoked or someone else’s one, or from the card office; nothing logged', async () => {
      const [counter, counter2, cardOffice, elder] = await Promise.all([
        world.staff('counter'),
        world.staff('counter2'),
        world.staff('cardOffice'),
        world.resident('elder'),
      ]);
      const elderId = demoResident('elder').idNumber;
      const cardOnlyByCode = await authorizeByCode(counter, elder, elderId);
      const cardOnlyInPerson = await authorizeInPerson(counter, elderId);
      // Asking for sensitive records without the health service grants nothing.
      const cardWithSensitive = await authorizeInPerson(counter, elderId, 'No phone', {
        scopes: ['CARD'],
        includesSensitiveHealth: true,
      });
      expect(cardWithSensitive.includesSensitiveHealth).toBe(false);
      const othersHealth = await healthAuthorization(counter2, elderId, { inPerson: true });
      const ended = await healthAuthorization(counter, elderId, { inPerson: true });
      await counter.call.assist.end({ authorizationId: ended.id });
      const revoked = await healthAuthorization(counter, elderId);
      await elder.call.assist.revoke({ authorizationId: revoked.id });
      const before = await rowCounts(world.db, [...WRITABLE_TABLES]);
      const answers: Record<string, string> = {};
      const expected: Record<string, string> = {};
      const anonymous = callerFor(world.deps).call;
      for (const name of VIEW_NAMES) {
        const view = (caller: Caller, authorizationId?: string) =>
          answerTo(HEALTH_VIEWS[name]!(caller, { authorizationId }, anEncounter.elder!));
        const cases: [string, Promise<string>, string][] = [
          ['no authorization', view(counter.call), 'FORBIDDEN errors.authorizationRequired'],
          ['card only (code)', view(counter.call, cardOnlyByCode.id), 'FORBIDDEN errors.scopeMissing'],
          ['card only (in person)', view(counter.call, cardOnlyInPerson.id), 'FORBIDDEN errors.scopeMissing'],
          ['card with sensitive flag', view(counter.call, cardWithSensitive.id), 'FORBIDDEN errors.scopeMissing'],
          [
            'another counter’s health authorization',
            view(counter.call, othersHealth.id),
            'FORBIDDEN errors.authorizationRequired',
          ],
          ['made-up authorization', view(counter.call, randomUUID()), 'FORBIDDEN errors.authorizationRequired'],
          ['ended health authorization', view(counter.call, ended.id), 'FORBIDDEN errors.authorizationRequired'],
          ['revoked health authorization', view(counter.call, revoked.id), 'FORBIDDEN errors.authorizationRequired'],
          ['card office', view(cardOffice.call, othersHealth.id), 'FORBIDDEN errors.forbidden'],
          ['anonymous', view(anonymous, othersHealth.id), 'UNAUTHORIZED errors.signInRequired'],
        ];
        for (const [label, answer, expectedAnswer] of cases) {
          expected[`${name}: ${label}`] = expectedAnswer;
          answers[`${name}: ${label}`] = await answer;
        }
      }
      expect(answers).toEqual(expected);
      expect(await rowCounts(world.db, [...WRITABLE_TABLES])).toEqual(before);
    });

    it('with a HEALTH authorization see the resident’s record (view ASSISTED), as the resident does, but never a child’s', async () => {
      const [counter, elder, worker] = await Promise.all([
        world.staff('counter'),
        world.resident('elder'),
        world.resident('worker'),
      ]);
      const { id: authorizationId } = await healthAuthorization(counter, demoResident('elder').idNumber, {
        includesSensitiveHealth: true,
      });
      for (const name of VIEW_NAMES) {
        const byStaff = await HEALTH_VIEWS[name]!(counter.call, { authorizationId }, anEncounter.elder!);
        const bySelf = await HEALTH_VIEWS[name]!(elder.call, {}, anEncounter.elder!);
        expect(byStaff.holder, name).toMatchObject({
          id: ids.elder,
          name: demoResident('elder').name,
          view: 'ASSISTED',
        });
        // Nothing of hers is hidden or sensitive: staff see what she sees.
        expect({ ...byStaff, holder: { ...byStaff.holder, view: 'SELF' } }, name).toEqual(bySelf);
      }
      // Naming her own id is fine; anyone else's, a child's above all, is not.
      expect((await counter.call.health.overview({ authorizationId, personId: ids.elder })).holder.id).toBe(ids.elder);
      const { id: workerAuthorization } = await healthAuthorization(counter, demoResident('worker').idNumber, {
        includesSensitiveHealth: true,
      });
      const before = await accessLogCount(world.db);
      for (const name of VIEW_NAMES) {
        for (const whose of ['son', 'daughter', 'wife', 'second']) {
          expect(
            await answerTo(
              HEALTH_VIEWS[name]!(
                counter.call,
                { authorizationId: workerAuthorization, personId: ids[whose] },
                anEncounter[whose]!,
              ),
            ),
            `${name} ${whose}`,
          ).toBe('FORBIDDEN errors.notYourRecord');
        }
      }
      expect(await accessLogCount(world.db)).toBe(before);
      // And the parent's own children stay reachable for the parent.
      expect((await worker.call.health.overview({ personId: ids.son })).holder.view).toBe('CHILD');
    });

    it('health.people, setHiddenFromAssisted and exportFhir are for residents only', async () => {
      const [counter, cardOffice] = await Promise.all([world.staff('counter'), world.staff('cardOffice')]);
      const { id: authorizationId } = await healthAuthorization(counter, demoResident('elder').idNumber, {
        includesSensitiveHealth: true,
      });
      const anonymous = callerFor(world.deps).call;
      const residentOnly: Record<string, (c: Caller) => Promise<unknown>> = {
        'health.people': (c) => c.health.people(),
        'health.setHiddenFromAssisted': (c) =>
          c.health.setHiddenFromAssisted({ encounterId: anEncounter.elder!, hidden: true, authorizationId } as never),
        'health.exportFhir': (c) => c.health.exportFhir({ authorizationId } as never),
      };
      const answers: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const [name, call] of Object.entries(residentOnly)) {
        for (const [who, caller] of [
          ['counter', counter.call],
          ['card office', cardOffice.call],
          ['anonymous', anonymous],
        ] as const) {
          expected[`${who} → ${name}`] =
            who === 'anonymous' ? 'UNAUTHORIZED errors.signInRequired' : 'FORBIDDEN errors.forbidden';
          answers[`${who} → ${name}`] = await answerTo(call(caller));
        }
      }
      expect(answers).toEqual(expected);
      expect(
        await world.db.prisma.encounter.count({ where: { residentId: ids.elder, hiddenFromAssisted: true } }),
      ).toBe(0);
    });
  });

  describe('sensitive categories', () => {
    let sensitiveEncounter: { id: string; startedAt: Date; sensitiveCategory: string | null };
    let sensitiveConditionIds: string[];
    /** A physical exam made sensitive for this test (e.g. a pre-pregnancy check). */
    let sensitiveExam: string;

    beforeAll(async () => {
      // Moved to a year of its own, so that the year filter would give it away if it leaked.
      const { id: sensitiveId } = await world.db.prisma.encounter.findFirstOrThrow({
        where: { residentId: ids.sensitive, sensitiveCategory: { not: null } },
        select: { id: true },
      });
      sensitiveEncounter = await world.db.prisma.encounter.update({
        where: { id: sensitiveId },
        data: { startedAt: new Date('2014-03-01T02:00:00Z') },
        select: { id: true, startedAt: true, sensitiveCategory: true },
      });
      sensitiveConditionIds = (
        await world.db.prisma.healthCondition.findMany({
          where: { residentId: ids.sensitive, sensitiveCategory: { not: null } },
        })
      ).map((row) => row.id);
      expect(sensitiveConditionIds.length).toBeGreaterThan(0);
      // A value measured at the sensitive visit, so the observations view has something to keep back.
      if (!(await world.db.prisma.observation.count({ where: { encounterId: sensitiveEncounter.id } }))) {
        await world.db.prisma.observation.create({
          data: {
            id: randomUUID(),
            residentId: ids.sensitive!,
            encounterId: sensitiveEncounter.id,
            loincCode: '6690-2',
            kind: 'whiteBloodCells',
            value: 6.1,
            unit: '10*9/L',
            referenceLow: 3.5,
            referenceHigh: 9.5,
            observedAt: sensitiveEncounter.startedAt,
          },
        });
      }
      const exam = await world.db.prisma.physicalExam.findFirstOrThrow({
        where: { residentId: ids.sensitive },
        orderBy: { encounter: { startedAt: 'desc' } },
        select: { encounterId: true },
      });
      sensitiveExam = exam.encounterId;
      await world.db.prisma.encounter.update({
        where: { id: sensitiveExam },
        data: { sensitiveCategory: 'REPRODUCTIVE_HEALTH' },
      });
    });

    /** What a viewer sees of 郑海燕's sensitive records, across every view. */
    async function sensitiveSeen(caller: Caller, authorizationId?: string) {
      const input = { authorizationId };
      const [timeline, overview, observations] = await Promise.all([
        caller.health.timeline({ ...input, limit: 50 }),
        caller.health.overview(input),
        caller.health.observations(input),
      ]);
      const detail = await answerTo(caller.health.encounter({ ...input, encounterId: sensitiveEncounter.id }));
      const examDetail = await answerTo(caller.health.encounter({ ...input, encounterId: sensitiveExam }));
      const sensitiveObservations = await world.db.prisma.observation.findMany({
        where: { encounterId: { in: [sensitiveEncounter.id, sensitiveExam] } },
        select: { observedAt: true, kind: true },
      });
      const trendPoints = Object.entries(observations.trends).flatMap(([kind, points]) =>
        points.map((point) => `${kind}@${point.observedAt.toISOString()}`),
      );
      return {
        inTimeline: timeline.encounters.some((encounter) => encounter.id === sensitiveEncounter.id),
        examInTimeline: timeline.encounters.some((encounter) => encounter.id === sensitiveExam),
        detail,
        examDetail,
        conditions: overview.conditions.some((condition) => sensitiveConditionIds.includes(condition.id)),
        exam: observations.exams.some((exam) => exam.encounterId === sensitiveExam),
        trends: sensitiveObservations.some((observation) =>
          trendPoints.includes(`${observation.kind}@${observation.observedAt.toISOString()}`),
        ),
        // The year filter offers only years with encounters this viewer sees.
        yearsMatch: sameYears(timeline),
      };
    }

    const everything = {
      inTimeline: true,
      examInTimeline: true,
      detail: 'allowed',
      examDetail: 'allowed',
      conditions: true,
      exam: true,
      trends: true,
      yearsMatch: true,
    };
    const nothing = {
      inTimeline: false,
      examInTimeline: false,
      detail: 'NOT_FOUND errors.notFound',
      examDetail: 'NOT_FOUND errors.notFound',
      conditions: false,
      exam: false,
      trends: false,
      yearsMatch: true,
    };

    it('the resident sees her sensitive encounter, its condition and values', async () => {
      const resident = await world.signIn(SENSITIVE.idNumber);
      const seen = await sensitiveSeen(resident.call);
      expect(seen).toEqual(everything);
      const detail = await resident.call.health.encounter({ encounterId: sensitiveEncounter.id });
      expect(detail.encounter).toMatchObject({
        id: sensitiveEncounter.id,
        sensitiveCategory: sensitiveEncounter.sensitiveCategory,
      });
    });

    it('staff with HEALTH but without sensitive categories never see them, by code or in person', async () => {
      const counter = await world.staff('counter');
      for (const inPerson of [false, true]) {
        const authorization = await healthAuthorization(counter, SENSITIVE.idNumber, { inPerson });
        expect(authorization.includesSensitiveHealth).toBe(false);
        const seen = await sensitiveSeen(counter.call, authorization.id);
        expect(seen, inPerson ? 'in person' : 'by code').toEqual(nothing);
        // The ordinary parts of her record are there.
        const timeline = await counter.call.health.timeline({ authorizationId: authorization.id, limit: 50 });
        const ordinary = await world.db.prisma.encounter.count({
          where: { residentId: ids.sensitive, sensitiveCategory: null },
        });
        expect(timeline.encounters).toHaveLength(ordinary);
        expect(timeline.encounters.every((encounter) => encounter.sensitiveCategory === null)).toBe(true);
        const overview = await counter.call.health.overview({ authorizationId: authorization.id });
        expect(overview.conditions.every((condition) => condition.sensitiveCategory === null)).toBe(true);
      }
    });

    it('staff whose authorization includes sensitive categories see them, by code or in person', async () => {
      const counter = await world.staff('counter');
      for (const inPerson of [false, true]) {
        const authorization = await healthAuthorization(counter, SENSITIVE.idNumber, {
          inPerson,
          includesSensitiveHealth: true,
        });
        expect(authorization.includesSensitiveHealth).toBe(true);
        expect(await counter.call.assist.get({ authorizationId: authorization.id })).toMatchObject({
          includesSensitiveHealth: true,
          scopes: ['HEALTH'],
        });
        const seen = await sensitiveSeen(counter.call, authorization.id);
        expect(seen, inPerson ? 'in person' : 'by code').toEqual(everything);
      }
      // The resident sees on her list which authorization let staff see sensitive records.
      const resident = await world.signIn(SENSITIVE.idNumber);
      const given = await resident.call.assist.myAuthorizations();
      expect(given.filter((authorization) => authorization.includesSensitiveHealth)).toHaveLength(2);
    });
  });

  describe('encounters hidden from the counter', () => {
    let hiddenVisit: string;
    let hiddenExam: string;

    beforeAll(async () => {
      // 张伟 (47) has ordinary visits and yearly exams.
      hiddenVisit = (
        await world.db.prisma.encounter.findFirstOrThrow({
          where: { residentId: ids.second, type: { not: 'PHYSICAL_EXAM' } },
          select: { id: true },
        })
      ).id;
      // In a year of its own, so that the year filter would give it away if it leaked.
      await world.db.prisma.encounter.update({
        where: { id: hiddenVisit },
        data: { startedAt: new Date('2015-06-01T02:00:00Z') },
      });
      hiddenExam = (
        await world.db.prisma.physicalExam.findFirstOrThrow({
          where: { residentId: ids.second },
          select: { encounterId: true },
        })
      ).encounterId;
    });

    async function hiddenSeen(caller: Caller, authorizationId?: string) {
      const input = { authorizationId };
      const [timeline, observations] = await Promise.all([
        caller.health.timeline({ ...input, limit: 50 }),
        caller.health.observations(input),
      ]);
      const examValues = await world.db.prisma.observation.findMany({
        where: { encounterId: hiddenExam },
        select: { observedAt: true },
      });
      const trendTimes = new Set(
        Object.values(observations.trends).flatMap((points) => points.map((point) => point.observedAt.getTime())),
      );
      return {
        visit: timeline.encounters.some((encounter) => encounter.id === hiddenVisit),
        exam: timeline.encounters.some((encounter) => encounter.id === hiddenExam),
        visitDetail: await answerTo(caller.health.encounter({ ...input, encounterId: hiddenVisit })),
        examDetail: await answerTo(caller.health.encounter({ ...input, encounterId: hiddenExam })),
        examInObservations: observations.exams.some((exam) => exam.encounterId === hiddenExam),
        examValuesInTrends: examValues.some((value) => trendTimes.has(value.observedAt.getTime())),
        // The year filter offers exactly the years of the encounters shown.
        yearsMatch: sameYears(timeline),
      };
    }
    const shown = {
      visit: true,
      exam: true,
      visitDetail: 'allowed',
      examDetail: 'allowed',
      examInObservations: true,
      examValuesInTrends: true,
      yearsMatch: true,
    };
    const kept = {
      visit: false,
      exam: false,
      visitDetail: 'NOT_FOUND errors.notFound',
      examDetail: 'NOT_FOUND errors.notFound',
      examInObservations: false,
      examValuesInTrends: false,
      yearsMatch: true,
    };

    it('disappear from every staff view, even with sensitive categories, stay visible to the resident, and come back when shown again', async () => {
      const [second, counter] = await Promise.all([world.resident('second'), world.staff('counter')]);
      const { id: authorizationId } = await healthAuthorization(counter, demoResident('second').idNumber, {
        includesSensitiveHealth: true,
      });
      expect(await hiddenSeen(counter.call, authorizationId)).toEqual(shown);

      for (const encounterId of [hiddenVisit, hiddenExam]) {
        expect(await second.call.health.setHiddenFromAssisted({ encounterId, hidden: true })).toEqual({
          encounterId,
          hidden: true,
        });
      }
      expect(await hiddenSeen(counter.call, authorizationId)).toEqual(kept);
      expect(await hiddenSeen(second.call)).toEqual(shown);
      const own = await second.call.health.timeline({ limit: 50 });
      expect(
        own.encounters
          .filter((encounter) => encounter.hiddenFromAssisted)
          .map((encounter) => encounter.id)
          .sort(),
      ).toEqual([hiddenVisit, hiddenExam].sort());

      for (const encounterId of [hiddenVisit, hiddenExam]) {
        await second.call.health.setHiddenFromAssisted({ encounterId, hidden: false });
      }
      expect(await hiddenSeen(counter.call, authorizationId)).toEqual(shown);
    });

    it('a resident can hide only their own encounters', async () => {
      const [worker, second] = await Promise.all([world.resident('worker'), world.resident('second')]);
      await expectRefused(
        worker.call.health.setHiddenFromAssisted({ encounterId: hiddenVisit, hidden: true }),
        'NOT_FOUND',
        'errors.notFound',
      );
      await expectRefused(
        worker.call.health.setHiddenFromAssisted({ encounterId: randomUUID(), hidden: true }),
        'NOT_FOUND',
        'errors.notFound',
      );
      await expectInvalidInput(
        second.call.health.setHiddenFromAssisted({ encounterId: hiddenVisit, hidden: 'yes' as never }),
        { hidden: 'validation.invalid' },
      );
      expect(
        await world.db.prisma.encounter.findUniqueOrThrow({
          where: { id: hiddenVisit },
          select: { hiddenFromAssisted: true },
        }),
      ).toEqual({ hiddenFromAssisted: false });
    });
  });

  describe('the access log', () => {
    it('every successful staff view writes exactly one entry with its action and authorization; refusals write none', async () => {
      const [counter, elder] = await Promise.all([world.staff('counter'), world.resident('elder')]);
      const { id: authorizationId, method } = await healthAuthorization(counter, demoResident('elder').idNumber);
      const staffId = await world.staffId('counter');
      for (const name of VIEW_NAMES) {
        const before = await accessLogCount(world.db);
        world.clock.advance(1_000);
        await HEALTH_VIEWS[name]!(counter.call, { authorizationId }, anEncounter.elder!);
        expect(await accessLogCount(world.db), name).toBe(before + 1);
        expect(await lastAccessLogEntry(world.db), name).toMatchObject({
          residentId: ids.elder,
          staffId,
          authorizationId,
          basis: method,
          action: name,
          createdAt: world.clock.now(),
        });
      }

      // Refused or failed calls are not logged: a child's record, an encounter that is not hers, bad filters, a bad cursor.
      const before = await rowCounts(world.db, [...WRITABLE_TABLES]);
      await expectRefused(
        counter.call.health.overview({ authorizationId, personId: ids.son }),
        'FORBIDDEN',
        'errors.notYourRecord',
      );
      await expectRefused(
        counter.call.health.encounter({ authorizationId, encounterId: anEncounter.worker! }),
        'NOT_FOUND',
        'errors.notFound',
      );
      await expectRefused(
        counter.call.health.encounter({ authorizationId, encounterId: randomUUID() }),
        'NOT_FOUND',
        'errors.notFound',
      );
      await expectInvalidInput(counter.call.health.timeline({ authorizationId, year: 1800 }), {
        year: 'validation.year',
      });
      await expectRefused(
        counter.call.health.timeline({ authorizationId, cursor: 'garbage' }),
        'BAD_REQUEST',
        'errors.invalidCursor',
      );
      expect(await rowCounts(world.db, [...WRITABLE_TABLES])).toEqual(before);

      // The resident sees each look at her record, newest first.
      const { entries } = await elder.call.accessLog.mine({ limit: VIEW_NAMES.length });
      expect(entries.map((entry) => entry.action)).toEqual([...VIEW_NAMES].reverse());
      expect(entries.every((entry) => entry.staffName === '王芳' && entry.basis === method)).toBe(true);
    });

    it('the resident’s own and a parent’s views are not logged', async () => {
      const worker = await world.resident('worker');
      const before = await accessLogCount(world.db);
      for (const name of VIEW_NAMES) {
        await HEALTH_VIEWS[name]!(worker.call, {}, anEncounter.worker!);
        await HEALTH_VIEWS[name]!(worker.call, { personId: ids.son }, anEncounter.son!);
      }
      await worker.call.health.exportFhir({ personId: ids.son });
      expect(await accessLogCount(world.db)).toBe(before);
    });
  });

  // Last: moves the clock.
  it('a child who turns 18 is no longer in the parent’s reach', async () => {
    const zhou = await world.signIn(ZHOU_HEAD.idNumber);
    expect((await zhou.call.health.overview({ personId: ids.zhouTurning })).holder).toMatchObject({
      id: ids.zhouTurning,
      view: 'CHILD',
    });
    // 23:00 in China the day before her 18th birthday, still a minor.
    world.clock.advance(new Date('2026-11-19T15:00:00Z').getTime() - world.clock.now().getTime());
    const dayBefore = await world.signIn(ZHOU_HEAD.idNumber);
    expect((await dayBefore.call.health.timeline({ personId: ids.zhouTurning })).holder.view).toBe('CHILD');
    expect((await dayBefore.call.health.people()).map((person) => person.id)).toContain(ids.zhouTurning);
    // 01:00 in China on her birthday.
    world.clock.advance(2 * 3_600_000);
    const after = await world.signIn(ZHOU_HEAD.idNumber);
    expect((await after.call.health.people()).map((person) => person.id)).toEqual([ids.zhouHead]);
    for (const name of VIEW_NAMES) {
      await expectRefused(
        HEALTH_VIEWS[name]!(after.call, { personId: ids.zhouTurning }, anEncounter.zhouTurning!),
        'FORBIDDEN',
        'errors.notYourRecord',
      );
    }
    await expectRefused(
      after.call.health.exportFhir({ personId: ids.zhouTurning }),
      'FORBIDDEN',
      'errors.notYourRecord',
    );
    // Her own record is hers now.
    const herself = await world.signIn(ZHOU_TURNING.idNumber);
    expect((await herself.call.health.overview({})).holder).toMatchObject({ id: ids.zhouTurning, view: 'SELF' });
  });
});
