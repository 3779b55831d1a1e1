import type { ServerDeps } from '../../context.js';
import { findCurrentCard } from './current-card.js';

/** The e-card page: holder, masked numbers, status, the replacement in progress if any, the last 10 card events. */
export async function readCardSummary(options: { deps: Pick<ServerDeps, 'db'>; residentId: string }) {
  const { deps, residentId } = options;
  const prisma = deps.db.prisma;
  const [resident, card, replacement, events] = await Promise.all([
    prisma.resident.findUniqueOrThrow({
      where: { id: residentId },
      select: { name: true, idNumberMask: true },
    }),
    findCurrentCard(prisma, residentId),
    prisma.cardReplacement.findFirst({
      where: { residentId },
      orderBy: { createdAt: 'desc' },
      select: {
        id: true,
        status: true,
        reason: true,
        createdAt: true,
        updatedAt: true,
        pickupCenter: { select: { name: true, address: true } },
      },
    }),
    prisma.cardEvent.findMany({
      where: { residentId },
      orderBy: { createdAt: 'desc' },
      take: 10,
      select: {
        id: true,
        kind: true,
        createdAt: true,
        staff: { select: { name: true, center: { select: { name: true } } } },
      },
    }),
  ]);
  return {
    holderName: resident.name,
    maskedIdNumber: resident.idNumberMask,
    card: card && {
      maskedCardNumber: card.cardNumberMask,
      bank: card.bank,
      issuedAt: card.issuedAt.toISOString().slice(0, 10),
      status: card.status,
      lostAt: card.lostAt,
    },
    replacement,
    events: events.map((event) => ({
      id: event.id,
      kind: event.kind,
      createdAt: event.createdAt,
      onBehalfBy: event.staff ? { staffName: event.staff.name, centerName: event.staff.center.name } : null,
    })),
  };
}
