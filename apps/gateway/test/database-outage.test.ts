import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { createOutageReporter, isDatabaseUnavailable } from '../src/db/outage.js';
import { AppError } from '../src/errors.js';
import { createPortalServer } from '../src/http/server.js';
import { DEMO_PASSWORD, TARGETS, createWorld, demoResident, makeDeps, testConfig, type World } from './harness.js';
import { PORTAL_HEADERS, httpRequest, trpcMutation, trpcQuery, type TrpcErrorBody } from './support/http-client.js';

function capturingLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return {
    logger,
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as { level: number; msg: string; [key: string]: unknown }),
  };
}

/** An error as `pg` raises it for a SQLSTATE. */
function pgError(code: string, message: string) {
  return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

/** Prisma's wrapping of a driver adapter error, as Prisma 7 raises it. */
function prismaError(code: string, cause: Record<string, unknown>) {
  return Object.assign(new Error('Invalid `prisma.resident.findFirst()` invocation'), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause } },
  });
}

describe('telling a database outage from other errors', () => {
  it.each([
    [
      'a refused connection (pg)',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
        code: 'ECONNREFUSED',
        syscall: 'connect',
        errno: -111,
      }),
    ],
    [
      'a refused connection on IPv4 and IPv6',
      Object.assign(
        new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], ''),
        {},
      ),
    ],
    [
      'a fast shutdown terminating the connection (57P01)',
      pgError('57P01', 'terminating connection due to administrator command'),
    ],
    ['a server starting up or in recovery (57P03)', pgError('57P03', 'the database system is starting up')],
    ['a connection the server dropped', new Error('Connection terminated unexpectedly')],
    ['a pool that timed out connecting', new Error('timeout exceeded when trying to connect')],
    ['a closed pool', new Error('Cannot use a pool after calling end on the pool')],
    [
      'Prisma: cannot reach the server (P1001)',
      prismaError('P1001', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 }),
    ],
    [
      'Prisma: a raw query on a terminated connection (P2010 around 57P01)',
      prismaError('P2010', { kind: 'postgres', code: '57P01', originalCode: '57P01', severity: 'FATAL' }),
    ],
    [
      'Prisma: the pool timed out (P2024)',
      Object.assign(new Error('Timed out fetching a new connection from the connection pool.'), { code: 'P2024' }),
    ],
    [
      'tRPC around any of these',
      new TRPCError({
        code: 'INTERNAL_SERVER_ERROR',
        cause: pgError('57P01', 'terminating connection due to administrator command'),
      }),
    ],
  ])('%s is an outage', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', prismaError('P2002', { kind: 'UniqueConstraintViolation', originalCode: '23505' })],
    ['a missing table', prismaError('P2021', { kind: 'TableDoesNotExist', originalCode: '42P01' })],
    ['a syntax error', pgError('42601', 'syntax error at or near "SELEC"')],
    ['a serialization failure', pgError('40001', 'could not serialize access')],
    ['an application error', new AppError('CONFLICT', 'errors.eldercare.slotTaken', 'Taken.')],
    ['a programming error', new TypeError('Cannot read properties of undefined')],
    ['nothing', undefined],
  ])('%s is not', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('reports an outage once per interval, counting the calls in between', () => {
    const { logger, entries } = capturingLogger();
    let now = 0;
    const report = createOutageReporter(logger, 10_000, () => now);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    for (let call = 0; call < 50; call += 1) report(refused, 'auth.me');
    now = 10_000;
    report(refused, 'auth.me');
    expect(
      entries().map(({ level, msg, reason, moreSinceLastLine }) => ({ level, msg, reason, moreSinceLastLine })),
    ).toEqual([
      { level: 40, msg: 'database unavailable: answering 503', reason: 'ECONNREFUSED', moreSinceLastLine: 0 },
      { level: 40, msg: 'database unavailable: answering 503', reason: 'ECONNREFUSED', moreSinceLastLine: 49 },
    ]);
  });
});

/** A server on this database, with a log the test reads. */
async function serverOn(db: Database, staticDir: string) {
  const logs = capturingLogger();
  const config = testConfig({ PORT: '0', HOST: '127.0.0.1', PORTAL_STATIC_DIR: staticDir });
  const server = createPortalServer({ ...makeDeps(db, { config }), logger: logs.logger });
  const url = await server.start();
  return { server, url, logs };
}

