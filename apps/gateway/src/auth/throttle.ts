import type { ServerDeps } from '../context.js';
import { sha256Hex } from '../security/tokens.js';

/**
 * Slows and then refuses repeated sign-in failures, per account and per client
 * address. Kept in the database so every gateway process sees the same counts.
 */
export const THROTTLE = {
  windowMs: 15 * 60_000,
  /** Failures of one account after which each attempt waits before answering. */
  slowAfter: 3,
  delayStepMs: 400,
  maxDelayMs: 2_000,
  /** Failures of one account after which it is refused for lockMs. */
  lockAfter: 8,
  lockMs: 15 * 60_000,
  /**
   * One client address is limited far more loosely: a community service
   * center, or a carrier's NAT, puts many honest people behind one address.
   */
  address: { slowAfter: 10, lockAfter: 50 },
} as const;

export interface ThrottleKey {
  kind: 'account' | 'address';
  /** What is stored: a hash, so the table holds no ID numbers or addresses. */
  hash: string;
}

export function throttleKey(kind: ThrottleKey['kind'], value: string): ThrottleKey {
  return { kind, hash: sha256Hex(`${kind}:${value}`) };
}

function limitsOf(key: ThrottleKey) {
  return key.kind === 'address' ? THROTTLE.address : THROTTLE;
}

export interface ThrottleState {
  lockedUntil: Date | null;
  delayMs: number;
}

export async function readThrottle(deps: ServerDeps, keys: ThrottleKey[]): Promise<ThrottleState> {
  const now = deps.now();
  const rows = await deps.db.prisma.signInThrottle.findMany({ where: { key: { in: keys.map((key) => key.hash) } } });
  let lockedUntil: Date | null = null;
  let over = 0;
  for (const row of rows) {
    if (row.lockedUntil && row.lockedUntil > now && (!lockedUntil || row.lockedUntil > lockedUntil)) {
      lockedUntil = row.lockedUntil;
    }
    const key = keys.find((candidate) => candidate.hash === row.key)!;
    if (now.getTime() - row.windowStart.getTime() < THROTTLE.windowMs) {
      over = Math.max(over, row.failures - limitsOf(key).slowAfter + 1);
    }
  }
  const delayMs = over > 0 ? Math.min(over * THROTTLE.delayStepMs, THROTTLE.maxDelayMs) : 0;
  return { lockedUntil, delayMs };
}

export async function recordFailure(deps: ServerDeps, keys: ThrottleKey[]): Promise<void> {
  const now = deps.now();
  const windowStartCutoff = new Date(now.getTime() - THROTTLE.windowMs);
  const lockUntil = new Date(now.getTime() + THROTTLE.lockMs);
  for (const key of keys) {
    const lockAfter = limitsOf(key).lockAfter;
    // One statement, so concurrent failures on several gateways all count.
    await deps.db.prisma.$executeRaw`
      INSERT INTO "SignInThrottle" ("key", "failures", "windowStart", "lockedUntil")
      VALUES (${key.hash}, 1, ${now}, NULL)
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = CASE WHEN "SignInThrottle"."windowStart" < ${windowStartCutoff} THEN 1 ELSE "SignInThrottle"."failures" + 1 END,
        "windowStart" = CASE WHEN "SignInThrottle"."windowStart" < ${windowStartCutoff} THEN ${now} ELSE "SignInThrottle"."windowStart" END,
        "lockedUntil" = CASE
          WHEN "SignInThrottle"."windowStart" >= ${windowStartCutoff} AND "SignInThrottle"."failures" + 1 >= ${lockAfter}
          THEN ${lockUntil}::timestamptz ELSE "SignInThrottle"."lockedUntil" END`;
  }
}

export async function clearFailures(deps: ServerDeps, accountKey: ThrottleKey): Promise<void> {
  await deps.db.prisma.signInThrottle.deleteMany({ where: { key: accountKey.hash } });
}
