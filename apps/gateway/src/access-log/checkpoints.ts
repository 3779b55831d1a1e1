import fs from 'node:fs';
import path from 'node:path';
import type { ServerDeps } from '../context.js';
import type { AuditKeys } from './audit-keys.js';

/**
 * Signed checkpoints: "resident R's chain had N entries, the last with hash
 * H, at time T". They are kept apart from the log (an append-only table, and
 * a line in a file outside the database) and shown to the resident with
 * their log, so that removing entries from the end of a chain, or a whole
 * chain, no longer goes unnoticed once a checkpoint has covered them.
 */
export interface Checkpoint {
  residentId: string;
  chainSeq: number;
  headHash: string;
  createdAt: Date;
  keyId: string;
  signature: string;
}

export function canonicalCheckpoint(checkpoint: Omit<Checkpoint, 'keyId' | 'signature'>): string {
  return [
    'shanwei-access-log-checkpoint',
    'v1',
    checkpoint.residentId,
    String(checkpoint.chainSeq),
    checkpoint.headHash,
    checkpoint.createdAt.toISOString(),
  ].join('|');
}

export function checkpointSignatureValid(keys: AuditKeys, checkpoint: Checkpoint): boolean {
  return checkpoint.keyId === keys.keyId && keys.verify(canonicalCheckpoint(checkpoint), checkpoint.signature);
}

type CheckpointDeps = Pick<ServerDeps, 'db' | 'audit' | 'now' | 'logger'> & {
  config: Pick<ServerDeps['config'], 'accessLogCheckpointFile'>;
};

/**
 * Signs the head of every chain that grew since its last checkpoint (or of
 * one resident's chain), in one transaction. Chains another gateway is
 * checkpointing right now are skipped (it signs them). The file copy is
 * written after the commit.
 */
export async function writeCheckpoints(
  deps: CheckpointDeps,
  options: { residentId?: string; updatedSince?: Date; limit?: number } = {},
): Promise<Checkpoint[]> {
  const now = deps.now();
  const limit = options.limit ?? 1_000;
  const written = await deps.db.prisma.$transaction(async (tx) => {
    const heads = await tx.$queryRaw<{ residentId: string; lastSeq: number; lastHash: string }[]>`
      SELECT "residentId", "lastSeq", "lastHash" FROM "AccessLogChain"
       WHERE "lastSeq" > "checkpointedSeq"
         AND (${options.residentId ?? null}::uuid IS NULL OR "residentId" = ${options.residentId ?? null}::uuid)
         AND (${options.updatedSince ?? null}::timestamptz IS NULL OR "updatedAt" >= ${options.updatedSince ?? null}::timestamptz)
       ORDER BY "residentId"
       LIMIT ${limit}
       FOR UPDATE SKIP LOCKED`;
    const checkpoints = heads.map((head): Checkpoint => {
      const unsigned = { residentId: head.residentId, chainSeq: head.lastSeq, headHash: head.lastHash, createdAt: now };
      return { ...unsigned, keyId: deps.audit.keyId, signature: deps.audit.sign(canonicalCheckpoint(unsigned)) };
    });
    if (checkpoints.length === 0) return checkpoints;
    await tx.accessLogCheckpoint.createMany({ data: checkpoints });
    for (const checkpoint of checkpoints) {
      await tx.accessLogChain.update({
        where: { residentId: checkpoint.residentId },
        data: { checkpointedSeq: checkpoint.chainSeq },
      });
    }
    return checkpoints;
  });
  if (written.length && deps.config.accessLogCheckpointFile)
    appendToFile(deps, deps.config.accessLogCheckpointFile, written);
  return written;
}

function appendToFile(deps: CheckpointDeps, file: string, checkpoints: Checkpoint[]): void {
  const lines = checkpoints
    .map((checkpoint) => `${JSON.stringify({ ...checkpoint, createdAt: checkpoint.createdAt.toISOString() })}\n`)
    .join('');
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Appending: each process adds lines, none rewrites the file.
    fs.appendFileSync(file, lines, { mode: 0o640 });
  } catch (error) {
    // The table still holds them; the verifier reports checkpoints missing from the file.
    deps.logger.error(
      { err: { message: (error as Error).message } },
      'could not write access-log checkpoints to their file',
    );
  }
}

/** The checkpoints in the file, oldest first; a line that is not a checkpoint is reported, not skipped. */
export function readCheckpointFile(file: string): { checkpoints: Checkpoint[]; badLines: number[] } {
  if (!fs.existsSync(file)) return { checkpoints: [], badLines: [] };
  const checkpoints: Checkpoint[] = [];
  const badLines: number[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (!line.trim()) return;
      try {
        const value = JSON.parse(line) as Record<string, unknown>;
        if (
          typeof value.residentId !== 'string' ||
          typeof value.chainSeq !== 'number' ||
          typeof value.headHash !== 'string' ||
          typeof value.createdAt !== 'string' ||
          typeof value.keyId !== 'string' ||
          typeof value.signature !== 'string'
        ) {
          throw new Error('not a checkpoint');
        }
        checkpoints.push({
          residentId: value.residentId,
          chainSeq: value.chainSeq,
          headHash: value.headHash,
          createdAt: new Date(value.createdAt),
          keyId: value.keyId,
          signature: value.signature,
        });
      } catch {
        badLines.push(index + 1);
      }
    });
  return { checkpoints, badLines };
}

/** The newest checkpoint of one resident's chain. */
export async function latestCheckpoint(deps: Pick<ServerDeps, 'db'>, residentId: string): Promise<Checkpoint | null> {
  return deps.db.prisma.accessLogCheckpoint.findFirst({
    where: { residentId },
    orderBy: [{ chainSeq: 'desc' }, { id: 'desc' }],
    select: { residentId: true, chainSeq: true, headHash: true, createdAt: true, keyId: true, signature: true },
  });
}

/**
 * Checkpoints every chain that grew, every `intervalMs`, in the background.
 * `stop()` waits for a pass in progress and writes a last one, so that a
 * gateway shutting down leaves nothing unsigned behind it.
 */
export function startCheckpointer(deps: CheckpointDeps, intervalMs: number): { stop(): Promise<void> } {
  // The first pass looks at every chain; later ones at chains changed since the pass before (with a margin for clock skew between gateways).
  let since: Date | undefined;
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = running.then(async () => {
      const started = deps.now();
      try {
        for (;;) {
          const batch = await writeCheckpoints(deps, { updatedSince: since });
          if (batch.length < 1_000) break;
        }
        since = new Date(started.getTime() - 60_000);
      } catch (error) {
        deps.logger.warn(
          { err: { message: (error as Error).message } },
          'access-log checkpoint pass failed; the next pass tries again',
        );
      }
    });
    return running;
  };
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pass();
    },
  };
}
