import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS, createWorld, type World } from './harness.js';

/** The demo data behind `npm start` and the browser tests: older residents, their families, providers and history. */
describe.each(TARGETS)('eldercare demo data on %s', (target) => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld(target);
  });
  afterAll(() => world?.close());

  it('陈秀英 has a care profile, a level in force, and a subsidy history whose balance is the ledger sum', async () => {
    const elder = await world.resident('elder');
    const profile = await elder.call.eldercare.profile({});
    expect(profile).toMatchObject({
      resident: { name: '陈秀英', age: 78 },
      eligible: true,
      paymentMethod: 'CASH',
      profile: {
        livingSituation: 'ALONE',
        emergencyContacts: [{ name: '陈建华', relation: '儿子', maskedPhone: '139****7788' }],
      },
      latestAssessment: { level: 'MODERATE', inForce: true },
    });
    expect(profile.subsidy.thisMonth).toMatchObject({ month: '2026-11', level: 'MODERATE', levelFen: 20_000 });
    expect(profile.subsidy.thisMonth.entitlements).toContain('MINIMUM_LIVING');
    const kinds = profile.subsidy.entries.map((entry) => entry.kind);
    expect(kinds).toEqual(['MONTHLY_ALLOWANCE', 'ORDER_PAYMENT', 'ORDER_PAYMENT', 'MONTHLY_ALLOWANCE']);
    const sum = profile.subsidy.entries.reduce((total, entry) => total + entry.amountFen, 0);
    expect(profile.subsidy.balanceFen).toBe(sum);
    const past = await elder.call.eldercare.orders({ when: 'PAST' });
    expect(past.orders).toHaveLength(2);
    expect(past.orders.map((order) => order.status)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(past.orders.filter((order) => order.canRate)).toHaveLength(1);
  });

  it('her son 陈建华 holds a live delegation and acts for her', async () => {
    const son = await world.resident('elderChild');
    const [received] = await son.call.delegation.received();
    expect(received).toMatchObject({
      service: 'ELDERCARE',
      basis: 'ADULT_CHILD',
      state: 'LIVE',
      grantor: { name: '陈秀英' },
    });
    expect(await son.call.eldercare.profile({ delegationId: received!.id })).toMatchObject({
      actingAs: 'DELEGATE',
      resident: { name: '陈秀英' },
    });
  });

  it('the assessor and the provider sign in to their roles', async () => {
    const assessor = await world.staff('assessor');
    expect(await assessor.call.auth.me()).toMatchObject({
      kind: 'STAFF',
      role: 'CARE_ASSESSOR',
      name: '周静',
      provider: null,
    });
    const provider = await world.staff('provider');
    expect(await provider.call.auth.me()).toMatchObject({
      kind: 'STAFF',
      role: 'CARE_PROVIDER',
      name: '吴强',
      provider: { name: '陆丰市东海颐康助餐服务中心', code: 'FW441581001' },
    });
    const orders = await provider.call.eldercare.provider.orders({ status: 'COMPLETED' });
    expect(orders.map((order) => order.residentName)).toContain('陈秀英');
  });

  it('every county area has providers of every home service with free slots over the next two weeks', async () => {
    const now = world.clock.now();
    for (const areaCode of ['441502', '441521', '441523', '441581']) {
      const items = await world.db.prisma.careServiceItem.findMany({
        where: { provider: { areaCode } },
        select: {
          kind: true,
          _count: {
            select: { slots: { where: { startsAt: { gt: now, lt: new Date(now.getTime() + 14 * 86_400_000) } } } },
          },
        },
      });
      expect(new Set(items.map((item) => item.kind))).toEqual(
        new Set(['MEAL', 'CLEANING', 'BATHING', 'MEDICAL_ESCORT', 'HOME_VISIT', 'EMERGENCY_CALL']),
      );
      for (const item of items) expect(item._count.slots).toBeGreaterThanOrEqual(13);
    }
  });

  it("the providers' regular schedules keep two weeks of slots open as days pass", async () => {
    world.clock.advance(20 * 86_400_000);
    const elder = await world.resident('elder');
    const now = world.clock.now();
    const [first, second] = await Promise.all([
      elder.call.eldercare.catalogue({ kind: 'MEAL' }),
      elder.call.eldercare.catalogue({ kind: 'MEAL' }),
    ]);
    const slots = first.items[0]!.slots;
    expect(slots.length).toBeGreaterThanOrEqual(13);
    expect(slots.at(-1)!.startsAt.getTime()).toBeGreaterThan(now.getTime() + 13 * 86_400_000);
    expect(second.items[0]!.slots.map((slot) => slot.id)).toEqual(slots.map((slot) => slot.id));
    // One slot per scheduled start, however many readers published them.
    const starts = await world.db.prisma.careSlot.groupBy({
      by: ['itemId', 'startsAt'],
      _count: { _all: true },
      having: { id: { _count: { gt: 1 } } },
    });
    expect(starts).toEqual([]);
  });
});