/** What every tRPC call must answer while the database is out of reach. */
async function expectServiceUnavailable(response: Promise<{ status: number; json<T>(): T; body: string }>) {
  const answer = await response;
  expect(answer.status).toBe(503);
  expect(answer.json<TrpcErrorBody>().error.json).toMatchObject({
    message: 'Service unavailable',
    data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, messageKey: 'errors.serviceUnavailable' },
  });
  // Nothing of the server's insides reaches the caller.
  expect(answer.body).not.toMatch(/stack|ECONNREFUSED|prisma|127\.0\.0\.1/i);
}

/** One warning line for all the failed calls, without a stack; no error lines. */
function expectOneQuietWarning(logs: ReturnType<typeof capturingLogger>) {
  const entries = logs.entries();
  const warnings = entries.filter((entry) => entry.msg === 'database unavailable: answering 503');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatchObject({ level: 40, reason: expect.any(String) });
  expect(entries.filter((entry) => entry.level >= 50)).toEqual([]);
  expect(logs.lines.filter((line) => line.includes('stack'))).toEqual([]);
}

describe('over HTTP, a gateway whose PostgreSQL server is unreachable', () => {
  let staticDir: string;
  let db: Database;
  let running: Awaited<ReturnType<typeof serverOn>>;

  beforeAll(async () => {
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-static-'));
    // Nothing listens on port 1: every connection is refused.
    db = await openDatabase({ kind: 'postgres', url: 'postgresql://postgres@127.0.0.1:1/portal' });
    running = await serverOn(db, staticDir);
  });
  afterAll(async () => {
    await running?.server.stop();
    await db?.close();
    if (staticDir) fs.rmSync(staticDir, { recursive: true, force: true });
  });

  it('answers tRPC calls with 503 and a message key, logs one warning without a stack, and reports not ready', async () => {
    const { url, logs } = running;
    const signIn = { idNumber: demoResident('worker').idNumber, password: DEMO_PASSWORD };
    for (let call = 0; call < 5; call += 1)
      await expectServiceUnavailable(trpcMutation(url, 'auth.signInResident', signIn));
    // A call with a session cookie fails earlier, looking the session up: the same answer.
    await expectServiceUnavailable(
      trpcQuery(url, 'auth.me', undefined, { ...PORTAL_HEADERS, cookie: `sw_session=${'a'.repeat(43)}` }),
    );
    await expectServiceUnavailable(
      trpcQuery(url, 'messages.unreadCount', undefined, { ...PORTAL_HEADERS, cookie: `sw_session=${'b'.repeat(43)}` }),
    );
    expectOneQuietWarning(logs);

    const ready = await httpRequest(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await httpRequest(`${url}/healthz`)).status).toBe(200);
  });

  it('still answers errors that are not an outage as before', async () => {
    // Refused before any database work: no portal header.
    const forged = await trpcMutation(
      running.url,
      'auth.signInResident',
      { idNumber: demoResident('worker').idNumber, password: DEMO_PASSWORD },
      { 'content-type': 'application/json' },
    );
    expect(forged.status).toBe(403);
    expect(forged.json<TrpcErrorBody>().error.json.data.messageKey).toBe('errors.csrf');
  });
});

describe.each(TARGETS)('over HTTP, a gateway whose database (%s) was closed under it', (target) => {
  let world: World;
  let staticDir: string;

  beforeAll(async () => {
    world = await createWorld(target);
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-static-'));
  });
  afterAll(async () => {
    await world?.close();
    if (staticDir) fs.rmSync(staticDir, { recursive: true, force: true });
  });

  it('answers 503 with a message key, and logs one warning without a stack', async () => {
    const { server, url, logs } = await serverOn(world.db, staticDir);
    try {
      const signIn = { idNumber: demoResident('second').idNumber, password: DEMO_PASSWORD };
      expect((await trpcMutation(url, 'auth.signInResident', signIn)).status).toBe(200);
      await world.db.close();
      for (let call = 0; call < 3; call += 1)
        await expectServiceUnavailable(trpcMutation(url, 'auth.signInResident', signIn));
      expectOneQuietWarning(logs);
    } finally {
      await server.stop();
    }
  });
});
