import type { Database } from '../db/database.js';
import type { AuditKeys } from './audit-keys.js';
import { GENESIS_HASH, entryHash } from './chain.js';
import { checkpointSignatureValid, readCheckpointFile, type Checkpoint } from './checkpoints.js';
import { legacyChainProblem } from './legacy.js';

export type ProblemKind =
  /** An entry's keyed hash does not match its fields: changed, or written without the key. */
  | 'hash'
  /** An entry does not point at the one before it in its chain. */
  | 'link'
  /** A position in a chain is missing. */
  | 'gap'
  /** The chain's head does not name its last entry: entries removed from the end, or the head moved. */
  | 'head'
  /** A checkpoint's signature is not the gateway's. */
  | 'checkpoint-signature'
  /** A signed checkpoint names an entry the chain no longer has, or with another hash. */
  | 'checkpoint'
  /** A checkpoint in the file is not in the table (removed from it), or a line of the file is not a checkpoint. */
  | 'checkpoint-file'
  /** Entries from before per-resident chains whose old chain is broken, so they were never sealed. */
  | 'legacy';

export interface Problem {
  kind: ProblemKind;
  residentId: string | null;
  chainSeq: number | null;
}

export interface AccessLogReport {
  ok: boolean;
  entries: number;
  chains: number;
  checkpoints: number;
  fileCheckpoints: number;
  /** File checkpoints of residents this database does not have (another portal's database, or a database made anew). */
  foreignFileCheckpoints: number;
  problems: Problem[];
}

const BATCH = 500;
const MAX_PROBLEMS = 50;

/**
 * Recomputes every chain with the audit key and holds it against its head,
 * every signed checkpoint in the table and every one in the file: a changed,
 * inserted or removed entry, a removed end of a chain, a whole chain removed
 * and recomputed, or a removed checkpoint, each shows as a problem.
 */
