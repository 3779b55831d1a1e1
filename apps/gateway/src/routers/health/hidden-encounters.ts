import type { ServerDeps } from '../../context.js';
import { AppError } from '../../errors.js';

/** The resident keeps one of their own encounters out of counter (assisted) views, or shows it again. */
export async function setEncounterHidden(options: {
  deps: Pick<ServerDeps, 'db'>;
  residentId: string;
  encounterId: string;
  hidden: boolean;
}) {
  const { deps, residentId, encounterId, hidden } = options;
  const result = await deps.db.prisma.encounter.updateMany({
    where: { id: encounterId, residentId },
    data: { hiddenFromAssisted: hidden },
  });
  if (result.count !== 1) throw new AppError('NOT_FOUND', 'errors.notFound', 'Encounter not found.');
  return { encounterId, hidden };
}
