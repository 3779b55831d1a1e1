/**
 * Entries written before the access log had one keyed chain per resident
 * carry the old city-wide SHA-256 chain and no chainSeq. At start-up the
 * gateway checks that old chain and seals intact entries into keyed
 * per-resident chains; a broken old chain is left as it is and reported.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealLegacyAccessLog } from '../src/access-log/legacy.js';
import { verifyAccessLog } from '../src/access-log/verify.js';
import { TARGETS, authorizeInPerson, createWorld, demoResident, type World } from './harness.js';

describe.each(TARGETS)('access-log entries from before per-resident chains, on %s', (target) => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld(target);
    const counter = await world.staff('counter');
    for (const key of ['elder', 'worker'] as const) {
      const { id } = await authorizeInPerson(counter, demoResident(key).idNumber);
      await counter.call.card.summary({ authorizationId: id });
    }
  });
  afterAll(() => world?.close());

  /** Turns every entry back into what the previous release wrote: one SHA-256 chain over the global order, no chains, no checkpoints. */
  async function rewriteAsLegacy(tamper?: (seq: bigint) => boolean) {
    const entries = await world.db.prisma.accessLogEntry.findMany({ orderBy: { seq: 'asc' } });
    await world.db.sql.exec(
      'ALTER TABLE "AccessLogEntry" DISABLE TRIGGER "AccessLogEntry_append_only"; ALTER TABLE "AccessLogCheckpoint" DISABLE TRIGGER "AccessLogCheckpoint_append_only";',
    );
    await world.db.sql.exec('DELETE FROM "AccessLogCheckpoint"; DELETE FROM "AccessLogChain";');
    let prevHash = '0'.repeat(64);
    for (const entry of entries) {
      const action = tamper?.(entry.seq) ? 'card.benefits' : entry.action;
      const canonical = [
        entry.seq.toString(),
        entry.residentId,
        entry.staffId,
        entry.centerId,
        entry.authorizationId ?? '',
        entry.basis,
        entry.action,
        entry.createdAt.toISOString(),
        prevHash,
      ].join('|');
      const hash = createHash('sha256').update(canonical).digest('hex');
      await world.db.sql.query(
        'UPDATE "AccessLogEntry" SET "chainSeq" = NULL, "prevHash" = $1, "hash" = $2, "action" = $3 WHERE "seq" = $4',
        [prevHash, hash, action, entry.seq.toString()],
      );
      prevHash = hash;
    }
    await world.db.sql.exec(
      'ALTER TABLE "AccessLogEntry" ENABLE TRIGGER "AccessLogEntry_append_only"; ALTER TABLE "AccessLogCheckpoint" ENABLE TRIGGER "AccessLogCheckpoint_append_only";',
    );
    return entries.length;
  }

  it('an intact old chain is sealed once into keyed per-resident chains, which then verify', async () => {
    const count = await rewriteAsLegacy();
    expect(count).toBeGreaterThan(3);
    expect(await sealLegacyAccessLog(world.deps)).toBe(count);
    // A second start finds nothing left to seal.
    expect(await sealLegacyAccessLog(world.deps)).toBe(0);
    const report = await verifyAccessLog(world.db, world.deps.audit);
    expect(report.problems).toEqual([]);
    expect(report.entries).toBe(count);
    const elder = await world.db.prisma.accessLogEntry.findMany({
      where: { residentId: await world.residentId('elder') },
      orderBy: { seq: 'asc' },
    });
    expect(elder.map((entry) => entry.chainSeq)).toEqual(elder.map((_, index) => index + 1));
    // New entries continue each resident's chain.
    const counter = await world.staff('counter');
    const { id } = await authorizeInPerson(counter, demoResident('elder').idNumber);
    await counter.call.card.benefits({ authorizationId: id });
    expect((await verifyAccessLog(world.db, world.deps.audit)).problems).toEqual([]);
  });

  it('a broken old chain is not sealed (that would hide the tampering) and the verifier reports it', async () => {
    const entries = await world.db.prisma.accessLogEntry.findMany({ orderBy: { seq: 'asc' }, select: { seq: true } });
    const middle = entries[Math.floor(entries.length / 2)]!.seq;
    await rewriteAsLegacy((seq) => seq === middle);
    expect(await sealLegacyAccessLog(world.deps)).toBe(0);
    expect(await world.db.prisma.accessLogEntry.count({ where: { chainSeq: null } })).toBe(entries.length);
    const report = await verifyAccessLog(world.db, world.deps.audit);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({ kind: 'legacy', residentId: null, chainSeq: null });
  });
});
