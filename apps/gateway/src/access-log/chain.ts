import type { Prisma } from '../generated/prisma/client.js';
import type { AccessBasis } from '../generated/prisma/enums.js';
import type { AuditKeys } from './audit-keys.js';

/** The previous hash of a chain's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AccessLogInput {
  residentId: string;
  staffId: string;
  centerId: string;
  authorizationId: string | null;
  basis: AccessBasis;
  action: string;
}

export interface ChainedFields extends AccessLogInput {
  chainSeq: number;
  createdAt: Date;
  prevHash: string;
}

/** What the keyed hash covers: every field of the entry, its place in the resident's chain, and the previous hash. */
export function canonicalEntry(entry: ChainedFields): string {
  return [
    'shanwei-access-log-entry',
    'v2',
    entry.residentId,
    String(entry.chainSeq),
    entry.staffId,
    entry.centerId,
    entry.authorizationId ?? '',
    entry.basis,
    entry.action,
    entry.createdAt.toISOString(),
    entry.prevHash,
  ].join('|');
}

export function entryHash(keys: AuditKeys, entry: ChainedFields): string {
  return keys.hmacHex(canonicalEntry(entry));
}

/**
 * Appends one entry to the resident's own chain, inside the caller's
 * transaction (the staff action it records commits with it or not at all).
 * Only that resident's chain head is locked, so staff serving different
 * residents never wait on each other.
 */
export async function appendAccessLog(
  tx: Prisma.TransactionClient,
  keys: AuditKeys,
  input: AccessLogInput,
  now: Date,
): Promise<{ seq: bigint; chainSeq: number }> {
  // Creates the head on the resident's first entry, and locks it either way until the transaction ends.
  const [head] = await tx.$queryRaw<{ lastSeq: number; lastHash: string }[]>`
    INSERT INTO "AccessLogChain" ("residentId", "lastSeq", "lastHash", "checkpointedSeq", "updatedAt")
    VALUES (${input.residentId}::uuid, 0, ${GENESIS_HASH}, 0, ${now})
    ON CONFLICT ("residentId") DO UPDATE SET "updatedAt" = EXCLUDED."updatedAt"
    RETURNING "lastSeq", "lastHash"`;
  if (!head) throw new Error('Access log chain head missing');
  const fields: ChainedFields = { ...input, chainSeq: head.lastSeq + 1, createdAt: now, prevHash: head.lastHash };
  const hash = entryHash(keys, fields);
  // The entry and the head's move in one statement: one round trip fewer for every staff action.
  const [entry] = await tx.$queryRaw<{ seq: bigint }[]>`
    WITH entry AS (
      INSERT INTO "AccessLogEntry" ("residentId", "chainSeq", "staffId", "centerId", "authorizationId", "basis", "action", "createdAt", "prevHash", "hash")
      VALUES (${fields.residentId}::uuid, ${fields.chainSeq}, ${fields.staffId}::uuid, ${fields.centerId}::uuid, ${fields.authorizationId}::uuid,
              ${fields.basis}::"AccessBasis", ${fields.action}, ${fields.createdAt}, ${fields.prevHash}, ${hash})
      RETURNING "seq"
    ), head AS (
      UPDATE "AccessLogChain" SET "lastSeq" = ${fields.chainSeq}, "lastHash" = ${hash} WHERE "residentId" = ${fields.residentId}::uuid
    )
    SELECT "seq" FROM entry`;
  if (!entry) throw new Error('Access log entry not written');
  return { seq: BigInt(entry.seq), chainSeq: fields.chainSeq };
}
