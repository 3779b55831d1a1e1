import type { DataProtector } from '../../security/data-protector.js';

/** A QR code shown on a phone lives one minute, so a screenshot is soon worthless. */
export const QR_TTL_MS = 60_000;
const PREFIX = 'SWCARD1';

export function issueQrToken(protector: DataProtector, cardId: string, now: Date): { token: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + QR_TTL_MS);
  const payload = Buffer.from(JSON.stringify({ c: cardId, e: expiresAt.getTime() })).toString('base64url');
  return { token: `${PREFIX}.${payload}.${protector.sign(`qr.${payload}`)}`, expiresAt };
}

export type QrCheck = { ok: true; cardId: string } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

export function checkQrToken(protector: DataProtector, token: string, now: Date): QrCheck {
  const [prefix, payload, signature, extra] = token.trim().split('.');
  if (prefix !== PREFIX || !payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  if (protector.sign(`qr.${payload}`) !== signature) return { ok: false, reason: 'signature' };
  try {
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { c: string; e: number };
    if (typeof data.c !== 'string' || typeof data.e !== 'number') return { ok: false, reason: 'malformed' };
    if (data.e < now.getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, cardId: data.c };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
}
