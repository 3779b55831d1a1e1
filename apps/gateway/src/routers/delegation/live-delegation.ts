import type { ServerDeps } from '../../context.js';

/** A delegation the grantee holds now: started, not yet ended, not revoked. */
export async function findLiveDelegation(deps: ServerDeps, delegationId: string, granteeId: string) {
  const now = deps.now();
  return deps.db.prisma.delegationGrant.findFirst({
    where: { id: delegationId, granteeId, revokedAt: null, startsAt: { lte: now }, endsAt: { gt: now } },
    select: { id: true, grantorId: true, service: true, endsAt: true },
  });
}
