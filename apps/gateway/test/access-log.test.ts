import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAccessLog, entryHash, verifyAccessLogChain } from '../src/access-log/chain.js';
import {
  HOUR,
  MINUTE,
  TARGETS,
  accessLogCount,
  authorizeByCode,
  authorizeInPerson,
  createWorld,
  demoResident,
  demoStaff,
  expectRefused,
  lastAccessLogEntry,
  type SignedIn,
  type World,
} from './harness.js';

describe.each(TARGETS)('access log on %s', (target) => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld(target);
  });
  afterAll(() => world?.close());

  /** Runs `action` and returns the access log entries it added. */
  async function entriesAddedBy(action: () => Promise<unknown>) {
    const before = await lastAccessLogEntry(world.db);
    await action();
    return world.db.prisma.accessLogEntry.findMany({ where: { seq: { gt: before?.seq ?? 0n } }, orderBy: { seq: 'asc' } });
  }

  it('each successful staff read or action writes exactly one entry, naming what was done and under which authorization', async () => {
    const [counter, worker] = await Promise.all([world.staff('counter'), world.resident('worker')]);
    const idNumber = demoResident('worker').idNumber;
    const who = { residentId: await world.residentId('worker'), staffId: await world.staffId('counter') };
    const centerId = (await world.db.prisma.staffMember.findUniqueOrThrow({ where: { id: who.staffId } })).centerId;

    let byCode = '';
    const codeEntries = await entriesAddedBy(async () => {
      byCode = (await authorizeByCode(counter, worker, idNumber)).id;
    });
    expect(codeEntries).toEqual([
      expect.objectContaining({ ...who, centerId, action: 'assist.authorized', authorizationId: byCode, basis: 'ONE_TIME_CODE', createdAt: world.clock.now() }),
    ]);
    expect(await entriesAddedBy(() => counter.call.card.summary({ authorizationId: byCode }))).toEqual([
      expect.objectContaining({ ...who, action: 'card.summary', authorizationId: byCode, basis: 'ONE_TIME_CODE' }),
    ]);

    let inPerson = '';
    expect(
      await entriesAddedBy(async () => {
        inPerson = (await authorizeInPerson(counter, idNumber)).id;
      }),
    ).toEqual([expect.objectContaining({ ...who, action: 'assist.authorized', authorizationId: inPerson, basis: 'IN_PERSON' })]);

    const actions: [string, () => Promise<unknown>][] = [
      ['card.summary', () => counter.call.card.summary({ authorizationId: inPerson })],
      ['card.contributions', () => counter.call.card.contributions({ authorizationId: inPerson, year: 2025 })],
      ['card.benefits', () => counter.call.card.benefits({ authorizationId: inPerson })],
      ['card.reportLoss', () => counter.call.card.reportLoss({ authorizationId: inPerson })],
      [
        'card.requestReplacement',
        () => counter.call.card.requestReplacement({ authorizationId: inPerson, requestKey: randomUUID(), reason: 'LOST', pickupCenterCode: 'SC441502001' }),
      ],
    ];
    for (const [action, call] of actions) {
      world.clock.advance(MINUTE);
      const added = await entriesAddedBy(call);
      expect(added, action).toEqual([
        expect.objectContaining({ ...who, centerId, action, authorizationId: inPerson, basis: 'IN_PERSON', createdAt: world.clock.now() }),
      ]);
    }

    // The card office produces the card (no resident data read), then the counter hands it over.
    const cardOffice = await world.staff('cardOffice');
    const replacement = (await counter.call.card.summary({ authorizationId: inPerson })).replacement!;
    expect(
      await entriesAddedBy(async () => {
        await cardOffice.call.card.office.advance({ replacementId: replacement.id, from: 'SUBMITTED' });
        await cardOffice.call.card.office.advance({ replacementId: replacement.id, from: 'IN_PRODUCTION' });
      }),
    ).toEqual([]);
    expect(await entriesAddedBy(() => counter.call.card.confirmPickup({ authorizationId: inPerson, replacementId: replacement.id }))).toEqual([
      expect.objectContaining({ ...who, action: 'card.confirmPickup', authorizationId: inPerson, basis: 'IN_PERSON' }),
    ]);

    // A QR code shown at the counter is its own basis, with no authorization.
    const { token } = await worker.call.card.qrToken();
    expect(await entriesAddedBy(() => counter.call.card.verifyQr({ token }))).toEqual([
      expect.objectContaining({ ...who, centerId, action: 'card.verifyQr', authorizationId: null, basis: 'QR_PRESENTED' }),
    ]);
  });

  it('refused or failed calls, and residents reading their own data, write nothing', async () => {
    const [counter, counter2, second] = await Promise.all([world.staff('counter'), world.staff('counter2'), world.resident('second')]);
    const idNumber = demoResident('second').idNumber;
    const { id: authorizationId } = await authorizeByCode(counter, second, idNumber);
    const revokedId = (await authorizeInPerson(counter, idNumber)).id;
    await second.call.assist.revoke({ authorizationId: revokedId });
    const before = await accessLogCount(world.db);

    await expectRefused(counter.call.card.summary({}), 'FORBIDDEN', 'errors.authorizationRequired');
    await expectRefused(counter.call.card.summary({ authorizationId: revokedId }), 'FORBIDDEN', 'errors.authorizationRequired');
    await expectRefused(counter2.call.card.contributions({ authorizationId }), 'FORBIDDEN', 'errors.authorizationRequired');
    // Authorized, but the call itself fails: nothing was seen or done.
    await expectRefused(
      counter.call.card.requestReplacement({ authorizationId, requestKey: randomUUID(), reason: 'DAMAGED', pickupCenterCode: 'NOPE' }),
      'BAD_REQUEST',
      'errors.unknownCenter',
    );
    await expectRefused(counter.call.card.confirmPickup({ authorizationId, replacementId: randomUUID() }), 'NOT_FOUND', 'errors.notFound');
    // A wrong code authorizes nothing; a bad QR code shows nothing.
    const { lookupToken } = await counter.call.assist.findResident({ idNumber });
    // (The resident's only code was used above, so no code is right now.)
    await expectRefused(counter.call.assist.authorizeWithCode({ lookupToken, code: '000000' }), 'BAD_REQUEST', 'errors.codeInvalid');
    expect(await counter.call.card.verifyQr({ token: 'SWCARD1.bm9wZQ.bm9wZQ' })).toEqual({ valid: false, reason: 'signature' });
    // The resident's own reads are not staff access.
    await second.call.card.summary({});
    await second.call.card.contributions({});
    await second.call.card.benefits({});

    expect(await accessLogCount(world.db)).toBe(before);
  });

  it('a resident sees who looked at their data, newest first, with staff and center names, page by page', async () => {
    const [counter, counter2, replacing, worker] = await Promise.all([
      world.staff('counter'),
      world.staff('counter2'),
      world.resident('replacing'),
      world.resident('worker'),
    ]);
    const idNumber = demoResident('replacing').idNumber;
    const first = (await authorizeByCode(counter, replacing, idNumber)).id;
    const second = (await authorizeInPerson(counter2, idNumber)).id;
    const done: { action: string; staff: 'counter' | 'counter2'; basis: string }[] = [
      { action: 'assist.authorized', staff: 'counter', basis: 'ONE_TIME_CODE' },
      { action: 'assist.authorized', staff: 'counter2', basis: 'IN_PERSON' },
    ];
    const steps: [string, 'counter' | 'counter2', () => Promise<unknown>][] = [
      ['card.summary', 'counter', () => counter.call.card.summary({ authorizationId: first })],
      ['card.contributions', 'counter', () => counter.call.card.contributions({ authorizationId: first })],
      ['card.benefits', 'counter2', () => counter2.call.card.benefits({ authorizationId: second })],
      ['card.summary', 'counter2', () => counter2.call.card.summary({ authorizationId: second })],
      ['card.contributions', 'counter', () => counter.call.card.contributions({ authorizationId: first })],
    ];
    for (const [action, staff, call] of steps) {
      world.clock.advance(MINUTE);
      await call();
      done.push({ action, staff, basis: staff === 'counter' ? 'ONE_TIME_CODE' : 'IN_PERSON' });
    }

    const pages = [];
    let before: string | undefined;
    do {
      const page = await replacing.call.accessLog.mine({ limit: 2, ...(before ? { before } : {}) });
      expect(page.entries.length).toBeLessThanOrEqual(2);
      pages.push(page);
      before = page.nextBefore ?? undefined;
    } while (before);
    expect(pages.length).toBe(Math.ceil(done.length / 2));
    const entries = pages.flatMap((page) => page.entries);

    const names = { counter: demoStaff('counter'), counter2: demoStaff('counter2') };
    expect(entries.map(({ action, basis, staffName, centerName }) => ({ action, basis, staffName, centerName }))).toEqual(
      [...done].reverse().map(({ action, staff, basis }) => ({ action, basis, staffName: names[staff].name, centerName: names[staff].note })),
    );
    const times = entries.map((entry) => entry.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);
    // One page of everything agrees with the pages.
    expect((await replacing.call.accessLog.mine({ limit: 100 })).entries).toEqual(entries);

    // Another resident sees none of this.
    const others = await worker.call.accessLog.mine({ limit: 100 });
    const replacingIds = new Set(entries.map((entry) => entry.id));
    expect(others.entries.some((entry) => replacingIds.has(entry.id))).toBe(false);
  });

  describe('the hash chain', () => {
    let counter: SignedIn;

    beforeAll(async () => {
      // Enough entries to tamper with in the middle.
      counter = await world.staff('counter');
      const { id: authorizationId } = await authorizeInPerson(counter, demoResident('elder').idNumber);
      for (let i = 0; i < 4; i += 1) await counter.call.card.summary({ authorizationId });
    });

    /** Tampers with the log, returns the check's verdict, and puts the log back as it was. */
    async function verdictAfter(tamper: (seqs: bigint[]) => Promise<void>) {
      const saved = await world.db.prisma.accessLogEntry.findMany({ orderBy: { seq: 'asc' } });
      const savedHead = await world.db.prisma.accessLogHead.findUniqueOrThrow({ where: { id: 1 } });
      try {
        await tamper(saved.map((entry) => entry.seq));
        return { full: await verifyAccessLogChain(world.db), batched: await verifyAccessLogChain(world.db, 2) };
      } finally {
        await world.db.sql.exec('DELETE FROM "AccessLogEntry"');
        await world.db.prisma.accessLogEntry.createMany({ data: saved });
        await world.db.prisma.accessLogHead.update({ where: { id: 1 }, data: { lastSeq: savedHead.lastSeq, lastHash: savedHead.lastHash } });
      }
    }

    it('an untouched log verifies, whole and in small batches', async () => {
      const count = await accessLogCount(world.db);
      expect(count).toBeGreaterThan(10);
      expect(await verifyAccessLogChain(world.db)).toEqual({ ok: true, entries: count });
      expect(await verifyAccessLogChain(world.db, 2)).toEqual({ ok: true, entries: count });
    });

    it("changing one entry's action is detected at that entry", async () => {
      let middle = 0n;
      const verdict = await verdictAfter(async (seqs) => {
        middle = seqs[Math.floor(seqs.length / 2)]!;
        await world.db.sql.query(
          `UPDATE "AccessLogEntry" SET "action" = CASE WHEN "action" = 'card.benefits' THEN 'card.summary' ELSE 'card.benefits' END WHERE "seq" = $1`,
          [middle.toString()],
        );
      });
      expect(verdict.full).toMatchObject({ ok: false, seq: middle, problem: 'hash' });
      expect(verdict.batched).toEqual(verdict.full);
    });

    it('rewriting an entry together with its own hash is detected at the next entry', async () => {
      let middle = 0n;
      const verdict = await verdictAfter(async (seqs) => {
        middle = seqs[Math.floor(seqs.length / 2)]!;
        const entry = await world.db.prisma.accessLogEntry.findUniqueOrThrow({ where: { seq: middle } });
        const forged = { ...entry, staffId: await world.staffId('counter2') };
        await world.db.prisma.accessLogEntry.update({ where: { seq: middle }, data: { staffId: forged.staffId, hash: entryHash(forged) } });
      });
      expect(verdict.full).toMatchObject({ ok: false, seq: middle + 1n, problem: 'link' });
      expect(verdict.batched).toEqual(verdict.full);
    });

    it('deleting an entry from the middle is detected as a gap', async () => {
      let middle = 0n;
      const verdict = await verdictAfter(async (seqs) => {
        middle = seqs[Math.floor(seqs.length / 2)]!;
        await world.db.sql.query('DELETE FROM "AccessLogEntry" WHERE "seq" = $1', [middle.toString()]);
      });
      expect(verdict.full).toMatchObject({ ok: false, seq: middle, problem: 'gap' });
      expect(verdict.batched).toEqual(verdict.full);
    });

    it('deleting the first entry is detected', async () => {
      const verdict = await verdictAfter(async (seqs) => {
        await world.db.sql.query('DELETE FROM "AccessLogEntry" WHERE "seq" = $1', [seqs[0]!.toString()]);
      });
      expect(verdict.full).toMatchObject({ ok: false, seq: 1n, problem: 'gap' });
    });

    it('deleting the last entry is detected by the head', async () => {
      let last = 0n;
      const verdict = await verdictAfter(async (seqs) => {
        last = seqs.at(-1)!;
        await world.db.sql.query('DELETE FROM "AccessLogEntry" WHERE "seq" = $1', [last.toString()]);
      });
      expect(verdict.full).toMatchObject({ ok: false, seq: last, problem: 'head', entries: Number(last) - 1 });
      expect(verdict.batched).toEqual(verdict.full);
    });

    it('an entry slipped in behind the gateway, even with a correct hash, is detected by the head', async () => {
      let added = 0n;
      const verdict = await verdictAfter(async (seqs) => {
        const last = await world.db.prisma.accessLogEntry.findUniqueOrThrow({ where: { seq: seqs.at(-1)! } });
        const forged = { ...last, seq: last.seq + 1n, action: 'card.summary', prevHash: last.hash, createdAt: world.clock.now() };
        added = forged.seq;
        await world.db.prisma.accessLogEntry.create({ data: { ...forged, hash: entryHash(forged) } });
      });
      expect(verdict.full).toMatchObject({ ok: false, seq: added - 1n, problem: 'head', entries: Number(added) });
      expect(verdict.batched).toEqual(verdict.full);
    });

    it('after each check the log was put back and verifies again', async () => {
      expect(await verifyAccessLogChain(world.db)).toMatchObject({ ok: true });
    });

    it('entries appended at the same moment by many requests still form one unbroken chain', async () => {
      const before = await accessLogCount(world.db);
      const input = {
        residentId: await world.residentId('elder'),
        staffId: await world.staffId('counter'),
        centerId: (await world.db.prisma.staffMember.findUniqueOrThrow({ where: { id: await world.staffId('counter') } })).centerId,
        authorizationId: null,
        basis: 'QR_PRESENTED' as const,
        action: 'card.verifyQr',
      };
      const db = await world.openAnother();
      const seqs = await Promise.all(
        Array.from({ length: 12 }, (_, index) => appendAccessLog(index % 2 ? db : world.db, input, world.clock.now())),
      );
      expect(new Set(seqs).size).toBe(12);
      expect(await verifyAccessLogChain(world.db)).toEqual({ ok: true, entries: before + 12 });
    });
  });

  it('an expired authorization writes nothing, and the clock in each entry is the gateway clock', async () => {
    const counter = await world.staff('counter');
    const { id } = await authorizeInPerson(counter, demoResident('worker').idNumber);
    const added = await entriesAddedBy(() => counter.call.card.summary({ authorizationId: id }));
    expect(added[0]!.createdAt).toEqual(world.clock.now());
    world.clock.advance(2 * HOUR);
    const counterAgain = await world.staff('counter');
    expect(await entriesAddedBy(() => expectRefused(counterAgain.call.card.summary({ authorizationId: id }), 'FORBIDDEN', 'errors.authorizationRequired'))).toEqual([]);
  });
});
