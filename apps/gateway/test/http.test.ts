import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFailure, throttleKey, THROTTLE } from '../src/auth/throttle.js';
import type { ServerDeps } from '../src/context.js';
import { openDatabase } from '../src/db/database.js';
import { createPortalServer, type PortalServer } from '../src/http/server.js';
import { DEMO_PASSWORD, TARGETS, createWorld, demoResident, demoStaff, testConfig, tokenFromCookie, type World } from './harness.js';
import { PORTAL_HEADERS, httpRequest, trpcMutation, trpcQuery, type TrpcErrorBody } from './support/http-client.js';

/** A pino logger at its most talkative, writing each line into `lines` (no redaction: the server itself must not log secrets). */
function capturingLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

describe.each(TARGETS)('HTTP server on %s', (target) => {
  let world: World;
  let staticDir: string;
  let serverDeps: (logger: ReturnType<typeof capturingLogger>['logger']) => ServerDeps;

  beforeAll(async () => {
    world = await createWorld(target);
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-static-'));
    const config = testConfig({ PORT: '0', HOST: '127.0.0.1', PORTAL_STATIC_DIR: staticDir });
    serverDeps = (logger) => ({ ...world.deps, config, logger });
  });
  afterAll(async () => {
    await world?.close();
    if (staticDir) fs.rmSync(staticDir, { recursive: true, force: true });
  });

  describe('a running server', () => {
    let server: PortalServer;
    let url: string;
    let logs: ReturnType<typeof capturingLogger>;

    beforeAll(async () => {
      logs = capturingLogger();
      server = createPortalServer(serverDeps(logs.logger));
      url = await server.start();
    });
    afterAll(() => server?.stop());

    it('answers the health and readiness probes', async () => {
      const health = await httpRequest(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(health.json()).toEqual({ status: 'ok' });
      const ready = await httpRequest(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready' });
    });

    it('signs in over HTTP with a strict, HttpOnly session cookie, and refuses calls without the portal header', async () => {
      const signIn = await trpcMutation(url, 'auth.signInResident', { idNumber: demoResident('second').idNumber, password: DEMO_PASSWORD });
      expect(signIn.status).toBe(200);
      expect(signIn.headers['cache-control']).toBe('no-store');
      const [cookie] = signIn.headers['set-cookie'] ?? [];
      expect(cookie?.split('; ')).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
      const token = tokenFromCookie(cookie!)!;

      const me = await trpcQuery(url, 'auth.me', undefined, { ...PORTAL_HEADERS, cookie: `sw_session=${token}` });
      expect(me.json()).toMatchObject({ result: { data: { json: { kind: 'RESIDENT', name: demoResident('second').name } } } });

      // A cross-site request carries the cookie but cannot add the header.
      const forged = await trpcMutation(url, 'card.reportLoss', {}, { 'content-type': 'application/json', cookie: `sw_session=${token}` });
      expect(forged.status).toBe(403);
      expect(forged.json<TrpcErrorBody>().error.json.data).toMatchObject({ code: 'FORBIDDEN', messageKey: 'errors.csrf' });
      const card = await world.db.prisma.socialSecurityCard.findFirstOrThrow({ where: { residentId: await world.residentId('second') } });
      expect(card.status).toBe('ACTIVE');
    });

    it('keeps ID numbers, passwords and session tokens out of every log line', async () => {
      logs.lines.length = 0;
      const idNumber = demoResident('worker').idNumber;
      const wrongPassword = 'Wrong-Secret-Password-9371';
      const staff = demoStaff('counter');

      const failed = await trpcMutation(url, 'auth.signInResident', { idNumber, password: wrongPassword });
      expect(failed.status).toBe(401);
      const signedIn = await trpcMutation(url, 'auth.signInResident', { idNumber, password: DEMO_PASSWORD });
      const residentToken = tokenFromCookie(signedIn.headers['set-cookie']![0]!)!;
      const staffSignIn = await trpcMutation(url, 'auth.signInStaff', { staffNumber: staff.staffNumber, password: DEMO_PASSWORD });
      const staffToken = tokenFromCookie(staffSignIn.headers['set-cookie']![0]!)!;

      // The ID number in a GET query string: a query that ignores it, a mutation sent as GET, and a bad one.
      const asQuery = await trpcQuery(url, 'auth.me', { idNumber }, { ...PORTAL_HEADERS, cookie: `sw_session=${residentToken}` });
      expect(asQuery.status).toBe(200);
      const mutationAsGet = await trpcQuery(url, 'assist.findResident', { idNumber }, { ...PORTAL_HEADERS, cookie: `sw_session=${staffToken}` });
      expect(mutationAsGet.status).toBeGreaterThanOrEqual(400);
      const lookup = await trpcMutation(url, 'assist.findResident', { idNumber }, { ...PORTAL_HEADERS, cookie: `sw_session=${staffToken}` });
      expect(lookup.status).toBe(200);
      const invalid = await trpcMutation(url, 'assist.findResident', { idNumber: `${idNumber.slice(0, 17)}0` }, { ...PORTAL_HEADERS, cookie: `sw_session=${staffToken}` });
      expect(invalid.status).toBe(400);
      const signedOut = await trpcMutation(url, 'auth.signOut', {}, { ...PORTAL_HEADERS, cookie: `sw_session=${residentToken}` });
      expect(signedOut.status).toBe(200);

      // The log is not empty: each request left a line naming its path.
      const entries = logs.lines.map((line) => JSON.parse(line) as { msg: string; path?: string; status?: number });
      const requests = entries.filter((entry) => entry.msg === 'request');
      expect(requests.map((entry) => entry.path)).toEqual([
        '/trpc/auth.signInResident',
        '/trpc/auth.signInResident',
        '/trpc/auth.signInStaff',
        '/trpc/auth.me',
        '/trpc/assist.findResident',
        '/trpc/assist.findResident',
        '/trpc/assist.findResident',
        '/trpc/auth.signOut',
      ]);
      const secrets = {
        idNumber,
        idNumberWithoutCheck: idNumber.slice(0, 17),
        wrongPassword,
        password: DEMO_PASSWORD,
        residentToken,
        staffToken,
        // The query-string form of the ID number, should a URL be logged whole.
        encodedInput: encodeURIComponent(JSON.stringify({ json: { idNumber } })).slice(0, 30),
      };
      for (const [what, secret] of Object.entries(secrets)) {
        const leaking = logs.lines.filter((line) => line.includes(secret));
        expect(leaking, `${what} in the log`).toEqual([]);
      }
    });

    it('refuses other methods on pages and answers unknown tRPC paths with 404', async () => {
      const post = await httpRequest(`${url}/some/page`, { method: 'POST', body: 'x' });
      expect(post.status).toBe(405);
      const unknown = await trpcQuery(url, 'card.noSuchThing', undefined);
      expect(unknown.status).toBe(404);
    });
  });

  it('reports not ready when its database is gone', async () => {
    const db = await openDatabase(target === 'postgres' ? { kind: 'postgres', url: world.url! } : { kind: 'pglite', dataDir: null });
    const server = createPortalServer({ ...serverDeps(pino({ level: 'silent' })), db });
    const url = await server.start();
    try {
      expect((await httpRequest(`${url}/readyz`)).status).toBe(200);
      await db.close();
      const ready = await httpRequest(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.json()).toEqual({ status: 'database unreachable' });
      expect((await httpRequest(`${url}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('stop() lets a request in flight finish, and refuses new connections', async () => {
    const { logger } = capturingLogger();
    const server = createPortalServer(serverDeps(logger));
    const url = await server.start();
    const idNumber = demoResident('elder').idNumber;
    // Earlier failures make the next sign-in wait before answering: a request that is surely still running.
    for (let i = 0; i < THROTTLE.slowAfter; i += 1) await recordFailure(world.deps, [throttleKey('account', `resident:${idNumber}`)]);

    const reachedHandler = world.clock.nextRead();
    const inFlight = trpcMutation(url, 'auth.signInResident', { idNumber, password: DEMO_PASSWORD });
    await reachedHandler;
    const stopped = server.stop();

    await expect(httpRequest(`${url}/healthz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(tokenFromCookie(response.headers['set-cookie']![0]!)).toEqual(expect.any(String));
    await stopped;
    await expect(httpRequest(`${url}/healthz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
