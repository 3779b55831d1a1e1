/**
 * The gateway test harness: real databases (in-memory PGlite always, a
 * throw-away PostgreSQL database when TEST_DATABASE_URL is set), real
 * argon2 sign-ins, real sessions, and a clock the test moves by hand.
 *
 * Procedures are called through tRPC's server-side caller with the same
 * Context the HTTP layer builds, so every middleware runs; the session is
 * resolved from the cookie token on every call, as it is per HTTP request.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { composeIdNumber } from '@portal/identity';
import { TRPCError } from '@trpc/server';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import pg from 'pg';
import { pino, type Logger } from 'pino';
import { expect } from 'vitest';
import { AuditKeys } from '../src/access-log/audit-keys.js';
import { appRouter } from '../src/app-router.js';
import { SESSION_COOKIE, resolveSession, type ActiveSession } from '../src/auth/sessions.js';
import { loadConfig, type PortalConfig } from '../src/config.js';
import type { Context, RequestInfo, ServerDeps } from '../src/context.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { applyMigrations, readMigrations } from '../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../src/gateway.js';
import { DEMO_PASSWORD, DEMO_RESIDENTS, DEMO_STAFF } from '../src/seed/demo-accounts.js';
import { seedDemoData, type KnownResident } from '../src/seed/seed.js';
import { DataProtector } from '../src/security/data-protector.js';
import { createCallerFactory } from '../src/trpc.js';

export { DEMO_PASSWORD, DEMO_RESIDENTS, DEMO_STAFF, MIGRATIONS_DIR };
export type { KnownResident };

// ---------------------------------------------------------------- targets

export type TargetKind = 'pglite' | 'postgres';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

/** Every integration suite runs once per target: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const TARGETS: TargetKind[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** The seed's reference date: contributions run up to October 2026. */
export const REFERENCE_DATE = new Date('2026-11-01T00:00:00Z');
/** Where every test clock starts: a weekday morning just after the reference date. */
export const CLOCK_START = new Date('2026-11-02T01:00:00Z');

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export interface TestDatabase {
  kind: TargetKind;
  db: Database;
  /** PostgreSQL only: the URL of this file's own database, to open a second connection pool ("another gateway"). */
  url: string | null;
  /** Another Database on the same data: a second pool on PostgreSQL, the same instance on PGlite (one connection by nature). */
  openAnother(): Promise<Database>;
  close(): Promise<void>;
}

