import type { ServerDeps } from '../../context.js';

const PAGE_SIZE = 24;

/** Benefit payments, newest month first, a page at a time; `before` is the last id of the previous page. */
export async function listBenefitPayments(options: {
  deps: Pick<ServerDeps, 'db'>;
  residentId: string;
  before?: string;
}) {
  const { deps, residentId, before } = options;
  const rows = await deps.db.prisma.benefitPayment.findMany({
    where: { residentId, ...(before ? { id: { lt: BigInt(before) } } : {}) },
    orderBy: [{ month: 'desc' }, { id: 'desc' }],
    take: PAGE_SIZE + 1,
  });
  const page = rows.slice(0, PAGE_SIZE);
  return {
    payments: page.map((row) => ({
      id: row.id.toString(),
      kind: row.kind,
      month: row.month.toISOString().slice(0, 7),
      amountFen: row.amountFen,
      payer: row.payer,
    })),
    nextBefore: rows.length > PAGE_SIZE ? page[page.length - 1]!.id.toString() : null,
  };
}
