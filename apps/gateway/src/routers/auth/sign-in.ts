import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { decoyPasswordHash, verifyPassword } from '../../security/passwords.js';
import { createSession, endSession, sessionCookie, type Principal } from '../../auth/sessions.js';
import {
  THROTTLE,
  claimAttempt,
  minutesUntil,
  settleSuccess,
  throttleKey,
  type ThrottleKey,
} from '../../auth/throttle.js';
import { isTrustedDevice, trustDevice } from '../../auth/trusted-devices.js';

interface Account {
  principal: Principal;
  passwordHash: string;
}

/**
 * Which counters an attempt counts on. A device that signed in to this
 * account before has its own allowance and nothing else; any other device
 * counts on the (account, address) pair, the account as a whole, and the
 * address, which for staff only ever slows down.
 */
async function attemptKeys(
  ctx: Context,
  kind: Principal['kind'],
  accountName: string,
): Promise<{ keys: ThrottleKey[]; owner: ThrottleKey }> {
  const rules = THROTTLE.signIn;
  const address = ctx.request.clientAddress;
  if (await isTrustedDevice(ctx, ctx.request.deviceToken, accountName)) {
    const device = throttleKey(ctx, rules.trustedDevice, `${accountName}\u0000${ctx.request.deviceToken}`);
    return { keys: [device], owner: device };
  }
  const pair = throttleKey(ctx, rules.pair, `${accountName}\u0000${address}`);
  const keys = [
    pair,
    throttleKey(ctx, rules.account, accountName),
    throttleKey(ctx, kind === 'STAFF' ? rules.staffAddress : rules.residentAddress, address),
  ];
  return { keys, owner: pair };
}

/**
 * Shared by resident and staff sign-in: the attempt is counted before the
 * password is checked, failures answer alike for unknown accounts and wrong
 * passwords, and success starts a fresh session on a trusted device.
 */
export async function signIn(
  ctx: Context,
  kind: Principal['kind'],
  accountName: string,
  password: string,
  findAccount: () => Promise<Account | null>,
) {
  const { keys, owner } = await attemptKeys(ctx, kind, accountName);
  const attempt = await claimAttempt(ctx, keys);
  if (attempt.refusedUntil) {
    throw new AppError('TOO_MANY_REQUESTS', 'errors.signInLocked', 'Too many failed sign-ins; try again later.', {
      minutes: minutesUntil(attempt.refusedUntil, ctx.now()),
    });
  }
  if (attempt.delayMs > 0) await sleep(attempt.delayMs);

  const account = await findAccount();
  const valid = await verifyPassword(account?.passwordHash ?? (await decoyPasswordHash()), password);
  if (!account || !valid)
    throw new AppError('UNAUTHORIZED', 'errors.invalidCredentials', 'The account or password is wrong.');
  await settleSuccess(ctx, attempt, [owner]);
  if (ctx.session) await endSession(ctx, ctx.session.id);
  const token = await createSession(ctx, account.principal);
  ctx.request.setCookie(
    sessionCookie(token, {
      secure: ctx.config.secureCookies,
      maxAgeSeconds: Math.floor(ctx.config.sessionAbsoluteMs / 1000),
    }),
  );
  await trustDevice(ctx, accountName);
  return account.principal;
}
