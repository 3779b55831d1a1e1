import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDeps } from '../src/context.js';
import { createPortalServer } from '../src/http/server.js';
import {
  DEMO_PASSWORD,
  TARGETS,
  createWorld,
  demoResident,
  silentLogger,
  testConfig,
  tokenFromCookie,
  type World,
} from './harness.js';
import { httpRequest } from './support/http-client.js';
import { rawConnection, requestHead } from './support/raw-http.js';

/**
 * Shutdown with real sockets: idle keep-alive connections close at once,
 * requests in flight finish with `Connection: close`, a client that keeps
 * sending on a keep-alive connection cannot hold the server open, and what
 * outlives the deadline is cut. Outcomes only (who got what, which socket
 * closed), never elapsed time.
 */
describe.each(TARGETS)('shutting the HTTP server down on %s', (target) => {
  let world: World;
  let staticDir: string;
  /** A server on its own port with this shutdown deadline. */
  let serverWithDeadline: (seconds: string) => ReturnType<typeof createPortalServer>;

  beforeAll(async () => {
    world = await createWorld(target);
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-static-'));
    serverWithDeadline = (seconds) => {
      const config = testConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        PORTAL_STATIC_DIR: staticDir,
        SHUTDOWN_DEADLINE_SECONDS: seconds,
      });
      const deps: ServerDeps = { ...world.deps, config, logger: silentLogger() };
      return createPortalServer(deps);
    };
  });
  afterAll(async () => {
    await world?.close();
    if (staticDir) fs.rmSync(staticDir, { recursive: true, force: true });
  });

  /** A sign-in whose body is held back: its headers are read and it is being handled (100 Continue), the rest is sent later. */
  async function signInInFlight(url: string) {
    const body = JSON.stringify({ json: { idNumber: demoResident('second').idNumber, password: DEMO_PASSWORD } });
    const half = Math.floor(body.length / 2);
    const connection = await rawConnection(url);
    connection.write(
      `${requestHead('POST', '/trpc/auth.signInResident', { 'x-portal-request': 1, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' })}\r\n${body.slice(0, half)}`,
    );
    await connection.continued();
    return { connection, finish: () => connection.write(body.slice(half)) };
  }

  it('closes idle keep-alive connections at once, answers requests in flight and arriving ones with Connection: close, and refuses new connections', async () => {
    const server = serverWithDeadline('30');
    const url = await server.start();

    // An idle keep-alive connection: one request answered, the connection kept.
    const idle = await rawConnection(url);
    idle.write(`${requestHead('GET', '/healthz')}\r\n`);
    const before = await idle.nextResponse();
    expect(before.status).toBe(200);
    expect(before.headers.connection).toBe('keep-alive');
    // A keep-alive connection in the middle of sending its next request's headers.
    const arriving = await rawConnection(url);
    arriving.write(requestHead('GET', '/readyz'));
    // A request being handled (sent after the half headers above, so the server has read those by the time it answers 100 Continue).
    const inFlight = await signInInFlight(url);

    const stopped = server.stop();
    expect(server.stopping).toBe(true);

    // The idle connection closes now, while a request is still in flight: shutdown does not wait for idle clients.
    await idle.closed;
    expect(inFlight.connection.isClosed()).toBe(false);
    await expect(httpRequest(`${url}/healthz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    // The request arriving on the open connection is answered: not ready, and the connection closes after it.
    arriving.write('\r\n');
    const readiness = await arriving.nextResponse();
    expect(readiness.status).toBe(503);
    expect(JSON.parse(readiness.body)).toEqual({ status: 'shutting down' });
    expect(readiness.headers.connection).toBe('close');
    await arriving.closed;

    // The request in flight finishes, with its session cookie, and its connection closes after it.
    inFlight.finish();
    const signedIn = await inFlight.connection.nextResponse();
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.connection).toBe('close');
    expect(tokenFromCookie(signedIn.headers['set-cookie']!)).toEqual(expect.any(String));
    await inFlight.connection.closed;

    expect(await stopped).toEqual({ forced: false, cutRequests: 0 });
    // Asking again gives the same answer.
    expect(await server.stop()).toEqual({ forced: false, cutRequests: 0 });
  });

  it('keep-alive clients sending requests in a loop do not keep the server open until the deadline', async () => {
    // The readiness probe's query waits while the test holds it: requests are then surely in flight.
    let held: (() => void)[] | null = null;
    const sql = world.db.sql;
    const db = {
      ...world.db,
      sql: {
        ...sql,
        query: async (text: string, params?: unknown[]) => {
          if (held) await new Promise<void>((resolve) => held!.push(resolve));
          return sql.query(text, params);
        },
      } as typeof sql,
    };
    const config = testConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      PORTAL_STATIC_DIR: staticDir,
      SHUTDOWN_DEADLINE_SECONDS: '30',
    });
    const server = createPortalServer({ ...world.deps, db, config, logger: silentLogger() });
    const url = await server.start();

    const clients = 4;
    const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
    const sockets = new Set<unknown>();
    const get = () =>
      new Promise<http.IncomingMessage>((resolve, reject) => {
        const request = http.request(`${url}/readyz`, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(response));
        });
        request.on('socket', (socket) => {
          if (!server.stopping) sockets.add(socket);
        });
        request.on('error', reject);
        request.end();
      });
    let answered = 0;
    const lastAnswers: http.IncomingMessage[] = [];
    let startedHolding: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => (startedHolding = resolve));
    const loop = async (): Promise<string> => {
      for (let sent = 0; sent < 5_000; sent += 1) {
        try {
          const response = await get();
          if (server.stopping) lastAnswers.push(response);
        } catch (error) {
          return (error as NodeJS.ErrnoException).code ?? String(error);
        }
        answered += 1;
        // After a while, hold the next requests in the handler.
        if (answered === 40) {
          held = [];
          startedHolding();
        }
      }
      return 'still answered after 5000 requests';
    };
    const loops = Promise.all(Array.from({ length: clients }, loop));

    await holding;
    while (held!.length < clients) await new Promise((resolve) => setTimeout(resolve, 5));
    // Every connection has a request in flight: none is idle.
    const stopped = server.stop();
    const waiting = held!;
    held = null;
    for (const release of waiting) release();
    const ended = await loops;
    agent.destroy();

    // The clients kept their connections open between requests (one each) ...
    expect(sockets.size).toBe(clients);
    // ... the requests in flight were answered and told to close their connections ...
    expect(lastAnswers).toHaveLength(clients);
    for (const response of lastAnswers) expect(response.headers.connection).toBe('close');
    // ... so each loop's next request needed a new connection, which was refused.
    expect(ended).toEqual(Array(clients).fill('ECONNREFUSED'));
    // The server stopped on its own, without cutting anything at the deadline.
    expect(await stopped).toEqual({ forced: false, cutRequests: 0 });
  });

  it('cuts a request that outlives the deadline, and logs it as aborted', async () => {
    const lines: string[] = [];
    const config = testConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      PORTAL_STATIC_DIR: staticDir,
      SHUTDOWN_DEADLINE_SECONDS: '0.3',
    });
    const server = createPortalServer({
      ...world.deps,
      config,
      logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
    });
    const url = await server.start();
    const inFlight = await signInInFlight(url);
    // Settled as soon as the connection closes (during stop()), so its rejection is handled from the start.
    const answer = inFlight.connection.nextResponse().then(
      () => 'answered',
      (error: Error) => error.message,
    );
    // The rest of the body never comes: at the deadline the connection is closed without an answer.
    expect(await server.stop()).toEqual({ forced: true, cutRequests: 1 });
    // By the time stop() resolves, the cut request has its log line.
    const requests = lines
      .map((line) => JSON.parse(line) as { msg: string; path?: string; aborted?: boolean })
      .filter((entry) => entry.msg === 'request');
    expect(requests).toEqual([expect.objectContaining({ path: '/trpc/auth.signInResident', aborted: true })]);
    expect(await answer).toMatch(/closed before a response/);
    await expect(httpRequest(`${url}/healthz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
