import path from 'node:path';
import { AuditKeys } from './access-log/audit-keys.js';
import { startCheckpointer } from './access-log/checkpoints.js';
import { sealLegacyAccessLog } from './access-log/legacy.js';
import type { PortalConfig } from './config.js';
import { REPO_ROOT } from './config.js';
import type { ServerDeps } from './context.js';
import { openDatabase } from './db/database.js';
import { applyMigrations, readMigrations } from './db/migrate.js';
import { createPortalServer, type PortalServer, type StopResult } from './http/server.js';
import { createLogger } from './logger.js';
import { DataProtector } from './security/data-protector.js';
import { isSeeded, seedDemoData, type KnownResident } from './seed/seed.js';

export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'prisma', 'migrations');

/** The exit code of a gateway whose shutdown had to close connections with requests still running. */
export const FORCED_SHUTDOWN_EXIT_CODE = 3;

/** How long closing the database may take once the HTTP server has stopped (a request cut at the deadline may still hold a connection). */
const DATABASE_CLOSE_MS = 2_000;

export interface ShutdownResult extends StopResult {
  /** False when the database did not close in time (the process exits anyway). */
  databaseClosed: boolean;
}

export interface Gateway {
  deps: ServerDeps;
  server: PortalServer;
  /** Stops the HTTP server (see PortalServer.stop: in-flight requests get until the deadline), then closes the database. */
  shutdown(): Promise<ShutdownResult>;
}

/** Opens the database, applies migrations, seeds demo data once (demo mode), and builds the server. */
export async function createGateway(
  config: PortalConfig,
  options: { extraResidents?: KnownResident[] } = {},
): Promise<Gateway> {
  const logger = createLogger(config.logLevel);
  if (config.demo) {
    logger.warn(
      'Demo mode: personal data is encrypted with a fixed development key. Set PORTAL_DATA_KEY for real data.',
    );
  }
  const db = await openDatabase(config.database, {
    onConnectionLost: (error) =>
      logger.warn({ error: error.message }, 'database connection lost; the pool opens a new one'),
  });
  const applied = await applyMigrations(db.sql, readMigrations(MIGRATIONS_DIR));
  if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
  const deps: ServerDeps = {
    db,
    config,
    protector: new DataProtector(config.dataKey),
    audit: AuditKeys.fromConfig(config),
    logger,
    now: () => new Date(),
  };
  await sealLegacyAccessLog(deps);
  if (config.demo && !(await isSeeded(deps))) {
    logger.info({ residents: config.seedResidents }, 'seeding demo data');
    await seedDemoData(deps, {
      residents: config.seedResidents,
      extraResidents: options.extraResidents,
      enrollmentDemo: true,
    });
  }
  const server = createPortalServer(deps);
  const checkpointer = startCheckpointer(deps, config.accessLogCheckpointMs);
  return {
    deps,
    server,
    async shutdown() {
      let stopped: StopResult;
      try {
        stopped = await server.stop();
        // Signs what the last requests appended, before the database closes (but never holds the exit up for long).
        await Promise.race([
          checkpointer.stop(),
          new Promise((resolve) => setTimeout(resolve, DATABASE_CLOSE_MS).unref()),
        ]);
      } catch (error) {
        await closeWithin(db, DATABASE_CLOSE_MS, logger);
        throw error;
      }
      return { ...stopped, databaseClosed: await closeWithin(db, DATABASE_CLOSE_MS, logger) };
    },
  };
}

/** Closes the database, giving up (with a log line) after `ms`: shutdown must end even if a connection hangs. */
async function closeWithin(db: ServerDeps['db'], ms: number, logger: ServerDeps['logger']): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const closed = db.close().then(
    () => true,
    (error: unknown) => {
      logger.warn({ error: (error as Error).message }, 'closing the database failed');
      return true;
    },
  );
  const result = await Promise.race([closed, gaveUp]);
  clearTimeout(timer);
  if (!result) logger.warn({ ms }, 'the database did not close in time');
  return result;
}