export async function verifyAccessLog(
  db: Database,
  keys: AuditKeys,
  options: { checkpointFile?: string | null } = {},
): Promise<AccessLogReport> {
  const report: AccessLogReport = {
    ok: true,
    entries: 0,
    chains: 0,
    checkpoints: 0,
    fileCheckpoints: 0,
    foreignFileCheckpoints: 0,
    problems: [],
  };
  const problem = (kind: ProblemKind, residentId: string | null, chainSeq: number | null) => {
    report.ok = false;
    if (report.problems.length < MAX_PROBLEMS) report.problems.push({ kind, residentId, chainSeq });
  };

  const legacy = await legacyChainProblem(db);
  if (legacy) problem('legacy', null, null);

  // Hashes by resident and position, for the checkpoints of the residents in the current batch.
  const fileCheckpoints = options.checkpointFile
    ? readCheckpointFile(options.checkpointFile)
    : { checkpoints: [], badLines: [] };
  for (const line of fileCheckpoints.badLines) problem('checkpoint-file', null, line);
  const fileByResident = new Map<string, Checkpoint[]>();
  for (const checkpoint of fileCheckpoints.checkpoints) {
    const list = fileByResident.get(checkpoint.residentId) ?? [];
    list.push(checkpoint);
    fileByResident.set(checkpoint.residentId, list);
  }

  // Every resident with a chain head, an entry or a checkpoint, in order: a chain removed with its head still has its checkpoints.
  let after = '00000000-0000-0000-0000-000000000000';
  const seenResidents = new Set<string>();
  for (;;) {
    const residents = (
      await db.prisma.$queryRaw<{ residentId: string }[]>`
        SELECT "residentId" FROM (
          SELECT "residentId" FROM "AccessLogChain" WHERE "residentId" > ${after}::uuid
          UNION SELECT DISTINCT "residentId" FROM "AccessLogEntry" WHERE "residentId" > ${after}::uuid AND "chainSeq" IS NOT NULL
          UNION SELECT DISTINCT "residentId" FROM "AccessLogCheckpoint" WHERE "residentId" > ${after}::uuid
        ) AS r ORDER BY "residentId" LIMIT ${BATCH}`
    ).map((row) => row.residentId);
    if (residents.length === 0) break;
    after = residents.at(-1)!;
    const [heads, entries, checkpoints] = await Promise.all([
      db.prisma.accessLogChain.findMany({
        where: { residentId: { in: residents } },
        select: { residentId: true, lastSeq: true, lastHash: true },
      }),
      db.prisma.accessLogEntry.findMany({
        where: { residentId: { in: residents }, chainSeq: { not: null } },
        orderBy: [{ residentId: 'asc' }, { chainSeq: 'asc' }],
      }),
      db.prisma.accessLogCheckpoint.findMany({
        where: { residentId: { in: residents } },
        select: { residentId: true, chainSeq: true, headHash: true, createdAt: true, keyId: true, signature: true },
      }),
    ]);
    const headOf = new Map(heads.map((head) => [head.residentId, head]));
    const hashes = new Map<string, string>();
    const chainLength = new Map<string, { seq: number; hash: string }>();
    for (const entry of entries) {
      const previous = chainLength.get(entry.residentId) ?? { seq: 0, hash: GENESIS_HASH };
      const chainSeq = entry.chainSeq!;
      report.entries += 1;
      if (chainSeq !== previous.seq + 1) problem('gap', entry.residentId, previous.seq + 1);
      else if (entry.prevHash !== previous.hash) problem('link', entry.residentId, chainSeq);
      if (entryHash(keys, { ...entry, chainSeq }) !== entry.hash) problem('hash', entry.residentId, chainSeq);
      hashes.set(`${entry.residentId}:${chainSeq}`, entry.hash);
      chainLength.set(entry.residentId, { seq: chainSeq, hash: entry.hash });
    }
    for (const residentId of residents) {
      seenResidents.add(residentId);
      const head = headOf.get(residentId);
      const last = chainLength.get(residentId) ?? { seq: 0, hash: GENESIS_HASH };
      if (head) report.chains += 1;
      if (!head ? last.seq > 0 : head.lastSeq !== last.seq || head.lastHash !== last.hash)
        problem('head', residentId, head?.lastSeq ?? last.seq);
    }
    const tableKeys = new Set<string>();
    for (const checkpoint of checkpoints) {
      report.checkpoints += 1;
      tableKeys.add(`${checkpoint.residentId}:${checkpoint.chainSeq}:${checkpoint.headHash}`);
      if (!checkpointSignatureValid(keys, checkpoint))
        problem('checkpoint-signature', checkpoint.residentId, checkpoint.chainSeq);
      else if (hashes.get(`${checkpoint.residentId}:${checkpoint.chainSeq}`) !== checkpoint.headHash)
        problem('checkpoint', checkpoint.residentId, checkpoint.chainSeq);
    }
    for (const residentId of residents) {
      for (const checkpoint of fileByResident.get(residentId) ?? []) {
        report.fileCheckpoints += 1;
        if (!checkpointSignatureValid(keys, checkpoint))
          problem('checkpoint-signature', residentId, checkpoint.chainSeq);
        else if (!tableKeys.has(`${residentId}:${checkpoint.chainSeq}:${checkpoint.headHash}`))
          problem('checkpoint-file', residentId, checkpoint.chainSeq);
        else if (hashes.get(`${residentId}:${checkpoint.chainSeq}`) !== checkpoint.headHash)
          problem('checkpoint', residentId, checkpoint.chainSeq);
      }
    }
    if (residents.length < BATCH) break;
  }

  // File checkpoints of residents with nothing left in the database at all: the whole trace was removed, or the file is another database's.
  const unseen = [...fileByResident.keys()].filter((residentId) => !seenResidents.has(residentId));
  for (let start = 0; start < unseen.length; start += BATCH) {
    const slice = unseen.slice(start, start + BATCH);
    const known = new Set(
      (await db.prisma.resident.findMany({ where: { id: { in: slice } }, select: { id: true } })).map((row) => row.id),
    );
    for (const residentId of slice) {
      for (const checkpoint of fileByResident.get(residentId)!) {
        if (known.has(residentId) && checkpointSignatureValid(keys, checkpoint)) {
          report.fileCheckpoints += 1;
          problem('checkpoint-file', residentId, checkpoint.chainSeq);
        } else {
          report.foreignFileCheckpoints += 1;
        }
      }
    }
  }
  return report;
}
