/**
 * Drift check between prisma/schema.prisma and a migrated database.
 *
 * Both sides are brought into one plain shape (tables, columns with their
 * PostgreSQL types as format_type() spells them, nullability and defaults,
 * primary keys, unique and plain indexes, foreign keys, enums) and compared;
 * the result is one readable line per difference. The schema side follows
 * Prisma's PostgreSQL conventions: default names (Table_pkey, Table_cols_key,
 * Table_cols_idx, Table_cols_fkey), DateTime as timestamp(3), scalar lists
 * without NOT NULL, required relations ON DELETE RESTRICT, optional ones
 * ON DELETE SET NULL, ON UPDATE CASCADE.
 */
import prismaSchemaWasm from '@prisma/prisma-schema-wasm';
import type { SqlRunner } from '../../src/db/database.js';

export interface ColumnShape {
  type: string;
  nullable: boolean;
  /** Normalized: 'now', 'autoincrement', a literal, or null for none. */
  default: string | null;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  /** Definitions keyed by name, e.g. `PRIMARY KEY ("id")`, `UNIQUE INDEX ("code")`, `INDEX ("residentId", "seq" DESC)`. */
  constraints: Record<string, string>;
}

export interface SchemaShape {
  tables: Record<string, TableShape>;
  enums: Record<string, string[]>;
}

// ---------------------------------------------------------------- schema.prisma side

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
}

interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  name?: string | null;
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: 'asc' | 'desc' }[];
}

interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; dbName: string | null; values: { name: string; dbName: string | null }[] }[];
    indexes: DmmfIndex[];
  };
}

export function readDmmf(schemaText: string): Dmmf {
  return JSON.parse(prismaSchemaWasm.get_dmmf(JSON.stringify({ prismaSchema: schemaText }))) as Dmmf;
}

/** Identifiers as PostgreSQL's format_type() prints them: quoted unless plain lower case. */
function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

const DEFAULT_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

function nativeTypeName(name: string, args: string[]): string {
  const [first, second] = args;
  switch (name) {
    case 'Uuid':
      return 'uuid';
    case 'Text':
      return 'text';
    case 'VarChar':
      return first ? `character varying(${first})` : 'character varying';
    case 'Char':
      return `character(${first ?? '1'})`;
    case 'Timestamptz':
      return `timestamp(${first ?? '6'}) with time zone`;
    case 'Timestamp':
      return `timestamp(${first ?? '6'}) without time zone`;
    case 'Date':
      return 'date';
    case 'Integer':
      return 'integer';
    case 'SmallInt':
      return 'smallint';
    case 'BigInt':
      return 'bigint';
    case 'Boolean':
      return 'boolean';
    case 'ByteA':
      return 'bytea';
    case 'DoublePrecision':
      return 'double precision';
    case 'Real':
      return 'real';
    case 'Decimal':
      return first ? `numeric(${first},${second ?? '0'})` : 'numeric';
    case 'JsonB':
      return 'jsonb';
    case 'Json':
      return 'json';
    default:
      throw new Error(
        `The drift check does not know the native type @db.${name} yet: teach test/support/schema-drift.ts about it`,
      );
  }
}

function prismaDefault(field: DmmfField): string | null {
  if (!field.hasDefaultValue || field.default === undefined) return null;
  const value = field.default;
  if (value !== null && typeof value === 'object' && 'name' in value) {
    const fn = value as { name: string; args: unknown[] };
    if (fn.name === 'now') return 'now';
    if (fn.name === 'autoincrement') return 'autoincrement';
    if (fn.name === 'dbgenerated') return String(fn.args[0] ?? '');
    // uuid(), cuid(), nanoid(): filled in by the client, no database default.
    return null;
  }
  if (Array.isArray(value)) return `{${value.map(String).join(',')}}`;
  return String(value);
}

const REFERENTIAL_ACTIONS: Record<string, string> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

function columnList(columns: { name: string; desc?: boolean }[]): string {
  return `(${columns.map((column) => `"${column.name}"${column.desc ? ' DESC' : ''}`).join(', ')})`;
}

