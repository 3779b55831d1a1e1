import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueDoses, NATIONAL_SCHEDULE } from '../src/routers/health/immunization-schedule.js';
import { DEMO_HOUSEHOLD_MEMBERS } from '../src/seed/demo-accounts.js';
import {
  HOUR,
  TARGETS,
  WRITABLE_TABLES,
  authorizeInPerson,
  createWorld,
  demoResident,
  expectInvalidInput,
  expectRefused,
  rowCounts,
  testResident,
  type Caller,
  type SignedIn,
  type World,
} from './harness.js';

/**
 * The health record's contents: the timeline (newest first, filters, keyset
 * pages), immunizations against the national schedule, exam values and
 * trends, chronic-disease follow-ups and the overview's attention list.
 */

const [, DAUGHTER, SON] = DEMO_HOUSEHOLD_MEMBERS;
/** 30 years old: no yearly exams, so her timeline is exactly her 45 visits. */
const MANY_VISITS = testResident('何文静', '1996-02-14', 208, { health: { encounters: 45 } });

/** The city's calendar year (China Standard Time, UTC+8). */
const cityYear = (date: Date) => new Date(date.getTime() + 8 * HOUR).getUTCFullYear();

type TimelineInput = Parameters<Caller['health']['timeline']>[0];
type TimelinePage = Awaited<ReturnType<Caller['health']['timeline']>>;

