import type { ServerDeps } from '../context.js';
import { sha256Hex } from '../security/tokens.js';

/**
 * Slows and then refuses repeated sign-in failures, per account and per client
 * address. Kept in the database so every gateway process sees the same counts.
 */
export const THROTTLE = {
  windowMs: 15 * 60_000,
  /** Failures after which each attempt waits before answering. */
  slowAfter: 3,
  delayStepMs: 400,
  maxDelayMs: 2_000,
  /** Failures after which the key is refused for lockMs. */
  lockAfter: 8,
  lockMs: 15 * 60_000,
} as const;

export function throttleKey(kind: 'account' | 'address', value: string): string {
  return sha256Hex(`${kind}:${value}`);
}

export interface ThrottleState {
  lockedUntil: Date | null;
  delayMs: number;
}

export async function readThrottle(deps: ServerDeps, keys: string[]): Promise<ThrottleState> {
  const now = deps.now();
  const rows = await deps.db.prisma.signInThrottle.findMany({ where: { key: { in: keys } } });
  let lockedUntil: Date | null = null;
  let failures = 0;
  for (const row of rows) {
    if (row.lockedUntil && row.lockedUntil > now && (!lockedUntil || row.lockedUntil > lockedUntil)) {
      lockedUntil = row.lockedUntil;
    }
    if (now.getTime() - row.windowStart.getTime() < THROTTLE.windowMs) failures = Math.max(failures, row.failures);
  }
  const over = failures - THROTTLE.slowAfter + 1;
  const delayMs = over > 0 ? Math.min(over * THROTTLE.delayStepMs, THROTTLE.maxDelayMs) : 0;
  return { lockedUntil, delayMs };
}

export async function recordFailure(deps: ServerDeps, keys: string[]): Promise<void> {
  const now = deps.now();
  const windowStartCutoff = new Date(now.getTime() - THROTTLE.windowMs);
  const lockUntil = new Date(now.getTime() + THROTTLE.lockMs);
  for (const key of keys) {
    // One statement, so concurrent failures on several gateways all count.
    await deps.db.prisma.$executeRaw`
      INSERT INTO "SignInThrottle" ("key", "failures", "windowStart", "lockedUntil")
      VALUES (${key}, 1, ${now}, NULL)
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = CASE WHEN "SignInThrottle"."windowStart" < ${windowStartCutoff} THEN 1 ELSE "SignInThrottle"."failures" + 1 END,
        "windowStart" = CASE WHEN "SignInThrottle"."windowStart" < ${windowStartCutoff} THEN ${now} ELSE "SignInThrottle"."windowStart" END,
        "lockedUntil" = CASE
          WHEN "SignInThrottle"."windowStart" >= ${windowStartCutoff} AND "SignInThrottle"."failures" + 1 >= ${THROTTLE.lockAfter}
          THEN ${lockUntil}::timestamptz ELSE "SignInThrottle"."lockedUntil" END`;
  }
}

export async function clearFailures(deps: ServerDeps, accountKey: string): Promise<void> {
  await deps.db.prisma.signInThrottle.deleteMany({ where: { key: accountKey } });
}
