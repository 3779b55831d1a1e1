/**
 * Allocation for one school with 5,000 approved applicants: the dry run
 * (enrollment.allocation.preview, which computes every lottery number from
 * the round's seed and records the dry run) and the commit
 * (enrollment.allocation.commit, which writes the run, the published list of
 * 5,000 lottery numbers, 5,000 status changes, their history and the
 * families' messages in one transaction), on embedded PGlite and (when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL is set) on PostgreSQL, through the
 * real gateway over HTTP. The baseline is `auth.me` (one session lookup and
 * one row) on the same server in the same run; the reviewer's queue page is
 * shown beside it. Between commits the applications are put back as they were
 * (not timed), so each commit allocates the same 5,000.
 *
 *   npm run bench            (or: pnpm --filter @portal/gateway run bench)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/gateway.js';
import { freshPostgres } from './fresh-postgres.js';
import { SeededRandom } from '../src/seed/random.js';
import { insertApprovedApplicants, type ApplicantSpec } from '../test/support/allocation-fixtures.js';

const APPLICANTS = Number(process.env.BENCH_APPLICANTS ?? 5000);
const PLACES = 300;
const PREVIEW_ROUNDS = Number(process.env.BENCH_PREVIEW_ROUNDS ?? 15);
const COMMIT_ROUNDS = Number(process.env.BENCH_COMMIT_ROUNDS ?? 5);
const BASELINE_ROUNDS = 100;
const PASSWORD = 'Shanwei@2026';
/**
 * Never the start of a real reference (JY2027P- and six characters without 0, 1, I or O), so that
 * the reset between commits touches the benchmark's applicants only: with 'JY2027P-B' a demo
 * application whose reference began with B was put back too and joined the round.
 */
const REFERENCE_PREFIX = 'JY2027P-0B';

interface Sample {
  median: number;
  min: number;
  max: number;
}

