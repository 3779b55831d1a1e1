import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import sirv from 'sirv';
import { appRouter } from '../app-router.js';
import { SESSION_COOKIE, resolveSession } from '../auth/sessions.js';
import { DEVICE_COOKIE } from '../auth/trusted-devices.js';
import type { Context, ServerDeps } from '../context.js';
import { createOutageReporter, isDatabaseUnavailable } from '../db/outage.js';
import { ShellPage } from './shell-page.js';

/** The header every portal call carries (see packages/api-client); a cross-site form cannot send it. */
export const PORTAL_HEADER = 'x-portal-request';
/**
 * The most calls one batched request may carry (the API client splits at the
 * same number). Each call is still counted on its own by the throttles; this
 * bounds the work one request can ask for.
 */
export const MAX_BATCH_SIZE = 10;

export interface StopResult {
  /** True when the deadline passed with connections still open, and they were closed. */
  forced: boolean;
  /** Requests still running when their connections were closed at the deadline. */
  cutRequests: number;
}

export interface PortalServer {
  url: string;
  /** True from stop() on: /readyz answers 503 and every response closes its connection. */
  readonly stopping: boolean;
  start(): Promise<string>;
  /**
   * Stops accepting connections and closes idle keep-alive ones at once;
   * requests in flight finish with `Connection: close` until the configured
   * deadline (`shutdownDeadlineMs`), then every connection left is closed.
   * Calling it again returns the same result.
   */
  stop(): Promise<StopResult>;
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=') || null;
  }
  return null;
}

function clientAddress(req: http.IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

function securityHeaders(res: http.ServerResponse, options: { nonce?: string; hsts: boolean }) {
  const { nonce } = options;
  // Only when the portal is served over HTTPS (PORTAL_SECURE_COOKIES): browsers then never try plain HTTP again.
  if (options.hsts) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      `script-src 'self'${nonce ? ` 'nonce-${nonce}'` : ''}`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'self'",
    ].join('; '),
  );
}

/**
 * One HTTP server: the tRPC gateway under /trpc, health probes, and (in the
 * default mode) the static shell, micro-apps and import map. Returns
 * start/stop so tests and the CLI run the same thing.
 */
