import path from 'node:path';
import { AuditKeys } from './access-log/audit-keys.js';
import { startCheckpointer } from './access-log/checkpoints.js';
import { sealLegacyAccessLog } from './access-log/legacy.js';
import type { PortalConfig } from './config.js';
import { REPO_ROOT } from './config.js';
import type { ServerDeps } from './context.js';
import { openDatabase } from './db/database.js';
import { applyMigrations, readMigrations } from './db/migrate.js';
import { createPortalServer, type PortalServer } from './http/server.js';
import { createLogger } from './logger.js';
import { DataProtector } from './security/data-protector.js';
import { isSeeded, seedDemoData, type KnownResident } from './seed/seed.js';

export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'prisma', 'migrations');

export interface Gateway {
  deps: ServerDeps;
  server: PortalServer;
  /** Stops the HTTP server (letting requests in flight finish), then closes the database. */
  shutdown(): Promise<void>;
}

/** Opens the database, applies migrations, seeds demo data once (demo mode), and builds the server. */
export async function createGateway(config: PortalConfig, options: { extraResidents?: KnownResident[] } = {}): Promise<Gateway> {
  const logger = createLogger(config.logLevel);
  if (config.demo) {
    logger.warn('Demo mode: personal data is encrypted with a fixed development key. Set PORTAL_DATA_KEY for real data.');
  }
  const db = await openDatabase(config.database, { onConnectionLost: (error) => logger.warn({ error: error.message }, 'database connection lost; the pool opens a new one') });
  const applied = await applyMigrations(db.sql, readMigrations(MIGRATIONS_DIR));
  if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
  const deps: ServerDeps = { db, config, protector: new DataProtector(config.dataKey), audit: AuditKeys.fromConfig(config), logger, now: () => new Date() };
  await sealLegacyAccessLog(deps);
  if (config.demo && !(await isSeeded(deps))) {
    logger.info({ residents: config.seedResidents }, 'seeding demo data');
    await seedDemoData(deps, { residents: config.seedResidents, extraResidents: options.extraResidents, enrollmentDemo: true });
  }
  const server = createPortalServer(deps);
  const checkpointer = startCheckpointer(deps, config.accessLogCheckpointMs);
  return {
    deps,
    server,
    async shutdown() {
      try {
        await server.stop();
        // Signs what the last requests appended, before the database closes.
        await checkpointer.stop();
      } finally {
        await db.close();
      }
    },
  };
}
