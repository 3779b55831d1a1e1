import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, expectRefused, TARGETS, callerFor, testResident, type World } from './harness.js';

/** 长辈模式: offered once to older residents, remembered per user on the server. */
describe.each(TARGETS)('the elder-friendly mode preference on %s', (kind) => {
  const older = testResident('黄阿伯', '1950-02-14', 233);
  let world: World;

  beforeAll(async () => {
    world = await createWorld(kind, { extraResidents: [older] });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('a resident of 60 or more who never chose is offered the mode; a younger one is not', async () => {
    const elder = await world.signIn(older.idNumber);
    expect(await elder.call.auth.me()).toMatchObject({ kind: 'RESIDENT', elderMode: null, offerElderMode: true });
    const worker = await world.resident('worker');
    expect(await worker.call.auth.me()).toMatchObject({ elderMode: null, offerElderMode: false });
  });

  it('either answer is remembered and ends the offer; the choice can be changed', async () => {
    const elder = await world.signIn(older.idNumber);
    expect(await elder.call.auth.setElderMode({ on: false })).toEqual({ elderMode: false });
    expect(await elder.call.auth.me()).toMatchObject({ elderMode: false, offerElderMode: false });
    await elder.call.auth.setElderMode({ on: true });
    // Another sign-in (another device) gets the same choice.
    const again = await world.signIn(older.idNumber);
    expect(await again.call.auth.me()).toMatchObject({ elderMode: true, offerElderMode: false });
  });

  it('staff keep their own choice, and nobody signed out can set one', async () => {
    const staff = await world.staff('counter');
    await staff.call.auth.setElderMode({ on: true });
    expect(await staff.call.auth.me()).toMatchObject({ kind: 'STAFF', elderMode: true, offerElderMode: false });
    await expectRefused(
      callerFor(world.deps).call.auth.setElderMode({ on: true }),
      'UNAUTHORIZED',
      'errors.signInRequired',
    );
  });
});
