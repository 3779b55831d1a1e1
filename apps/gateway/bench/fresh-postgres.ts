import pg from 'pg';

/** An empty database `<name>` on the PostgreSQL server at `url` (replacing a leftover one), and a way to drop it again. */
export async function freshPostgres(url: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const run = async (sql: string) => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await run(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return { url: target.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
