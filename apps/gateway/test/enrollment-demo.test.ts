import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENROLLMENT_FAMILIES, DEMO_HOUSEHOLD_MEMBERS } from '../src/seed/demo-accounts.js';
import { TARGETS, createWorld, type World } from './harness.js';

/**
 * The demo city as `npm start` seeds it for school enrollment: schools in
 * every county area, open 2027 windows, the demo families' applications in
 * every review state, and 林志强's son ready to apply.
 */
describe.each(TARGETS)('the enrollment demo data, on %s', (target) => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld(target, { enrollmentDemo: true });
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  it('has several schools with places in every county area, each community in one district per level', async () => {
    const schools = await world.db.prisma.school.groupBy({ by: ['areaCode', 'level'], _count: { _all: true } });
    for (const areaCode of ['441502', '441521', '441523', '441581']) {
      for (const level of ['PRIMARY', 'JUNIOR'] as const) {
        expect(
          schools.find((row) => row.areaCode === areaCode && row.level === level)?._count._all,
        ).toBeGreaterThanOrEqual(2);
      }
    }
    expect(await world.db.prisma.schoolCapacity.count({ where: { year: 2027, places: { gt: 0 } } })).toBe(
      await world.db.prisma.school.count(),
    );
    const households = await world.db.prisma.household.count({ where: { communityId: null } });
    // Only the migrant families' households are registered outside the city.
    expect(households).toBe(
      new Set(
        DEMO_ENROLLMENT_FAMILIES.filter((member) => 'registeredOutside' in member.enrollment).map(
          (member) => member.household,
        ),
      ).size,
    );
  });

  it('the reviewer’s queue has work in every review state, and allocation has approved applicants', async () => {
    const reviewer = await world.staff('reviewer');
    const stats = await reviewer.call.enrollment.review.stats();
    expect(stats.byStatus).toMatchObject({ DRAFT: 1, SUBMITTED: 3, UNDER_REVIEW: 1, NEEDS_DOCUMENTS: 1, APPROVED: 2 });
    expect(stats.handledEntirelyOnline).toBe(7);
    const queue = await reviewer.call.enrollment.review.queue({});
    expect(new Set(queue.rows.map((row) => row.category))).toEqual(
      new Set(['HUKOU_AND_HOME', 'HUKOU_ONLY', 'MIGRANT']),
    );
    const overview = await reviewer.call.enrollment.allocation.overview();
    expect(overview.schools.reduce((sum, school) => sum + school.waiting, 0)).toBe(2);
  });

  it('林志强 can apply for his son, who turns six before 31 August 2027', async () => {
    const worker = await world.resident('worker');
    const overview = await worker.call.enrollment.overview({});
    const son = overview.children.find((child) => child.name === DEMO_HOUSEHOLD_MEMBERS[3].name)!;
    expect(son.eligibility.find((entry) => entry.level === 'PRIMARY')).toMatchObject({ eligible: true });
    const { applicationId } = await worker.call.enrollment.application.start({ childId: son.id, level: 'PRIMARY' });
    const detail = await worker.call.enrollment.application.get({ applicationId });
    expect(detail).toMatchObject({
      category: 'HUKOU_AND_HOME',
      facts: { hukouInDistrict: true, homeOwnedInDistrict: true },
    });
    expect(detail.district.schools.length).toBe(2);
  });
});
