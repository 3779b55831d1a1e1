import { randomUUID } from 'node:crypto';
import type { Context, ServerDeps } from '../context.js';
import { randomToken, sha256Hex } from '../security/tokens.js';

/**
 * Device cookies (OWASP "Slow Down Online Guessing Attacks with Device
 * Cookies"): a browser that signed in to an account once is trusted for that
 * account, and its attempts count against an allowance of their own. A
 * stranger guessing the password elsewhere therefore cannot lock the owner
 * out of a device they used before.
 */
export const DEVICE_COOKIE = 'sw_device';
/** A device unused this long is a stranger again. */
export const DEVICE_TRUST_MS = 180 * 24 * 60 * 60_000;

/** The account a device is trusted for, as a keyed hash: the table holds no ID or staff numbers. */
export function deviceAccountHash(deps: Pick<ServerDeps, 'protector'>, accountName: string): string {
  return deps.protector.lookupHashHex(accountName, 'trustedDevice');
}

export async function isTrustedDevice(
  deps: ServerDeps,
  deviceToken: string | null,
  accountName: string,
): Promise<boolean> {
  if (!deviceToken || deviceToken.length > 100) return false;
  const device = await deps.db.prisma.trustedDevice.findUnique({
    where: {
      tokenHash_accountHash: { tokenHash: sha256Hex(deviceToken), accountHash: deviceAccountHash(deps, accountName) },
    },
    select: { lastUsedAt: true },
  });
  return Boolean(device && deps.now().getTime() - device.lastUsedAt.getTime() < DEVICE_TRUST_MS);
}

/** After a successful sign-in: this browser is trusted for the account from now on (a new cookie if it had none). */
export async function trustDevice(ctx: Context, accountName: string): Promise<void> {
  const existing = ctx.request.deviceToken && ctx.request.deviceToken.length <= 100 ? ctx.request.deviceToken : null;
  const token = existing ?? randomToken();
  const now = ctx.now();
  await ctx.db.prisma.trustedDevice.upsert({
    where: { tokenHash_accountHash: { tokenHash: sha256Hex(token), accountHash: deviceAccountHash(ctx, accountName) } },
    create: {
      id: randomUUID(),
      tokenHash: sha256Hex(token),
      accountHash: deviceAccountHash(ctx, accountName),
      createdAt: now,
      lastUsedAt: now,
    },
    update: { lastUsedAt: now },
  });
  if (!existing) ctx.request.setCookie(deviceCookie(token, ctx.config.secureCookies));
}

function deviceCookie(token: string, secure: boolean): string {
  // Only the gateway reads it; it says nothing about who is signed in.
  const parts = [
    `${DEVICE_COOKIE}=${token}`,
    'Path=/trpc/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.floor(DEVICE_TRUST_MS / 1000)}`,
  ];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}
