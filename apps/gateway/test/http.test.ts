import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THROTTLE, claimAttempt, throttleKey } from '../src/auth/throttle.js';
import type { ServerDeps } from '../src/context.js';
import { MAX_BATCH_SIZE, createPortalServer, type PortalServer } from '../src/http/server.js';
import {
  DEMO_PASSWORD,
  TARGETS,
  createWorld,
  demoResident,
  demoStaff,
  testConfig,
  tokenFromCookie,
  type World,
} from './harness.js';
import {
  PORTAL_HEADERS,
  httpRequest,
  trpcBatch,
  trpcMutation,
  trpcQuery,
  type TrpcErrorBody,
} from './support/http-client.js';

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
      const signIn = await trpcMutation(url, 'auth.signInResident', {
        idNumber: demoResident('second').idNumber,
        password: DEMO_PASSWORD,
      });
      expect(signIn.status).toBe(200);
      expect(signIn.headers).toMatchObject({
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(signIn.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      const [cookie] = signIn.headers['set-cookie'] ?? [];
      expect(cookie?.split('; ')).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
      const token = tokenFromCookie(cookie!)!;

      const me = await trpcQuery(url, 'auth.me', undefined, { ...PORTAL_HEADERS, cookie: `sw_session=${token}` });
      expect(me.json()).toMatchObject({
        result: { data: { json: { kind: 'RESIDENT', name: demoResident('second').name } } },
      });

      // A cross-site request carries the cookie but cannot add the header.
      const forged = await trpcMutation(
        url,
        'card.reportLoss',
        {},
        { 'content-type': 'application/json', cookie: `sw_session=${token}` },
      );
      expect(forged.status).toBe(403);
      expect(forged.json<TrpcErrorBody>().error.json.data).toMatchObject({
        code: 'FORBIDDEN',
        messageKey: 'errors.csrf',
      });
      const card = await world.db.prisma.socialSecurityCard.findFirstOrThrow({
        where: { residentId: await world.residentId('second') },
      });
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
      const staffSignIn = await trpcMutation(url, 'auth.signInStaff', {
        staffNumber: staff.staffNumber,
        password: DEMO_PASSWORD,
      });
      const staffToken = tokenFromCookie(staffSignIn.headers['set-cookie']![0]!)!;

      // The ID number in a GET query string: a query that ignores it, a mutation sent as GET, and a bad one.
      const asQuery = await trpcQuery(
        url,
        'auth.me',
        { idNumber },
        { ...PORTAL_HEADERS, cookie: `sw_session=${residentToken}` },
      );
      expect(asQuery.status).toBe(200);
      const mutationAsGet = await trpcQuery(
        url,
        'assist.findResident',
        { idNumber },
        { ...PORTAL_HEADERS, cookie: `sw_session=${staffToken}` },
      );
      expect(mutationAsGet.status).toBeGreaterThanOrEqual(400);
      const lookup = await trpcMutation(
        url,
        'assist.findResident',
        { idNumber },
        { ...PORTAL_HEADERS, cookie: `sw_session=${staffToken}` },
      );
      expect(lookup.status).toBe(200);
      const invalid = await trpcMutation(
        url,
        'assist.findResident',
        { idNumber: `${idNumber.slice(0, 17)}0` },
        { ...PORTAL_HEADERS, cookie: `sw_session=${staffToken}` },
      );
      expect(invalid.status).toBe(400);
      const signedOut = await trpcMutation(
        url,
        'auth.signOut',
        {},
        { ...PORTAL_HEADERS, cookie: `sw_session=${residentToken}` },
      );
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

    it('a forged X-Forwarded-For does not change who the client is, unless the gateway is told it sits behind a proxy', async () => {
      // This server sees every test request come from 127.0.0.1; lock that address for one account.
      const account = `resident:${demoResident('replacing').idNumber}`;
      const localKey = throttleKey(world.deps, THROTTLE.signIn.pair, `${account}\u0000127.0.0.1`);
      for (let i = 0; i <= THROTTLE.signIn.pair.lockAfter; i += 1) await claimAttempt(world.deps, [localKey]);
      const proxied = createPortalServer({
        ...serverDeps(pino({ level: 'silent' })),
        config: testConfig({ PORT: '0', HOST: '127.0.0.1', PORTAL_STATIC_DIR: staticDir, PORTAL_TRUST_PROXY: 'true' }),
      });
      const proxiedUrl = await proxied.start();
      try {
        const signIn = { idNumber: demoResident('replacing').idNumber, password: DEMO_PASSWORD };
        const spoofed = await trpcMutation(url, 'auth.signInResident', signIn, {
          ...PORTAL_HEADERS,
          'x-forwarded-for': '203.0.113.7',
        });
        expect(spoofed.status).toBe(429);
        expect(spoofed.json<TrpcErrorBody>().error.json.data.messageKey).toBe('errors.signInLocked');
        const behindProxy = await trpcMutation(proxiedUrl, 'auth.signInResident', signIn, {
          ...PORTAL_HEADERS,
          'x-forwarded-for': '203.0.113.7, 10.0.0.1',
        });
        expect(behindProxy.status).toBe(200);
      } finally {
        await proxied.stop();
        await world.db.prisma.signInThrottle.deleteMany({ where: { key: localKey.hash } });
      }
    });

    it('a batch of more calls than the limit is refused whole, and nothing in it is tried', async () => {
      const idNumber = demoResident('worker').idNumber;
      const calls = Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, index) => ({
        idNumber,
        password: index === MAX_BATCH_SIZE ? DEMO_PASSWORD : `wrong-${index}`,
      }));
      const throttleRows = await world.db.prisma.signInThrottle.count();
      const response = await trpcBatch(url, 'auth.signInResident', calls);
      expect(response.status).toBe(400);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(await world.db.prisma.signInThrottle.count()).toBe(throttleRows);
    });

    it('batched and parallel guesses are each counted before the password is checked: exactly the limit are checked', async () => {
      const { lockAfter } = THROTTLE.signIn.pair;
      // A batch as large as allowed, all wrong: the limit's worth are checked, the rest refused unchecked.
      const idNumber = demoResident('second').idNumber;
      const batch = await trpcBatch(
        url,
        'auth.signInResident',
        Array.from({ length: MAX_BATCH_SIZE }, (_, index) => ({ idNumber, password: `wrong-${index}` })),
      );
      const batchKeys = batch.json<TrpcErrorBody[]>().map((item) => item.error.json.data.messageKey);
      expect(batchKeys.filter((key) => key === 'errors.invalidCredentials')).toHaveLength(lockAfter);
      expect(batchKeys.filter((key) => key === 'errors.signInLocked')).toHaveLength(MAX_BATCH_SIZE - lockAfter);
      // Forty requests at once for another account: the same.
      const elder = demoResident('elder').idNumber;
      const parallel = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          trpcMutation(url, 'auth.signInResident', { idNumber: elder, password: `wrong-${index}` }),
        ),
      );
      const keys = parallel.map((response) => response.json<TrpcErrorBody>().error.json.data.messageKey);
      expect(keys.filter((key) => key === 'errors.invalidCredentials')).toHaveLength(lockAfter);
      expect(keys.filter((key) => key === 'errors.signInLocked')).toHaveLength(40 - lockAfter);
      world.clock.advance(THROTTLE.lockMs + 1_000);
    });

    it('precompressed copies are not served under their own names', async () => {
      fs.mkdirSync(path.join(staticDir, 'shell'), { recursive: true });
      fs.writeFileSync(path.join(staticDir, 'index.html.gz'), 'not for browsers');
      fs.writeFileSync(path.join(staticDir, 'shell', 'main.js.gz'), 'not for browsers');
      for (const file of ['/index.html.gz', '/shell/main.js.gz']) {
        const response = await httpRequest(`${url}${file}`);
        expect(response.status, file).toBe(404);
        expect(response.headers['content-type']).toBe('text/plain');
      }
    });

    it('probes carry the security headers too, and HSTS is sent only when the portal is served over HTTPS', async () => {
      for (const probe of ['/healthz', '/readyz']) {
        const response = await httpRequest(`${url}${probe}`);
        expect(response.headers, probe).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          'referrer-policy': 'no-referrer',
        });
        expect(response.headers['strict-transport-security']).toBeUndefined();
      }
      const secure = createPortalServer({
        ...serverDeps(pino({ level: 'silent' })),
        config: testConfig({
          PORT: '0',
          HOST: '127.0.0.1',
          PORTAL_STATIC_DIR: staticDir,
          PORTAL_SECURE_COOKIES: 'true',
        }),
      });
      const secureUrl = await secure.start();
      try {
        for (const target of ['/healthz', '/card', '/trpc/auth.me']) {
          const response = await httpRequest(`${secureUrl}${target}`, { headers: PORTAL_HEADERS });
          expect(response.headers['strict-transport-security'], target).toBe('max-age=31536000; includeSubDomains');
        }
      } finally {
        await secure.stop();
      }
    });

    it('pages carry the strict security headers', async () => {
      // No portal build in this test's static folder: the page says so, with the headers all the same.
      const page = await httpRequest(`${url}/card/contributions`);
      expect(page.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      });
      expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    });

    it('refuses other methods on pages and answers unknown tRPC paths with 404', async () => {
      const post = await httpRequest(`${url}/some/page`, { method: 'POST', body: 'x' });
      expect(post.status).toBe(405);
      const unknown = await trpcQuery(url, 'card.noSuchThing', undefined);
      expect(unknown.status).toBe(404);
    });
  });

  it('stop() lets a request in flight finish, and refuses new connections', async () => {
    const { logger } = capturingLogger();
    const server = createPortalServer(serverDeps(logger));
    const url = await server.start();
    const idNumber = demoResident('elder').idNumber;
    // Earlier failures make the next sign-in wait before answering: a request that is surely still running.
    const pair = throttleKey(world.deps, THROTTLE.signIn.pair, `resident:${idNumber}\u0000127.0.0.1`);
    for (let i = 0; i < THROTTLE.signIn.pair.slowAfter; i += 1) await claimAttempt(world.deps, [pair]);

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

  // Last: it closes this file's database.
  it('reports not ready once its database is gone, while still alive', async () => {
    const server = createPortalServer(serverDeps(pino({ level: 'silent' })));
    const url = await server.start();
    try {
      expect((await httpRequest(`${url}/readyz`)).status).toBe(200);
      await world.db.close();
      const ready = await httpRequest(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.json()).toEqual({ status: 'database unreachable' });
      expect((await httpRequest(`${url}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
