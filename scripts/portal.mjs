#!/usr/bin/env node
// The portal's two commands, runnable on a machine with only Node.js and npm:
//   npm start   install, build, publish, migrate, seed once, serve on one port
//   npm test    install, build, then unit, integration, fault (chaos) and browser tests
// It installs the pinned pnpm into .tools/ first (corepack cannot verify
// current pnpm releases here; see docs/architecture.md). Plain JavaScript,
// because it runs before any dependency is installed.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, '');
const toolsDir = path.join(root, '.tools');
const pnpmBin = path.join(toolsDir, 'node_modules', '.bin', process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm');

function step(message) {
  process.stdout.write(`\n▶ ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    cwd: root,
    ...options,
    env: { ...process.env, ...options.env },
  });
  if (result.status !== 0) {
    console.error(`\n✖ Failed: ${command} ${args.join(' ')}`);
    process.exit(result.status ?? 1);
  }
}

function installedPnpmVersion() {
  if (!fs.existsSync(pnpmBin)) return null;
  try {
    return execFileSync(pnpmBin, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function ensurePnpm() {
  if (installedPnpmVersion() === pnpmVersion) return;
  step(`Installing pnpm ${pnpmVersion} into .tools/`);
  fs.mkdirSync(toolsDir, { recursive: true });
  run('npm', [
    'install',
    '--prefix',
    toolsDir,
    '--no-save',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    `pnpm@${pnpmVersion}`,
  ]);
}

function pnpm(args, options = {}) {
  // Scripts in package.json call pnpm by name: put the pinned one first on PATH.
  const PATH = `${path.dirname(pnpmBin)}${path.delimiter}${process.env.PATH ?? ''}`;
  run(pnpmBin, args, { ...options, env: { ...options.env, PATH } });
}

function installAndBuild() {
  ensurePnpm();
  step('Installing dependencies (pinned by pnpm-lock.yaml)');
  pnpm(['install', '--frozen-lockfile']);
  step('Building the gateway, shared packages, shell and micro-apps (and checking the download budget)');
  pnpm(['run', 'build']);
}

function publishAll(env) {
  step('Publishing the shell, shared libraries and micro-apps');
  pnpm(['exec', 'tsx', 'scripts/deploy.ts', 'all'], { env });
}

const CHROMIUM = '/usr/bin/chromium';
// A small Chinese font, so that the tests' screenshots show Chinese text rather than empty boxes.
const CHINESE_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

function ensureChromium() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = fs.existsSync('/usr/bin/apt-get');
  const needed = [
    ...(process.env.PLAYWRIGHT_CHROMIUM_PATH || fs.existsSync(CHROMIUM) ? [] : ['chromium']),
    ...(fs.existsSync(CHINESE_FONT) ? [] : ['fonts-wqy-microhei']),
  ];
  if (needed.length === 0) return;
  if (isRoot && hasApt) {
    step(`Installing Debian's ${needed.join(' and ')} for the browser tests`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', ...needed], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
    return;
  }
  if (!needed.includes('chromium')) {
    console.warn(
      '\n! No Chinese font found: screenshots will show boxes for Chinese text (apt-get install -y fonts-wqy-microhei).',
    );
    return;
  }
  console.error(
    `\n✖ The browser tests need Chromium at ${CHROMIUM}.\n` +
      "  Install Debian's package as root: apt-get install -y chromium\n" +
      '  or point PLAYWRIGHT_CHROMIUM_PATH at a Chromium binary.',
  );
  process.exit(1);
}

