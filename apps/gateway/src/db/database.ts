import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';

/** Plain SQL access below Prisma: used by the migrator and the readiness probe. */
export interface SqlRunner {
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs `work` on one connection, so session-level locks hold across its statements. */
  withConnection<T>(work: (connection: SqlRunner) => Promise<T>): Promise<T>;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  prisma: PrismaClient;
  sql: SqlRunner;
  close(): Promise<void>;
}

export type DatabaseTarget = { kind: 'pglite'; dataDir: string | null } | { kind: 'postgres'; url: string };

/**
 * Opens the embedded PGlite (a directory, or memory when dataDir is null) or a
 * PostgreSQL server. Both speak PostgreSQL, so one schema and one migration
 * history serve both.
 */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'pglite' ? openPglite(target.dataDir) : openPostgres(target.url);
}

async function openPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const client = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const sql: SqlRunner = {
    async exec(text) {
      await client.exec(text);
    },
    async query(text, params) {
      const result = await client.query(text, params);
      return result.rows as never[];
    },
    // PGlite is a single connection already.
    withConnection: (work) => work(sql),
  };
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
  return {
    kind: 'pglite',
    prisma,
    sql,
    async close() {
      await prisma.$disconnect();
      await client.close();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const runnerFor = (queryable: pg.Pool | pg.PoolClient): SqlRunner => ({
    async exec(text) {
      await queryable.query(text);
    },
    async query(text, params) {
      const result = await queryable.query(text, params as unknown[]);
      return result.rows;
    },
    async withConnection(work) {
      if (!('release' in queryable)) {
        const client = await pool.connect();
        try {
          return await work(runnerFor(client));
        } finally {
          client.release();
        }
      }
      return work(runnerFor(queryable));
    },
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: 'postgres',
    prisma,
    sql: runnerFor(pool),
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}
