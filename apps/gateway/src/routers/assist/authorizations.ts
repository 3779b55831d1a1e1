import type { ServerDeps } from '../../context.js';

/** Longest an authorization lasts; it ends sooner when the visit ends or the resident revokes it. */
export const AUTHORIZATION_MAX_MS = 2 * 60 * 60_000;

/** A live authorization recorded by this staff member: not ended, not revoked, not expired. */
export async function findLiveAuthorization(deps: ServerDeps, authorizationId: string, staffId: string) {
  return deps.db.prisma.assistAuthorization.findFirst({
    where: {
      id: authorizationId,
      staffId,
      endedAt: null,
      revokedAt: null,
      expiresAt: { gt: deps.now() },
    },
    select: { id: true, residentId: true, scopes: true, method: true, expiresAt: true, includesSensitiveHealth: true },
  });
}

export type AuthorizationState = 'LIVE' | 'ENDED' | 'REVOKED' | 'EXPIRED';

export function authorizationState(
  authorization: { endedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now: Date,
): AuthorizationState {
  if (authorization.revokedAt) return 'REVOKED';
  if (authorization.endedAt) return 'ENDED';
  if (authorization.expiresAt <= now) return 'EXPIRED';
  return 'LIVE';
}
