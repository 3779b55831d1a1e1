/**
 * Is this error the database being out of reach (down, restarting, refusing
 * connections, the pool exhausted or closed) rather than a fault of the call?
 * Such calls answer 503 with `errors.serviceUnavailable`, and the gateway logs
 * one warning now and then instead of a stack per request.
 *
 * Errors come in several wrappings: `pg`'s own (a SQLSTATE in `code`, a Node
 * socket error, or a bare "Connection terminated" Error), Prisma's driver
 * adapter error (`meta.driverAdapterError.cause.kind`), Prisma's own codes
 * (P1001 …), and tRPC's TRPCError around any of them (`cause`).
 */
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { Logger } from 'pino';

/** SQLSTATEs of a server that is going away, starting up, or out of connections. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: a fast or immediate shutdown terminated the connection
  '57P02', // crash_shutdown: another backend crashed, the server is resetting
  '57P03', // cannot_connect_now: starting up, shutting down, or in recovery
  '53300', // too_many_connections
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
]);

/** Node socket errors on the way to the server. */
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Prisma's codes for a server it cannot reach or a pool it cannot get a connection from. */
const UNAVAILABLE_PRISMA_CODES = new Set([
  'P1001', // can't reach database server
  'P1002', // reached, but timed out
  'P1008', // operations timed out
  'P1017', // server has closed the connection
  'P2024', // timed out fetching a new connection from the pool
  'P2037', // too many database connections opened
]);

/** Driver-adapter error kinds (Prisma 7) that mean the same. */
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);

/** `pg`, `pg-pool` and PGlite messages without a code. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/, // pg: the server closed the socket (a killed postmaster, a dropped connection)
  /timeout exceeded when trying to connect/, // pg-pool: connectionTimeoutMillis passed
  /not queryable/, // pg: a client whose connection already failed
  /Cannot use a pool after calling end on the pool/, // the pool was closed (shutdown)
  /^PGlite is closed/, // the embedded database was closed (shutdown)
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Why the database is unavailable according to this error (a short reason for
 * the log, e.g. "57P01", "ECONNREFUSED", "P1001", "ConnectionClosed"), or null
 * when the error is something else.
 */
export function databaseOutageReason(error: unknown): string | null {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.shift();
    if (!isObject(current) || seen.has(current)) continue;
    seen.add(current);
    const code = typeof current.code === 'string' ? current.code : undefined;
    if (code && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code) || UNAVAILABLE_PRISMA_CODES.has(code)))
      return code;
    if (typeof current.kind === 'string') {
      if (UNAVAILABLE_ADAPTER_KINDS.has(current.kind)) return current.kind;
      if (typeof current.originalCode === 'string' && UNAVAILABLE_SQLSTATES.has(current.originalCode))
        return current.originalCode;
    }
    const message = typeof current.message === 'string' ? current.message : '';
    if (current instanceof Error && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message)))
      return message.slice(0, 80);
    // Wrappers: an Error's cause, Prisma's driver adapter error, an AggregateError's errors (IPv4 and IPv6 both refused).
    pending.push(current.cause);
    if (isObject(current.meta)) pending.push(current.meta.driverAdapterError);
    if (Array.isArray(current.errors)) pending.push(...(current.errors as unknown[]));
  }
  return null;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseOutageReason(error) !== null;
}

/** What a tRPC call answers while the database is unavailable: 503, code SERVICE_UNAVAILABLE, a key the browser translates. */
export function serviceUnavailableShape<Shape extends { message: string; code: number; data: object }>(shape: Shape) {
  return {
    ...shape,
    message: 'Service unavailable',
    code: TRPC_ERROR_CODES_BY_KEY.SERVICE_UNAVAILABLE,
    data: {
      code: 'SERVICE_UNAVAILABLE' as const,
      httpStatus: 503,
      messageKey: 'errors.serviceUnavailable',
      params: undefined,
      fieldErrors: undefined,
    },
  };
}

/**
 * One warning line (no stack, no request) for a database outage, at most
 * once per `intervalMs`; the next line says how many more calls failed the
 * same way in between.
 */
export function createOutageReporter(logger: Logger, intervalMs = 10_000, now: () => number = Date.now) {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (error: unknown, where: string) => {
    const at = now();
    if (at - lastAt < intervalMs) {
      suppressed += 1;
      return;
    }
    logger.warn(
      { reason: databaseOutageReason(error) ?? 'unknown', where, moreSinceLastLine: suppressed },
      'database unavailable: answering 503',
    );
    lastAt = at;
    suppressed = 0;
  };
}
