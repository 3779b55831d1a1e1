import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS, createWorld, type World } from './harness.js';

describe.each(TARGETS)('a new one-time code on %s', (target) => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld(target);
  });
  afterAll(() => world?.close());

  it('replaces the unused code in one transaction: when the new code cannot be stored, the old one still works', async () => {
    const worker = await world.resident('worker');
    const first = await worker.call.assist.createCode({ scopes: ['CARD'] });
    const liveCodes = () =>
      world.db.sql.query<{ expiresAt: Date }>(
        `SELECT "expiresAt" FROM "OneTimeCode" WHERE "usedAt" IS NULL AND "expiresAt" > $1`,
        [world.clock.now()],
      );
    expect(await liveCodes()).toHaveLength(1);

    // The database refuses the next code (a fault injected in the real database, not a mock).
    await world.db.sql.query(`
      CREATE FUNCTION refuse_one_time_code() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused for the test'; END $$`);
    await world.db.sql.query(
      `CREATE TRIGGER refuse_one_time_code BEFORE INSERT ON "OneTimeCode" FOR EACH ROW EXECUTE FUNCTION refuse_one_time_code()`,
    );
    try {
      await expect(worker.call.assist.createCode({ scopes: ['CARD'] })).rejects.toThrow();
    } finally {
      await world.db.sql.query(`DROP TRIGGER refuse_one_time_code ON "OneTimeCode"`);
      await world.db.sql.query(`DROP FUNCTION refuse_one_time_code()`);
    }
    const live = await liveCodes();
    expect(live).toHaveLength(1);
    expect(new Date(live[0]!.expiresAt)).toEqual(first.expiresAt);

    // Once the database takes codes again, a new code replaces the old one.
    await worker.call.assist.createCode({ scopes: ['CARD'] });
    expect(await liveCodes()).toHaveLength(1);
  });
});
