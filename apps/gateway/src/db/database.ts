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

export interface DatabaseOptions {
  /** Called for every SQL statement Prisma sends: tests count round trips with it. */
  onQuery?: (sql: string) => void;
  /**
   * PostgreSQL only: an idle pooled connection was closed by the server (restart,
   * failover, an administrator). The pool replaces it; without a listener the
   * process would crash.
   */
  onConnectionLost?: (error: Error) => void;
}

interface AdapterFactory {
  connect(): Promise<object>;
}

/**
 * Wraps a driver adapter factory so every statement, in or out of a
 * transaction, is reported to `onQuery` before it runs.
 */
function observed<Factory extends AdapterFactory>(
  factory: Factory,
  onQuery: ((sql: string) => void) | undefined,
): Factory {
  if (!onQuery) return factory;
  const watch = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (property === 'queryRaw' || property === 'executeRaw') {
          return (query: { sql: string }) => {
            onQuery(query.sql);
            return (value as (query: unknown) => unknown).call(object, query);
          };
        }
        if (property === 'startTransaction') {
          return async (...args: unknown[]) =>
            watch((await (value as (...a: unknown[]) => Promise<object>).apply(object, args)) as object);
        }
        return (value as (...a: unknown[]) => unknown).bind(object);
      },
    });
  return new Proxy(factory, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (property === 'connect' || property === 'connectToShadowDb') {
        return async () => watch((await (value as () => Promise<object>).call(object)) as object);
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(object) : value;
    },
  });
}

interface SavepointTransaction {
  executeRaw(query: { sql: string; args: unknown[]; argTypes: unknown[] }): Promise<number>;
  createSavepoint?(name: string): Promise<void>;
  rollbackToSavepoint?(name: string): Promise<void>;
  releaseSavepoint?(name: string): Promise<void>;
}

/**
 * Gives an adapter's transactions savepoints where it has none (the PGlite
 * adapter), so that a transaction inside a transaction works on both
 * databases: staff actions run in one transaction with their access-log
 * entry, and the domain functions they call open transactions of their own.
 */
function withSavepoints<Factory extends AdapterFactory>(factory: Factory): Factory {
  const addSavepoints = (transaction: SavepointTransaction): SavepointTransaction => {
    const run = (sql: string) => transaction.executeRaw({ sql, args: [], argTypes: [] }).then(() => undefined);
    transaction.createSavepoint ??= (name) => run(`SAVEPOINT ${name}`);
    transaction.rollbackToSavepoint ??= (name) => run(`ROLLBACK TO SAVEPOINT ${name}`);
    transaction.releaseSavepoint ??= (name) => run(`RELEASE SAVEPOINT ${name}`);
    return transaction;
  };
  return new Proxy(factory, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (property !== 'connect')
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(object) : value;
      return async () => {
        const adapter = await (
          value as () => Promise<{ startTransaction(...args: unknown[]): Promise<SavepointTransaction> }>
        ).call(object);
        const startTransaction = adapter.startTransaction.bind(adapter);
        adapter.startTransaction = async (...args: unknown[]) => addSavepoints(await startTransaction(...args));
        return adapter;
      };
    },
  });
}

/**
 * Opens the embedded PGlite (a directory, or memory when dataDir is null) or a
 * PostgreSQL server. Both speak PostgreSQL, so one schema and one migration
 * history serve both.
 */
export async function openDatabase(target: DatabaseTarget, options: DatabaseOptions = {}): Promise<Database> {
  return target.kind === 'pglite' ? openPglite(target.dataDir, options) : openPostgres(target.url, options);
}

async function openPglite(dataDir: string | null, options: DatabaseOptions): Promise<Database> {
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
  const prisma = new PrismaClient({ adapter: observed(withSavepoints(new PrismaPGlite(client)), options.onQuery) });
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

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  // A server that accepts connections but never answers (a host gone, a network cut) must not hold requests forever:
  // getting a connection gives up after 10 s, and the call answers 503 (see db/outage.ts).
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  pool.on('error', (error) => options.onConnectionLost?.(error));
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
  const prisma = new PrismaClient({ adapter: observed(new PrismaPg(pool), options.onQuery) });
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
