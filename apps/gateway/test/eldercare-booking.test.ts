import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TARGETS,
  callerFor,
  createWorld,
  errorShapeOf,
  expectInvalidInput,
  expectRefused,
  makeDeps,
  rowCounts,
  signInResident,
  testResident,
  type SignedIn,
  type World,
} from './harness.js';

/**
 * Booking home services against the subsidy: the subsidy ledger is the
 * account's truth (balance == sum of entries, never below zero, entries never
 * changed), each order records what the subsidy paid and what the resident
 * pays, cancelling refunds, and of two bookings racing for a slot's last
 * place exactly one wins. The clock starts 2026-11-02 09:00 in China; the
 * seed's slots run two weeks ahead. Prices (城区 providers): lunch 15 元 with
 * up to 10 元 subsidy, bathing 120 元 with up to 80 元, home visit 30 元 fully covered.
 */

/** MODERATE (200 元) and 低保 (100 元): 300 元 a month. */
const MODERATE_POOR = testResident('冯阿婆', '1941-05-05', 502, {
  entitlements: ['MINIMUM_LIVING'],
  care: { level: 'MODERATE', paymentMethod: 'CASH' },
});
/** 低保 only, no assessment: 100 元 a month. */
const POOR_ONLY = testResident('韦伯', '1952-09-09', 503, {
  entitlements: ['MINIMUM_LIVING'],
  care: { paymentMethod: 'CASH' },
});
/** SEVERE (300 元) and no way to pay anything the subsidy does not cover. */
const NO_PAYMENT = testResident('甘婆婆', '1938-12-01', 504, { care: { level: 'SEVERE', paymentMethod: 'NONE' } });
const RACER_A = testResident('骆伯', '1949-01-11', 505, { care: { level: 'MILD', paymentMethod: 'CASH' } });
const RACER_B = testResident('卢婆婆', '1947-07-17', 506, { care: { level: 'MILD', paymentMethod: 'CASH' } });
const ENTITLEMENT_SA = testResident('孔伯', '1945-04-04', 507, {
  entitlements: ['MINIMUM_LIVING', 'SOCIAL_ASSISTANCE'],
  care: { level: 'TOTAL_LOSS', paymentMethod: 'SOCIAL_SECURITY_CARD' },
});

const CARE_TABLES = [
  'CareOrder',
  'CareOrderEvent',
  'SubsidyLedgerEntry',
  'SubsidyAccount',
  'Message',
  'AccessLogEntry',
];

async function ledgerOf(world: World, idNumber: string) {
  const residentId = await world.residentIdOf(idNumber);
  const [entries, account] = await Promise.all([
    world.db.prisma.subsidyLedgerEntry.findMany({ where: { residentId }, orderBy: { id: 'asc' } }),
    world.db.prisma.subsidyAccount.findUnique({ where: { residentId } }),
  ]);
  return { entries, balance: account?.balanceFen ?? 0 };
}

/** The balance is the ledger's sum, every running balance is right and none is negative. */
function expectConsistent(ledger: Awaited<ReturnType<typeof ledgerOf>>) {
  let running = 0;
  for (const entry of ledger.entries) {
    running += entry.amountFen;
    expect(entry.balanceAfterFen).toBe(running);
    expect(entry.balanceAfterFen).toBeGreaterThanOrEqual(0);
  }
  expect(ledger.balance).toBe(running);
}

async function itemSlot(call: SignedIn['call'], kind: 'MEAL' | 'BATHING' | 'HOME_VISIT' | 'CLEANING', index = 0) {
  const catalogue = await call.eldercare.catalogue({ kind });
  const item = catalogue.items[0]!;
  return { item, slot: item.slots[index]! };
}

