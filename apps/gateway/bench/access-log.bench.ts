/**
 * Access-log appends per second under 16 concurrent staff, on PostgreSQL
 * (BENCH_DATABASE_URL or TEST_DATABASE_URL). Each "staff member" appends
 * entries for residents of their own (a counter serves one resident at a
 * time), as the gateway does for every staff look. The baseline is the same
 * 16 workers each inserting one plain row per transaction into a table of
 * the same width, in the same run, so the ratio holds on a noisy machine.
 *
 *   npm run bench
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendAccessLog } from '../src/access-log/chain.js';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/gateway.js';
import { freshPostgres } from './fresh-postgres.js';

const WORKERS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ACCESS_LOG_ROUNDS ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `work` in WORKERS concurrent loops for SECONDS and returns operations per second. */
async function throughput(work: (worker: number, iteration: number) => Promise<void>): Promise<number> {
  const deadline = performance.now() + SECONDS * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, worker) => {
      for (let iteration = 0; performance.now() < deadline; iteration += 1) {
        await work(worker, iteration);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

async function main() {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    console.log(
      'access-log bench: set BENCH_DATABASE_URL or TEST_DATABASE_URL (a PostgreSQL server) to run it; skipped.',
    );
    return;
  }
  const database = await freshPostgres(serverUrl, 'portal_bench_access_log');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-bench-'));
  const config = loadConfig({
    PORTAL_DEMO: 'true',
    PORT: '0',
    LOG_LEVEL: 'silent',
    PORTAL_DATA_DIR: dataDir,
    PORTAL_SEED_RESIDENTS: String(WORKERS * 4),
    DATABASE_URL: database.url,
  });
  const gateway = await createGateway(config);
  const { db } = gateway.deps;
  try {
    const residents = await db.prisma.resident.findMany({
      select: { id: true },
      take: WORKERS * 4,
      orderBy: { id: 'asc' },
    });
    const staff = await db.prisma.staffMember.findFirstOrThrow({
      where: { role: 'COUNTER' },
      select: { id: true, centerId: true },
    });
    await db.sql.exec(
      `CREATE TABLE IF NOT EXISTS bench_plain (id uuid PRIMARY KEY, "residentId" uuid NOT NULL, action varchar(60) NOT NULL, "createdAt" timestamptz NOT NULL, hash char(64) NOT NULL)`,
    );

    const append = (worker: number, iteration: number) => {
      // Each worker serves four residents in turn, none shared with another worker.
      const resident = residents[(worker * 4 + (iteration % 4)) % residents.length]!;
      // As the gateway appends: in the staff action's transaction.
      return db.prisma.$transaction((tx) =>
        appendAccessLog(
          tx,
          gateway.deps.audit,
          {
            residentId: resident.id,
            staffId: staff.id,
            centerId: staff.centerId,
            authorizationId: null,
            basis: 'IN_PERSON',
            action: 'bench.append',
          },
          new Date(),
        ).then(() => undefined),
      );
    };
    const plainInsert = async (worker: number, iteration: number) => {
      const resident = residents[(worker * 4 + (iteration % 4)) % residents.length]!;
      await db.sql.query(`INSERT INTO bench_plain VALUES ($1, $2, 'bench.append', now(), repeat('0', 64))`, [
        randomUUID(),
        resident.id,
      ]);
    };

    // The same insert inside a Prisma interactive transaction, as the gateway runs every staff action.
    const transactionInsert = (worker: number, iteration: number) =>
      db.prisma.$transaction(async (tx) => {
        const resident = residents[(worker * 4 + (iteration % 4)) % residents.length]!;
        await tx.$executeRaw`INSERT INTO bench_plain VALUES (${randomUUID()}::uuid, ${resident.id}::uuid, 'bench.append', now(), repeat('0', 64))`;
      });

    await throughput(append);
    await throughput(plainInsert);
    const appends: number[] = [];
    const plains: number[] = [];
    const transactions: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // Interleaved, so all three see the same machine.
      plains.push(await throughput(plainInsert));
      transactions.push(await throughput(transactionInsert));
      appends.push(await throughput(append));
    }
    const appendMedian = median(appends);
    const plainMedian = median(plains);
    const transactionMedian = median(transactions);
    console.log(
      `\nAccess-log appends, ${WORKERS} concurrent staff, PostgreSQL, ${ROUNDS} rounds of ${SECONDS} s (medians):`,
    );
    console.log('| what | per second | vs plain insert |');
    console.log('| --- | --- | --- |');
    console.log(`| plain one-row insert (baseline) | ${plainMedian.toFixed(0)} | 1.00× |`);
    console.log(
      `| the same insert in a Prisma transaction | ${transactionMedian.toFixed(0)} | ${(transactionMedian / plainMedian).toFixed(2)}× |`,
    );
    console.log(`| access-log append | ${appendMedian.toFixed(0)} | ${(appendMedian / plainMedian).toFixed(2)}× |`);
  } finally {
    await gateway.shutdown();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
