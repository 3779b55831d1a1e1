import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { levelEligibility } from '../src/routers/enrollment/rules.js';
import { DEMO_HOUSEHOLD_MEMBERS } from '../src/seed/demo-accounts.js';
import { TARGETS, createWorld, expectRefused, rowCounts, type SignedIn, type World } from './harness.js';
import { FAMILIES, FAMILY_RESIDENTS } from './support/enrollment.js';

/**
 * Who may apply, when and where: the age and grade rules, the enrollment
 * window (the test clock starts inside the 2027 windows), the school district
 * from the household registration or residence permit, and the category
 * derived from the city's records.
 */

const utc = (date: string) => new Date(`${date}T00:00:00Z`);
const DAY = 86_400_000;

describe('eligibility rules', () => {
  it('primary: six by 31 August of the intake year, not yet seven by then', () => {
    expect(levelEligibility('PRIMARY', 2027, utc('2021-08-31'), null)).toBeNull();
    expect(levelEligibility('PRIMARY', 2027, utc('2021-09-01'), null)).toBe('tooYoung');
    expect(levelEligibility('PRIMARY', 2027, utc('2020-09-01'), null)).toBeNull();
    expect(levelEligibility('PRIMARY', 2027, utc('2020-08-31'), null)).toBe('tooOld');
  });

  it('junior: in grade 6 on the student roll in the school year before the intake year', () => {
    expect(levelEligibility('JUNIOR', 2027, utc('2014-10-05'), { grade: 6, schoolYear: 2026 })).toBeNull();
    expect(levelEligibility('JUNIOR', 2027, utc('2014-10-05'), { grade: 5, schoolYear: 2026 })).toBe(
      'notFinishingPrimary',
    );
    expect(levelEligibility('JUNIOR', 2027, utc('2014-10-05'), { grade: 6, schoolYear: 2025 })).toBe(
      'notFinishingPrimary',
    );
    expect(levelEligibility('JUNIOR', 2027, utc('2014-10-05'), null)).toBe('notFinishingPrimary');
  });
});

