import { verifyAccessLogChain } from '../access-log/chain.js';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';

/**
 * Recomputes the access log's hash chain: `npm run verify-access-log`.
 * Exits 1 and names the first bad entry when an entry was changed, inserted
 * or removed.
 */
async function main() {
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    const check = await verifyAccessLogChain(db);
    if (check.ok) {
      console.log(`Access log intact: ${check.entries} entries, chain verified.`);
    } else {
      console.error(`Access log TAMPERED: problem "${check.problem}" at entry ${check.seq} (after ${check.entries} good entries).`);
      process.exitCode = 1;
    }
  } finally {
    await db.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