export function createPortalServer(deps: ServerDeps): PortalServer {
  const { config, logger } = deps;
  const reportOutage = createOutageReporter(logger);
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBatchSize: MAX_BATCH_SIZE,
    // Enough for one enrollment document (5 MB, base64-encoded) and no more.
    maxBodySize: 8 * 1024 * 1024,
    createContext: async ({ req, res }): Promise<Context> => {
      const cookies: string[] = [];
      const request = {
        requestId: String(res.getHeader('x-request-id')),
        clientAddress: clientAddress(req, config.trustProxy),
        sessionToken: readCookie(req.headers.cookie, SESSION_COOKIE),
        deviceToken: readCookie(req.headers.cookie, DEVICE_COOKIE),
        hasPortalHeader: req.headers[PORTAL_HEADER] === '1',
        setCookie(cookie: string) {
          cookies.push(cookie);
          res.setHeader('Set-Cookie', cookies);
        },
      };
      return { ...deps, request, session: await resolveSession(deps, request.sessionToken) };
    },
    onError({ error, path, ctx }) {
      // The database is down or restarting: 503 to the caller, one warning now and then in the log.
      if (isDatabaseUnavailable(error)) reportOutage(error, path ?? 'trpc');
      else if (error.code === 'INTERNAL_SERVER_ERROR') {
        logger.error(
          { requestId: ctx?.request.requestId, path, err: { message: error.message, stack: error.stack } },
          'procedure failed',
        );
      }
    },
  });
  fs.mkdirSync(config.staticDir, { recursive: true });
  const assets = sirv(config.staticDir, {
    // Looks files up per request, so a newly deployed micro-app is served without a restart.
    dev: true,
    etag: true,
    // The deploy step writes .gz beside each script and stylesheet.
    gzip: true,
    // Hashed or versioned file names never change content: cache them for a year.
    setHeaders(res, pathname) {
      if (/\/(assets|shared)\/|\/apps\/[^/]+\/[^/]+\//.test(pathname)) {
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      } else {
        res.setHeader('Cache-Control', 'no-cache');
      }
    },
  });
  const shellPage = new ShellPage(config.staticDir);

  /** Responses not yet closed: at shutdown each is told to close its connection when done. */
  const inFlight = new Set<http.ServerResponse>();
  /** Called once no response is in flight (shutdown waits for the cut ones to be logged). */
  let whenNoneInFlight: (() => void) | null = null;
  let stopping = false;

  const server = http.createServer((req, res) => {
    const started = performance.now();
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    // A request arriving during shutdown on a keep-alive connection opened before it: answered, and the connection closed after.
    if (stopping) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.on('close', () => {
      inFlight.delete(res);
      const pathname = (req.url ?? '/').split('?')[0];
      // Only the path: tRPC queries carry their input in the query string.
      // `aborted`: the connection closed before the answer was sent (the client left, or shutdown cut it).
      const aborted = res.writableFinished ? {} : { aborted: true };
      logger.info(
        {
          requestId,
          method: req.method,
          path: pathname,
          status: res.statusCode,
          ...aborted,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
      // A response whose headers were sent before shutdown kept its connection alive: close it as soon as it is idle.
      if (stopping) setImmediate(() => server.closeIdleConnections());
      if (inFlight.size === 0) whenNoneInFlight?.();
    });
    void route(req, res).catch((error: unknown) => {
      logger.error(
        { requestId, err: { message: (error as Error).message, stack: (error as Error).stack } },
        'request failed',
      );
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error');
    });
  });

  async function route(req: http.IncomingMessage, res: http.ServerResponse) {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const hsts = config.secureCookies;
    // Every answer carries the security headers, probes included; the shell page adds its script nonce below.
    securityHeaders(res, { hsts });
    if (pathname.startsWith('/trpc/')) {
      res.setHeader('Cache-Control', 'no-store');
      trpc(req, res);
      return;
    }
    if (pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (pathname === '/readyz') {
      // A load balancer stops sending to a gateway that is shutting down.
      if (stopping) {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"shutting down"}');
        return;
      }
      const ready = await deps.db.sql.query('SELECT 1').then(
        () => true,
        () => false,
      );
      res
        .writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: ready ? 'ready' : 'database unreachable' }));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    // The precompressed copies are served in place of their originals (Content-Encoding: gzip), never by their own name.
    if (/\.(gz|br)$/i.test(pathname)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const isPage = pathname === '/' || pathname === '/index.html' || !/\.[a-z0-9]+$/i.test(pathname);
    if (!isPage) {
      assets(req, res, () => {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      });
      return;
    }
    // Any other path is a page of the portal: the shell decides what it shows, so a reload on a deep link works.
    const nonce = randomBytes(16).toString('base64');
    const html = shellPage.render(nonce);
    if (!html) {
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The portal is not built yet: run `npm start`.');
      return;
    }
    securityHeaders(res, { nonce, hsts });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : html);
  }

  let url = '';
  let stopped: Promise<StopResult> | null = null;
  return {
    get url() {
      return url;
    },
    get stopping() {
      return stopping;
    },
    start() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const address = server.address() as AddressInfo;
          url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
          resolve(url);
        });
      });
    },
    stop() {
      stopped ??= new Promise<StopResult>((resolve) => {
        stopping = true;
        for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
        let forced = false;
        let cutRequests = 0;
        const deadline = setTimeout(() => {
          forced = true;
          cutRequests = inFlight.size;
          server.closeAllConnections();
        }, config.shutdownDeadlineMs);
        // Resolves once every connection has ended (idle ones now, busy ones after their response or at the
        // deadline) and every response has closed (so a cut request is logged too).
        server.close(() => {
          clearTimeout(deadline);
          const done = () => resolve({ forced, cutRequests });
          if (inFlight.size === 0) done();
          else whenNoneInFlight = done;
        });
        server.closeIdleConnections();
      });
      return stopped;
    },
  };
}