describe.each(TARGETS)('enrollment eligibility, windows and districts, on %s', (target) => {
  let world: World;
  const ids: Record<string, string> = {};
  const parents: Record<string, SignedIn> = {};

  beforeAll(async () => {
    world = await createWorld(target, { extraResidents: FAMILY_RESIDENTS });
    for (const [key, person] of Object.entries(FAMILIES)) ids[key] = await world.residentIdOf(person.idNumber);
    for (const key of [
      'homeHead',
      'hukouHead',
      'hukouSpouse',
      'migrantHead',
      'migrant2Head',
      'noPermitHead',
      'juniorHead',
      'otherTownHead',
    ] as const) {
      parents[key] = await world.signIn(FAMILIES[key].idNumber);
    }
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  function eligibilityOf(
    overview: Awaited<ReturnType<SignedIn['call']['enrollment']['overview']>>,
    childId: string,
    level: 'PRIMARY' | 'JUNIOR',
  ) {
    const child = overview.children.find((candidate) => candidate.id === childId)!;
    const entry = child.eligibility.find((candidate) => candidate.level === level)!;
    return entry.eligible ? 'eligible' : entry.reason;
  }

  it('the overview lists the household’s children with eligibility per level, and the open 2027 windows', async () => {
    const overview = await parents.homeHead!.call.enrollment.overview({});
    expect(overview.windows.map((window) => [window.year, window.level, window.state])).toEqual([
      [2027, 'PRIMARY', 'OPEN'],
      [2027, 'JUNIOR', 'OPEN'],
    ]);
    expect(overview.children.map((child) => child.name).sort()).toEqual(
      [FAMILIES.homeChild.name, FAMILIES.homeTooYoung.name, FAMILIES.homeTooOld.name].sort(),
    );
    expect(eligibilityOf(overview, ids.homeChild!, 'PRIMARY')).toBe('eligible');
    expect(eligibilityOf(overview, ids.homeTooYoung!, 'PRIMARY')).toBe('tooYoung');
    expect(eligibilityOf(overview, ids.homeTooOld!, 'PRIMARY')).toBe('tooOld');
    expect(eligibilityOf(overview, ids.homeChild!, 'JUNIOR')).toBe('notFinishingPrimary');

    const junior = await parents.juniorHead!.call.enrollment.overview({});
    expect(eligibilityOf(junior, ids.juniorChild!, 'JUNIOR')).toBe('eligible');
    expect(eligibilityOf(junior, ids.juniorTooYoung!, 'JUNIOR')).toBe('notFinishingPrimary');

    const noPermit = await parents.noPermitHead!.call.enrollment.overview({});
    expect(eligibilityOf(noPermit, ids.noPermitChild!, 'PRIMARY')).toBe('noDistrict');
  });

  it('林志强 (the demo parent) has a child eligible for primary school in 2027', async () => {
    const worker = await world.resident('worker');
    const overview = await worker.call.enrollment.overview({});
    const starter = DEMO_HOUSEHOLD_MEMBERS[3];
    const child = overview.children.find((candidate) => candidate.name === starter.name)!;
    expect(child.eligibility.find((entry) => entry.level === 'PRIMARY')).toMatchObject({
      eligible: true,
      reason: null,
    });
  });

  it('starting is refused for ineligible children and for children of another household, and writes nothing', async () => {
    const before = await rowCounts(world.db, ['EnrollmentApplication']);
    const tooYoung = await expectRefused(
      parents.homeHead!.call.enrollment.application.start({ childId: ids.homeTooYoung!, level: 'PRIMARY' }),
      'BAD_REQUEST',
      'errors.enrollment.notEligible',
    );
    expect(tooYoung.data.params).toEqual({ reason: 'tooYoung' });
    const notFinishing = await expectRefused(
      parents.juniorHead!.call.enrollment.application.start({ childId: ids.juniorTooYoung!, level: 'JUNIOR' }),
      'BAD_REQUEST',
      'errors.enrollment.notEligible',
    );
    expect(notFinishing.data.params).toEqual({ reason: 'notFinishingPrimary' });
    const noDistrict = await expectRefused(
      parents.noPermitHead!.call.enrollment.application.start({ childId: ids.noPermitChild!, level: 'PRIMARY' }),
      'BAD_REQUEST',
      'errors.enrollment.notEligible',
    );
    expect(noDistrict.data.params).toEqual({ reason: 'noDistrict' });
    await expectRefused(
      parents.hukouHead!.call.enrollment.application.start({ childId: ids.homeChild!, level: 'PRIMARY' }),
      'FORBIDDEN',
      'errors.enrollment.notYourChild',
    );
    // A parent is not a child of their own household.
    await expectRefused(
      parents.hukouHead!.call.enrollment.application.start({ childId: ids.hukouSpouse!, level: 'PRIMARY' }),
      'FORBIDDEN',
      'errors.enrollment.notYourChild',
    );
    expect(await rowCounts(world.db, ['EnrollmentApplication'])).toEqual(before);
  });

  it('the category follows from the city’s records: registration, property, residence permit and contribution months', async () => {
    const start = async (parent: SignedIn, childId: string) =>
      (await parent.call.enrollment.application.start({ childId, level: 'PRIMARY' })).applicationId;
    const home = await parents.homeHead!.call.enrollment.application.get({
      applicationId: await start(parents.homeHead!, ids.homeChild!),
    });
    expect(home).toMatchObject({
      category: 'HUKOU_AND_HOME',
      points: 0,
      facts: { hukouInDistrict: true, homeOwnedInDistrict: true, points: null },
      requirements: [],
    });
    expect(home.district.name).toBe('城区香洲小学学区');

    const hukou = await parents.hukouHead!.call.enrollment.application.get({
      applicationId: await start(parents.hukouHead!, ids.hukouChild!),
    });
    expect(hukou).toMatchObject({
      category: 'HUKOU_ONLY',
      facts: { hukouInDistrict: true, homeOwnedInDistrict: false },
    });

    const migrant = await parents.migrantHead!.call.enrollment.application.get({
      applicationId: await start(parents.migrantHead!, ids.migrantChild!),
    });
    expect(migrant).toMatchObject({
      category: 'MIGRANT',
      points: 46,
      facts: {
        hukouInDistrict: false,
        homeOwnedInDistrict: false,
        contributionMonths: 40,
        residencePermit: { years: 3 },
        points: {
          contributionMonths: 40,
          contributionPoints: 40,
          permitYears: 3,
          permitPoints: 6,
          homePoints: 0,
          total: 46,
        },
      },
      requirements: [{ kind: 'RENTAL_CONTRACT', satisfied: false }],
    });
    expect(migrant.district.id).toBe(home.district.id);

    const other = await parents.otherTownHead!.call.enrollment.application.get({
      applicationId: await start(parents.otherTownHead!, ids.otherTownChild!),
    });
    expect(other.district.id).not.toBe(home.district.id);
    expect(other.district.schools.every((school) => school.name.startsWith('海丰县海城'))).toBe(true);
  });

  it('preferences: only schools of the child’s district, 1 to 3, distinct; outside the district refused with nothing changed', async () => {
    const { applicationId } = await parents.homeHead!.call.enrollment.application.start({
      childId: ids.homeChild!,
      level: 'PRIMARY',
    });
    const detail = await parents.homeHead!.call.enrollment.application.get({ applicationId });
    const own = detail.district.schools.map((school) => school.id);
    expect(own).toHaveLength(2);
    await parents.homeHead!.call.enrollment.application.savePreferences({
      applicationId,
      schoolIds: [own[1]!, own[0]!],
    });
    const otherApplication = await parents.otherTownHead!.call.enrollment.application.start({
      childId: ids.otherTownChild!,
      level: 'PRIMARY',
    });
    const otherSchools = (
      await parents.otherTownHead!.call.enrollment.application.get({ applicationId: otherApplication.applicationId })
    ).district.schools;
    await expectRefused(
      parents.homeHead!.call.enrollment.application.savePreferences({
        applicationId,
        schoolIds: [own[0]!, otherSchools[0]!.id],
      }),
      'BAD_REQUEST',
      'errors.enrollment.schoolOutsideDistrict',
    );
    // A junior-middle school of the same area is not a primary choice either.
    const junior = await world.db.prisma.school.findFirstOrThrow({
      where: { level: 'JUNIOR', areaCode: '441502' },
      select: { id: true },
    });
    await expectRefused(
      parents.homeHead!.call.enrollment.application.savePreferences({ applicationId, schoolIds: [junior.id] }),
      'BAD_REQUEST',
      'errors.enrollment.schoolOutsideDistrict',
    );
    const after = await parents.homeHead!.call.enrollment.application.get({ applicationId });
    expect(after.preferences.map((preference) => preference.schoolId)).toEqual([own[1], own[0]]);
  });

  it('outside the window: before it opens the answer says when; after it closes, that it closed; nothing is written', async () => {
    const window = await world.db.prisma.enrollmentWindow.findFirstOrThrow({ where: { year: 2027, level: 'JUNIOR' } });
    const before = await rowCounts(world.db, ['EnrollmentApplication']);
    await world.db.prisma.enrollmentWindow.update({
      where: { id: window.id },
      data: { opensAt: new Date(world.clock.now().getTime() + 10 * DAY) },
    });
    try {
      const upcoming = await expectRefused(
        parents.juniorHead!.call.enrollment.application.start({ childId: ids.juniorChild!, level: 'JUNIOR' }),
        'BAD_REQUEST',
        'errors.enrollment.windowNotOpen',
      );
      expect(upcoming.data.params?.opensAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const overview = await parents.juniorHead!.call.enrollment.overview({});
      expect(overview.windows.find((entry) => entry.level === 'JUNIOR')!.state).toBe('UPCOMING');
    } finally {
      await world.db.prisma.enrollmentWindow.update({ where: { id: window.id }, data: { opensAt: window.opensAt } });
    }
    await world.db.prisma.enrollmentWindow.update({
      where: { id: window.id },
      data: { closesAt: new Date(world.clock.now().getTime() - DAY) },
    });
    try {
      const closed = await expectRefused(
        parents.juniorHead!.call.enrollment.application.start({ childId: ids.juniorChild!, level: 'JUNIOR' }),
        'BAD_REQUEST',
        'errors.enrollment.windowClosed',
      );
      expect(closed.data.params?.closesAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    } finally {
      await world.db.prisma.enrollmentWindow.update({ where: { id: window.id }, data: { closesAt: window.closesAt } });
    }
    expect(await rowCounts(world.db, ['EnrollmentApplication'])).toEqual(before);
    // Inside the window again, the junior application starts.
    const started = await parents.juniorHead!.call.enrollment.application.start({
      childId: ids.juniorChild!,
      level: 'JUNIOR',
    });
    expect(started).toMatchObject({ status: 'DRAFT', created: true });
  });

  it('a draft cannot be submitted once the window has closed (the clock moves past it)', async () => {
    const { applicationId } = await parents.hukouHead!.call.enrollment.application.start({
      childId: ids.hukouChild!,
      level: 'PRIMARY',
    });
    const detail = await parents.hukouHead!.call.enrollment.application.get({ applicationId });
    await parents.hukouHead!.call.enrollment.application.savePreferences({
      applicationId,
      schoolIds: [detail.district.schools[0]!.id],
    });
    const window = await world.db.prisma.enrollmentWindow.findFirstOrThrow({ where: { year: 2027, level: 'PRIMARY' } });
    const saved = world.clock.now();
    world.clock.advance(window.closesAt.getTime() - saved.getTime() + 1000);
    // The earlier session has expired meanwhile.
    const again = await world.signIn(FAMILIES.hukouHead.idNumber);
    await expectRefused(
      again.call.enrollment.application.submit({ applicationId, requestKey: crypto.randomUUID() }),
      'BAD_REQUEST',
      'errors.enrollment.windowClosed',
    );
    expect(
      (await world.db.prisma.enrollmentApplication.findUniqueOrThrow({ where: { id: applicationId } })).status,
    ).toBe('DRAFT');
  });
});
