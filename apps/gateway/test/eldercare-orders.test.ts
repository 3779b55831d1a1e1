import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TARGETS,
  accessLogCount,
  callerFor,
  errorShapeOf,
  makeDeps,
  authorizeByCode,
  authorizeInPerson,
  createWorld,
  expectInvalidInput,
  expectRefused,
  lastAccessLogEntry,
  testResident,
  type SignedIn,
  type World,
} from './harness.js';

/**
 * The order's life: BOOKED → CONFIRMED → IN_SERVICE → COMPLETED, or BOOKED →
 * CANCELLED. Residents cancel (only while BOOKED) and rate (once, after
 * completion); a provider's staff move only their own provider's orders one
 * step on. Counter staff book for a walk-in resident under an ELDERCARE
 * authorization. FW5001 (吴强) works for the 陆丰 meal provider (FW441581001);
 * the people here live in 陆丰 (441581).
 */

const area = { areaCode: '441581' };
const DINER = testResident('蔡阿公', '1943-02-02', 601, {
  ...area,
  care: { level: 'MODERATE', paymentMethod: 'CASH' },
});
const WALK_IN = testResident('纪婆婆', '1940-10-10', 602, { ...area, care: { level: 'MILD', paymentMethod: 'CASH' } });
const OTHER = testResident('滕伯', '1951-06-06', 603, { ...area, care: { level: 'MILD', paymentMethod: 'CASH' } });
const YOUNG = testResident('单先生', '1988-03-03', 604, area);

const STATUSES = ['BOOKED', 'CONFIRMED', 'IN_SERVICE', 'COMPLETED', 'CANCELLED'] as const;
const STEPS = ['CONFIRMED', 'IN_SERVICE', 'COMPLETED'] as const;
const LEGAL = new Set(['BOOKED>CONFIRMED', 'CONFIRMED>IN_SERVICE', 'IN_SERVICE>COMPLETED']);

