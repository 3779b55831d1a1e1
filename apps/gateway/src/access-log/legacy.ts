import { createHash } from 'node:crypto';
import type { ServerDeps } from '../context.js';
import type { Database } from '../db/database.js';
import { GENESIS_HASH, entryHash } from './chain.js';

/**
 * Entries written before the log had one keyed chain per resident (before
 * migration 20261203100000) carry one city-wide SHA-256 chain and no
 * chainSeq. At start-up the gateway checks that old chain and, if it is
 * intact, seals the entries into their residents' keyed chains, once.
 */

interface LegacyEntry {
  seq: bigint;
  residentId: string;
  staffId: string;
  centerId: string;
  authorizationId: string | null;
  basis: string;
  action: string;
  createdAt: Date;
  prevHash: string;
  hash: string;
}

function legacyHash(entry: LegacyEntry): string {
  const canonical = [
    entry.seq.toString(),
    entry.residentId,
    entry.staffId,
    entry.centerId,
    entry.authorizationId ?? '',
    entry.basis,
    entry.action,
    entry.createdAt.toISOString(),
    entry.prevHash,
  ].join('|');
  return createHash('sha256').update(canonical).digest('hex');
}

async function legacyEntries(db: Pick<Database, 'prisma'>): Promise<LegacyEntry[]> {
  return db.prisma.accessLogEntry.findMany({
    where: { chainSeq: null },
    orderBy: { seq: 'asc' },
    select: {
      seq: true,
      residentId: true,
      staffId: true,
      centerId: true,
      authorizationId: true,
      basis: true,
      action: true,
      createdAt: true,
      prevHash: true,
      hash: true,
    },
  });
}

function firstBrokenLink(entries: LegacyEntry[]): bigint | null {
  let prevHash = GENESIS_HASH;
  for (const entry of entries) {
    if (entry.prevHash !== prevHash || legacyHash(entry) !== entry.hash) return entry.seq;
    prevHash = entry.hash;
  }
  return null;
}

/** The first entry where the old chain of unsealed entries is broken, or null (also when there are none). */
export async function legacyChainProblem(db: Pick<Database, 'prisma'>): Promise<bigint | null> {
  return firstBrokenLink(await legacyEntries(db));
}

/**
 * Seals the old entries into keyed per-resident chains in one transaction,
 * after checking their old chain. A broken old chain is left as it is (and
 * reported by the verifier): sealing it would launder the tampering.
 */
export async function sealLegacyAccessLog(deps: Pick<ServerDeps, 'db' | 'audit' | 'now' | 'logger'>): Promise<number> {
  return deps.db.prisma.$transaction(
    async (tx) => {
      // Two gateways starting at once: one seals, the other finds nothing left.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(7412001)`;
      const entries = await legacyEntries({ prisma: tx as unknown as Database['prisma'] });
      if (entries.length === 0) return 0;
      const broken = firstBrokenLink(entries);
      if (broken !== null) {
        deps.logger.error(
          { seq: broken.toString() },
          'access log: the chain of entries from before per-resident chains is broken; they are left unsealed (npm run verify-access-log reports them)',
        );
        return 0;
      }
      const heads = new Map<string, { seq: number; hash: string }>();
      for (const entry of entries) {
        const previous = heads.get(entry.residentId) ?? { seq: 0, hash: GENESIS_HASH };
        const fields = { ...entry, basis: entry.basis as never, chainSeq: previous.seq + 1, prevHash: previous.hash };
        const hash = entryHash(deps.audit, fields);
        await tx.accessLogEntry.update({
          where: { seq: entry.seq },
          data: { chainSeq: fields.chainSeq, prevHash: fields.prevHash, hash },
        });
        heads.set(entry.residentId, { seq: fields.chainSeq, hash });
      }
      const now = deps.now();
      await tx.accessLogChain.createMany({
        data: [...heads].map(([residentId, head]) => ({
          residentId,
          lastSeq: head.seq,
          lastHash: head.hash,
          checkpointedSeq: 0,
          updatedAt: now,
        })),
      });
      deps.logger.info(
        { entries: entries.length, residents: heads.size },
        'access log: older entries verified and sealed into per-resident keyed chains',
      );
      return entries.length;
    },
    { timeout: 600_000, maxWait: 60_000 },
  );
}