/** The database schema that `prisma migrate` would create from this schema text. */
export function schemaFromPrisma(schemaText: string): SchemaShape {
  const { datamodel } = readDmmf(schemaText);
  const enums: SchemaShape['enums'] = {};
  const enumDbName = new Map<string, string>();
  for (const enumeration of datamodel.enums) {
    const name = enumeration.dbName ?? enumeration.name;
    enumDbName.set(enumeration.name, name);
    enums[name] = enumeration.values.map((value) => value.dbName ?? value.name);
  }
  const modelByName = new Map(datamodel.models.map((model) => [model.name, model]));
  const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
  const columnOf = (model: DmmfModel, fieldName: string) => {
    const field = model.fields.find((candidate) => candidate.name === fieldName);
    if (!field) throw new Error(`${model.name}.${fieldName} not found`);
    return field.dbName ?? field.name;
  };

  const tables: SchemaShape['tables'] = {};
  for (const model of datamodel.models) {
    const table = tableOf(model);
    const shape: TableShape = { columns: {}, constraints: {} };
    for (const field of model.fields) {
      if (field.kind === 'object') continue;
      if (field.kind === 'unsupported')
        throw new Error(`${model.name}.${field.name}: Unsupported types are not checked`);
      let type: string;
      if (field.kind === 'enum') type = quoteIdent(enumDbName.get(field.type) ?? field.type);
      else if (field.nativeType) type = nativeTypeName(field.nativeType[0], field.nativeType[1]);
      else {
        const fallback = DEFAULT_TYPES[field.type];
        if (!fallback) throw new Error(`${model.name}.${field.name}: unknown Prisma type ${field.type}`);
        type = fallback;
      }
      if (field.isList) type += '[]';
      shape.columns[field.dbName ?? field.name] = {
        type,
        // Prisma creates scalar list columns without NOT NULL.
        nullable: field.isList ? true : !field.isRequired,
        default: prismaDefault(field),
      };
    }
    tables[table] = shape;
  }

  for (const index of datamodel.indexes) {
    const model = modelByName.get(index.model)!;
    const table = tableOf(model);
    const columns = index.fields.map((field) => ({
      name: columnOf(model, field.name),
      desc: field.sortOrder === 'desc',
    }));
    const joined = columns.map((column) => column.name).join('_');
    const method = index.algorithm && index.algorithm !== 'BTree' ? ` USING ${index.algorithm.toLowerCase()}` : '';
    if (index.type === 'id') {
      const name = index.dbName ?? model.primaryKey?.name ?? `${table}_pkey`;
      tables[table]!.constraints[name] = `PRIMARY KEY ${columnList(columns)}`;
    } else if (index.type === 'unique') {
      const name = index.dbName ?? `${table}_${joined}_key`;
      tables[table]!.constraints[name] = `UNIQUE INDEX${method} ${columnList(columns)}`;
    } else if (index.type === 'normal') {
      const name = index.dbName ?? `${table}_${joined}_idx`;
      tables[table]!.constraints[name] = `INDEX${method} ${columnList(columns)}`;
    } else {
      throw new Error(`${model.name}: ${index.type} indexes are not checked`);
    }
  }

  for (const model of datamodel.models) {
    const table = tableOf(model);
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.relationFromFields?.length) continue;
      const target = modelByName.get(field.type)!;
      const from = field.relationFromFields.map((name) => ({ name: columnOf(model, name) }));
      const to = (field.relationToFields ?? []).map((name) => ({ name: columnOf(target, name) }));
      const onDelete = REFERENTIAL_ACTIONS[field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull')];
      const onUpdate = REFERENTIAL_ACTIONS[field.relationOnUpdate ?? 'Cascade'];
      const name = `${table}_${from.map((column) => column.name).join('_')}_fkey`;
      tables[table]!.constraints[name] =
        `FOREIGN KEY ${columnList(from)} REFERENCES "${tableOf(target)}" ${columnList(to)} ON DELETE ${onDelete} ON UPDATE ${onUpdate}`;
    }
  }
  return { tables, enums };
}

