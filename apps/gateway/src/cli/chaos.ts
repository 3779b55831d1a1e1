/**
 * `npm run chaos [-- --short]`: faults against a running portal,
 * and a check that no acknowledged write was lost.
 *
 * It starts a throw-away PostgreSQL cluster of its own (never the machine's
 * server), two gateway processes on it (`node apps/gateway/dist/main.js`, the
 * first migrates and seeds the demo city), and a bounded load of virtual users
 * writing through a small load balancer that follows /readyz. While the load
 * runs it restarts PostgreSQL (`pg_ctl restart -m fast`), kills the postmaster
 * with SIGKILL and starts it again (crash recovery), and sends SIGTERM to one
 * gateway. Then it checks every acknowledged write in the database and prints
 * one table row per phase.
 *
 * Exit code 0: every acknowledged write is there, the books balance, /readyz
 * came back on every gateway within the bound, the SIGTERM'd gateway exited
 * within its deadline, no gateway crashed and no call answered 500. 1: one of
 * these failed. 2: it could not run (no PostgreSQL binaries, no build).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DEMO_ELDERS, DEMO_HOUSEHOLD_MEMBERS, DEMO_RESIDENTS } from '../seed/demo-accounts.js';
import { MissingPostgresError, ThrowawayCluster, findPostgresBinaries, freePort } from './chaos/cluster.js';
import { GATEWAY_MAIN, GatewayProcess, LoadBalancer, probeReady } from './chaos/gateways.js';
import { emptyCounts, VirtualUser, type Ledger, type PhaseCounts, type Recorder, type UserSpec } from './chaos/load.js';
import { findInconsistencies, verifyAcknowledged } from './chaos/verify.js';

interface Plan {
  label: string;
  users: UserSpec[];
  seedResidents: number;
  /** Seconds of load in each phase after its fault (the database back, or the gateway gone). */
  warmUpSeconds: number;
  afterFaultSeconds: number;
  /** How long the postmaster stays dead after kill -9. */
  deadSeconds: number;
}

/** The gateways' shutdown deadline (SHUTDOWN_DEADLINE_SECONDS) and how much later the process must be gone. */
const SHUTDOWN_DEADLINE_SECONDS = 10;
const EXIT_MARGIN_SECONDS = 3;
/** /readyz must answer 200 again within this long after the database is back. */
const READY_BOUND_SECONDS = 30;
/** After the load stops, writes already started get this long to be acknowledged. */
const SETTLE_SECONDS = 20;
/** The load is bounded in time (the phases) and in count. */
const MAX_REQUESTS = 200_000;

const elder = (name: string) => {
  const person = [...DEMO_RESIDENTS, ...DEMO_ELDERS, ...DEMO_HOUSEHOLD_MEMBERS].find(
    (resident) => resident.name === name,
  );
  if (!person) throw new Error(`no demo resident ${name}`);
  return person.idNumber;
};

function planFor(short: boolean): Plan {
  const bookers: UserSpec[] = [
    { name: '陈秀英', idNumber: elder('陈秀英'), kind: 'booker' },
    { name: '陈建华 (for 陈秀英)', idNumber: elder('陈建华'), kind: 'booker', asDelegate: true },
    { name: '黄国平', idNumber: elder('黄国平'), kind: 'booker' },
    { name: '许桂兰', idNumber: elder('许桂兰'), kind: 'booker' },
  ];
  const preferences: UserSpec[] = ['林志强', '黄丽华', '张伟', '陈美玲', '黄晓燕', '彭玉珍'].map((name) => ({
    name,
    idNumber: elder(name),
    kind: 'preference',
  }));
  return short
    ? {
        label: 'short',
        users: [...bookers, ...preferences.slice(0, 2)],
        seedResidents: 30,
        warmUpSeconds: 3,
        afterFaultSeconds: 3,
        deadSeconds: 1,
      }
    : {
        label: 'full',
        users: [...bookers, ...preferences],
        seedResidents: 200,
        warmUpSeconds: 10,
        afterFaultSeconds: 10,
        deadSeconds: 3,
      };
}

interface PhaseRow {
  name: string;
  counts: PhaseCounts;
  seconds: number;
  /** Seconds the database was away (restart, or kill until started again); undefined: no database fault. */
  databaseDownSeconds: number | undefined;
  /** Per gateway: seconds from the fault until /readyz answered 200 again (null: never within the bound; undefined: not measured). */
  readyBack: (number | null | undefined)[];
  /** Writes acknowledged in this phase that the database does not show. */
  missing: number;
  /** A gateway sent SIGTERM in this phase: its exit code and seconds to exit. */
  exit?: string;
}

