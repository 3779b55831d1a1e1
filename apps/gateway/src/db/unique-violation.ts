/**
 * Whether `error` is a unique-constraint violation: Prisma's P2002, or PostgreSQL's 23505 from a raw
 * query's driver. With `field`, only one that names that column (a request key, a reference), so a
 * caller can tell which of a table's unique indexes refused the row.
 */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown; meta?: unknown; constraint?: unknown };
  if (candidate.code !== 'P2002' && candidate.code !== '23505') return false;
  if (!field) return true;
  return JSON.stringify({ meta: candidate.meta ?? {}, constraint: candidate.constraint ?? null }).includes(field);
}
