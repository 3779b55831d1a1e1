import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { applyMigrations, readMigrations } from '../db/migrate.js';
import { MIGRATIONS_DIR } from '../gateway.js';
import { createLogger } from '../logger.js';
import { AuditKeys } from '../access-log/audit-keys.js';
import { DataProtector } from '../security/data-protector.js';
import { isSeeded, seedDemoData } from '../seed/seed.js';

/**
 * Loads the deterministic demo city into an empty database, in batches with
 * a progress bar: `npm run seed -- --residents 1000000` for benchmark data.
 * Uses the same configuration as the gateway (DATABASE_URL or the PGlite
 * data directory) and refuses a database that already has data.
 */
async function main() {
  const { values } = parseArgs({
    options: { residents: { type: 'string', default: '120' }, batch: { type: 'string', default: '1000' } },
  });
  const residents = Number(values.residents);
  const batchSize = Number(values.batch);
  if (!Number.isInteger(residents) || residents < 1 || residents > 5_000_000)
    throw new ConfigError('--residents must be a whole number from 1 to 5,000,000');
  if (!Number.isInteger(batchSize) || batchSize < 10 || batchSize > 10_000)
    throw new ConfigError('--batch must be a whole number from 10 to 10,000');
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    await applyMigrations(db.sql, readMigrations(MIGRATIONS_DIR));
    const deps = {
      db,
      config,
      protector: new DataProtector(config.dataKey),
      audit: AuditKeys.fromConfig(config),
      logger: createLogger('warn'),
      now: () => new Date(),
    };
    if (await isSeeded(deps)) {
      console.error('The database already has data; seed an empty database.');
      process.exitCode = 1;
      return;
    }
    const bar = new SingleBar(
      { format: 'Seeding {bar} {value}/{total} residents · {eta_formatted} left' },
      Presets.shades_classic,
    );
    bar.start(residents, 0);
    await seedDemoData(deps, { residents, batchSize, enrollmentDemo: true, onProgress: (done) => bar.update(done) });
    bar.stop();
    console.log(
      `Seeded ${residents} residents into ${config.database.kind === 'pglite' ? config.database.dataDir : 'PostgreSQL'}.`,
    );
  } finally {
    await db.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
