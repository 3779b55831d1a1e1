/**
 * Timeline response time for a resident with 200 encounters, on embedded
 * PGlite and (when BENCH_DATABASE_URL or TEST_DATABASE_URL is set) on
 * PostgreSQL, in one run. Each target serves real HTTP requests from the real
 * gateway; the baseline is `auth.me` (one session lookup and one row) on the
 * same server in the same run, so the ratio holds on a noisy machine.
 *
 *   npm run bench            (or: pnpm --filter @portal/gateway run bench)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeIdNumber } from '@portal/identity';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/gateway.js';
import { freshPostgres } from './fresh-postgres.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const WARM_UP = 30;
const PATIENT = {
  name: '测试二百',
  idNumber: composeIdNumber('441502', '1990-01-15', 777),
  areaCode: '441502',
  phone: null,
  employed: false,
  minimumLiving: false,
  // Under 40, so no yearly exams are added: exactly 200 encounters.
  health: { encounters: 200, chronic: [] },
};
const PASSWORD = 'Shanwei@2026';

interface Sample {
  median: number;
  p95: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(request: () => Promise<void>): Promise<Sample> {
  for (let i = 0; i < WARM_UP; i += 1) await request();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const started = performance.now();
    await request();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p95: percentile(times, 95) };
}

async function benchTarget(label: string, env: Record<string, string | undefined>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-bench-'));
  const config = loadConfig({
    PORTAL_DEMO: 'true',
    PORT: '0',
    LOG_LEVEL: 'silent',
    PORTAL_DATA_DIR: dataDir,
    PORTAL_SEED_RESIDENTS: '30',
    ...env,
  });
  const gateway = await createGateway(config, { extraResidents: [PATIENT] });
  const url = await gateway.server.start();
  try {
    const headers = { 'content-type': 'application/json', 'x-portal-request': '1' };
    const signIn = await fetch(`${url}/trpc/auth.signInResident`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ json: { idNumber: PATIENT.idNumber, password: PASSWORD } }),
    });
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status}`);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const get = (procedure: string, input: unknown) => async () => {
      const query = encodeURIComponent(JSON.stringify({ json: input }));
      const response = await fetch(`${url}/trpc/${procedure}?input=${query}`, { headers: { ...headers, cookie } });
      if (!response.ok) throw new Error(`${procedure}: ${response.status}`);
      await response.arrayBuffer();
    };
    const timelineCheck = await fetch(
      `${url}/trpc/health.timeline?input=${encodeURIComponent(JSON.stringify({ json: { limit: 20 } }))}`,
      { headers: { ...headers, cookie } },
    );
    const body = (await timelineCheck.json()) as { result: { data: { json: { encounters: unknown[] } } } };
    const encounterCount = await gateway.deps.db.prisma.encounter.count({
      where: { resident: { name: PATIENT.name } },
    });
    const baseline = await measure(get('auth.me', undefined));
    const timeline = await measure(get('health.timeline', { limit: 20 }));
    return { label, encounterCount, pageSize: body.result.data.json.encounters.length, baseline, timeline };
  } finally {
    await gateway.shutdown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const results = [await benchTarget('PGlite (embedded, file)', {})];
  const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (postgresUrl) {
    const database = await freshPostgres(postgresUrl, `portal_bench_${process.pid}`);
    try {
      results.push(await benchTarget('PostgreSQL 127.0.0.1', { DATABASE_URL: database.url }));
    } finally {
      await database.drop();
    }
  } else {
    console.log('PostgreSQL not measured: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to include it.');
  }
  console.log(
    `\nhealth.timeline, first page of 20, resident with 200 encounters; ${ROUNDS} sequential HTTP requests after ${WARM_UP} warm-up`,
  );
  console.log(
    'target                      encounters  timeline p50   p95       auth.me p50   p95       ratio of medians',
  );
  for (const result of results) {
    console.log(
      `${result.label.padEnd(28)}${String(result.encounterCount).padStart(10)}  ${result.timeline.median.toFixed(2).padStart(8)} ms ${result.timeline.p95.toFixed(2).padStart(8)} ms   ${result.baseline.median.toFixed(2).padStart(8)} ms ${result.baseline.p95.toFixed(2).padStart(8)} ms   ${(result.timeline.median / result.baseline.median).toFixed(2)}×`,
    );
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