describe.each(TARGETS)('orders, providers and roles on %s', (target) => {
  let world: World;
  let diner: SignedIn;
  let provider: SignedIn;
  let slotIndex = 0;

  /** A new lunch order at the FW5001's provider (each on its own day). */
  async function bookLunch(resident: SignedIn = diner) {
    const catalogue = await resident.call.eldercare.catalogue({ kind: 'MEAL' });
    const item = catalogue.items.find((row) => row.provider.name.includes('颐康助餐'))!;
    return resident.call.eldercare.book({
      slotId: item.slots[slotIndex++ % item.slots.length]!.id,
      requestKey: randomUUID(),
    });
  }

  /** An order brought to `status` the legal way. */
  async function orderIn(status: (typeof STATUSES)[number]) {
    const order = await bookLunch();
    if (status === 'CANCELLED') {
      await diner.call.eldercare.cancel({ orderId: order.id });
      return order.id;
    }
    for (const step of STEPS) {
      if (STATUSES.indexOf(status) < STATUSES.indexOf(step)) break;
      await provider.call.eldercare.provider.advance({ orderId: order.id, to: step });
    }
    return order.id;
  }

  beforeAll(async () => {
    world = await createWorld(target, { extraResidents: [DINER, WALK_IN, OTHER, YOUNG] });
    diner = await world.signIn(DINER.idNumber);
    provider = await world.staff('provider');
  });
  afterAll(() => world?.close());

  it('residents, counter staff and assessors cannot call provider procedures', async () => {
    for (const caller of [
      diner,
      await world.staff('counter'),
      await world.staff('assessor'),
      await world.staff('cardOffice'),
    ]) {
      await expectRefused(caller.call.eldercare.provider.orders({}), 'FORBIDDEN', 'errors.forbidden');
      await expectRefused(
        caller.call.eldercare.provider.advance({ orderId: randomUUID(), to: 'CONFIRMED' }),
        'FORBIDDEN',
        'errors.forbidden',
      );
    }
  });

  it('staff cannot call resident procedures without an authorization, nor pass a delegation', async () => {
    const counter = await world.staff('counter');
    await expectRefused(counter.call.eldercare.profile({}), 'FORBIDDEN', 'errors.authorizationRequired');
    await expectRefused(provider.call.eldercare.profile({}), 'FORBIDDEN', 'errors.forbidden');
    await expectRefused(
      counter.call.eldercare.profile({ delegationId: randomUUID() }),
      'FORBIDDEN',
      'errors.forbidden',
    );
    await expectRefused(
      diner.call.eldercare.profile({ authorizationId: randomUUID() }),
      'FORBIDDEN',
      'errors.forbidden',
    );
  });

  it('residents under 60 are told the service is for older residents', async () => {
    const young = await world.signIn(YOUNG.idNumber);
    await expectRefused(young.call.eldercare.catalogue({}), 'FORBIDDEN', 'errors.eldercare.notEligible');
    await expectRefused(
      young.call.eldercare.updateProfile({ livingSituation: 'ALONE', paymentMethod: 'CASH', emergencyContacts: [] }),
      'FORBIDDEN',
      'errors.eldercare.notEligible',
    );
  });

  it('every transition outside the order life is refused and changes nothing', async () => {
    for (const status of STATUSES) {
      for (const to of STEPS) {
        if (LEGAL.has(`${status}>${to}`)) continue;
        const orderId = await orderIn(status);
        const before = await world.db.prisma.careOrder.findUniqueOrThrow({
          where: { id: orderId },
          include: { events: true },
        });
        const shape = await expectRefused(
          provider.call.eldercare.provider.advance({ orderId, to }),
          'CONFLICT',
          'errors.eldercare.illegalTransition',
        );
        expect(shape.data.params).toEqual({ from: status, to });
        expect(
          await world.db.prisma.careOrder.findUniqueOrThrow({ where: { id: orderId }, include: { events: true } }),
        ).toEqual(before);
      }
    }
    await expectInvalidInput(
      provider.call.eldercare.provider.advance({ orderId: randomUUID(), to: 'CANCELLED' as 'CONFIRMED' }),
      { to: 'validation.eldercare.status' },
    );
  });

  it('the legal path records each step, who made it, and tells the resident', async () => {
    const orderId = await orderIn('COMPLETED');
    const past = await diner.call.eldercare.orders({ when: 'PAST' });
    const order = past.orders.find((row) => row.id === orderId)!;
    expect(
      order.events.map((event) => [event.status, event.actor.kind, event.actor.name, event.actor.organization]),
    ).toEqual([
      ['BOOKED', 'RESIDENT', '蔡阿公', null],
      ['CONFIRMED', 'PROVIDER', '吴强', '陆丰市东海颐康助餐服务中心'],
      ['IN_SERVICE', 'PROVIDER', '吴强', '陆丰市东海颐康助餐服务中心'],
      ['COMPLETED', 'PROVIDER', '吴强', '陆丰市东海颐康助餐服务中心'],
    ]);
    expect(order).toMatchObject({ canCancel: false, canRate: true, rating: null });
    const messages = await world.db.prisma.message.count({
      where: {
        residentId: await world.residentIdOf(DINER.idNumber),
        topic: { in: ['eldercare.order.CONFIRMED', 'eldercare.order.IN_SERVICE', 'eldercare.order.COMPLETED'] },
      },
    });
    expect(messages).toBeGreaterThanOrEqual(3);
    // The resident's access log names the provider's office, not a community center.
    const office = await world.db.prisma.serviceCenter.findUniqueOrThrow({
      where: { code: 'FW441581001' },
      select: { id: true, name: true },
    });
    expect(office.name).toBe('陆丰市东海颐康助餐服务中心');
    expect(await lastAccessLogEntry(world.db)).toMatchObject({
      staffId: await world.staffId('provider'),
      centerId: office.id,
      basis: 'CARE_ORDER',
      action: 'eldercare.provider.COMPLETED',
    });
  });

  it('cancelling is only possible before the provider confirms', async () => {
    const confirmed = await orderIn('CONFIRMED');
    const ledgerBefore = await world.db.prisma.subsidyLedgerEntry.count();
    await expectRefused(
      diner.call.eldercare.cancel({ orderId: confirmed }),
      'CONFLICT',
      'errors.eldercare.cannotCancel',
    );
    const cancelled = await orderIn('CANCELLED');
    await expectRefused(
      diner.call.eldercare.cancel({ orderId: cancelled }),
      'CONFLICT',
      'errors.eldercare.cannotCancel',
    );
    expect(await world.db.prisma.subsidyLedgerEntry.count()).toBe(ledgerBefore + 2);
    // Someone else's order is not found.
    const other = await world.signIn(OTHER.idNumber);
    const booked = await orderIn('BOOKED');
    await expectRefused(other.call.eldercare.cancel({ orderId: booked }), 'NOT_FOUND', 'errors.notFound');
  });

  it('when the resident cancels as the provider confirms, exactly one of them succeeds and the ledger agrees', async () => {
    for (let round = 0; round < 3; round += 1) {
      const order = await bookLunch();
      const otherDb = await world.openAnother();
      const providerElsewhere = callerFor(makeDeps(otherDb, { clock: world.clock, config: world.deps.config }), {
        sessionToken: provider.token,
      }).call;
      const [cancel, confirm] = await Promise.allSettled([
        diner.call.eldercare.cancel({ orderId: order.id }),
        providerElsewhere.eldercare.provider.advance({ orderId: order.id, to: 'CONFIRMED' }),
      ]);
      const stored = await world.db.prisma.careOrder.findUniqueOrThrow({
        where: { id: order.id },
        include: { events: true, subsidyEntries: true },
      });
      if (cancel.status === 'fulfilled') {
        expect(confirm.status).toBe('rejected');
        expect(errorShapeOf((confirm as PromiseRejectedResult).reason).data.messageKey).toBe(
          'errors.eldercare.illegalTransition',
        );
        expect(stored.status).toBe('CANCELLED');
        expect(stored.subsidyEntries.map((entry) => entry.kind).sort()).toEqual(['ORDER_PAYMENT', 'ORDER_REFUND']);
      } else {
        expect(confirm.status).toBe('fulfilled');
        expect(errorShapeOf(cancel.reason).data.messageKey).toBe('errors.eldercare.cannotCancel');
        expect(stored.status).toBe('CONFIRMED');
        expect(stored.subsidyEntries.map((entry) => entry.kind)).toEqual(['ORDER_PAYMENT']);
      }
      expect(stored.events).toHaveLength(2);
    }
  });

  it('a completed service is rated once, with 1 to 5 stars', async () => {
    const booked = await orderIn('BOOKED');
    await expectRefused(
      diner.call.eldercare.rate({ orderId: booked, stars: 5 }),
      'CONFLICT',
      'errors.eldercare.rateAfterCompletion',
    );
    const completed = await orderIn('COMPLETED');
    await expectInvalidInput(diner.call.eldercare.rate({ orderId: completed, stars: 6 }), {
      stars: 'validation.eldercare.stars',
    });
    await expectInvalidInput(diner.call.eldercare.rate({ orderId: completed, stars: 0 }), {
      stars: 'validation.eldercare.stars',
    });
    expect(await diner.call.eldercare.rate({ orderId: completed, stars: 4, comment: '准时，态度好' })).toMatchObject({
      stars: 4,
      comment: '准时，态度好',
    });
    await expectRefused(
      diner.call.eldercare.rate({ orderId: completed, stars: 1 }),
      'CONFLICT',
      'errors.eldercare.alreadyRated',
    );
    const past = await diner.call.eldercare.orders({ when: 'PAST' });
    expect(past.orders.find((row) => row.id === completed)).toMatchObject({
      rating: { stars: 4, comment: '准时，态度好' },
      canRate: false,
    });
    const listed = await provider.call.eldercare.provider.orders({ status: 'COMPLETED' });
    expect(listed.find((row) => row.id === completed)?.rating).toEqual({ stars: 4, comment: '准时，态度好' });
  });

  it("a provider sees only its own orders, each look logged, and cannot move another provider's order", async () => {
    const own = await bookLunch();
    const catalogue = await diner.call.eldercare.catalogue({ kind: 'CLEANING' });
    const elsewhere = await diner.call.eldercare.book({
      slotId: catalogue.items[0]!.slots[0]!.id,
      requestKey: randomUUID(),
    });
    const before = await accessLogCount(world.db);
    const listed = await provider.call.eldercare.provider.orders({});
    expect(listed.map((row) => row.id)).toContain(own.id);
    expect(listed.map((row) => row.id)).not.toContain(elsewhere.id);
    expect(listed.find((row) => row.id === own.id)).toMatchObject({
      residentName: '蔡阿公',
      nextStep: 'CONFIRMED',
      status: 'BOOKED',
    });
    const residents = new Set(listed.map((row) => row.residentName)).size;
    expect(await accessLogCount(world.db)).toBe(before + residents);
    expect(await lastAccessLogEntry(world.db)).toMatchObject({
      basis: 'CARE_ORDER',
      action: 'eldercare.provider.orders',
      authorizationId: null,
    });

    await expectRefused(
      provider.call.eldercare.provider.advance({ orderId: elsewhere.id, to: 'CONFIRMED' }),
      'NOT_FOUND',
      'errors.notFound',
    );
    expect((await world.db.prisma.careOrder.findUniqueOrThrow({ where: { id: elsewhere.id } })).status).toBe('BOOKED');

    const byDate = await provider.call.eldercare.provider.orders({
      date: listed
        .find((row) => row.id === own.id)!
        .startsAt.toISOString()
        .slice(0, 10),
      status: 'BOOKED',
    });
    expect(byDate.every((row) => row.status === 'BOOKED')).toBe(true);
    await expectInvalidInput(provider.call.eldercare.provider.orders({ date: '2026-13-01' }), {
      date: 'validation.eldercare.date',
    });
  });

  it('counter staff book for a walk-in resident only under an ELDERCARE authorization; each call is logged and the order says who booked', async () => {
    const counter = await world.staff('counter2');
    const walkIn = await world.signIn(WALK_IN.idNumber);
    const cardOnly = await authorizeByCode(counter, walkIn, WALK_IN.idNumber, { scopes: ['CARD'] });
    await expectRefused(
      counter.call.eldercare.profile({ authorizationId: cardOnly.id }),
      'FORBIDDEN',
      'errors.scopeMissing',
    );

    const authorization = await authorizeInPerson(counter, WALK_IN.idNumber, '老人未带手机', { scopes: ['ELDERCARE'] });
    const before = await accessLogCount(world.db);
    const profile = await counter.call.eldercare.profile({ authorizationId: authorization.id });
    expect(profile).toMatchObject({ actingAs: 'COUNTER_STAFF', resident: { name: '纪婆婆' } });
    const catalogue = await counter.call.eldercare.catalogue({ authorizationId: authorization.id, kind: 'MEAL' });
    const order = await counter.call.eldercare.book({
      authorizationId: authorization.id,
      slotId: catalogue.items[0]!.slots[0]!.id,
      requestKey: randomUUID(),
    });
    expect(await accessLogCount(world.db)).toBe(before + 3);
    expect(await lastAccessLogEntry(world.db)).toMatchObject({
      residentId: await world.residentIdOf(WALK_IN.idNumber),
      staffId: await world.staffId('counter2'),
      authorizationId: authorization.id,
      basis: 'IN_PERSON',
      action: 'eldercare.book',
    });
    const upcoming = await walkIn.call.eldercare.orders({ when: 'UPCOMING' });
    expect(upcoming.orders.find((row) => row.id === order.id)!.events[0]!.actor).toEqual({
      kind: 'COUNTER_STAFF',
      name: '李明',
      organization: '东海街道社区综合服务中心',
    });
    const ledger = await world.db.prisma.subsidyLedgerEntry.findFirstOrThrow({ where: { orderId: order.id } });
    expect(ledger).toMatchObject({ actorKind: 'COUNTER_STAFF', actorStaffId: await world.staffId('counter2') });
  });

  it('the care profile keeps emergency contacts with phones encrypted and masked', async () => {
    const updated = await diner.call.eldercare.updateProfile({
      livingSituation: 'WITH_SPOUSE',
      paymentMethod: 'SOCIAL_SECURITY_CARD',
      emergencyContacts: [{ name: '蔡小明', relation: '儿子', phone: '13911112222' }],
    });
    expect(updated.emergencyContacts).toEqual([{ name: '蔡小明', relation: '儿子', maskedPhone: '139****2222' }]);
    const profile = await diner.call.eldercare.profile({});
    expect(profile.profile).toMatchObject({
      livingSituation: 'WITH_SPOUSE',
      paymentMethod: 'SOCIAL_SECURITY_CARD',
      emergencyContacts: [{ maskedPhone: '139****2222' }],
    });
    const stored = await world.db.prisma.emergencyContact.findFirstOrThrow({
      where: { residentId: await world.residentIdOf(DINER.idNumber) },
    });
    expect(Buffer.from(stored.phoneEnc).toString('latin1')).not.toContain('13911112222');
    expect(world.deps.protector.decrypt(stored.phoneEnc, 'phone')).toBe('13911112222');
    await expectInvalidInput(
      diner.call.eldercare.updateProfile({
        livingSituation: 'ALONE',
        paymentMethod: 'CASH',
        emergencyContacts: [{ name: '甲', relation: '女儿', phone: '12345' }],
      }),
      { 'emergencyContacts.0.phone': 'validation.phone' },
    );
    await expectInvalidInput(
      diner.call.eldercare.updateProfile({
        livingSituation: 'ALONE',
        paymentMethod: 'CASH',
        emergencyContacts: Array.from({ length: 4 }, () => ({ name: '甲', relation: '女儿', phone: '13911112222' })),
      }),
      { emergencyContacts: 'validation.eldercare.contacts' },
    );
    await expectInvalidInput(
      diner.call.eldercare.updateProfile({
        livingSituation: 'CASTLE' as 'ALONE',
        paymentMethod: 'CASH',
        emergencyContacts: [],
      }),
      { livingSituation: 'validation.eldercare.livingSituation' },
    );
    expect((await diner.call.eldercare.profile({})).profile?.livingSituation).toBe('WITH_SPOUSE');
  });
});