/** Every page of a timeline, following nextCursor (at most 50 pages). */
async function walk(
  caller: Caller,
  input: TimelineInput,
  between?: (page: TimelinePage) => Promise<void>,
): Promise<TimelinePage[]> {
  const pages: TimelinePage[] = [];
  let cursor: string | undefined;
  do {
    const page = await caller.health.timeline({ ...input, cursor });
    pages.push(page);
    if (between) await between(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length < 50);
  return pages;
}

describe.each(TARGETS)('health record contents on %s', (target) => {
  let world: World;
  let manyVisitsId: string;
  /** 何文静's encounters as the database orders them: newest first, id breaking ties. */
  let expected: { id: string; startedAt: Date; type: string; level: string }[];

  beforeAll(async () => {
    world = await createWorld(target, { extraResidents: [MANY_VISITS] });
    manyVisitsId = await world.residentIdOf(MANY_VISITS.idNumber);
    const prisma = world.db.prisma;
    const ordered = () =>
      prisma.encounter.findMany({
        where: { residentId: manyVisitsId },
        orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
        select: { id: true, startedAt: true },
      });
    const seeded = await ordered();
    expect(seeded).toHaveLength(45);
    // Five visits at the same moment, so that a page boundary (after the 10th) falls among equal times.
    await prisma.encounter.updateMany({
      where: { id: { in: seeded.slice(7, 12).map((row) => row.id) } },
      data: { startedAt: seeded[7]!.startedAt },
    });
    // Two visits either side of New Year in the city: 23:30 and 00:30 China time.
    await prisma.encounter.update({
      where: { id: seeded[30]!.id },
      data: { startedAt: new Date('2025-12-31T15:30:00Z') },
    });
    await prisma.encounter.update({
      where: { id: seeded[31]!.id },
      data: { startedAt: new Date('2025-12-31T16:30:00Z') },
    });
    const rows = await prisma.encounter.findMany({
      where: { residentId: manyVisitsId },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      select: { id: true, startedAt: true, type: true, facility: { select: { level: true } } },
    });
    expected = rows.map((row) => ({ id: row.id, startedAt: row.startedAt, type: row.type, level: row.facility.level }));
    expect(await ordered()).toEqual(expected.map(({ id, startedAt }) => ({ id, startedAt })));
  });
  afterAll(() => world?.close());

  describe('timeline', () => {
    let resident: SignedIn;
    beforeAll(async () => {
      resident = await world.signIn(MANY_VISITS.idNumber);
    });

    it('is newest first, and paging with nextCursor walks every encounter exactly once', async () => {
      const pages = await walk(resident.call, { limit: 10 });
      expect(pages.map((page) => page.encounters.length)).toEqual([10, 10, 10, 10, 5]);
      expect(pages.map((page) => page.nextCursor === null)).toEqual([false, false, false, false, true]);
      const ids = pages.flatMap((page) => page.encounters.map((encounter) => encounter.id));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expected.map((row) => row.id));
      // The tie straddles the first page boundary.
      expect(pages[0]!.encounters.at(-1)!.startedAt).toEqual(pages[1]!.encounters[0]!.startedAt);
      // The years come with the first page only.
      expect(pages[0]!.years).toEqual(
        [...new Set(expected.map((row) => cityYear(row.startedAt)))].sort((a, b) => b - a),
      );
      expect(pages.slice(1).every((page) => page.years === null)).toBe(true);
      // A page as large as the record has no next page.
      expect((await resident.call.health.timeline({ limit: 45 })).nextCursor).toBeNull();
      expect((await resident.call.health.timeline({ limit: 44 })).nextCursor).not.toBeNull();
    });

    it('a visit recorded while paging does not shift the pages already walked', async () => {
      const facility = await world.db.prisma.healthFacility.findFirstOrThrow({ select: { id: true } });
      const newId = randomUUID();
      let inserted = false;
      const pages = await walk(resident.call, { limit: 10 }, async () => {
        if (inserted) return;
        inserted = true;
        await world.db.prisma.encounter.create({
          data: {
            id: newId,
            residentId: manyVisitsId,
            facilityId: facility.id,
            type: 'OUTPATIENT',
            startedAt: world.clock.now(),
            department: '内科',
            clinician: '王医生',
            summary: '复诊。',
          },
        });
      });
      try {
        expect(pages.flatMap((page) => page.encounters.map((encounter) => encounter.id))).toEqual(
          expected.map((row) => row.id),
        );
        expect((await resident.call.health.timeline({ limit: 1 })).encounters[0]!.id).toBe(newId);
      } finally {
        await world.db.prisma.encounter.delete({ where: { id: newId } });
      }
    });

    it('staff walk only what they may see, each encounter once', async () => {
      const counter = await world.staff('counter');
      const { id: authorizationId } = await authorizeInPerson(counter, MANY_VISITS.idNumber, 'No phone', {
        scopes: ['HEALTH'],
      });
      const hidden = expected[10]!.id; // the first encounter of the second page
      await resident.call.health.setHiddenFromAssisted({ encounterId: hidden, hidden: true });
      try {
        const pages = await walk(counter.call, { authorizationId, limit: 10 });
        expect(pages.map((page) => page.encounters.length)).toEqual([10, 10, 10, 10, 4]);
        expect(pages.flatMap((page) => page.encounters.map((encounter) => encounter.id))).toEqual(
          expected.map((row) => row.id).filter((id) => id !== hidden),
        );
        expect(pages.every((page) => page.holder.view === 'ASSISTED')).toBe(true);
      } finally {
        await resident.call.health.setHiddenFromAssisted({ encounterId: hidden, hidden: false });
      }
    });

    it('filters by year (the city’s calendar year), facility level and type return exactly the matching encounters', async () => {
      const idsOf = (page: TimelinePage) => page.encounters.map((encounter) => encounter.id);
      const years = [...new Set(expected.map((row) => cityYear(row.startedAt)))];
      expect(years.length).toBeGreaterThan(1);
      for (const year of years) {
        const page = await resident.call.health.timeline({ year, limit: 50 });
        expect(idsOf(page), `year ${year}`).toEqual(
          expected.filter((row) => cityYear(row.startedAt) === year).map((row) => row.id),
        );
        expect(page.encounters.every((encounter) => cityYear(encounter.startedAt) === year)).toBe(true);
      }
      // Half past midnight on New Year's Day in the city is the new year, though still the old one in UTC.
      const newYear = await resident.call.health.timeline({ year: 2026, limit: 50 });
      const oldYear = await resident.call.health.timeline({ year: 2025, limit: 50 });
      const at = (page: TimelinePage, iso: string) =>
        page.encounters.some((encounter) => encounter.startedAt.toISOString() === iso);
      expect([at(newYear, '2025-12-31T16:30:00.000Z'), at(oldYear, '2025-12-31T16:30:00.000Z')]).toEqual([true, false]);
      expect([at(newYear, '2025-12-31T15:30:00.000Z'), at(oldYear, '2025-12-31T15:30:00.000Z')]).toEqual([false, true]);
      // A year without visits is simply empty.
      expect(await resident.call.health.timeline({ year: 2000 })).toMatchObject({ encounters: [], nextCursor: null });

      for (const level of ['CITY', 'COUNTY', 'TOWN', 'VILLAGE'] as const) {
        const page = await resident.call.health.timeline({ level, limit: 50 });
        expect(idsOf(page), level).toEqual(expected.filter((row) => row.level === level).map((row) => row.id));
        expect(page.encounters.every((encounter) => encounter.facility.level === level)).toBe(true);
      }
      for (const type of ['OUTPATIENT', 'INPATIENT', 'EMERGENCY', 'PHYSICAL_EXAM'] as const) {
        const page = await resident.call.health.timeline({ type, limit: 50 });
        expect(idsOf(page), type).toEqual(expected.filter((row) => row.type === type).map((row) => row.id));
      }
      expect(expected.filter((row) => row.type === 'OUTPATIENT').length).toBeGreaterThan(10);
      // Filters combine, and page like the whole timeline.
      const year = cityYear(expected[0]!.startedAt);
      const combined = await resident.call.health.timeline({ year, type: 'OUTPATIENT', limit: 50 });
      expect(idsOf(combined)).toEqual(
        expected.filter((row) => row.type === 'OUTPATIENT' && cityYear(row.startedAt) === year).map((row) => row.id),
      );
      const outpatientPages = await walk(resident.call, { type: 'OUTPATIENT', limit: 4 });
      expect(outpatientPages.flatMap(idsOf)).toEqual(
        expected.filter((row) => row.type === 'OUTPATIENT').map((row) => row.id),
      );
    });

    it('refuses an invalid cursor or filter with BAD_REQUEST, and writes nothing', async () => {
      const counter = await world.staff('counter');
      const { id: authorizationId } = await authorizeInPerson(counter, MANY_VISITS.idNumber, 'No phone', {
        scopes: ['HEALTH'],
      });
      const before = await rowCounts(world.db, [...WRITABLE_TABLES]);
      const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
      const badCursors = {
        garbage: 'garbage!!',
        'base64 of bad JSON': base64('{"s": "2026-01-01T00:00:00Z", "i":'),
        'base64 of null': base64('null'),
        'a non-uuid id': base64(JSON.stringify({ s: '2026-01-01T00:00:00.000Z', i: 'not-a-uuid' })),
        'a bad time': base64(JSON.stringify({ s: 'yesterday', i: randomUUID() })),
        'no time': base64(JSON.stringify({ i: randomUUID() })),
      };
      for (const caller of [resident.call, counter.call]) {
        const subject = caller === counter.call ? { authorizationId } : {};
        for (const [label, cursor] of Object.entries(badCursors)) {
          await expectRefused(
            caller.health.timeline({ ...subject, cursor }),
            'BAD_REQUEST',
            'errors.invalidCursor',
          ).catch((error: unknown) => {
            throw new Error(`${label}: ${String(error)}`);
          });
        }
        await expectInvalidInput(caller.health.timeline({ ...subject, cursor: 'x'.repeat(201) }), {
          cursor: 'validation.cursor',
        });
        await expectInvalidInput(caller.health.timeline({ ...subject, year: 1800 }), { year: 'validation.year' });
        await expectInvalidInput(caller.health.timeline({ ...subject, year: 2101 }), { year: 'validation.year' });
        await expectInvalidInput(caller.health.timeline({ ...subject, year: 2025.5 }), { year: 'validation.year' });
        await expectInvalidInput(caller.health.timeline({ ...subject, limit: 0 }), { limit: 'validation.limit' });
        await expectInvalidInput(caller.health.timeline({ ...subject, limit: 500 }), { limit: 'validation.limit' });
        await expectInvalidInput(caller.health.timeline({ ...subject, level: 'PROVINCE' as never }), {
          level: 'validation.facilityLevel',
        });
        await expectInvalidInput(caller.health.timeline({ ...subject, type: 'SURGERY' as never }), {
          type: 'validation.encounterType',
        });
      }
      expect(await rowCounts(world.db, [...WRITABLE_TABLES])).toEqual(before);
      // A cursor from a real page still works afterwards.
      const first = await resident.call.health.timeline({ limit: 10 });
      expect((await resident.call.health.timeline({ limit: 10, cursor: first.nextCursor! })).encounters[0]!.id).toBe(
        expected[10]!.id,
      );
    });
  });

  describe('immunizations', () => {
    it('林子轩 is a dose behind the national schedule: that dose is due and overdue', async () => {
      const worker = await world.resident('worker');
      const sonId = await world.residentIdOf(SON.idNumber);
      const result = await worker.call.health.immunizations({ personId: sonId });
      expect(result.holder).toMatchObject({ name: SON.name, view: 'CHILD' });
      // Born 2025-09-10: every dose up to 9 months was given but the last, the second meningococcal A dose.
      expect(result.due).toEqual([{ vaccineCode: 'MPSV-A', doseNumber: 2, dueOn: '2026-06-10', overdue: true }]);
      const given = await world.db.prisma.immunization.findMany({ where: { residentId: sonId } });
      expect(result.records).toHaveLength(given.length);
      expect(result.records.map((record) => record.administeredOn)).toEqual(
        [...result.records.map((record) => record.administeredOn)].sort().reverse(),
      );
      expect(result.records.some((record) => record.vaccineCode === 'MPSV-A' && record.doseNumber === 2)).toBe(false);
      expect(
        result.records
          .filter((record) => record.vaccineCode === 'HepB')
          .map((record) => record.doseNumber)
          .sort(),
      ).toEqual([1, 2, 3]);
    });

    it('林梓涵 is up to date; an adult has nothing due', async () => {
      const worker = await world.resident('worker');
      const daughter = await worker.call.health.immunizations({
        personId: await world.residentIdOf(DAUGHTER.idNumber),
      });
      expect(daughter.due).toEqual([]);
      expect(daughter.records.length).toBeGreaterThan(15);
      const own = await worker.call.health.immunizations({});
      expect(own).toMatchObject({ records: [], due: [] });
      const elder = await world.resident('elder');
      expect((await elder.call.health.immunizations({})).due).toEqual([]);
    });

    describe('dueDoses by the national schedule', () => {
      /** Every dose due at or before `months` of age, as given on time. */
      const givenUpTo = (months: number) =>
        NATIONAL_SCHEDULE.flatMap((vaccine) =>
          vaccine.doseAgesMonths.flatMap((age, index) =>
            age <= months ? [{ vaccineCode: vaccine.code, doseNumber: index + 1 }] : [],
          ),
        );
      const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
      /** 09:00 in the city. */
      const morning = (iso: string) => new Date(`${iso}T01:00:00Z`);

      it('a newborn is due hepatitis B dose 1 and BCG, not yet overdue on the day of birth', () => {
        expect(dueDoses(day('2026-03-01'), [], morning('2026-03-01'))).toEqual([
          { vaccineCode: 'HepB', doseNumber: 1, dueOn: day('2026-03-01'), overdue: false },
          { vaccineCode: 'BCG', doseNumber: 1, dueOn: day('2026-03-01'), overdue: false },
        ]);
        // Given both, the next is HepB 2 at one month, shown a month ahead.
        expect(dueDoses(day('2026-03-01'), givenUpTo(0), morning('2026-03-02'))).toEqual([
          { vaccineCode: 'HepB', doseNumber: 2, dueOn: day('2026-04-01'), overdue: false },
        ]);
        // The next day, the first doses not given are overdue.
        expect(dueDoses(day('2026-03-01'), [], morning('2026-03-02')).map((dose) => dose.overdue)).toEqual([
          true,
          true,
        ]);
      });

      it('a child with every dose on time has none due; one dose missing is due and overdue', () => {
        const birth = day('2025-01-15');
        const tenMonths = morning('2025-11-20');
        expect(dueDoses(birth, givenUpTo(10), tenMonths)).toEqual([]);
        const withoutMeasles = givenUpTo(10).filter((dose) => dose.vaccineCode !== 'MMR');
        expect(dueDoses(birth, withoutMeasles, tenMonths)).toEqual([
          { vaccineCode: 'MMR', doseNumber: 1, dueOn: day('2025-09-15'), overdue: true },
        ]);
        // A middle dose missing: that dose, not the one after it.
        const withoutHepB2 = givenUpTo(10).filter((dose) => !(dose.vaccineCode === 'HepB' && dose.doseNumber === 2));
        expect(dueDoses(birth, withoutHepB2, tenMonths)).toEqual([
          { vaccineCode: 'HepB', doseNumber: 2, dueOn: day('2025-02-15'), overdue: true },
        ]);
        // Nothing given at all: the first dose of each vaccine due by now, oldest first.
        expect(
          dueDoses(birth, [], tenMonths).map((dose) => `${dose.vaccineCode} ${dose.doseNumber} ${dose.overdue}`),
        ).toEqual([
          'HepB 1 true',
          'BCG 1 true',
          'IPV 1 true',
          'DTaP 1 true',
          'bOPV 1 true',
          'MPSV-A 1 true',
          'MMR 1 true',
          'JE-L 1 true',
        ]);
      });

      it('doses coming up within a month are due but not overdue; children past the schedule have none', () => {
        const birth = day('2025-01-15');
        expect(dueDoses(birth, givenUpTo(7), morning('2025-08-20'))).toEqual([
          { vaccineCode: 'MMR', doseNumber: 1, dueOn: day('2025-09-15'), overdue: false },
          { vaccineCode: 'JE-L', doseNumber: 1, dueOn: day('2025-09-15'), overdue: false },
        ]);
        expect(dueDoses(birth, givenUpTo(7), morning('2025-08-14'))).toEqual([]);
        expect(dueDoses(day('2018-01-01'), [], morning('2025-01-01'))).toEqual([]);
        expect(dueDoses(day('2018-01-02'), [], morning('2025-01-01')).length).toBeGreaterThan(0);
      });
    });
  });

  describe('exam values, trends and follow-ups', () => {
    let elder: SignedIn;
    let elderId: string;
    let latestExam: string;

    beforeAll(async () => {
      elder = await world.resident('elder');
      elderId = await world.residentId('elder');
      // Her latest haemoglobin is below the reference range.
      const exam = await world.db.prisma.physicalExam.findFirstOrThrow({
        where: { residentId: elderId },
        orderBy: { encounter: { startedAt: 'desc' } },
        select: { encounterId: true },
      });
      latestExam = exam.encounterId;
      await world.db.prisma.observation.updateMany({
        where: { encounterId: latestExam, kind: 'hemoglobin' },
        data: { value: 98 },
      });
    });

    it('out-of-range values are flagged HIGH or LOW, in the exams and in the encounter', async () => {
      const { exams } = await elder.call.health.observations({});
      expect(exams.length).toBe(await world.db.prisma.physicalExam.count({ where: { residentId: elderId } }));
      expect(exams.map((exam) => exam.examinedAt.getTime())).toEqual(
        exams.map((exam) => exam.examinedAt.getTime()).sort((a, b) => b - a),
      );
      const values = exams.flatMap((exam) => exam.values);
      for (const value of values) {
        const flag =
          value.referenceLow !== null && value.value < value.referenceLow
            ? 'LOW'
            : value.referenceHigh !== null && value.value > value.referenceHigh
              ? 'HIGH'
              : null;
        expect(value.flag, `${value.kind} ${value.value}`).toBe(flag);
      }
      // Diabetic: fasting glucose above 6.1 mmol/L.
      expect(values.filter((value) => value.kind === 'fastingGlucose').some((value) => value.flag === 'HIGH')).toBe(
        true,
      );
      expect(exams[0]!.encounterId).toBe(latestExam);
      expect(exams[0]!.values.find((value) => value.kind === 'hemoglobin')).toMatchObject({
        value: 98,
        referenceLow: 115,
        flag: 'LOW',
      });
      // Values without a range (height, weight) are never flagged.
      expect(values.filter((value) => value.kind === 'heightCm').every((value) => value.flag === null)).toBe(true);

      const detail = await elder.call.health.encounter({ encounterId: latestExam });
      expect(detail.encounter.observations.find((observation) => observation.kind === 'hemoglobin')).toMatchObject({
        value: 98,
        flag: 'LOW',
        loincCode: '718-7',
      });
      expect(detail.encounter.physicalExam?.conclusion).toEqual(expect.any(String));
    });

    it('trends are in time order and hold every value of their kind', async () => {
      const { trends } = await elder.call.health.observations({});
      expect(Object.keys(trends).sort()).toEqual(['bmi', 'diastolicBp', 'fastingGlucose', 'systolicBp', 'weightKg']);
      for (const [kind, points] of Object.entries(trends)) {
        const stored = await world.db.prisma.observation.findMany({
          where: { residentId: elderId, kind },
          orderBy: { observedAt: 'asc' },
        });
        expect(points.length, kind).toBe(stored.length);
        expect(points.length, kind).toBeGreaterThan(1);
        for (let index = 1; index < points.length; index += 1) {
          expect(points[index]!.observedAt.getTime(), kind).toBeGreaterThan(points[index - 1]!.observedAt.getTime());
        }
        expect(points).toEqual(stored.map((row) => ({ observedAt: row.observedAt, value: row.value })));
      }
    });

    it('the elder’s follow-ups list both diseases, newest visit first, with the next due date', async () => {
      const { diseases, holder } = await elder.call.health.followUps({});
      expect(holder).toMatchObject({ id: elderId, view: 'SELF' });
      expect(diseases.map((disease) => disease.disease)).toEqual(['HYPERTENSION', 'TYPE2_DIABETES']);
      const today = world.clock.now();
      for (const disease of diseases) {
        const latest = await world.db.prisma.chronicFollowUp.findFirstOrThrow({
          where: { residentId: elderId, disease: disease.disease },
          orderBy: { visitedOn: 'desc' },
        });
        expect(disease.nextDueOn).toBe(latest.nextDueOn.toISOString().slice(0, 10));
        expect(disease.overdue).toBe(latest.nextDueOn.toISOString().slice(0, 10) < today.toISOString().slice(0, 10));
        expect(disease.visits).toHaveLength(8);
        expect(disease.visits.map((visit) => visit.visitedOn)).toEqual(
          [...disease.visits.map((visit) => visit.visitedOn)].sort().reverse(),
        );
        expect(disease.visits.every((visit) => visit.disease === disease.disease)).toBe(true);
      }
      expect(diseases[0]!.visits.every((visit) => visit.systolic !== null && visit.fastingGlucose === null)).toBe(true);
      expect(diseases[1]!.visits.every((visit) => visit.fastingGlucose !== null && visit.systolic === null)).toBe(true);
      // Someone without a chronic disease has none.
      expect((await (await world.resident('worker')).call.health.followUps({})).diseases).toEqual([]);
    });

    it('a follow-up due today is due, not yet overdue', async () => {
      const latest = await world.db.prisma.chronicFollowUp.findFirstOrThrow({
        where: { residentId: elderId, disease: 'HYPERTENSION' },
        orderBy: { visitedOn: 'desc' },
      });
      const today = world.clock.now().toISOString().slice(0, 10);
      await world.db.prisma.chronicFollowUp.update({
        where: { id: latest.id },
        data: { nextDueOn: new Date(`${today}T00:00:00Z`) },
      });
      try {
        const { diseases } = await elder.call.health.followUps({});
        expect(diseases[0]).toMatchObject({ disease: 'HYPERTENSION', nextDueOn: today, overdue: false });
        const { attention } = await elder.call.health.overview({});
        expect(
          attention.find((item) => item.kind === 'FOLLOW_UP_DUE' && item.disease === 'HYPERTENSION'),
        ).toMatchObject({ dueOn: today, overdue: false });
      } finally {
        await world.db.prisma.chronicFollowUp.update({
          where: { id: latest.id },
          data: { nextDueOn: latest.nextDueOn },
        });
      }
    });

    it('the overview lists conditions, the family doctor and what needs attention: follow-ups for the elder, the vaccine for the child', async () => {
      const overview = await elder.call.health.overview({});
      const { diseases } = await elder.call.health.followUps({});
      expect(overview.conditions.map((condition) => condition.icd10Code).sort()).toEqual(['E11.9', 'I10']);
      expect(overview.familyDoctor).toMatchObject({ doctorName: expect.any(String), facility: { level: 'TOWN' } });
      expect(overview.attention).toEqual(
        diseases
          .map((disease) => ({
            kind: 'FOLLOW_UP_DUE',
            disease: disease.disease,
            dueOn: disease.nextDueOn,
            overdue: disease.overdue,
          }))
          .sort((a, b) => a.dueOn.localeCompare(b.dueOn)),
      );

      const worker = await world.resident('worker');
      const son = await worker.call.health.overview({ personId: await world.residentIdOf(SON.idNumber) });
      expect(son.holder).toMatchObject({ name: SON.name, view: 'CHILD' });
      expect(son.attention).toEqual([
        { kind: 'VACCINE_DUE', vaccineCode: 'MPSV-A', doseNumber: 2, dueOn: '2026-06-10', overdue: true },
      ]);
      const daughter = await worker.call.health.overview({ personId: await world.residentIdOf(DAUGHTER.idNumber) });
      expect(daughter.attention).toEqual([]);
      expect((await worker.call.health.overview({})).attention).toEqual([]);
    });

    it('staff see the same values and follow-ups for the elder', async () => {
      const counter = await world.staff('counter');
      const { id: authorizationId } = await authorizeInPerson(counter, demoResident('elder').idNumber, 'No phone', {
        scopes: ['HEALTH'],
      });
      for (const view of ['observations', 'followUps', 'overview'] as const) {
        const byStaff = await counter.call.health[view]({ authorizationId });
        const bySelf = await elder.call.health[view]({});
        expect({ ...byStaff, holder: { ...byStaff.holder, view: 'SELF' } }, view).toEqual(bySelf);
      }
    });
  });
});