const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const now = () => performance.now();
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Polls /readyz until 200: seconds since `since`, or null once `boundSeconds` have passed. */
async function secondsUntilReady(gateway: GatewayProcess, since: number, boundSeconds: number): Promise<number | null> {
  const until = now() + boundSeconds * 1000;
  while (now() < until) {
    if (!gateway.alive) return null;
    if (await probeReady(gateway.url, 500)) return (now() - since) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

function table(rows: PhaseRow[], gatewayNames: string[]): string {
  const fmt = (value: number | null | undefined) =>
    value === undefined ? '-' : value === null ? 'never' : `${value.toFixed(1)} s`;
  const failed = (counts: PhaseCounts) => counts.unavailable + counts.serverError + counts.network;
  const header = [
    'phase',
    'seconds',
    'requests',
    'failed',
    '503',
    '5xx',
    'no answer',
    '4xx',
    'acked writes',
    'acked missing',
    'db away',
    `/readyz back (${gatewayNames.join(' / ')})`,
    'gateway exit',
  ];
  const cells = (row: PhaseRow) =>
    [
      row.name,
      row.seconds.toFixed(1),
      row.counts.requests,
      failed(row.counts),
      row.counts.unavailable,
      row.counts.serverError,
      row.counts.network,
      row.counts.refused,
      row.counts.acknowledged,
      row.missing,
      fmt(row.databaseDownSeconds),
      row.readyBack.map(fmt).join(' / '),
      row.exit ?? '-',
    ].map(String);
  const total: PhaseRow = {
    name: 'total',
    counts: emptyCounts(),
    seconds: rows.reduce((sum, row) => sum + row.seconds, 0),
    databaseDownSeconds: undefined,
    readyBack: [],
    missing: rows.reduce((sum, row) => sum + row.missing, 0),
  };
  for (const row of rows)
    for (const key of Object.keys(total.counts) as (keyof PhaseCounts)[]) total.counts[key] += row.counts[key];
  const body = rows.map(cells);
  const last = cells(total).map((cell, column) => (column >= 10 ? '' : cell));
  const widths = header.map((title, column) =>
    Math.max(title.length, ...[...body, last].map((line) => line[column]!.length)),
  );
  const leftAligned = new Set([0, 11, 12]);
  const render = (line: string[]) =>
    line
      .map((cell, column) => (leftAligned.has(column) ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  const rule = render(widths.map((width) => '-'.repeat(width)));
  return [render(header), rule, ...body.map(render), rule, render(last)].join('\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    say(
      [
        'Usage: npm run chaos [-- --short] [-- --keep] [-- --unsafe-commits]',
        '  --short           fewer users and shorter phases (what CI runs)',
        '  --keep            keep the temporary folder (cluster, gateway logs) for a look afterwards',
        '  --unsafe-commits  run PostgreSQL with synchronous_commit=off: the kill -9 then loses acknowledged',
        '                    writes, and the run must fail (a check of the check)',
      ].join('\n'),
    );
    return 0;
  }
  const unknown = args.filter((arg) => !['--short', '--keep', '--unsafe-commits'].includes(arg));
  if (unknown.length) {
    console.error(`Unknown option ${unknown.join(' ')} (try --help)`);
    return 2;
  }
  const plan = planFor(args.includes('--short'));
  const keep = args.includes('--keep');

  let binaries: { binDir: string; version: string };
  try {
    binaries = findPostgresBinaries();
  } catch (error) {
    if (error instanceof MissingPostgresError) {
      console.error(`✖ Chaos run not possible: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (!fs.existsSync(GATEWAY_MAIN)) {
    console.error(
      `✖ Chaos run not possible: ${GATEWAY_MAIN} is missing. Build first: npm run build (npm run chaos builds by itself).`,
    );
    return 2;
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-chaos-'));
  // Under root the cluster runs as the postgres user, who must be able to pass through to its folder.
  fs.chmodSync(dir, 0o755);
  const clusterDir = path.join(dir, 'postgres');
  fs.mkdirSync(clusterDir);
  let cluster: ThrowawayCluster | null = null;
  const gateways: GatewayProcess[] = [];
  let running = false;
  let cleanedUp = false;
  const cleanup = async () => {
    if (cleanedUp) return;
    cleanedUp = true;
    running = false;
    for (const gateway of gateways) gateway.kill();
    await cluster?.stop();
    if (keep) say(`Kept ${dir} (server log, gateway logs, data directory).`);
    else fs.rmSync(dir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`\n${signal}: stopping the gateways and the throw-away cluster…`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    say(
      `Chaos run (${plan.label}): PostgreSQL ${binaries.version} from ${binaries.binDir}, a throw-away cluster in ${clusterDir}`,
    );
    const unsafeCommits = args.includes('--unsafe-commits');
    if (unsafeCommits)
      say(
        '  --unsafe-commits: synchronous_commit=off, acknowledged writes may be lost at the kill -9 (this run should fail)',
      );
    cluster = await ThrowawayCluster.create(clusterDir, { unsafeCommits });
    await cluster.start();
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE portal');
    await admin.end();
    say(`  cluster on 127.0.0.1:${cluster.port}`);

    const keptEnv = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !/^(PORTAL_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$|SHUTDOWN_|PG)/.test(name),
      ),
    ) as Record<string, string>;
    for (const index of [1, 2]) {
      const gateway = new GatewayProcess(
        `gateway ${index}`,
        await freePort(),
        {
          ...keptEnv,
          DATABASE_URL: cluster.url,
          PORTAL_DEMO: 'true',
          PORTAL_SEED_RESIDENTS: String(plan.seedResidents),
          PORTAL_DATA_DIR: path.join(dir, `gateway-${index}`),
          PORTAL_DOCUMENTS_DIR: path.join(dir, 'documents'),
          LOG_LEVEL: 'info',
          SHUTDOWN_DEADLINE_SECONDS: String(SHUTDOWN_DEADLINE_SECONDS),
        },
        path.join(dir, `gateway-${index}.log`),
      );
      gateways.push(gateway);
      // One after the other: the first migrates and seeds, the second finds it done.
      gateway.start();
      await gateway.waitReady(index === 1 ? 300_000 : 60_000);
      say(`  ${gateway.name} ready on ${gateway.url} (pid ${gateway.pid})`);
    }
    const verifyClient = new pg.Client({ connectionString: cluster.url });
    await verifyClient.connect();
    const inconsistentBefore = await findInconsistencies(verifyClient);
    await verifyClient.end();

    const balancer = new LoadBalancer(gateways);
    balancer.startPolling();
    const rows: PhaseRow[] = [];
    const newPhase = (name: string): PhaseRow => ({
      name,
      counts: emptyCounts(),
      seconds: 0,
      databaseDownSeconds: undefined,
      readyBack: gateways.map(() => undefined),
      missing: 0,
    });
    let phase = newPhase('sign-in');
    let phaseStarted = now();
    const recorder: Recorder = { current: () => phase.counts, phaseName: () => phase.name, notes: new Map() };
    const beginPhase = (name: string) => {
      phase.seconds = (now() - phaseStarted) / 1000;
      rows.push(phase);
      phase = newPhase(name);
      phaseStarted = now();
      say(`  ${name}…`);
    };
    const ledger: Ledger = { bookings: [], cancellations: [], elderMode: new Map(), elderModeSwitches: 0 };
    let settleUntil = Number.POSITIVE_INFINITY;
    const requestsSoFar = () => rows.reduce((sum, row) => sum + row.counts.requests, phase.counts.requests);
    const loadRuns = () => running && requestsSoFar() < MAX_REQUESTS;
    const users = plan.users.map(
      (spec) => new VirtualUser(spec, balancer, recorder, ledger, loadRuns, () => settleUntil),
    );
    say(
      `  ${users.length} virtual users sign in (${users.filter((user) => user.spec.kind === 'booker').length} book and cancel meals, the others switch elder mode)`,
    );
    await Promise.all(users.map((user) => user.signIn()));

    running = true;
    const load = Promise.all(users.map((user) => user.run()));
    beginPhase('warm-up');
    await sleep(plan.warmUpSeconds);

    const failures: string[] = [];
    /** After a database fault: how long until each gateway is ready again, then more load. */
    const recover = async (faultAt: number) => {
      phase.databaseDownSeconds = (now() - faultAt) / 1000;
      phase.readyBack = await Promise.all(
        gateways.map((gateway) =>
          gateway.alive ? secondsUntilReady(gateway, faultAt, READY_BOUND_SECONDS) : Promise.resolve(undefined),
        ),
      );
      phase.readyBack.forEach((seconds, index) => {
        if (seconds === null)
          failures.push(
            `${gateways[index]!.name}: /readyz did not answer 200 within ${READY_BOUND_SECONDS} s after the database was back`,
          );
      });
      await sleep(plan.afterFaultSeconds);
    };

    beginPhase('pg_ctl restart -m fast');
    let faultAt = now();
    await cluster.restartFast();
    await recover(faultAt);

    beginPhase('kill -9 postmaster');
    faultAt = now();
    cluster.killPostmaster();
    await sleep(plan.deadSeconds);
    await cluster.startAfterCrash();
    await recover(faultAt);

    const victim = gateways[1]!;
    beginPhase(`SIGTERM ${victim.name}`);
    const terminated = await victim.terminate((SHUTDOWN_DEADLINE_SECONDS + EXIT_MARGIN_SECONDS) * 1000);
    if (!terminated)
      failures.push(
        `${victim.name} did not exit within ${SHUTDOWN_DEADLINE_SECONDS + EXIT_MARGIN_SECONDS} s of SIGTERM (deadline ${SHUTDOWN_DEADLINE_SECONDS} s)`,
      );
    else if (terminated.exit.code !== 0 && terminated.exit.code !== 3)
      failures.push(`${victim.name} exited with code ${terminated.exit.code ?? terminated.exit.signal} after SIGTERM`);
    phase.exit = terminated
      ? `${victim.name.replace('gateway ', 'g')}: ${terminated.exit.code ?? terminated.exit.signal} after ${terminated.seconds.toFixed(1)} s`
      : 'not in time';
    await sleep(plan.afterFaultSeconds);

    beginPhase('settling');
    running = false;
    settleUntil = Date.now() + SETTLE_SECONDS * 1000;
    await load;
    balancer.stopPolling();
    const survivor = gateways[0]!;
    beginPhase(`SIGTERM ${survivor.name} (at the end)`);
    const finalStop = survivor.alive
      ? await survivor.terminate((SHUTDOWN_DEADLINE_SECONDS + EXIT_MARGIN_SECONDS) * 1000)
      : null;
    phase.exit = !survivor.stopping
      ? 'gone before'
      : finalStop
        ? `${survivor.name.replace('gateway ', 'g')}: ${finalStop.exit.code ?? finalStop.exit.signal} after ${finalStop.seconds.toFixed(1)} s`
        : 'not in time';
    beginPhase('done');

    for (const gateway of gateways) {
      if (gateway.exit && !gateway.stopping)
        failures.push(
          `${gateway.name} crashed (exit ${gateway.exit.code ?? gateway.exit.signal}):\n${gateway.logTail(12)}`,
        );
    }
    const verification = await verifyAcknowledged(cluster.url, ledger, inconsistentBefore);
    for (const { phase: name } of verification.missing) {
      const row = rows.find((candidate) => candidate.name === name);
      if (row) row.missing += 1;
    }

    // ----------------------------------------------------------- the report
    say('');
    say(
      table(
        rows,
        gateways.map((gateway) => gateway.name.replace('gateway ', 'g')),
      ),
    );
    say('');
    const acknowledged = ledger.bookings.length + ledger.cancellations.length + ledger.elderModeSwitches;
    say(
      `Acknowledged writes: ${acknowledged} (bookings ${ledger.bookings.length}, cancellations ${ledger.cancellations.length}, elder-mode switches ${ledger.elderModeSwitches}); ` +
        `checked in the database: every booking and cancellation, and the last elder mode of ${verification.checked.elderModeUsers} users.`,
    );
    say(`Acknowledged writes missing: ${verification.missing.length}`);
    for (const { phase: name, line } of verification.missing.slice(0, 20)) say(`  ✖ ${name}: ${line}`);
    say(
      `Consistency (subsidy balance = ledger sum, slot places = live orders): ${verification.inconsistencies.length ? `${verification.inconsistencies.length} broken` : 'ok'}`,
    );
    for (const line of verification.inconsistencies.slice(0, 20)) say(`  ✖ ${line}`);
    if (terminated)
      say(
        `${victim.name} after SIGTERM under load: exit code ${terminated.exit.code ?? terminated.exit.signal} after ${terminated.seconds.toFixed(1)} s (deadline ${SHUTDOWN_DEADLINE_SECONDS} s).`,
      );
    for (const gateway of gateways) {
      const summary = gateway.logSummary();
      say(
        `${gateway.name} log: ${summary.outageWarnings} outage warnings, ${summary.connectionsLost} lost idle connections replaced, ${summary.internalErrors.length} internal errors`,
      );
      for (const line of [...new Set(summary.internalErrors)].slice(0, 5)) say(`  ${line}`);
    }
    if (recorder.notes.size) {
      say('Answers other than 2xx and 503:');
      for (const [note, count] of [...recorder.notes].sort((a, b) => b[1] - a[1]).slice(0, 10))
        say(`  ${String(count).padStart(5)} × ${note}`);
    }

    if (verification.missing.length) failures.push(`${verification.missing.length} acknowledged writes missing`);
    if (verification.inconsistencies.length)
      failures.push(`${verification.inconsistencies.length} consistency checks broken`);
    const serverErrors = rows.reduce((sum, row) => sum + row.counts.serverError, 0);
    if (serverErrors)
      failures.push(`${serverErrors} calls answered 5xx other than 503 (a database fault must answer 503)`);
    if (finalStop === null && survivor.stopping)
      failures.push(`${survivor.name} did not exit after SIGTERM at the end`);
    say('');
    if (failures.length) {
      for (const failure of failures) say(`✖ ${failure}`);
      say(`\nServer log (last lines):\n${cluster.logTail()}`);
      return 1;
    }
    say(
      "✔ Chaos run passed: no acknowledged write lost, every gateway ready again, the SIGTERM'd gateway exited in time.",
    );
    return 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('✖ Chaos run failed to run:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
