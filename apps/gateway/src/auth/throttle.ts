import type { ServerDeps } from '../context.js';

/**
 * Attempt counters shared by every gateway process (they live in the
 * database). An attempt is counted, in one atomic statement, *before* the
 * password or code is checked, so concurrent and batched attempts are
 * counted exactly: with a limit of 8, 40 parallel guesses get 8 checks.
 *
 * What a counter limits is a *rule* (below). A rule slows attempts down
 * after `slowAfter` and refuses them after `lockAfter` within the window;
 * a rule with `refuses: false` only ever slows down (used where a stranger
 * must not be able to lock out people who share an address).
 */
export interface ThrottleRule {
  /** Names the counter's purpose in its stored key, so two rules never share a row. */
  name: string;
  slowAfter: number;
  lockAfter: number;
  refuses: boolean;
}

export const THROTTLE = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  delayStepMs: 400,
  maxDelayMs: 2_000,
  /** Sign-in rules, after OWASP ASVS 5.0 V6.3 and OWASP's "device cookies". */
  signIn: {
    /** One account from one address, on a device that never signed in to it: the usual guesser. */
    pair: { name: 'sign-in:pair', slowAfter: 3, lockAfter: 8, refuses: true },
    /** One account from a device that signed in to it before (device cookie): the owner keeps their own allowance. */
    trustedDevice: { name: 'sign-in:device', slowAfter: 3, lockAfter: 10, refuses: true },
    /** One account from anywhere, untrusted devices only: a guesser spread over many addresses. */
    account: { name: 'sign-in:account', slowAfter: 10, lockAfter: 40, refuses: true },
    /** One address over every account, untrusted devices only: a resident-account sprayer behind one address. */
    residentAddress: { name: 'sign-in:address', slowAfter: 20, lockAfter: 100, refuses: true },
    /** Staff at one address (a service center behind one NAT) are slowed, never refused, by strangers' failures. */
    staffAddress: { name: 'sign-in:address', slowAfter: 20, lockAfter: 100, refuses: false },
  },
  /** Counter staff: one-time codes tried, over every resident. */
  staffCodes: { name: 'assist:codes', slowAfter: 5, lockAfter: 20, refuses: true },
  /** Counter staff: residents looked up by ID number (every lookup counts). */
  staffLookups: { name: 'assist:lookups', slowAfter: 40, lockAfter: 80, refuses: true },
  /** Counter staff: lookups that found nobody (mistyped or guessed numbers). */
  staffLookupMisses: { name: 'assist:lookup-misses', slowAfter: 5, lockAfter: 15, refuses: true },
} as const satisfies Record<string, unknown>;

export interface ThrottleKey {
  rule: ThrottleRule;
  /** What is stored: a keyed hash, so the table holds no ID numbers or addresses. */
  hash: string;
}

/** The counter of `rule` for `subject` (an account name, an address, a staff id, or a combination). */
export function throttleKey(deps: Pick<ServerDeps, 'protector'>, rule: ThrottleRule, subject: string): ThrottleKey {
  return { rule, hash: deps.protector.lookupHashHex(`${rule.name}\u0000${subject}`, 'throttle') };
}

export interface Attempt {
  keys: ThrottleKey[];
  /** Set when a rule refuses this attempt: until when. Nothing may be checked then. */
  refusedUntil: Date | null;
  /** How long to wait before checking, given the attempts already counted. */
  delayMs: number;
}

/** Counts one attempt on every key, atomically per key, and says whether it may be checked. */
export async function claimAttempt(deps: ServerDeps, keys: ThrottleKey[]): Promise<Attempt> {
  const now = deps.now();
  const cutoff = new Date(now.getTime() - THROTTLE.windowMs);
  const lockUntil = new Date(now.getTime() + THROTTLE.lockMs);
  let refusedUntil: Date | null = null;
  let over = 0;
  // Always in the same order, so that concurrent attempts never wait on each other's rows in a cycle.
  const ordered = [...keys].sort((a, b) => a.hash.localeCompare(b.hash));
  for (const key of ordered) {
    const lockAfter = key.rule.refuses ? key.rule.lockAfter : 2_147_483_647;
    // A locked counter stays as it is; an old window starts again; otherwise one more, locking on the attempt past the limit.
    const [row] = await deps.db.prisma.$queryRaw<{ failures: number; lockedUntil: Date | null }[]>`
      INSERT INTO "SignInThrottle" AS t ("key", "failures", "windowStart", "lockedUntil")
      VALUES (${key.hash}, 1, ${now}, NULL)
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = CASE
          WHEN t."lockedUntil" > ${now} THEN t."failures"
          WHEN t."windowStart" < ${cutoff} THEN 1
          ELSE t."failures" + 1 END,
        "windowStart" = CASE
          WHEN t."lockedUntil" > ${now} THEN t."windowStart"
          WHEN t."windowStart" < ${cutoff} THEN ${now}
          ELSE t."windowStart" END,
        "lockedUntil" = CASE
          WHEN t."lockedUntil" > ${now} THEN t."lockedUntil"
          WHEN t."windowStart" >= ${cutoff} AND t."failures" + 1 > ${lockAfter} THEN ${lockUntil}::timestamptz
          ELSE NULL END
      RETURNING "failures", "lockedUntil"`;
    if (!row) throw new Error('Throttle counter not returned');
    const locked = key.rule.refuses && row.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
    if (locked && (!refusedUntil || locked > refusedUntil)) refusedUntil = locked;
    over = Math.max(over, row.failures - key.rule.slowAfter);
  }
  const delayMs = over > 0 ? Math.min(over * THROTTLE.delayStepMs, THROTTLE.maxDelayMs) : 0;
  return { keys, refusedUntil, delayMs };
}

/**
 * The attempt succeeded: it was no failure. Counters in `reset` start again
 * (the owner's own allowance: ASVS resets it on success); the others only
 * take this attempt back, so a success does not wipe out a stranger's count.
 */
export async function settleSuccess(deps: ServerDeps, attempt: Attempt, reset: ThrottleKey[] = []): Promise<void> {
  const resetHashes = new Set(reset.map((key) => key.hash));
  const toReset = attempt.keys.filter((key) => resetHashes.has(key.hash)).map((key) => key.hash);
  const toUndo = attempt.keys.filter((key) => !resetHashes.has(key.hash)).map((key) => key.hash);
  if (toReset.length) await deps.db.prisma.signInThrottle.deleteMany({ where: { key: { in: toReset } } });
  if (toUndo.length) {
    await deps.db.prisma.$executeRaw`
      UPDATE "SignInThrottle" SET "failures" = GREATEST("failures" - 1, 0)
      WHERE "key" = ANY(${toUndo}::text[]) AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${deps.now()})`;
  }
}

/** Whole minutes until `until`, at least one: what the refusal tells the person. */
export function minutesUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}
