import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SqlRunner } from './database.js';

/**
 * Applies prisma/migrations/<name>/migration.sql in name order and records each
 * in Prisma's own `_prisma_migrations` table (same columns, SHA-256 checksum of
 * the file), so Prisma's CLI recognizes the history wherever its engine runs.
 * Prisma 7 cannot apply migrations through driver adapters, and its native
 * engine is a download this project never makes.
 */

/** Same advisory lock id Prisma's migrate uses, so the two never run at once. */
const MIGRATION_LOCK_ID = 72707369;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(directory: string): MigrationFile[] {
  return fs
    .readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(directory, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Idempotent; safe when several gateway processes start at once. Returns the names applied now. */
export async function applyMigrations(sql: SqlRunner, migrations: MigrationFile[]): Promise<string[]> {
  return sql.withConnection(async (connection) => {
    await connection.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      await connection.exec(`
        CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
          "id" VARCHAR(36) PRIMARY KEY NOT NULL,
          "checksum" VARCHAR(64) NOT NULL,
          "finished_at" TIMESTAMPTZ,
          "migration_name" VARCHAR(255) NOT NULL,
          "logs" TEXT,
          "rolled_back_at" TIMESTAMPTZ,
          "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
          "applied_steps_count" INTEGER NOT NULL DEFAULT 0
        )`);
      const rows = await connection.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
      );
      const applied = new Map(rows.map((row) => [row.migration_name, row]));
      const appliedNow: string[] = [];
      for (const migration of migrations) {
        const existing = applied.get(migration.name);
        if (existing) {
          if (!existing.finished_at) {
            throw new MigrationError(
              `Migration ${migration.name} started earlier and did not finish; repair the database first.`,
            );
          }
          if (existing.checksum !== migration.checksum) {
            throw new MigrationError(`Migration ${migration.name} was changed after it was applied.`);
          }
          continue;
        }
        const id = randomUUID();
        await connection.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())',
          [id, migration.checksum, migration.name],
        );
        await connection.exec(`BEGIN;\n${migration.sql}\nCOMMIT;`).catch(async (error: unknown) => {
          await connection.exec('ROLLBACK').catch(() => undefined);
          await connection.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, String(error)]);
          throw new MigrationError(`Migration ${migration.name} failed: ${String(error)}`);
        });
        await connection.query(
          'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
          [id],
        );
        appliedNow.push(migration.name);
      }
      return appliedNow;
    } finally {
      await connection.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  });
}
