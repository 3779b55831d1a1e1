import { randomUUID } from 'node:crypto';
import type { ServerDeps } from '../context.js';
import type { StaffRole } from '../generated/prisma/enums.js';
import { randomToken, sha256Hex } from '../security/tokens.js';

export const SESSION_COOKIE = 'sw_session';
/** lastSeenAt is written at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

export type ActiveSession =
  | { id: string; kind: 'RESIDENT'; residentId: string }
  | { id: string; kind: 'STAFF'; staffId: string; centerId: string; role: StaffRole };

export type Principal =
  | { kind: 'RESIDENT'; residentId: string }
  | { kind: 'STAFF'; staffId: string };

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

/** The session behind a cookie token, if it is neither ended, idle too long, nor past its absolute expiry. */
export async function resolveSession(deps: ServerDeps, token: string | null): Promise<ActiveSession | null> {
  if (!token || token.length > 100) return null;
  const session = await deps.db.prisma.session.findUnique({
    where: { tokenHash: sha256Hex(token) },
    select: {
      id: true,
      kind: true,
      residentId: true,
      staffId: true,
      lastSeenAt: true,
      expiresAt: true,
      endedAt: true,
    },
  });
  if (!session || session.endedAt) return null;
  const now = deps.now();
  if (session.expiresAt <= now) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > deps.config.sessionIdleMs) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await deps.db.prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  if (session.kind === 'RESIDENT' && session.residentId) {
    return { id: session.id, kind: 'RESIDENT', residentId: session.residentId };
  }
  if (session.kind === 'STAFF' && session.staffId) {
    // Only staff sessions need the center and role: a resident's request costs one lookup.
    const staff = await deps.db.prisma.staffMember.findUnique({ where: { id: session.staffId }, select: { centerId: true, role: true } });
    if (staff) return { id: session.id, kind: 'STAFF', staffId: session.staffId, centerId: staff.centerId, role: staff.role };
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
