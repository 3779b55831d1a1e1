import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS, createWorld, type World } from './harness.js';

describe.each(TARGETS)('smoke on %s', (target) => {
  let world: World;
  beforeAll(async () => {
    const t = performance.now();
    world = await createWorld(target);
    console.log(target, 'world in', Math.round(performance.now() - t));
  });
  afterAll(() => world?.close());
  it('signs in', async () => {
    const t = performance.now();
    const r = await world.resident('worker');
    const s = await r.call.card.summary({});
    console.log(target, 'signin+summary', Math.round(performance.now() - t));
    expect(s.holderName).toBe('林志强');
  });
});
