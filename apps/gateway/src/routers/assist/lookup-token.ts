import type { DataProtector } from '../../security/data-protector.js';

const LOOKUP_TTL_MS = 15 * 60_000;

/**
 * After an exact ID-number match, staff hold this signed token instead of the
 * resident's id: it names nobody on screen and works only for the staff
 * member who looked up, for 15 minutes.
 */
export function issueLookupToken(protector: DataProtector, residentId: string, staffId: string, now: Date): string {
  const payload = Buffer.from(JSON.stringify({ r: residentId, s: staffId, e: now.getTime() + LOOKUP_TTL_MS })).toString(
    'base64url',
  );
  return `${payload}.${protector.sign(`lookup.${payload}`)}`;
}

export function readLookupToken(protector: DataProtector, token: string, staffId: string, now: Date): string | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  if (protector.sign(`lookup.${payload}`) !== signature) return null;
  try {
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { r: string; s: string; e: number };
    if (data.s !== staffId || data.e < now.getTime()) return null;
    return data.r;
  } catch {
    return null;
  }
}
