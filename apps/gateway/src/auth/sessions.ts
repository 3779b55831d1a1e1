import { randomUUID } from 'node:crypto';
import type { ServerDeps } from '../context.js';
import type { StaffRole } from '../generated/prisma/enums.js';
import { randomToken, sha256Hex } from '../security/tokens.js';

export const SESSION_COOKIE = 'sw_session';

export type ActiveSession =
  | { id: string; kind: 'RESIDENT'; residentId: string }
  | { id: string; kind: 'STAFF'; staffId: string; centerId: string; role: StaffRole };

export type Principal = { kind: 'RESIDENT'; residentId: string } | { kind: 'STAFF'; staffId: string };

/** Creates a session and returns the cookie token (only its hash is stored). */
export async function createSession(deps: ServerDeps, principal: Principal): Promise<string> {
  const token = randomToken();
  const now = deps.now();
  await deps.db.prisma.session.create({
    data: {
      id: randomUUID(),
      tokenHash: sha256Hex(token),
      kind: principal.kind,
      residentId: principal.kind === 'RESIDENT' ? principal.residentId : null,
      staffId: principal.kind === 'STAFF' ? principal.staffId : null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + deps.config.sessionAbsoluteMs),
    },
  });
  return token;
}

/**
 * The session behind a cookie token, if it is neither ended, idle too long,
 * nor past its absolute expiry. One statement: it checks the session and
 * records this use as its latest activity, so idle expiry counts from the
 * very last request.
 */
export async function resolveSession(deps: ServerDeps, token: string | null): Promise<ActiveSession | null> {
  if (!token || token.length > 100) return null;
  const now = deps.now();
  const idleCutoff = new Date(now.getTime() - deps.config.sessionIdleMs);
  const [session] = await deps.db.prisma.$queryRaw<
    {
      id: string;
      kind: 'RESIDENT' | 'STAFF';
      residentId: string | null;
      staffId: string | null;
      centerId: string | null;
      role: StaffRole | null;
    }[]
  >`
    WITH touched AS (
      UPDATE "Session" SET "lastSeenAt" = ${now}
       WHERE "tokenHash" = ${sha256Hex(token)} AND "endedAt" IS NULL AND "expiresAt" > ${now} AND "lastSeenAt" >= ${idleCutoff}
       RETURNING "id", "kind"::text AS "kind", "residentId", "staffId"
    )
    SELECT touched.*, staff."centerId", staff."role"::text AS "role"
      FROM touched LEFT JOIN "StaffMember" AS staff ON staff."id" = touched."staffId"`;
  if (!session) return null;
  if (session.kind === 'RESIDENT' && session.residentId)
    return { id: session.id, kind: 'RESIDENT', residentId: session.residentId };
  if (session.kind === 'STAFF' && session.staffId && session.centerId && session.role) {
    return { id: session.id, kind: 'STAFF', staffId: session.staffId, centerId: session.centerId, role: session.role };
  }
  return null;
}

export async function endSession(deps: ServerDeps, sessionId: string): Promise<void> {
  await deps.db.prisma.session.updateMany({
    where: { id: sessionId, endedAt: null },
    data: { endedAt: deps.now() },
  });
}

export function sessionCookie(token: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${options.maxAgeSeconds}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', { secure, maxAgeSeconds: 0 });
}