function start() {
  installAndBuild();
  const env = { PORTAL_DEMO: process.env.PORTAL_DEMO ?? (process.env.PORTAL_DATA_KEY ? 'false' : 'true') };
  publishAll(env);
  step('Starting the portal');
  const child = spawn(process.execPath, ['apps/gateway/dist/main.js'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** PostgreSQL's server programs, which the chaos run needs for a throw-away cluster of its own (see apps/gateway/src/cli/chaos/cluster.ts). */
function postgresBinariesPresent() {
  const wanted = ['initdb', 'pg_ctl', 'postgres'];
  const dirs = process.env.CHAOS_PG_BIN ? [process.env.CHAOS_PG_BIN] : [];
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) for (const version of fs.readdirSync(root)) dirs.push(path.join(root, version, 'bin'));
  return dirs.some((dir) => wanted.every((name) => fs.existsSync(path.join(dir, name))));
}

/** The fault tests: a throw-away PostgreSQL cluster, two gateways, load, restarts, kill -9 and SIGTERM (apps/gateway/src/cli/chaos.ts). */
function chaos(args) {
  run(process.execPath, ['apps/gateway/dist/cli/chaos.js', ...args]);
}

function test() {
  const started = Date.now();
  installAndBuild();
  ensureChromium();
  step('Type-checking every package');
  pnpm(['run', 'typecheck']);
  step('Lint and format (ESLint, Prettier; `pnpm run format` fixes what it can)');
  pnpm(['run', 'lint']);
  step('Unit and integration tests (Vitest)');
  if (!process.env.TEST_DATABASE_URL) {
    console.log(
      '  Note: TEST_DATABASE_URL is not set, so the gateway tests run on embedded PGlite only.\n' +
        '  Set TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres to run them on PostgreSQL too.',
    );
  }
  pnpm(['run', 'test:unit']);
  step('Fault tests (npm run chaos -- --short): PostgreSQL restarted and killed, a gateway stopped, under load');
  if (process.env.TEST_DATABASE_URL || postgresBinariesPresent()) {
    chaos(['--short']);
  } else {
    console.log(
      "  Skipped: TEST_DATABASE_URL is not set and PostgreSQL's server programs (initdb, pg_ctl, postgres in /usr/lib/postgresql/<version>/bin)\n" +
        '  are not installed. The chaos run starts a throw-away cluster of its own with them: apt-get install -y postgresql.',
    );
  }
  step('Browser tests (Playwright, Chromium)');
  pnpm(['run', 'test:e2e']);
  console.log(`\n✔ All tests passed in ${Math.round((Date.now() - started) / 1000)} s`);
}

function deployApp(name) {
  if (!name) {
    console.error('Usage: npm run deploy:app -- <app>   (e.g. card)');
    process.exit(2);
  }
  ensurePnpm();
  pnpm(['install', '--frozen-lockfile']);
  step(`Building ${name}`);
  pnpm(['--filter', `@portal/${name}`, 'run', 'build']);
  step(`Publishing ${name}`);
  pnpm(['exec', 'tsx', 'scripts/deploy.ts', 'app', name]);
}

/** Runs one of the gateway's command-line tools (apps/gateway/src/cli) with the portal's configuration. */
function gatewayTool(name, args) {
  if (!fs.existsSync(path.join(root, 'apps/gateway/dist/cli', `${name}.js`))) installAndBuild();
  const env = { PORTAL_DEMO: process.env.PORTAL_DEMO ?? (process.env.PORTAL_DATA_KEY ? 'false' : 'true') };
  run(process.execPath, [`apps/gateway/dist/cli/${name}.js`, ...args], { env });
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'start') start();
else if (command === 'test') test();
else if (command === 'deploy-app') deployApp(rest[0]);
else if (command === 'seed') gatewayTool('seed', rest);
else if (command === 'verify-access-log') gatewayTool('verify-access-log', rest);
else if (command === 'chaos') {
  installAndBuild();
  step(
    'Chaos run: a throw-away PostgreSQL cluster, two gateways, load, then pg_ctl restart, kill -9 of the postmaster and SIGTERM of a gateway',
  );
  chaos(rest);
} else if (command === 'bench') {
  installAndBuild();
  step(
    'Benchmarks: health timeline and enrollment allocation (PGlite, and PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set)',
  );
  pnpm(['--filter', '@portal/gateway', 'run', 'bench']);
} else {
  console.error(
    'Usage: node scripts/portal.mjs start | test | deploy-app <app> | seed [--residents N] | verify-access-log | bench | chaos [--short] [--keep]',
  );
  process.exit(2);
}