function adminUrl(): string {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  return TEST_DATABASE_URL;
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * Drops a test database. Closing a pool does not wait for each backend to go
 * away, and FORCE on a backend still closing makes the closing client raise
 * an error, so the drop waits (briefly) for the database's sessions to end.
 */
async function dropDatabase(name: string): Promise<void> {
  await withAdmin(async (client) => {
    for (let attempt = 0; attempt < 250; attempt += 1) {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty database: in-memory PGlite, or a new PostgreSQL database
 * (portal_test_<random>) that close() drops again. Migrated unless told not to.
 */
export async function createTestDatabase(
  kind: TargetKind,
  options: { migrate?: boolean; onQuery?: (sql: string) => void } = {},
): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  const observe = { onQuery: options.onQuery };
  if (kind === 'pglite') {
    const db = await openDatabase({ kind: 'pglite', dataDir: null }, observe);
    if (migrate) await applyMigrations(db.sql, readMigrations(MIGRATIONS_DIR));
    return {
      kind,
      db,
      url: null,
      openAnother: async () => db,
      // A test may have closed it already (to see the gateway without its database).
      close: () => db.close().catch(() => undefined),
    };
  }
  const name = `portal_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = withDatabaseName(adminUrl(), name);
  const others: Database[] = [];
  const db = await openDatabase({ kind: 'postgres', url }, observe);
  try {
    if (migrate) await applyMigrations(db.sql, readMigrations(MIGRATIONS_DIR));
  } catch (error) {
    await db.close();
    await dropDatabase(name);
    throw error;
  }
  return {
    kind,
    db,
    url,
    async openAnother() {
      const other = await openDatabase({ kind: 'postgres', url });
      others.push(other);
      return other;
    },
    async close() {
      for (const other of others) await other.close();
      await db.close().catch(() => undefined);
      await dropDatabase(name);
    },
  };
}

// ---------------------------------------------------------------- clock, config, deps

/** A clock that stands still until the test moves it. */
export class TestClock {
  private current: number;
  private waiters: (() => void)[] = [];

  constructor(start: Date = CLOCK_START) {
    this.current = start.getTime();
  }

  /** Pass as ServerDeps.now. */
  readonly now = (): Date => {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
    return new Date(this.current);
  };

  advance(ms: number): void {
    this.current += ms;
  }

  /** Resolves the next time the gateway reads the clock: proof that a request reached a handler. */
  nextRead(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

const TEST_DATA_DIR = path.join(os.tmpdir(), 'portal-gateway-tests');

/**
 * Demo-mode configuration as `npm start` builds it, with files kept out of the
 * repository. Each configuration has a checkpoint file of its own, as each
 * portal's database has.
 */
export function testConfig(env: Record<string, string> = {}): PortalConfig {
  return loadConfig({
    PORTAL_DEMO: 'true',
    LOG_LEVEL: 'silent',
    PORTAL_DATA_DIR: TEST_DATA_DIR,
    ACCESS_LOG_CHECKPOINT_FILE: path.join(TEST_DATA_DIR, 'checkpoints', `${randomBytes(8).toString('hex')}.jsonl`),
    ...env,
  });
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export function makeDeps(
  db: Database,
  options: { clock?: TestClock; config?: PortalConfig; logger?: Logger } = {},
): ServerDeps & { clock: TestClock } {
  const config = options.config ?? testConfig();
  const clock = options.clock ?? new TestClock();
  return {
    db,
    config,
    protector: new DataProtector(config.dataKey),
    audit: AuditKeys.fromConfig(config),
    logger: options.logger ?? silentLogger(),
    now: clock.now,
    clock,
  };
}

// ---------------------------------------------------------------- callers

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

export interface CallerOptions {
  sessionToken?: string | null;
  /** The device cookie's token: this browser signed in before. */
  deviceToken?: string | null;
  hasPortalHeader?: boolean;
  clientAddress?: string;
}

export interface TestCaller {
  call: Caller;
  /** Every Set-Cookie header value the procedures sent. */
  cookies: string[];
  /** The address the gateway sees the calls come from. */
  clientAddress: string;
}

let addressCounter = 0;
/** A client address no other test uses, so sign-in throttling by address never spills between tests. */
export function uniqueAddress(): string {
  addressCounter += 1;
  return `10.77.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
}

/**
 * A caller with the context the HTTP layer would build: portal header present
 * unless told otherwise, and the session looked up from the token on every call.
 */
export function callerFor(deps: ServerDeps, options: CallerOptions = {}): TestCaller {
  const cookies: string[] = [];
  const clientAddress = options.clientAddress ?? uniqueAddress();
  const call = createCaller(async (): Promise<Context> => {
    const request: RequestInfo = {
      requestId: `test-${randomBytes(4).toString('hex')}`,
      clientAddress,
      sessionToken: options.sessionToken ?? null,
      deviceToken: options.deviceToken ?? null,
      hasPortalHeader: options.hasPortalHeader ?? true,
      setCookie: (cookie) => cookies.push(cookie),
    };
    return { ...deps, request, session: await resolveSession(deps, request.sessionToken) };
  });
  return { call, cookies, clientAddress };
}

/** The device cookie's token in the Set-Cookie values, if sign-in sent one. */
export function deviceTokenFrom(cookies: string[]): string | null {
  for (const cookie of cookies) {
    const match = /^sw_device=([^;]+)/.exec(cookie);
    if (match?.[1]) return match[1];
  }
  return null;
}

/** The session token in a Set-Cookie value, or null when the cookie clears it. */
export function tokenFromCookie(cookie: string): string | null {
  const match = new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(cookie);
  return match?.[1] ? match[1] : null;
}

export type ResidentKey = (typeof DEMO_RESIDENTS)[number]['key'];
export type StaffKey = (typeof DEMO_STAFF)[number]['key'];

export function demoResident(key: ResidentKey) {
  return DEMO_RESIDENTS.find((resident) => resident.key === key)!;
}

export function demoStaff(key: StaffKey) {
  return DEMO_STAFF.find((member) => member.key === key)!;
}

/** Someone signed in: their cookie token, a caller that sends it, and their session as the gateway sees it. */
export interface SignedIn {
  token: string;
  cookie: string;
  call: Caller;
  session(): Promise<ActiveSession | null>;
}

async function finishSignIn(deps: ServerDeps, anonymous: TestCaller, clientAddress: string): Promise<SignedIn> {
  const cookie = anonymous.cookies.findLast((value) => value.startsWith(`${SESSION_COOKIE}=`));
  const token = cookie && tokenFromCookie(cookie);
  if (!cookie || !token) throw new Error('Sign-in set no session cookie');
  return {
    token,
    cookie,
    call: callerFor(deps, { sessionToken: token, clientAddress }).call,
    session: () => resolveSession(deps, token),
  };
}

export async function signInResident(deps: ServerDeps, idNumber: string, password = DEMO_PASSWORD): Promise<SignedIn> {
  const clientAddress = uniqueAddress();
  const anonymous = callerFor(deps, { clientAddress });
  await anonymous.call.auth.signInResident({ idNumber, password });
  return finishSignIn(deps, anonymous, clientAddress);
}

export async function signInStaff(deps: ServerDeps, staffNumber: string, password = DEMO_PASSWORD): Promise<SignedIn> {
  const clientAddress = uniqueAddress();
  const anonymous = callerFor(deps, { clientAddress });
  await anonymous.call.auth.signInStaff({ staffNumber, password });
  return finishSignIn(deps, anonymous, clientAddress);
}

// ---------------------------------------------------------------- a seeded world

/**
 * A test's own resident for createWorld's extraResidents: the ID number is
 * composed from area, birth date and sequence (odd for a man, even for a woman).
 */
export function testResident(
  name: string,
  birthDate: string,
  sequence: number,
  extra: Partial<Omit<KnownResident, 'name' | 'idNumber'>> = {},
): KnownResident {
  const areaCode = extra.areaCode ?? '441502';
  return {
    name,
    idNumber: composeIdNumber(areaCode, birthDate, sequence),
    areaCode,
    phone: null,
    employed: false,
    minimumLiving: false,
    ...extra,
  };
}

export interface World extends TestDatabase {
  deps: ServerDeps & { clock: TestClock };
  clock: TestClock;
  resident(key: ResidentKey): Promise<SignedIn>;
  staff(key: StaffKey): Promise<SignedIn>;
  /** The database id of a demo resident or staff member. */
  residentId(key: ResidentKey): Promise<string>;
  staffId(key: StaffKey): Promise<string>;
  /** The database id of any resident, e.g. one of the test's extra residents. */
  residentIdOf(idNumber: string): Promise<string>;
  /** Signs in any resident (all seeded residents have the demo password). */
  signIn(idNumber: string): Promise<SignedIn>;
}

export interface WorldOptions {
  logger?: Logger;
  config?: PortalConfig;
  /** People the test needs besides the demo residents (see KnownResident: household, relation, health). */
  extraResidents?: KnownResident[];
  /** Told of every SQL statement Prisma sends on the world's database (see queryCounter). */
  onQuery?: (sql: string) => void;
  /** Seed the demo's enrollment families and applications too, as `npm start` does. */
  enrollmentDemo?: boolean;
}

/** One migrated, seeded database for a test file (12 residents), with deps on a test clock. */
export async function createWorld(kind: TargetKind, options: WorldOptions = {}): Promise<World> {
  const database = await createTestDatabase(kind, { onQuery: options.onQuery });
  const deps = makeDeps(database.db, options);
  try {
    await seedDemoData(deps, {
      residents: 12,
      referenceDate: REFERENCE_DATE,
      extraResidents: options.extraResidents,
      enrollmentDemo: options.enrollmentDemo,
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  const residentIdOf = async (idNumber: string) => {
    const row = await database.db.prisma.resident.findUniqueOrThrow({
      where: { idNumberHash: deps.protector.lookupHash(idNumber, 'idNumber') },
      select: { id: true },
    });
    return row.id;
  };
  return {
    ...database,
    deps,
    clock: deps.clock,
    resident: (key) => signInResident(deps, demoResident(key).idNumber),
    staff: (key) => signInStaff(deps, demoStaff(key).staffNumber),
    residentId: (key) => residentIdOf(demoResident(key).idNumber),
    residentIdOf,
    signIn: (idNumber) => signInResident(deps, idNumber),
    async staffId(key) {
      const row = await database.db.prisma.staffMember.findUniqueOrThrow({
        where: { staffNumber: demoStaff(key).staffNumber },
        select: { id: true },
      });
      return row.id;
    },
  };
}

// ---------------------------------------------------------------- assisted access

/** What an authorization covers: the card service only, unless the test asks for more. */
export interface AccessGrant {
  scopes?: ('CARD' | 'HEALTH' | 'ENROLLMENT' | 'ELDERCARE')[];
  /** Sensitive health categories too (only with the HEALTH scope). */
  includesSensitiveHealth?: boolean;
}

/**
 * The usual counter visit: the resident makes a code on their phone, staff
 * look them up by ID number and enter the code. Returns the authorization.
 */
export async function authorizeByCode(staff: SignedIn, resident: SignedIn, idNumber: string, grant: AccessGrant = {}) {
  const { code } = await resident.call.assist.createCode({
    scopes: grant.scopes ?? ['CARD'],
    includesSensitiveHealth: grant.includesSensitiveHealth,
  });
  const { lookupToken } = await staff.call.assist.findResident({ idNumber });
  return staff.call.assist.authorizeWithCode({ lookupToken, code });
}

/** A visit without a phone: staff check the ID card in person. */
export async function authorizeInPerson(
  staff: SignedIn,
  idNumber: string,
  reason = 'Resident has no mobile phone',
  grant: AccessGrant = {},
) {
  const { lookupToken } = await staff.call.assist.findResident({ idNumber });
  return staff.call.assist.authorizeInPerson({
    lookupToken,
    scopes: grant.scopes ?? ['CARD'],
    idDocumentChecked: true,
    includesSensitiveHealth: grant.includesSensitiveHealth,
    reason,
  });
}

// ---------------------------------------------------------------- errors

export interface ErrorShape {
  message: string;
  code: number;
  data: {
    code: string;
    httpStatus: number;
    messageKey: string;
    params?: Record<string, string | number>;
    fieldErrors?: Record<string, string>;
  };
}

/** The error exactly as the browser would receive it, through the router's own error formatter. */
export function errorShapeOf(error: unknown): ErrorShape {
  if (!(error instanceof TRPCError)) throw new Error(`Expected a TRPCError, got: ${String(error)}`);
  return getErrorShape({
    config: appRouter._def._config,
    error,
    type: 'unknown',
    path: undefined,
    input: undefined,
    ctx: undefined,
  }) as ErrorShape;
}

/** Awaits a call that must fail, and returns its error shape. */
export async function refusal(promise: Promise<unknown>): Promise<ErrorShape> {
  let result: unknown;
  try {
    result = await promise;
  } catch (error) {
    return errorShapeOf(error);
  }
  throw new Error(
    `Expected the call to be refused, but it returned ${JSON.stringify(result, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`,
  );
}

/** Asserts a refusal with the tRPC code and the browser's message key. */
export async function expectRefused(promise: Promise<unknown>, code: string, messageKey: string): Promise<ErrorShape> {
  const shape = await refusal(promise);
  expect({ code: shape.data.code, messageKey: shape.data.messageKey }).toEqual({ code, messageKey });
  return shape;
}

/** Asserts BAD_REQUEST for invalid input, with these field errors among the ones reported. */
export async function expectInvalidInput(
  promise: Promise<unknown>,
  fieldErrors: Record<string, string>,
): Promise<ErrorShape> {
  const shape = await expectRefused(promise, 'BAD_REQUEST', 'errors.invalidInput');
  expect(shape.data.fieldErrors).toMatchObject(fieldErrors);
  return shape;
}

// ---------------------------------------------------------------- raw data

/** Rows per table, read with plain SQL: used to prove a refused call wrote nothing. */
export async function rowCounts(db: Database, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await db.sql.query<{ n: number | string }>(`SELECT count(*)::int AS n FROM "${table}"`);
    counts[table] = Number(row!.n);
  }
  return counts;
}

/** Tables a procedure could write to. */
export const WRITABLE_TABLES = [
  'Session',
  'SignInThrottle',
  'OneTimeCode',
  'AssistAuthorization',
  'AccessLogEntry',
  'AccessLogChain',
  'AccessLogCheckpoint',
  'TrustedDevice',
  'SocialSecurityCard',
  'CardReplacement',
  'CardEvent',
  'EnrollmentApplication',
  'EnrollmentPreference',
  'EnrollmentDocument',
  'EnrollmentEvent',
  'EnrollmentReviewView',
  'AllocationRound',
  'AllocationDryRun',
  'AllocationRun',
  'AllocationEntry',
] as const;

export function accessLogCount(db: Database): Promise<number> {
  return db.prisma.accessLogEntry.count();
}

export function lastAccessLogEntry(db: Database) {
  return db.prisma.accessLogEntry.findFirst({ orderBy: { seq: 'desc' } });
}

// ---------------------------------------------------------------- round trips

/** Counts SQL statements: pass `onQuery` to createWorld, reset just before the call being measured. */
export function queryCounter() {
  const statements: string[] = [];
  return {
    statements,
    onQuery: (sql: string) => {
      statements.push(sql);
    },
    get count() {
      return statements.length;
    },
    reset() {
      statements.length = 0;
    },
  };
}
