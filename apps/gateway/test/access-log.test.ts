import { createPublicKey, randomBytes, randomUUID, verify as verifySignature } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditKeys } from '../src/access-log/audit-keys.js';
import { appendAccessLog, entryHash } from '../src/access-log/chain.js';
import { writeCheckpoints } from '../src/access-log/checkpoints.js';
import { verifyAccessLog } from '../src/access-log/verify.js';
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
    return world.db.prisma.accessLogEntry.findMany({
      where: { seq: { gt: before?.seq ?? 0n } },
      orderBy: { seq: 'asc' },
    });
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
    // Looking the resident up is recorded too, before anything of theirs is shown.
    expect(codeEntries).toEqual([
      expect.objectContaining({
        ...who,
        centerId,
        action: 'assist.findResident',
        authorizationId: null,
        basis: 'LOOKUP',
        createdAt: world.clock.now(),
      }),
      expect.objectContaining({
        ...who,
        centerId,
        action: 'assist.authorized',
        authorizationId: byCode,
        basis: 'ONE_TIME_CODE',
        createdAt: world.clock.now(),
      }),
    ]);
    expect(await entriesAddedBy(() => counter.call.card.summary({ authorizationId: byCode }))).toEqual([
      expect.objectContaining({ ...who, action: 'card.summary', authorizationId: byCode, basis: 'ONE_TIME_CODE' }),
    ]);

    let inPerson = '';
    expect(
      await entriesAddedBy(async () => {
        inPerson = (await authorizeInPerson(counter, idNumber)).id;
      }),
    ).toEqual([
      expect.objectContaining({ ...who, action: 'assist.findResident', authorizationId: null, basis: 'LOOKUP' }),
      expect.objectContaining({ ...who, action: 'assist.authorized', authorizationId: inPerson, basis: 'IN_PERSON' }),
    ]);

    const actions: [string, () => Promise<unknown>][] = [
      ['card.summary', () => counter.call.card.summary({ authorizationId: inPerson })],
      ['card.contributions', () => counter.call.card.contributions({ authorizationId: inPerson, year: 2025 })],
      ['card.benefits', () => counter.call.card.benefits({ authorizationId: inPerson })],
      ['card.reportLoss', () => counter.call.card.reportLoss({ authorizationId: inPerson })],
      [
        'card.requestReplacement',
        () =>
          counter.call.card.requestReplacement({
            authorizationId: inPerson,
            requestKey: randomUUID(),
            reason: 'LOST',
            pickupCenterCode: 'SC441502001',
          }),
      ],
    ];
    for (const [action, call] of actions) {
      world.clock.advance(MINUTE);
      const added = await entriesAddedBy(call);
      expect(added, action).toEqual([
        expect.objectContaining({
          ...who,
          centerId,
          action,
          authorizationId: inPerson,
          basis: 'IN_PERSON',
          createdAt: world.clock.now(),
        }),
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
    expect(
      await entriesAddedBy(() =>
        counter.call.card.confirmPickup({ authorizationId: inPerson, replacementId: replacement.id }),
      ),
    ).toEqual([
      expect.objectContaining({ ...who, action: 'card.confirmPickup', authorizationId: inPerson, basis: 'IN_PERSON' }),
    ]);

    // A QR code shown at the counter is its own basis, with no authorization.
    const { token } = await worker.call.card.qrToken();
    expect(await entriesAddedBy(() => counter.call.card.verifyQr({ token }))).toEqual([
      expect.objectContaining({
        ...who,
        centerId,
        action: 'card.verifyQr',
        authorizationId: null,
        basis: 'QR_PRESENTED',
      }),
    ]);
  });

  it('refused or failed calls, and residents reading their own data, write nothing', async () => {
    const [counter, counter2, second] = await Promise.all([
      world.staff('counter'),
      world.staff('counter2'),
      world.resident('second'),
    ]);
    const idNumber = demoResident('second').idNumber;
    const { id: authorizationId } = await authorizeByCode(counter, second, idNumber);
    const revokedId = (await authorizeInPerson(counter, idNumber)).id;
    await second.call.assist.revoke({ authorizationId: revokedId });
    // (A lookup is recorded; what follows it is not.)
    const { lookupToken } = await counter.call.assist.findResident({ idNumber });
    const before = await accessLogCount(world.db);

    await expectRefused(counter.call.card.summary({}), 'FORBIDDEN', 'errors.authorizationRequired');
    await expectRefused(
      counter.call.card.summary({ authorizationId: revokedId }),
      'FORBIDDEN',
      'errors.authorizationRequired',
    );
    await expectRefused(
      counter2.call.card.contributions({ authorizationId }),
      'FORBIDDEN',
      'errors.authorizationRequired',
    );
    // Authorized, but the call itself fails: nothing was seen or done.
    await expectRefused(
      counter.call.card.requestReplacement({
        authorizationId,
        requestKey: randomUUID(),
        reason: 'DAMAGED',
        pickupCenterCode: 'NOPE',
      }),
      'BAD_REQUEST',
      'errors.unknownCenter',
    );
    await expectRefused(
      counter.call.card.confirmPickup({ authorizationId, replacementId: randomUUID() }),
      'NOT_FOUND',
      'errors.notFound',
    );
    // A wrong code authorizes nothing; a bad QR code shows nothing.
    // (The resident's only code was used above, so no code is right now.)
    await expectRefused(
      counter.call.assist.authorizeWithCode({ lookupToken, code: '000000' }),
      'BAD_REQUEST',
      'errors.codeInvalid',
    );
    expect(await counter.call.card.verifyQr({ token: 'SWCARD1.bm9wZQ.bm9wZQ' })).toEqual({
      valid: false,
      reason: 'signature',
    });
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
      { action: 'assist.findResident', staff: 'counter', basis: 'LOOKUP' },
      { action: 'assist.authorized', staff: 'counter', basis: 'ONE_TIME_CODE' },
      { action: 'assist.findResident', staff: 'counter2', basis: 'LOOKUP' },
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
    expect(
      entries.map(({ action, basis, staffName, centerName }) => ({ action, basis, staffName, centerName })),
    ).toEqual(
      [...done].reverse().map(({ action, staff, basis }) => ({
        action,
        basis,
        staffName: names[staff].name,
        centerName: names[staff].note,
      })),
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

  describe('the keyed chains and their signed checkpoints', () => {
    let counter: SignedIn;
    let elderId: string;
    let authorizationId: string;

    beforeAll(async () => {
      // Enough entries in one resident's chain to tamper with in the middle, and a checkpoint covering them.
      counter = await world.staff('counter');
      elderId = await world.residentId('elder');
      authorizationId = (await authorizeInPerson(counter, demoResident('elder').idNumber)).id;
      for (let i = 0; i < 4; i += 1) await counter.call.card.summary({ authorizationId });
      await writeCheckpoints(world.deps);
    });

    const verify = () =>
      verifyAccessLog(world.db, world.deps.audit, { checkpointFile: world.deps.config.accessLogCheckpointFile });

    /** The elder's chain, in order. */
    const elderChain = () =>
      world.db.prisma.accessLogEntry.findMany({ where: { residentId: elderId }, orderBy: { chainSeq: 'asc' } });

    /**
     * Tampers as someone with write access to the database would (the
     * append-only triggers switched off), returns the verifier's problems,
     * and puts everything back as it was.
     */
    async function problemsAfter(tamper: () => Promise<void>) {
      const file = world.deps.config.accessLogCheckpointFile;
      const saved = {
        entries: await world.db.prisma.accessLogEntry.findMany(),
        chains: await world.db.prisma.accessLogChain.findMany(),
        checkpoints: await world.db.prisma.accessLogCheckpoint.findMany(),
        file: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '',
      };
      await setTriggers(false);
      try {
        await tamper();
        const report = await verify();
        expect(report.ok).toBe(false);
        return report.problems.map(({ kind, residentId, chainSeq }) => ({ kind, residentId, chainSeq }));
      } finally {
        await world.db.sql.exec(
          'DELETE FROM "AccessLogCheckpoint"; DELETE FROM "AccessLogEntry"; DELETE FROM "AccessLogChain";',
        );
        await world.db.prisma.accessLogChain.createMany({ data: saved.chains });
        await world.db.prisma.accessLogEntry.createMany({ data: saved.entries });
        await world.db.prisma.accessLogCheckpoint.createMany({ data: saved.checkpoints });
        fs.writeFileSync(file, saved.file);
        await setTriggers(true);
      }
    }

    async function setTriggers(on: boolean) {
      const verb = on ? 'ENABLE' : 'DISABLE';
      await world.db.sql.exec(
        `ALTER TABLE "AccessLogEntry" ${verb} TRIGGER "AccessLogEntry_append_only"; ALTER TABLE "AccessLogCheckpoint" ${verb} TRIGGER "AccessLogCheckpoint_append_only";`,
      );
    }

    it('an untouched log verifies, and its checkpoints are in the database and in the file', async () => {
      const report = await verify();
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({ ok: true, entries: await accessLogCount(world.db) });
      expect(report.checkpoints).toBeGreaterThan(0);
      expect(report.fileCheckpoints).toBe(report.checkpoints);
      const chain = await elderChain();
      expect(chain.map((entry) => entry.chainSeq)).toEqual(chain.map((_, index) => index + 1));
    });

    it('the database cannot change or remove an entry or a checkpoint by itself (append-only)', async () => {
      const [entry] = await elderChain();
      await expect(
        world.db.sql.query(`UPDATE "AccessLogEntry" SET "action" = 'card.benefits' WHERE "seq" = $1`, [
          entry!.seq.toString(),
        ]),
      ).rejects.toThrow(/append-only/);
      await expect(
        world.db.sql.query('DELETE FROM "AccessLogEntry" WHERE "seq" = $1', [entry!.seq.toString()]),
      ).rejects.toThrow(/append-only/);
      await expect(world.db.sql.exec('DELETE FROM "AccessLogCheckpoint"')).rejects.toThrow(/append-only/);
      expect((await verify()).ok).toBe(true);
    });

    it("changing one entry's action is detected at that entry", async () => {
      const middle = (await elderChain())[2]!;
      const problems = await problemsAfter(async () => {
        await world.db.sql.query(`UPDATE "AccessLogEntry" SET "action" = 'card.benefits' WHERE "seq" = $1`, [
          middle.seq.toString(),
        ]);
      });
      expect(problems).toContainEqual({ kind: 'hash', residentId: elderId, chainSeq: middle.chainSeq });
    });

    it('rewriting an entry with a recomputed hash is detected: the hash needs a key the database does not hold', async () => {
      const middle = (await elderChain())[2]!;
      const problems = await problemsAfter(async () => {
        const forged = { ...middle, chainSeq: middle.chainSeq!, staffId: await world.staffId('counter2') };
        // The attacker's best guess: the same scheme with a key of their own.
        const attackerKeys = new AuditKeys(randomBytes(32));
        await world.db.prisma.accessLogEntry.update({
          where: { seq: middle.seq },
          data: { staffId: forged.staffId, hash: entryHash(attackerKeys, forged) },
        });
      });
      expect(problems).toContainEqual({ kind: 'hash', residentId: elderId, chainSeq: middle.chainSeq });
    });

    it('deleting an entry from the middle is detected as a gap', async () => {
      const middle = (await elderChain())[2]!;
      const problems = await problemsAfter(async () => {
        await world.db.sql.query('DELETE FROM "AccessLogEntry" WHERE "seq" = $1', [middle.seq.toString()]);
      });
      expect(problems).toContainEqual({ kind: 'gap', residentId: elderId, chainSeq: middle.chainSeq });
    });

    it('deleting the last entry and moving the head back is detected by the signed checkpoint', async () => {
      const chain = await elderChain();
      const last = chain.at(-1)!;
      const problems = await problemsAfter(async () => {
        await world.db.sql.query('DELETE FROM "AccessLogEntry" WHERE "seq" = $1', [last.seq.toString()]);
        await world.db.prisma.accessLogChain.update({
          where: { residentId: elderId },
          data: { lastSeq: last.chainSeq! - 1, lastHash: last.prevHash },
        });
      });
      expect(problems).toContainEqual({ kind: 'checkpoint', residentId: elderId, chainSeq: last.chainSeq });
    });

    it("removing a resident's whole trace from the database (entries, head and checkpoints) is detected by the checkpoint file", async () => {
      const problems = await problemsAfter(async () => {
        await world.db.sql.query('DELETE FROM "AccessLogEntry" WHERE "residentId" = $1', [elderId]);
        await world.db.sql.query('DELETE FROM "AccessLogChain" WHERE "residentId" = $1', [elderId]);
        await world.db.sql.query('DELETE FROM "AccessLogCheckpoint" WHERE "residentId" = $1', [elderId]);
      });
      expect(problems).toContainEqual(expect.objectContaining({ kind: 'checkpoint-file', residentId: elderId }));
    });

    it("deleting one resident's entries and writing the chain anew (without the key) is detected", async () => {
      const chain = await elderChain();
      const problems = await problemsAfter(async () => {
        await world.db.sql.query('DELETE FROM "AccessLogEntry" WHERE "residentId" = $1', [elderId]);
        const attackerKeys = new AuditKeys(randomBytes(32));
        let prevHash = '0'.repeat(64);
        // Keep only the authorization, as if nothing had been read.
        const kept = chain.slice(0, 1);
        for (const [index, entry] of kept.entries()) {
          const fields = { ...entry, chainSeq: index + 1, prevHash };
          const hash = entryHash(attackerKeys, fields);
          await world.db.prisma.accessLogEntry.create({ data: { ...fields, hash } });
          prevHash = hash;
        }
        await world.db.prisma.accessLogChain.update({
          where: { residentId: elderId },
          data: { lastSeq: kept.length, lastHash: prevHash },
        });
      });
      expect(problems).toContainEqual({ kind: 'hash', residentId: elderId, chainSeq: 1 });
      expect(problems).toContainEqual({ kind: 'checkpoint', residentId: elderId, chainSeq: chain.at(-1)!.chainSeq });
    });

    it('removing a checkpoint from the table, or forging one, is detected', async () => {
      const removed = await problemsAfter(async () => {
        await world.db.sql.query('DELETE FROM "AccessLogCheckpoint" WHERE "residentId" = $1', [elderId]);
      });
      expect(removed).toContainEqual(expect.objectContaining({ kind: 'checkpoint-file', residentId: elderId }));
      const forged = await problemsAfter(async () => {
        await world.db.sql.query(`UPDATE "AccessLogCheckpoint" SET "signature" = $1 WHERE "residentId" = $2`, [
          randomBytes(64).toString('base64url'),
          elderId,
        ]);
      });
      expect(forged).toContainEqual(expect.objectContaining({ kind: 'checkpoint-signature', residentId: elderId }));
    });

    it('after each check the log was put back and verifies again', async () => {
      expect((await verify()).problems).toEqual([]);
    });

    it('a resident is shown the signed checkpoint of their own log, and the signature checks with the published key', async () => {
      const elder = await world.resident('elder');
      await counter.call.card.benefits({ authorizationId });
      const page = await elder.call.accessLog.mine({ limit: 100 });
      const chain = await elderChain();
      expect(page.checkpoint).toMatchObject({
        chainSeq: chain.at(-1)!.chainSeq,
        headHash: chain.at(-1)!.hash,
        keyId: world.deps.audit.keyId,
      });
      const publicKey = createPublicKey({
        key: Buffer.concat([
          Buffer.from('302a300506032b6570032100', 'hex'),
          Buffer.from(page.checkpoint!.publicKey, 'base64url'),
        ]),
        format: 'der',
        type: 'spki',
      });
      const text = [
        'shanwei-access-log-checkpoint',
        'v1',
        elderId,
        String(page.checkpoint!.chainSeq),
        page.checkpoint!.headHash,
        page.checkpoint!.createdAt.toISOString(),
      ].join('|');
      expect(
        verifySignature(null, Buffer.from(text), publicKey, Buffer.from(page.checkpoint!.signature, 'base64url')),
      ).toBe(true);
      expect(
        verifySignature(
          null,
          Buffer.from(text.replace(elderId, randomUUID())),
          publicKey,
          Buffer.from(page.checkpoint!.signature, 'base64url'),
        ),
      ).toBe(false);
    });

    it('entries appended at the same moment by many requests and two gateways form unbroken chains', async () => {
      const before = await accessLogCount(world.db);
      const staffId = await world.staffId('counter');
      const { centerId } = await world.db.prisma.staffMember.findUniqueOrThrow({ where: { id: staffId } });
      const residents = [elderId, await world.residentId('worker'), await world.residentId('second')];
      const other = await world.openAnother();
      await Promise.all(
        Array.from({ length: 18 }, (_, index) =>
          (index % 2 ? other : world.db).prisma.$transaction((tx) =>
            appendAccessLog(
              tx,
              world.deps.audit,
              {
                residentId: residents[index % 3]!,
                staffId,
                centerId,
                authorizationId: null,
                basis: 'QR_PRESENTED',
                action: 'card.verifyQr',
              },
              world.clock.now(),
            ),
          ),
        ),
      );
      const report = await verify();
      expect(report.problems).toEqual([]);
      expect(report.entries).toBe(before + 18);
    });

    it('a staff action whose log entry cannot be written is undone: nothing is done unrecorded', async () => {
      const { id } = await authorizeInPerson(counter, demoResident('second').idNumber);
      const cardBefore = await world.db.prisma.socialSecurityCard.findFirstOrThrow({
        where: { residentId: await world.residentId('second'), status: 'ACTIVE' },
      });
      const entriesBefore = await accessLogCount(world.db);
      // The log refuses every new entry (a full disk, a lost connection at the wrong moment).
      await world.db.sql.exec(
        `ALTER TABLE "AccessLogEntry" ADD CONSTRAINT "test_refuse_entries" CHECK ("action" = 'never') NOT VALID`,
      );
      try {
        await expectRefused(
          counter.call.card.reportLoss({ authorizationId: id }),
          'INTERNAL_SERVER_ERROR',
          'errors.unexpected',
        );
      } finally {
        await world.db.sql.exec('ALTER TABLE "AccessLogEntry" DROP CONSTRAINT "test_refuse_entries"');
      }
      expect(
        await world.db.prisma.socialSecurityCard.findUniqueOrThrow({ where: { id: cardBefore.id } }),
      ).toMatchObject({ status: 'ACTIVE', lostAt: null });
      expect(await accessLogCount(world.db)).toBe(entriesBefore);
      // And once the log works again, so does the action, with its entry.
      await counter.call.card.reportLoss({ authorizationId: id });
      expect(await lastAccessLogEntry(world.db)).toMatchObject({ action: 'card.reportLoss', authorizationId: id });
    });
  });

  it('an expired authorization writes nothing, and the clock in each entry is the gateway clock', async () => {
    const counter = await world.staff('counter');
    const { id } = await authorizeInPerson(counter, demoResident('worker').idNumber);
    const added = await entriesAddedBy(() => counter.call.card.summary({ authorizationId: id }));
    expect(added[0]!.createdAt).toEqual(world.clock.now());
    world.clock.advance(2 * HOUR);
    const counterAgain = await world.staff('counter');
    expect(
      await entriesAddedBy(() =>
        expectRefused(
          counterAgain.call.card.summary({ authorizationId: id }),
          'FORBIDDEN',
          'errors.authorizationRequired',
        ),
      ),
    ).toEqual([]);
  });
});
