import type { Prisma } from '../../generated/prisma/client.js';

type Client = Pick<Prisma.TransactionClient, 'socialSecurityCard'>;

/** The resident's card in use: the newest one that has not been replaced. */
export function findCurrentCard(prisma: Client, residentId: string) {
  return prisma.socialSecurityCard.findFirst({
    where: { residentId, status: { not: 'REPLACED' } },
    orderBy: { issuedAt: 'desc' },
    select: { id: true, cardNumberMask: true, bank: true, issuedAt: true, status: true, lostAt: true },
  });
}
