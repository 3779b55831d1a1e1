import { AuditKeys } from '../access-log/audit-keys.js';
import { verifyAccessLog } from '../access-log/verify.js';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';

/**
 * Checks the access log: `npm run verify-access-log`. Recomputes every
 * resident's keyed chain and holds it against its head, the signed
 * checkpoints in the database and those in the checkpoint file. Exits 1 and
 * names the problems when an entry was changed, inserted or removed, the end
 * of a chain or a whole chain was removed, or a checkpoint was removed.
 */
async function main() {
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    const keys = AuditKeys.fromConfig(config);
    const report = await verifyAccessLog(db, keys, { checkpointFile: config.accessLogCheckpointFile });
    const summary = `${report.entries} entries in ${report.chains} chains, ${report.checkpoints} signed checkpoints in the database, ${report.fileCheckpoints} in ${config.accessLogCheckpointFile}`;
    if (report.foreignFileCheckpoints)
      console.log(
        `Note: ${report.foreignFileCheckpoints} checkpoints in the file are of residents this database does not have (another database's).`,
      );
    console.log(`Checkpoint signing key ${keys.keyId}: ${keys.publicKeyBase64url()} (Ed25519, base64url)`);
    if (report.ok) {
      console.log(`Access log intact: ${summary}.`);
    } else {
      console.error(`Access log TAMPERED: ${report.problems.length} problem(s) (${summary}):`);
      for (const problem of report.problems) {
        console.error(
          `  ${problem.kind.padEnd(20)} resident ${problem.residentId ?? '-'}  position ${problem.chainSeq ?? '-'}`,
        );
      }
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