// ---------------------------------------------------------------- database side

function databaseDefault(expression: string | null): string | null {
  if (expression === null) return null;
  if (/^nextval\(/i.test(expression)) return 'autoincrement';
  if (/^(CURRENT_TIMESTAMP|now\(\))$/i.test(expression)) return 'now';
  // 'LITERAL'::type, or a bare literal such as false or 0.
  const literal = /^'((?:[^']|'')*)'::[\w." []+$/.exec(expression);
  if (literal) return literal[1]!.replaceAll("''", "'");
  return expression;
}

const ACTION_CODES: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/** What the database in `sql` actually holds in its public schema (Prisma's own `_prisma_migrations` aside). */
export async function schemaFromDatabase(sql: SqlRunner): Promise<SchemaShape> {
  const tables: SchemaShape['tables'] = {};
  const tableRows = await sql.query<{ table_name: string }>(
    `SELECT c.relname AS table_name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'`,
  );
  for (const row of tableRows) tables[row.table_name] = { columns: {}, constraints: {} };

  const columns = await sql.query<{
    table_name: string;
    column_name: string;
    type: string;
    not_null: boolean;
    default_expr: string | null;
  }>(
    `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default_expr
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  for (const column of columns) {
    const table = tables[column.table_name];
    if (!table) continue;
    table.columns[column.column_name] = {
      type: column.type,
      nullable: !column.not_null,
      default: databaseDefault(column.default_expr),
    };
  }

  const indexes = await sql.query<{
    table_name: string;
    index_name: string;
    is_primary: boolean;
    is_unique: boolean;
    method: string;
    columns: string;
  }>(
    `SELECT t.relname AS table_name, i.relname AS index_name, x.indisprimary AS is_primary, x.indisunique AS is_unique,
            am.amname AS method,
            (SELECT string_agg(
                      CASE WHEN x.indkey[k.n - 1] = 0 THEN pg_get_indexdef(x.indexrelid, k.n, true)
                           ELSE '"' || (SELECT a.attname FROM pg_attribute a
                                         WHERE a.attrelid = x.indrelid AND a.attnum = x.indkey[k.n - 1]) || '"' END ||
                      CASE WHEN (x.indoption[k.n - 1] & 1) = 1 THEN ' DESC' ELSE '' END, ', ' ORDER BY k.n)
               FROM generate_series(1, x.indnkeyatts) AS k(n)) AS columns
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_am am ON am.oid = i.relam
      WHERE n.nspname = 'public'`,
  );
  for (const index of indexes) {
    const table = tables[index.table_name];
    if (!table) continue;
    const cols = `(${index.columns})`;
    const method = index.method === 'btree' ? '' : ` USING ${index.method}`;
    table.constraints[index.index_name] = index.is_primary
      ? `PRIMARY KEY ${cols}`
      : `${index.is_unique ? 'UNIQUE INDEX' : 'INDEX'}${method} ${cols}`;
  }

  const foreignKeys = await sql.query<{
    table_name: string;
    name: string;
    from_columns: string;
    target: string;
    to_columns: string;
    on_delete: string;
    on_update: string;
  }>(
    `SELECT t.relname AS table_name, con.conname AS name, r.relname AS target,
            (SELECT string_agg('"' || a.attname || '"', ', ' ORDER BY k.ord)
               FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS from_columns,
            (SELECT string_agg('"' || a.attname || '"', ', ' ORDER BY k.ord)
               FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS to_columns,
            con.confdeltype AS on_delete, con.confupdtype AS on_update
       FROM pg_constraint con
       JOIN pg_class t ON t.oid = con.conrelid
       JOIN pg_class r ON r.oid = con.confrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND con.contype = 'f'`,
  );
  for (const key of foreignKeys) {
    const table = tables[key.table_name];
    if (!table) continue;
    table.constraints[key.name] =
      `FOREIGN KEY (${key.from_columns}) REFERENCES "${key.target}" (${key.to_columns}) ON DELETE ${ACTION_CODES[key.on_delete]} ON UPDATE ${ACTION_CODES[key.on_update]}`;
  }

  const enumRows = await sql.query<{ name: string; value: string }>(
    `SELECT t.typname AS name, e.enumlabel AS value
       FROM pg_type t
       JOIN pg_namespace n ON n.oid = t.typnamespace
       JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = 'public'
      ORDER BY t.typname, e.enumsortorder`,
  );
  const enums: SchemaShape['enums'] = {};
  for (const row of enumRows) (enums[row.name] ??= []).push(row.value);
  return { tables, enums };
}

// ---------------------------------------------------------------- comparison

function describeColumn(column: ColumnShape): string {
  return `${column.type}${column.nullable ? '' : ' NOT NULL'}${column.default === null ? '' : ` DEFAULT ${column.default}`}`;
}

/**
 * Every difference between what schema.prisma describes and what the database
 * holds, one sentence each, sorted. Empty when they agree.
 */
export function diffSchemas(expected: SchemaShape, actual: SchemaShape): string[] {
  const problems: string[] = [];
  const names = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();

  for (const name of names(expected.enums, actual.enums)) {
    const want = expected.enums[name];
    const have = actual.enums[name];
    if (!have) problems.push(`enum "${name}" is in schema.prisma but not in the database`);
    else if (!want) problems.push(`enum "${name}" is in the database but not in schema.prisma`);
    else if (want.join(',') !== have.join(',')) {
      problems.push(
        `enum "${name}" has values [${have.join(', ')}] in the database, schema.prisma says [${want.join(', ')}]`,
      );
    }
  }

  for (const tableName of names(expected.tables, actual.tables)) {
    const want = expected.tables[tableName];
    const have = actual.tables[tableName];
    if (!have) {
      problems.push(`table "${tableName}" is in schema.prisma but not in the database`);
      continue;
    }
    if (!want) {
      problems.push(`table "${tableName}" is in the database but not in schema.prisma`);
      continue;
    }
    for (const columnName of names(want.columns, have.columns)) {
      const wantColumn = want.columns[columnName];
      const haveColumn = have.columns[columnName];
      const where = `column "${tableName}"."${columnName}"`;
      if (!haveColumn)
        problems.push(`${where} is in schema.prisma (${describeColumn(wantColumn!)}) but not in the database`);
      else if (!wantColumn)
        problems.push(`${where} is in the database (${describeColumn(haveColumn)}) but not in schema.prisma`);
      else {
        if (wantColumn.type !== haveColumn.type)
          problems.push(`${where} has type ${haveColumn.type} in the database, schema.prisma says ${wantColumn.type}`);
        if (wantColumn.nullable !== haveColumn.nullable) {
          problems.push(
            `${where} is ${haveColumn.nullable ? 'nullable' : 'NOT NULL'} in the database, schema.prisma says ${wantColumn.nullable ? 'nullable' : 'NOT NULL'}`,
          );
        }
        if (wantColumn.default !== haveColumn.default) {
          problems.push(
            `${where} has default ${haveColumn.default ?? '(none)'} in the database, schema.prisma says ${wantColumn.default ?? '(none)'}`,
          );
        }
      }
    }
    for (const constraintName of names(want.constraints, have.constraints)) {
      const wantDefinition = want.constraints[constraintName];
      const haveDefinition = have.constraints[constraintName];
      const where = `"${tableName}": "${constraintName}"`;
      if (!haveDefinition) problems.push(`${where} ${wantDefinition} is in schema.prisma but not in the database`);
      else if (!wantDefinition) problems.push(`${where} ${haveDefinition} is in the database but not in schema.prisma`);
      else if (wantDefinition !== haveDefinition) {
        problems.push(`${where} is ${haveDefinition} in the database, schema.prisma says ${wantDefinition}`);
      }
    }
  }
  return problems.sort();
}
