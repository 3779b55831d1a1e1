import type { ServerDeps } from '../../context.js';

/** The card office's production queue: replacements not yet ready, oldest first. No personal data beyond the masked ID. */
export async function listProductionQueue(options: { deps: Pick<ServerDeps, 'db'> }) {
  const rows = await options.deps.db.prisma.cardReplacement.findMany({
    where: { status: { in: ['SUBMITTED', 'IN_PRODUCTION'] } },
    orderBy: { createdAt: 'asc' },
    take: 100,
    select: {
      id: true,
      status: true,
      reason: true,
      createdAt: true,
      resident: { select: { idNumberMask: true } },
      pickupCenter: { select: { name: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    reason: row.reason,
    createdAt: row.createdAt,
    maskedIdNumber: row.resident.idNumberMask,
    pickupCenterName: row.pickupCenter.name,
  }));
}