describe.each(TARGETS)('booking and the subsidy ledger on %s', (target) => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld(target, {
      extraResidents: [MODERATE_POOR, POOR_ONLY, NO_PAYMENT, RACER_A, RACER_B, ENTITLEMENT_SA],
    });
  });
  afterAll(() => world?.close());

  it('the monthly allowance follows the level in force and the entitlements, and is credited once', async () => {
    const resident = await world.signIn(ENTITLEMENT_SA.idNumber);
    const profiles = await Promise.all([
      resident.call.eldercare.profile({}),
      resident.call.eldercare.profile({}),
      resident.call.eldercare.catalogue({}),
    ]);
    expect(profiles[0].subsidy.thisMonth).toEqual({
      month: '2026-11',
      level: 'TOTAL_LOSS',
      entitlements: ['MINIMUM_LIVING', 'SOCIAL_ASSISTANCE'],
      levelFen: 40_000,
      entitlementFen: 25_000,
      totalFen: 65_000,
    });
    const ledger = await ledgerOf(world, ENTITLEMENT_SA.idNumber);
    expect(ledger.entries.map((entry) => [entry.kind, entry.amountFen])).toEqual([['MONTHLY_ALLOWANCE', 65_000]]);
    expect(ledger.balance).toBe(65_000);
  });

  it('two gateway processes reading the account at the start of a month credit the allowance once', async () => {
    const resident = await world.signIn(RACER_A.idNumber);
    const otherDb = await world.openAnother();
    const elsewhere = callerFor(makeDeps(otherDb, { clock: world.clock, config: world.deps.config }), {
      sessionToken: resident.token,
    }).call;
    const results = await Promise.all([
      resident.call.eldercare.profile({}),
      elsewhere.eldercare.profile({}),
      resident.call.eldercare.catalogue({}),
      elsewhere.eldercare.catalogue({}),
    ]);
    expect(results[0].subsidy.balanceFen).toBe(10_000);
    const ledger = await ledgerOf(world, RACER_A.idNumber);
    expect(ledger.entries.map((entry) => [entry.kind, entry.amountFen])).toEqual([['MONTHLY_ALLOWANCE', 10_000]]);
    expectConsistent(ledger);
  });

  it('each order records what the subsidy paid and what the resident pays; cancelling refunds; the ledger always adds up', async () => {
    const resident = await world.signIn(MODERATE_POOR.idNumber);
    const lunch = await itemSlot(resident.call, 'MEAL');
    expect(lunch.item).toMatchObject({ priceFen: 1_500, subsidyCapFen: 1_000, subsidyFen: 1_000, selfPayFen: 500 });
    const order = await resident.call.eldercare.book({ slotId: lunch.slot.id, requestKey: randomUUID(), note: '少盐' });
    expect(order).toMatchObject({
      status: 'BOOKED',
      priceFen: 1_500,
      subsidyFen: 1_000,
      selfPayFen: 500,
      paymentMethod: 'CASH',
      duplicate: false,
    });

    const bath = await itemSlot(resident.call, 'BATHING');
    const bathOrder = await resident.call.eldercare.book({ slotId: bath.slot.id, requestKey: randomUUID() });
    expect(bathOrder).toMatchObject({ priceFen: 12_000, subsidyFen: 8_000, selfPayFen: 4_000 });

    let profile = await resident.call.eldercare.profile({});
    expect(profile.subsidy.balanceFen).toBe(30_000 - 1_000 - 8_000);
    expect(profile.subsidy.entries.map((entry) => [entry.kind, entry.amountFen, entry.balanceAfterFen])).toEqual([
      ['ORDER_PAYMENT', -8_000, 21_000],
      ['ORDER_PAYMENT', -1_000, 29_000],
      ['MONTHLY_ALLOWANCE', 30_000, 30_000],
    ]);
    expect(profile.subsidy.entries[0]!.order).toMatchObject({ kind: 'BATHING' });
    expect(profile.subsidy.entries[0]!.actor).toMatchObject({ kind: 'RESIDENT', name: '冯阿婆' });

    const cancelled = await resident.call.eldercare.cancel({ orderId: order.id });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', refundedFen: 1_000, balanceFen: 22_000 });
    profile = await resident.call.eldercare.profile({});
    expect(profile.subsidy.entries[0]).toMatchObject({
      kind: 'ORDER_REFUND',
      amountFen: 1_000,
      balanceAfterFen: 22_000,
    });
    expectConsistent(await ledgerOf(world, MODERATE_POOR.idNumber));
    // The place is free again.
    const again = await itemSlot(resident.call, 'MEAL');
    expect(again.slot).toMatchObject({ id: lunch.slot.id, remaining: lunch.slot.remaining });

    const orders = await resident.call.eldercare.orders({ when: 'UPCOMING' });
    expect(orders.orders.map((row) => row.id)).toEqual([bathOrder.id]);
    const past = await resident.call.eldercare.orders({ when: 'PAST' });
    expect(past.orders[0]).toMatchObject({ id: order.id, status: 'CANCELLED', note: '少盐', canCancel: false });
    expect(past.orders[0]!.events.map((event) => [event.status, event.actor.kind])).toEqual([
      ['BOOKED', 'RESIDENT'],
      ['CANCELLED', 'RESIDENT'],
    ]);
    const messages = await world.db.prisma.message.findMany({
      where: { residentId: await world.residentIdOf(MODERATE_POOR.idNumber) },
      select: { topic: true, params: true },
    });
    expect(messages.map((message) => message.topic).sort()).toEqual([
      'eldercare.order.BOOKED',
      'eldercare.order.BOOKED',
      'eldercare.order.CANCELLED',
    ]);
    expect(messages.find((message) => message.topic === 'eldercare.order.CANCELLED')!.params).toMatchObject({
      kind: 'MEAL',
      resident: '冯阿婆',
      date: lunch.slot.startsAt.toISOString().slice(0, 10),
    });
  });

  it('the subsidy pays what is left and never goes below zero; the rest is self-pay', async () => {
    const resident = await world.signIn(POOR_ONLY.idNumber);
    const bath = await itemSlot(resident.call, 'BATHING');
    expect(await resident.call.eldercare.book({ slotId: bath.slot.id, requestKey: randomUUID() })).toMatchObject({
      subsidyFen: 8_000,
      selfPayFen: 4_000,
    });
    const cleaning = await itemSlot(resident.call, 'CLEANING');
    // 20 元 left of 100 元, so the subsidy pays 20 元 of the 80 元 cleaning.
    expect(await resident.call.eldercare.book({ slotId: cleaning.slot.id, requestKey: randomUUID() })).toMatchObject({
      priceFen: 8_000,
      subsidyFen: 2_000,
      selfPayFen: 6_000,
    });
    const lunch = await itemSlot(resident.call, 'MEAL');
    expect(lunch.item).toMatchObject({ subsidyFen: 0, selfPayFen: 1_500 });
    expect(await resident.call.eldercare.book({ slotId: lunch.slot.id, requestKey: randomUUID() })).toMatchObject({
      subsidyFen: 0,
      selfPayFen: 1_500,
    });
    const ledger = await ledgerOf(world, POOR_ONLY.idNumber);
    expectConsistent(ledger);
    expect(ledger.balance).toBe(0);
    // No entry for an order the subsidy paid nothing towards.
    expect(ledger.entries.map((entry) => entry.amountFen)).toEqual([10_000, -8_000, -2_000]);
  });

  it('booking beyond the subsidy without a payment method is refused and changes nothing; a fully covered service can be booked', async () => {
    const resident = await world.signIn(NO_PAYMENT.idNumber);
    const profile = await resident.call.eldercare.profile({});
    expect(profile).toMatchObject({ paymentMethod: 'NONE', subsidy: { balanceFen: 30_000 } });
    const lunch = await itemSlot(resident.call, 'MEAL');
    const before = await rowCounts(world.db, CARE_TABLES);
    const slotBefore = await world.db.prisma.careSlot.findUniqueOrThrow({ where: { id: lunch.slot.id } });
    const shape = await expectRefused(
      resident.call.eldercare.book({ slotId: lunch.slot.id, requestKey: randomUUID() }),
      'BAD_REQUEST',
      'errors.eldercare.paymentMethodRequired',
    );
    expect(shape.data.params).toEqual({ selfPayFen: 500 });
    expect(await rowCounts(world.db, CARE_TABLES)).toEqual(before);
    expect(await world.db.prisma.careSlot.findUniqueOrThrow({ where: { id: lunch.slot.id } })).toEqual(slotBefore);

    const visit = await itemSlot(resident.call, 'HOME_VISIT');
    expect(visit.item).toMatchObject({ priceFen: 3_000, subsidyFen: 3_000, selfPayFen: 0 });
    expect(await resident.call.eldercare.book({ slotId: visit.slot.id, requestKey: randomUUID() })).toMatchObject({
      subsidyFen: 3_000,
      selfPayFen: 0,
      paymentMethod: 'NONE',
    });
  });

  it('bad booking input is refused with field errors; unknown or out-of-area slots are not found', async () => {
    const resident = await world.signIn(MODERATE_POOR.idNumber);
    await expectInvalidInput(resident.call.eldercare.book({ slotId: 'nope', requestKey: randomUUID() }), {
      slotId: 'validation.eldercare.slotId',
    });
    await expectInvalidInput(resident.call.eldercare.book({ slotId: randomUUID(), requestKey: 'x' }), {
      requestKey: 'validation.requestKey',
    });
    const lunch = await itemSlot(resident.call, 'MEAL');
    await expectInvalidInput(
      resident.call.eldercare.book({ slotId: lunch.slot.id, requestKey: randomUUID(), note: 'x'.repeat(201) }),
      { note: 'validation.eldercare.note' },
    );
    await expectRefused(
      resident.call.eldercare.book({ slotId: randomUUID(), requestKey: randomUUID() }),
      'NOT_FOUND',
      'errors.notFound',
    );
    // A 陆丰 provider's slot is not offered to a resident of 城区.
    const farSlot = await world.db.prisma.careSlot.findFirstOrThrow({
      where: { item: { provider: { areaCode: '441581' } }, startsAt: { gt: new Date('2026-11-03T00:00:00Z') } },
    });
    await expectRefused(
      resident.call.eldercare.book({ slotId: farSlot.id, requestKey: randomUUID() }),
      'NOT_FOUND',
      'errors.notFound',
    );
    // A slot already past.
    const pastSlot = await world.db.prisma.careSlot.findFirstOrThrow({
      where: { item: { provider: { areaCode: '441502' } }, startsAt: { lt: world.clock.now() } },
    });
    await expectRefused(
      resident.call.eldercare.book({ slotId: pastSlot.id, requestKey: randomUUID() }),
      'BAD_REQUEST',
      'errors.eldercare.slotNotBookable',
    );
  });

  it('the same request key books once', async () => {
    const resident = await world.signIn(MODERATE_POOR.idNumber);
    const lunch = await itemSlot(resident.call, 'MEAL', 3);
    const requestKey = randomUUID();
    const [first, second] = await Promise.all([
      resident.call.eldercare.book({ slotId: lunch.slot.id, requestKey }),
      resident.call.eldercare.book({ slotId: lunch.slot.id, requestKey }),
    ]);
    expect(first.id).toBe(second.id);
    expect([first.duplicate, second.duplicate].sort()).toEqual([false, true]);
    expect(await world.db.prisma.careOrder.count({ where: { requestKey } })).toBe(1);
    expectConsistent(await ledgerOf(world, MODERATE_POOR.idNumber));
  });

  it('the ledger is append-only: the database refuses to change or delete an entry', async () => {
    const residentId = await world.residentIdOf(MODERATE_POOR.idNumber);
    const entry = await world.db.prisma.subsidyLedgerEntry.findFirstOrThrow({ where: { residentId } });
    await expect(
      world.db.prisma.subsidyLedgerEntry.update({ where: { id: entry.id }, data: { amountFen: 999_999 } }),
    ).rejects.toThrow(/append-only/);
    await expect(world.db.prisma.subsidyLedgerEntry.delete({ where: { id: entry.id } })).rejects.toThrow(/append-only/);
    expect(await world.db.prisma.subsidyLedgerEntry.findUniqueOrThrow({ where: { id: entry.id } })).toEqual(entry);
  });

  it('a balance that disagrees with its ledger stops every booking', async () => {
    const resident = await world.signIn(ENTITLEMENT_SA.idNumber);
    const residentId = await world.residentIdOf(ENTITLEMENT_SA.idNumber);
    await world.db.prisma.subsidyAccount.update({
      where: { residentId },
      data: { balanceFen: { increment: 100_000 } },
    });
    const lunch = await itemSlot(resident.call, 'MEAL').catch((error: unknown) => errorShapeOf(error));
    expect(lunch).toMatchObject({ data: { code: 'INTERNAL_SERVER_ERROR' } });
    await world.db.prisma.subsidyAccount.update({
      where: { residentId },
      data: { balanceFen: { decrement: 100_000 } },
    });
    expect((await itemSlot(resident.call, 'MEAL')).item.subsidyFen).toBe(1_000);
  });

  it('of two families booking the last place at once, exactly one wins and the other is told it was taken', async () => {
    const [a, b] = await Promise.all([world.signIn(RACER_A.idNumber), world.signIn(RACER_B.idNumber)]);
    // A home visit has one place per slot; both families want the same one.
    const visit = await itemSlot(a.call, 'HOME_VISIT', 5);
    expect(visit.slot.remaining).toBe(1);
    // The second family books through another gateway process: its own connection pool (on PostgreSQL).
    const otherDb = await world.openAnother();
    const otherDeps = makeDeps(otherDb, { clock: world.clock, config: world.deps.config });
    const bOther = callerFor(otherDeps, { sessionToken: b.token }).call;

    const race = () =>
      Promise.allSettled([
        a.call.eldercare.book({ slotId: visit.slot.id, requestKey: randomUUID() }),
        bOther.eldercare.book({ slotId: visit.slot.id, requestKey: randomUUID() }),
      ]);
    let results: PromiseSettledResult<unknown>[];
    if (world.url) {
      // Hold the slot's row so both transactions reach the conditional update and wait there together, then let go.
      const blocker = new pg.Client({ connectionString: world.url });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('SELECT 1 FROM "CareSlot" WHERE "id" = $1 FOR UPDATE', [visit.slot.id]);
        let settled = false;
        let bothWaiting = false;
        const racing = race().finally(() => {
          settled = true;
        });
        while (!settled) {
          // Statistics are read once per transaction unless the snapshot is cleared.
          await blocker.query('SELECT pg_stat_clear_snapshot()');
          const { rows } = await blocker.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE "CareSlot"%'`,
          );
          if (rows[0]!.n >= 2) {
            bothWaiting = true;
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        // Neither could finish while the row was held: both are inside their transactions at the same time.
        expect(bothWaiting).toBe(true);
        await blocker.query('COMMIT');
        results = await racing;
      } finally {
        await blocker.end();
      }
    } else {
      results = await race();
    }
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(errorShapeOf(lost[0]!.reason).data).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'errors.eldercare.slotTaken',
    });
    const slot = await world.db.prisma.careSlot.findUniqueOrThrow({ where: { id: visit.slot.id } });
    expect(slot.booked).toBe(1);
    expect(await world.db.prisma.careOrder.count({ where: { slotId: visit.slot.id } })).toBe(1);
    // The loser's subsidy is untouched.
    for (const person of [RACER_A, RACER_B]) expectConsistent(await ledgerOf(world, person.idNumber));
    const debits = await world.db.prisma.subsidyLedgerEntry.count({
      where: { kind: 'ORDER_PAYMENT', order: { slotId: visit.slot.id } },
    });
    expect(debits).toBe(1);
    // The slot is no longer offered.
    const after = await b.call.eldercare.catalogue({ kind: 'HOME_VISIT' });
    expect(after.items[0]!.slots.map((row) => row.id)).not.toContain(visit.slot.id);
  });

  it('a fresh sign-in sees the same balance the ledger gives', async () => {
    for (const person of [MODERATE_POOR, POOR_ONLY, NO_PAYMENT, RACER_A, RACER_B, ENTITLEMENT_SA]) {
      const signedIn = await signInResident(world.deps, person.idNumber);
      const profile = await signedIn.call.eldercare.profile({});
      const ledger = await ledgerOf(world, person.idNumber);
      expectConsistent(ledger);
      expect(profile.subsidy.balanceFen).toBe(ledger.balance);
    }
  });
});
