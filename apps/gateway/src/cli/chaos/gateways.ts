/**
 * Gateway processes for the chaos run (`node apps/gateway/dist/main.js`, each
 * on its own port, one database), and a load balancer's view of them: which
 * ones answer /readyz, polled a few times a second.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { REPO_ROOT } from '../../config.js';

export const GATEWAY_MAIN = path.join(REPO_ROOT, 'apps/gateway/dist/main.js');

export interface GatewayExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/** GET /readyz with a short timeout: 200 means ready, anything else (or no answer) means not. */
export function probeReady(url: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`${url}/readyz`, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

export class GatewayProcess {
  readonly url: string;
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  private child: ChildProcess | null = null;
  exit: GatewayExit | null = null;
  /** Expected to stop (we sent SIGTERM): its exit is not a crash. */
  stopping = false;
  /** The load balancer's view, from the last /readyz probe. */
  ready = false;
  private readonly exited: Promise<GatewayExit>;
  private onExit: (exit: GatewayExit) => void = () => undefined;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    readonly logFile: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.exited = new Promise((resolve) => (this.onExit = resolve));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return this.child !== null && this.exit === null;
  }

  start(): void {
    const log = fs.openSync(this.logFile, 'a');
    this.child = spawn(process.execPath, [GATEWAY_MAIN], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    this.child.on('exit', (code, signal) => {
      this.exit = { code, signal, at: performance.now() };
      this.ready = false;
      this.onExit(this.exit);
    });
  }

  /** Waits until /readyz answers 200; fails if the process ends first or `boundMs` passes. */
  async waitReady(boundMs: number): Promise<void> {
    const until = Date.now() + boundMs;
    while (Date.now() < until) {
      if (this.exit)
        throw new Error(
          `${this.name} exited while starting (code ${this.exit.code ?? this.exit.signal}):\n${this.logTail()}`,
        );
      if (await probeReady(this.url)) {
        this.ready = true;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${this.name} was not ready after ${boundMs / 1000} s:\n${this.logTail()}`);
  }

  /** SIGTERM, then the exit: code and seconds, or null if it did not exit within `boundMs`. */
  async terminate(boundMs: number): Promise<{ exit: GatewayExit; seconds: number } | null> {
    if (!this.child || this.exit) return this.exit ? { exit: this.exit, seconds: 0 } : null;
    this.stopping = true;
    const sentAt = performance.now();
    this.child.kill('SIGTERM');
    const exit = await Promise.race([
      this.exited,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), boundMs)),
    ]);
    return exit ? { exit, seconds: (exit.at - sentAt) / 1000 } : null;
  }

  /** Cleanup: this process only, by its id. */
  kill(): void {
    this.agent.destroy();
    if (this.child && !this.exit) {
      this.stopping = true;
      this.child.kill('SIGKILL');
    }
  }

  logLines(): string[] {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  logTail(lines = 20): string {
    return this.logLines().slice(-lines).join('\n') || '(no output)';
  }

  /** Counts of the log lines that matter after a run: outage warnings, internal errors (with their messages), lost connections. */
  logSummary(): { outageWarnings: number; internalErrors: string[]; connectionsLost: number } {
    const summary = { outageWarnings: 0, internalErrors: [] as string[], connectionsLost: 0 };
    for (const line of this.logLines()) {
      let entry: { msg?: string; level?: number; err?: { message?: string } | string };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if (entry.msg === 'database unavailable: answering 503') summary.outageWarnings += 1;
      else if (entry.msg === 'database connection lost; the pool opens a new one') summary.connectionsLost += 1;
      else if ((entry.level ?? 0) >= 50) {
        const message = typeof entry.err === 'string' ? entry.err : entry.err?.message;
        summary.internalErrors.push(
          `${entry.msg ?? ''}: ${(message ?? '').split('\n').filter(Boolean).slice(-1)[0] ?? ''}`.slice(0, 200),
        );
      }
    }
    return summary;
  }
}

/**
 * The load balancer: polls every gateway's /readyz and sends each request to
 * the next ready one; with none ready, to any still running (so the clients
 * see what a gateway answers while its database is away).
 */
export class LoadBalancer {
  private next = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly gateways: GatewayProcess[]) {}

  startPolling(everyMs = 200): void {
    const poll = async () => {
      await Promise.all(
        this.gateways.map(async (gateway) => (gateway.ready = gateway.alive && (await probeReady(gateway.url, 500)))),
      );
      if (this.timer) this.timer = setTimeout(() => void poll(), everyMs);
    };
    this.timer = setTimeout(() => void poll(), everyMs);
  }

  stopPolling(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  pick(): GatewayProcess {
    const ready = this.gateways.filter((gateway) => gateway.ready);
    const pool = ready.length ? ready : this.gateways.filter((gateway) => gateway.alive && !gateway.stopping);
    const candidates = pool.length ? pool : this.gateways;
    this.next = (this.next + 1) % candidates.length;
    return candidates[this.next]!;
  }
}
