import pg from 'pg';

/**
 * Runs once per `vitest run`. Says plainly when the PostgreSQL suites are not
 * running, and fails early when TEST_DATABASE_URL is set but unreachable.
 */
export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    console.warn(
      '[gateway tests] PostgreSQL suites did NOT run (only PGlite): set TEST_DATABASE_URL, e.g. TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres, to run them too.',
    );
    return;
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL is set but PostgreSQL is unreachable (${String(error)})`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}
