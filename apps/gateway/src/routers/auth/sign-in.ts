import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { decoyPasswordHash, verifyPassword } from '../../security/passwords.js';
import { createSession, endSession, sessionCookie, type Principal } from '../../auth/sessions.js';
import { clearFailures, readThrottle, recordFailure, throttleKey } from '../../auth/throttle.js';

interface Account {
  principal: Principal;
  passwordHash: string;
}

/**
 * Shared by resident and staff sign-in: throttling, constant-shape failure,
 * a fresh session. Unknown account and wrong password answer alike.
 */
export async function signIn(ctx: Context, accountName: string, password: string, findAccount: () => Promise<Account | null>) {
  const accountKey = throttleKey('account', accountName);
  const addressKey = throttleKey('address', ctx.request.clientAddress);
  const throttle = await readThrottle(ctx, [accountKey, addressKey]);
  if (throttle.lockedUntil) {
    const minutes = Math.max(1, Math.ceil((throttle.lockedUntil.getTime() - ctx.now().getTime()) / 60_000));
    throw new AppError('TOO_MANY_REQUESTS', 'errors.signInLocked', 'Too many failed sign-ins; try again later.', { minutes });
  }
  if (throttle.delayMs > 0) await sleep(throttle.delayMs);

  const account = await findAccount();
  const valid = await verifyPassword(account?.passwordHash ?? (await decoyPasswordHash()), password);
  if (!account || !valid) {
    await recordFailure(ctx, [accountKey, addressKey]);
    throw new AppError('UNAUTHORIZED', 'errors.invalidCredentials', 'The account or password is wrong.');
  }
  await clearFailures(ctx, accountKey);
  if (ctx.session) await endSession(ctx, ctx.session.id);
  const token = await createSession(ctx, account.principal);
  ctx.request.setCookie(
    sessionCookie(token, { secure: ctx.config.secureCookies, maxAgeSeconds: Math.floor(ctx.config.sessionAbsoluteMs / 1000) }),
  );
  return account.principal;
}
