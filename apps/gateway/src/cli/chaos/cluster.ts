/**
 * A throw-away PostgreSQL cluster for the chaos run: Debian's server binaries,
 * a data directory in a temporary folder, a free port on 127.0.0.1, and
 * nothing shared with the machine's own server. As root it runs as the
 * `postgres` system user (initdb and postgres refuse root).
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Ports never to take: the machine's PostgreSQL and MariaDB. */
const RESERVED_PORTS = new Set([5432, 3306]);

export class MissingPostgresError extends Error {
  override name = 'MissingPostgresError';
}

/** The newest /usr/lib/postgresql/<version>/bin holding initdb, pg_ctl and postgres (or CHAOS_PG_BIN). */
export function findPostgresBinaries(): { binDir: string; version: string } {
  const wanted = ['initdb', 'pg_ctl', 'postgres'];
  const candidates: { binDir: string; version: string }[] = [];
  const root = '/usr/lib/postgresql';
  // CHAOS_PG_BIN, when set, is the only place looked at.
  if (process.env.CHAOS_PG_BIN)
    candidates.push({
      binDir: process.env.CHAOS_PG_BIN,
      version: path.basename(path.dirname(process.env.CHAOS_PG_BIN)),
    });
  else if (fs.existsSync(root)) {
    const versions = fs
      .readdirSync(root)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) candidates.push({ binDir: path.join(root, version, 'bin'), version });
  }
  const found = candidates.find(({ binDir }) => wanted.every((name) => fs.existsSync(path.join(binDir, name))));
  if (!found) {
    throw new MissingPostgresError(
      `PostgreSQL's server binaries (${wanted.join(', ')}) were not found in ${process.env.CHAOS_PG_BIN ?? `${root}/<version>/bin`}.\n` +
        '  The chaos run starts a throw-away PostgreSQL cluster of its own. On Debian: apt-get install -y postgresql\n' +
        '  (or point CHAOS_PG_BIN at a directory with initdb, pg_ctl and postgres).',
    );
  }
  return found;
}

/** A TCP port nothing listens on at 127.0.0.1, never 5432 or 3306. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port: taken } = server.address() as net.AddressInfo;
        server.close(() => resolve(taken));
      });
    });
    if (!RESERVED_PORTS.has(port)) return port;
  }
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export class ThrowawayCluster {
  readonly dataDir: string;
  readonly logFile: string;
  private readonly socketDir: string;

  private constructor(
    private readonly binDir: string,
    readonly version: string,
    readonly dir: string,
    readonly port: number,
    private readonly extraOptions: string[],
  ) {
    this.dataDir = path.join(dir, 'data');
    this.logFile = path.join(dir, 'postgres.log');
    this.socketDir = dir;
  }

  /**
   * initdb in `dir` (which must exist and be empty), owned by the postgres user when running as root.
   * `unsafeCommits`: acknowledge commits before their WAL is written (synchronous_commit=off, a slow WAL
   * writer), so that a kill -9 loses acknowledged writes: shows that the chaos run's check finds them.
   */
  static async create(dir: string, options: { unsafeCommits?: boolean } = {}): Promise<ThrowawayCluster> {
    const { binDir, version } = findPostgresBinaries();
    if (isRoot) {
      try {
        execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
      } catch {
        throw new MissingPostgresError(
          'Running as root, but there is no `postgres` system user to run the throw-away cluster as (initdb and postgres refuse root).',
        );
      }
      execFileSync('chown', ['-R', 'postgres:postgres', dir]);
    }
    const extra = options.unsafeCommits
      ? ['-c synchronous_commit=off', '-c wal_writer_delay=10000', '-c wal_writer_flush_after=0']
      : [];
    const cluster = new ThrowawayCluster(binDir, version, dir, await freePort(), extra);
    await cluster.pg('initdb', [
      '-D',
      cluster.dataDir,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '--no-instructions',
    ]);
    return cluster;
  }

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/portal`;
  }

  get adminUrl(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Runs one of the server's programs (as the postgres user under root), in the cluster's folder. */
  private async pg(program: string, args: string[], timeoutMs = 120_000): Promise<string> {
    const binary = path.join(this.binDir, program);
    const [command, commandArgs] = isRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PG')));
    const { stdout } = await run(command, commandArgs, { cwd: this.dir, env, timeout: timeoutMs });
    return stdout;
  }

  /** The server's options: this port, loopback only, sockets in the cluster's folder; durability as in production (fsync on). */
  private options(): string {
    return [
      `-p ${this.port}`,
      "-c listen_addresses='127.0.0.1'",
      `-c unix_socket_directories='${this.socketDir}'`,
      '-c max_connections=60',
      '-c shared_buffers=32MB',
      ...this.extraOptions,
    ].join(' ');
  }

  async start(): Promise<void> {
    await this.pg('pg_ctl', ['start', '-D', this.dataDir, '-l', this.logFile, '-w', '-t', '60', '-o', this.options()]);
  }

  /** After a kill -9 the old backends may hold shared memory for a moment: try again until the server starts. */
  async startAfterCrash(boundMs = 60_000): Promise<void> {
    const until = Date.now() + boundMs;
    for (;;) {
      try {
        await this.start();
        return;
      } catch (error) {
        if (Date.now() > until) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /** `pg_ctl restart -m fast`: sessions are terminated (57P01), the server stops cleanly and starts again. */
  async restartFast(): Promise<void> {
    // -l here too: without it the new postmaster would write to (and hold open) pg_ctl's output.
    await this.pg('pg_ctl', [
      'restart',
      '-D',
      this.dataDir,
      '-l',
      this.logFile,
      '-m',
      'fast',
      '-w',
      '-t',
      '60',
      '-o',
      this.options(),
    ]);
  }

  /** The postmaster's process id, from this cluster's own postmaster.pid. */
  postmasterPid(): number | null {
    try {
      const pid = Number(fs.readFileSync(path.join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  }

  /** kill -9 of this cluster's postmaster: no shutdown, the backends notice and exit; the next start runs crash recovery. */
  killPostmaster(): number {
    const pid = this.postmasterPid();
    if (!pid) throw new Error('the throw-away cluster has no postmaster to kill');
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  /** Stops the server at once (and kills this cluster's postmaster if that fails). Safe to call more than once. */
  async stop(): Promise<void> {
    if (!fs.existsSync(path.join(this.dataDir, 'postmaster.pid'))) return;
    try {
      await this.pg('pg_ctl', ['stop', '-D', this.dataDir, '-m', 'immediate', '-w', '-t', '20'], 30_000);
    } catch {
      const pid = this.postmasterPid();
      if (pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }

  /** The last lines of the server's log, for a report when something went wrong. */
  logTail(lines = 15): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no server log)';
    }
  }
}
