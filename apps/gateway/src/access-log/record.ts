import type { ServerDeps } from '../context.js';
import type { Database } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { appendAccessLog, type AccessLogInput } from './chain.js';

/** Long enough for a staff action's own work (a reviewer reading an application, a booking). */
export const STAFF_ACTION_TRANSACTION = { timeout: 30_000, maxWait: 10_000 } as const;

/**
 * The same database, with every statement inside `tx`. Domain functions that
 * open a transaction of their own get a nested one (a savepoint), so their
 * own rollbacks and retries still work.
 */
export function inTransaction(db: Database, tx: Prisma.TransactionClient): Database {
  // A transaction client lacks only connection management ($connect, $disconnect), which domain code never calls.
  return { ...db, prisma: tx as unknown as Database['prisma'] };
}

/**
 * A staff read recorded on its own: called before the data is returned, so
 * that nothing is shown that the log does not hold.
 */
export async function recordAccess(deps: ServerDeps, input: AccessLogInput): Promise<void> {
  await deps.db.prisma.$transaction((tx) => appendAccessLog(tx, deps.audit, input, deps.now()));
}
