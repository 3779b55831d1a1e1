import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/config.js';
import { applyMigrations, MigrationError, readMigrations, type MigrationFile } from '../src/db/migrate.js';
import { MIGRATIONS_DIR, TARGETS, createTestDatabase, type TestDatabase } from './harness.js';
import { diffSchemas, schemaFromDatabase, schemaFromPrisma } from './support/schema-drift.js';

const SCHEMA_TEXT = fs.readFileSync(path.join(REPO_ROOT, 'prisma', 'schema.prisma'), 'utf8');

/** Small, deliberate edits to schema.prisma, and the exact lines the drift check must report for them. */
function alteredSchema(): { text: string; expectedProblems: string[] } {
  const edits: [string, string][] = [
    // A column grows.
    ['phoneMask    String?   @db.VarChar(11)', 'phoneMask    String?   @db.VarChar(12)'],
    // A column is added.
    [
      '  lostAt         DateTime?  @db.Timestamptz(3)',
      '  lostAt         DateTime?  @db.Timestamptz(3)\n  note           String?',
    ],
    // An enum gains a value.
    ['enum CardStatus {\n  ACTIVE', 'enum CardStatus {\n  FROZEN\n  ACTIVE'],
    // An index disappears.
    ['  @@index([householdId])\n', ''],
    // A relation starts cascading deletes.
    [
      '  resident        Resident      @relation(fields: [residentId], references: [id])\n  cardId',
      '  resident        Resident      @relation(fields: [residentId], references: [id], onDelete: Cascade)\n  cardId',
    ],
    // A column loses its default and becomes nullable.
    ['  idDocumentChecked Boolean             @default(false)', '  idDocumentChecked Boolean?'],
  ];
  let text = SCHEMA_TEXT;
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`schema.prisma changed: cannot find ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  return {
    text,
    expectedProblems: [
      '"CardEvent": "CardEvent_residentId_fkey" is FOREIGN KEY ("residentId") REFERENCES "Resident" ("id") ON DELETE RESTRICT ON UPDATE CASCADE in the database, schema.prisma says FOREIGN KEY ("residentId") REFERENCES "Resident" ("id") ON DELETE CASCADE ON UPDATE CASCADE',
      '"Resident": "Resident_householdId_idx" INDEX ("householdId") is in the database but not in schema.prisma',
      'column "AssistAuthorization"."idDocumentChecked" has default false in the database, schema.prisma says (none)',
      'column "AssistAuthorization"."idDocumentChecked" is NOT NULL in the database, schema.prisma says nullable',
      'column "Resident"."phoneMask" has type character varying(11) in the database, schema.prisma says character varying(12)',
      'column "SocialSecurityCard"."note" is in schema.prisma (text) but not in the database',
      'enum "CardStatus" has values [ACTIVE, LOST, REPLACED] in the database, schema.prisma says [FROZEN, ACTIVE, LOST, REPLACED]',
    ],
  };
}

describe('drift check (comparison only, no database)', () => {
  it('finds nothing between schema.prisma and itself', () => {
    const shape = schemaFromPrisma(SCHEMA_TEXT);
    expect(Object.keys(shape.tables).length).toBeGreaterThan(10);
    expect(diffSchemas(shape, schemaFromPrisma(SCHEMA_TEXT))).toEqual([]);
  });

  it('reports each deliberate change to schema.prisma precisely', () => {
    const { text, expectedProblems } = alteredSchema();
    // "Database" here is the unaltered schema: the comparison alone must name every edit.
    expect(diffSchemas(schemaFromPrisma(text), schemaFromPrisma(SCHEMA_TEXT))).toEqual(expectedProblems);
  });

  it('reports a missing table and an extra one', () => {
    const text = `${SCHEMA_TEXT}\nmodel Extra {\n  id Int @id\n}\n`;
    expect(diffSchemas(schemaFromPrisma(text), schemaFromPrisma(SCHEMA_TEXT))).toEqual([
      'table "Extra" is in schema.prisma but not in the database',
    ]);
    expect(diffSchemas(schemaFromPrisma(SCHEMA_TEXT), schemaFromPrisma(text))).toEqual([
      'table "Extra" is in the database but not in schema.prisma',
    ]);
  });
});

describe.each(TARGETS)('migrations on %s', (target) => {
  let database: TestDatabase;
  let migrations: MigrationFile[];

  beforeAll(async () => {
    database = await createTestDatabase(target, { migrate: false });
    migrations = readMigrations(MIGRATIONS_DIR);
  });
  afterAll(() => database?.close());

  it('applies every migration once, and a second run applies nothing', async () => {
    const first = await applyMigrations(database.db.sql, migrations);
    expect(first).toEqual(migrations.map((migration) => migration.name));
    expect(first.length).toBeGreaterThan(0);
    const second = await applyMigrations(database.db.sql, migrations);
    expect(second).toEqual([]);
    const rows = await database.db.sql.query<{ migration_name: string }>(
      'SELECT migration_name FROM "_prisma_migrations"',
    );
    expect(rows.map((row) => row.migration_name).sort()).toEqual(migrations.map((migration) => migration.name));
  });

  it("records each migration in Prisma's _prisma_migrations table with the file's SHA-256", async () => {
    const columns = await database.db.sql.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', is_nullable: 'NO' },
      { column_name: 'checksum', data_type: 'character varying', is_nullable: 'NO' },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', is_nullable: 'YES' },
      { column_name: 'migration_name', data_type: 'character varying', is_nullable: 'NO' },
      { column_name: 'logs', data_type: 'text', is_nullable: 'YES' },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', is_nullable: 'YES' },
      { column_name: 'started_at', data_type: 'timestamp with time zone', is_nullable: 'NO' },
      { column_name: 'applied_steps_count', data_type: 'integer', is_nullable: 'NO' },
    ]);
    const rows = await database.db.sql.query<{
      migration_name: string;
      checksum: string;
      finished_at: unknown;
      applied_steps_count: number;
    }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const names = fs
      .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    for (const row of rows) {
      const file = fs.readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('refuses to run when an applied migration file was changed afterwards', async () => {
    const changed = migrations.map((migration, index) =>
      index === 0
        ? {
            ...migration,
            sql: `${migration.sql}\n-- edited`,
            checksum: createHash('sha256').update(`${migration.sql}\n-- edited`).digest('hex'),
          }
        : migration,
    );
    await expect(applyMigrations(database.db.sql, changed)).rejects.toThrow(MigrationError);
    await expect(applyMigrations(database.db.sql, changed)).rejects.toThrow(/was changed after it was applied/);
  });

  it('rolls a failing migration back whole, keeps its error, and refuses to continue until repaired', async () => {
    const broken: MigrationFile = {
      name: '99999999999999_broken',
      sql: 'CREATE TABLE "HalfDone" ("id" INTEGER);\nSELECT * FROM "NoSuchTable";',
      checksum: 'b'.repeat(64),
    };
    await expect(applyMigrations(database.db.sql, [...migrations, broken])).rejects.toThrow(
      /99999999999999_broken failed/,
    );
    const [halfDone] = await database.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'HalfDone'`,
    );
    expect(halfDone!.n).toBe(0);
    const [record] = await database.db.sql.query<{ finished_at: unknown; logs: string | null }>(
      `SELECT finished_at, logs FROM "_prisma_migrations" WHERE migration_name = '99999999999999_broken'`,
    );
    expect(record!.finished_at).toBeNull();
    expect(record!.logs).toMatch(/NoSuchTable/);
    await expect(applyMigrations(database.db.sql, [...migrations, broken])).rejects.toThrow(/did not finish/);
    await database.db.sql.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = '99999999999999_broken'`);
  });

  it('creates exactly the database schema.prisma describes (drift check)', async () => {
    const actual = await schemaFromDatabase(database.db.sql);
    const expected = schemaFromPrisma(SCHEMA_TEXT);
    // The check compares something real: every model became a table with columns.
    expect(Object.keys(actual.tables).sort()).toEqual(Object.keys(expected.tables).sort());
    expect(Object.keys(actual.tables['Resident']!.columns).length).toBeGreaterThan(10);
    expect(diffSchemas(expected, actual)).toEqual([]);
  });

  it('drift check reports a deliberately altered schema.prisma against the migrated database', async () => {
    const { text, expectedProblems } = alteredSchema();
    expect(diffSchemas(schemaFromPrisma(text), await schemaFromDatabase(database.db.sql))).toEqual(expectedProblems);
  });

  it('drift check reports a column changed in the database behind the migrations', async () => {
    await database.db.sql.exec('ALTER TABLE "Household" ALTER COLUMN "areaCode" TYPE VARCHAR(8)');
    try {
      expect(diffSchemas(schemaFromPrisma(SCHEMA_TEXT), await schemaFromDatabase(database.db.sql))).toEqual([
        'column "Household"."areaCode" has type character varying(8) in the database, schema.prisma says character varying(6)',
      ]);
    } finally {
      await database.db.sql.exec('ALTER TABLE "Household" ALTER COLUMN "areaCode" TYPE VARCHAR(6)');
    }
  });

  if (target === 'postgres') {
    it('two gateways migrating at once on separate connections apply each migration once (advisory lock)', async () => {
      const fresh = await createTestDatabase('postgres', { migrate: false });
      try {
        const other = await fresh.openAnother();
        const [a, b] = await Promise.all([
          applyMigrations(fresh.db.sql, migrations),
          applyMigrations(other.sql, migrations),
        ]);
        expect([...a, ...b].sort()).toEqual(migrations.map((migration) => migration.name));
        const rows = await fresh.db.sql.query<{ migration_name: string; finished_at: unknown }>(
          'SELECT migration_name, finished_at FROM "_prisma_migrations"',
        );
        expect(rows).toHaveLength(migrations.length);
        expect(rows.every((row) => row.finished_at !== null)).toBe(true);
        expect(diffSchemas(schemaFromPrisma(SCHEMA_TEXT), await schemaFromDatabase(fresh.db.sql))).toEqual([]);
      } finally {
        await fresh.close();
      }
    });
  }
});