async function measure(
  rounds: number,
  warmUp: number,
  request: () => Promise<void>,
  between?: () => Promise<void>,
): Promise<Sample> {
  for (let i = 0; i < warmUp; i += 1) {
    await request();
    await between?.();
  }
  const times: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const started = performance.now();
    await request();
    times.push(performance.now() - started);
    await between?.();
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor((times.length - 1) / 2)]!, min: times[0]!, max: times.at(-1)! };
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
  const gateway = await createGateway(config);
  const url = await gateway.server.start();
  const prisma = gateway.deps.db.prisma;
  try {
    // One primary school with two-thirds of its district's families choosing it first: 5,000 approved applicants in a realistic mix.
    const district = await prisma.schoolDistrict.findUniqueOrThrow({
      where: { code: 'XQ441502P1' },
      select: { id: true, schools: { orderBy: { code: 'asc' }, select: { id: true } } },
    });
    const [school, nextSchool] = district.schools as [{ id: string }, { id: string }];
    const window = await prisma.enrollmentWindow.findFirstOrThrow({
      where: { year: 2027, level: 'PRIMARY' },
      select: { id: true },
    });
    await prisma.schoolCapacity.update({
      where: { schoolId_year_grade: { schoolId: school.id, year: 2027, grade: 1 } },
      data: { places: PLACES },
    });
    const random = new SeededRandom(5000);
    const applicants: ApplicantSpec[] = Array.from({ length: APPLICANTS }, () => {
      const roll = random.next();
      const category = roll < 0.1 ? 'HUKOU_AND_HOME' : roll < 0.5 ? 'HUKOU_ONLY' : 'MIGRANT';
      return {
        category,
        points: category === 'MIGRANT' ? random.int(0, 90) : 0,
        schoolIds: random.chance(0.7) ? [school.id, nextSchool.id] : [school.id],
      };
    });
    await insertApprovedApplicants(gateway.deps.db, {
      windowId: window.id,
      districtId: district.id,
      applicants,
      referencePrefix: REFERENCE_PREFIX,
    });

    // A fresh connection per request: a kept-alive one can be closed by the server while the reset runs.
    const headers = { 'content-type': 'application/json', 'x-portal-request': '1', connection: 'close' };
    const signIn = await fetch(`${url}/trpc/auth.signInStaff`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ json: { staffNumber: 'JY3001', password: PASSWORD } }),
    });
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status}`);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const get = (procedure: string, input: unknown) => async () => {
      const query = encodeURIComponent(JSON.stringify({ json: input }));
      const response = await fetch(`${url}/trpc/${procedure}?input=${query}`, { headers: { ...headers, cookie } });
      if (!response.ok) throw new Error(`${procedure}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    const post = async <T>(procedure: string, input: unknown): Promise<T> => {
      const response = await fetch(`${url}/trpc/${procedure}`, {
        method: 'POST',
        headers: { ...headers, cookie },
        body: JSON.stringify({ json: input }),
      });
      if (!response.ok) throw new Error(`${procedure}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
    };
    const round = { schoolId: school.id, round: 1 };
    // The round's seed is drawn once, when the round is opened (not timed).
    await post('enrollment.allocation.openRound', round);
    let lastDryRun = '';
    const preview = async () => {
      lastDryRun = (await post<{ dryRun: { id: string } }>('enrollment.allocation.preview', round)).dryRun.id;
    };
    let lastCommit: { counts: Record<string, number> } | null = null;
    const commit = async () => {
      lastCommit = await post<{ counts: Record<string, number> }>('enrollment.allocation.commit', {
        ...round,
        dryRunId: lastDryRun,
      });
    };
    // Puts the 5,000 back to APPROVED at their first choice and removes what the commit wrote (the round and its seed stay).
    const reset = async () => {
      await prisma.$executeRawUnsafe(`DELETE FROM "AllocationEntry"`);
      await prisma.$executeRawUnsafe(`DELETE FROM "AllocationRun"`);
      await prisma.$executeRawUnsafe(
        `DELETE FROM "EnrollmentEvent" WHERE "applicationId" IN (SELECT "id" FROM "EnrollmentApplication" WHERE "reference" LIKE '${REFERENCE_PREFIX}%')`,
      );
      await prisma.$executeRawUnsafe(
        `DELETE FROM "Message" WHERE "link" LIKE '/enrollment/applications/%' AND "residentId" IN (SELECT "applicantId" FROM "EnrollmentApplication" WHERE "reference" LIKE '${REFERENCE_PREFIX}%')`,
      );
      await prisma.$executeRawUnsafe(
        `UPDATE "EnrollmentApplication" SET "status" = 'APPROVED', "currentPreference" = 1, "offerSchoolId" = NULL, "offerRespondBy" = NULL, "version" = 1 WHERE "reference" LIKE '${REFERENCE_PREFIX}%'`,
      );
    };

    const baseline = await measure(BASELINE_ROUNDS, 10, get('auth.me', undefined));
    const queue = await measure(BASELINE_ROUNDS, 10, get('enrollment.review.queue', {}));
    const previewed = await measure(PREVIEW_ROUNDS, 2, preview);
    // Each commit confirms the last dry run; after a reset the same inputs and seed give the same outcome.
    const committed = await measure(COMMIT_ROUNDS, 1, commit, reset);
    return { label, baseline, queue, preview: previewed, committed, counts: lastCommit!.counts };
  } finally {
    await gateway.shutdown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const ms = (value: number) => `${value.toFixed(1).padStart(8)} ms`;

async function main() {
  const results = [await benchTarget('PGlite (embedded, file)', {})];
  const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (postgresUrl) {
    const database = await freshPostgres(postgresUrl, `portal_bench_alloc_${process.pid}`);
    try {
      results.push(await benchTarget('PostgreSQL 127.0.0.1', { DATABASE_URL: database.url }));
    } finally {
      await database.drop();
    }
  } else {
    console.log('PostgreSQL not measured: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to include it.');
  }
  const counts = results[0]!.counts;
  console.log(
    `\nenrollment allocation, one school, ${APPLICANTS} approved applicants, ${PLACES} places (offered ${counts.offered}, next preference ${counts.nextPreference}, manual ${counts.manualPlacement}); medians over ${PREVIEW_ROUNDS} previews and ${COMMIT_ROUNDS} commits, HTTP`,
  );
  console.log(
    'target                      auth.me p50   queue p50    preview p50  commit p50     preview/auth.me  commit/auth.me  commit/preview',
  );
  for (const result of results) {
    console.log(
      `${result.label.padEnd(28)}${ms(result.baseline.median)}  ${ms(result.queue.median)}  ${ms(result.preview.median)}  ${ms(result.committed.median)}   ${(result.preview.median / result.baseline.median).toFixed(0).padStart(8)}×  ${(result.committed.median / result.baseline.median).toFixed(0).padStart(12)}×  ${(result.committed.median / result.preview.median).toFixed(1).padStart(12)}×`,
    );
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
