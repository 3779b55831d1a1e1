import type { Prisma } from '../generated/prisma/client.js';

export interface Column {
  name: string;
  /** PostgreSQL type of the column, e.g. "uuid", "text", "timestamptz", "\"EncounterType\"". */
  type: string;
}

/**
 * Inserts many rows in one statement: one array parameter per column,
 * unnested by the database. Row-by-row inserts of tens of millions of
 * seeded rows would take hours.
 */
export async function bulkInsert(
  tx: Prisma.TransactionClient,
  table: string,
  columns: Column[],
  rows: Record<string, unknown>[],
) {
  if (!rows.length) return;
  const names = columns.map((column) => `"${column.name}"`).join(', ');
  const arrays = columns.map(
    (column, index) => `$${index + 1}::${column.type === 'text' || column.type === 'uuid' ? column.type : 'text'}[]`,
  );
  // Enum and other types arrive as text and are cast in the select list.
  const select = columns
    .map((column, index) => `c${index}${column.type === 'text' || column.type === 'uuid' ? '' : `::${column.type}`}`)
    .join(', ');
  const aliases = columns.map((_, index) => `c${index}`).join(', ');
  const values = columns.map((column) =>
    rows.map((row) => {
      const value = row[column.name];
      if (value === null || value === undefined) return null;
      if (value instanceof Date) return value.toISOString();
      return column.type === 'text' || column.type === 'uuid' ? value : String(value);
    }),
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO "${table}" (${names}) SELECT ${select} FROM unnest(${arrays.join(', ')}) AS t(${aliases})`,
    ...values,
  );
}
