import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../apps/gateway/src/config';
import { createGateway } from '../../apps/gateway/src/gateway';
import { publishAll } from '../../scripts/static-site';
import { E2E_DATA_DIR, PEOPLE, PORT } from './people';

/**
 * Starts the real portal for the browser tests: a fresh data directory,
 * the current builds published into it, embedded PGlite (or the PostgreSQL
 * server in E2E_DATABASE_URL, into a fresh database), demo data plus the
 * tests' own residents, one gateway on one port.
 */

async function main() {
  fs.rmSync(E2E_DATA_DIR, { recursive: true, force: true });
  fs.mkdirSync(E2E_DATA_DIR, { recursive: true });
  const staticDir = path.join(E2E_DATA_DIR, 'www');
  publishAll(staticDir);
  const config = loadConfig({
    ...process.env,
    PORT: String(PORT),
    HOST: '127.0.0.1',
    PORTAL_DEMO: 'true',
    PORTAL_DATA_DIR: E2E_DATA_DIR,
    PORTAL_SEED_RESIDENTS: '40',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    DATABASE_URL: process.env.E2E_DATABASE_URL,
  });
  const gateway = await createGateway(config, { extraResidents: Object.values(PEOPLE) });
  const url = await gateway.server.start();
  console.log(`e2e portal at ${url} (static files in ${staticDir})`);
  const stop = () => void gateway.shutdown().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
