import { createHash } from 'node:crypto';
import type { Database } from '../db/database.js';
import type { AccessBasis } from '../generated/prisma/enums.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AccessLogInput {
  residentId: string;
  staffId: string;
  centerId: string;
  authorizationId: string | null;
  basis: AccessBasis;
  action: string;
}

interface ChainedFields extends AccessLogInput {
  seq: bigint;
  createdAt: Date;
  prevHash: string;
}

export function entryHash(entry: ChainedFields): string {
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

/**
 * Appends one entry. The head row is locked for the transaction, so entries
 * from concurrent gateway processes form one unbroken chain.
 */
export async function appendAccessLog(db: Database, input: AccessLogInput, now: Date): Promise<bigint> {
  return db.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO "AccessLogHead" ("id", "lastSeq", "lastHash") VALUES (1, 0, ${GENESIS_HASH}) ON CONFLICT ("id") DO NOTHING`;
    const [head] = await tx.$queryRaw<{ lastSeq: bigint; lastHash: string }[]>`
      SELECT "lastSeq", "lastHash" FROM "AccessLogHead" WHERE "id" = 1 FOR UPDATE`;
    if (!head) throw new Error('Access log head missing');
    const fields: ChainedFields = { ...input, seq: BigInt(head.lastSeq) + 1n, createdAt: now, prevHash: head.lastHash };
    const hash = entryHash(fields);
    await tx.accessLogEntry.create({ data: { ...fields, hash } });
    await tx.accessLogHead.update({ where: { id: 1 }, data: { lastSeq: fields.seq, lastHash: hash } });
    return fields.seq;
  });
}

export type ChainCheck =
  | { ok: true; entries: number }
  | { ok: false; entries: number; seq: bigint; problem: 'hash' | 'link' | 'gap' | 'head' };

/** Recomputes every hash in order: a changed, inserted or removed entry breaks the chain. */
export async function verifyAccessLogChain(db: Database, batchSize = 2_000): Promise<ChainCheck> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let entries = 0;
  for (;;) {
    const batch = await db.prisma.accessLogEntry.findMany({
      where: { seq: { gte: expectedSeq } },
      orderBy: { seq: 'asc' },
      take: batchSize,
    });
    for (const entry of batch) {
      if (entry.seq !== expectedSeq) return { ok: false, entries, seq: expectedSeq, problem: 'gap' };
      if (entry.prevHash !== prevHash) return { ok: false, entries, seq: entry.seq, problem: 'link' };
      if (entryHash(entry) !== entry.hash) return { ok: false, entries, seq: entry.seq, problem: 'hash' };
      prevHash = entry.hash;
      expectedSeq += 1n;
      entries += 1;
    }
    if (batch.length < batchSize) break;
  }
  const head = await db.prisma.accessLogHead.findUnique({ where: { id: 1 } });
  const headSeq = head?.lastSeq ?? 0n;
  const headHash = head?.lastHash ?? GENESIS_HASH;
  // A removed tail shows as a head that points past the last entry.
  if (headSeq !== expectedSeq - 1n || headHash !== prevHash) {
    return { ok: false, entries, seq: headSeq, problem: 'head' };
  }
  return { ok: true, entries };
}
