import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeByCode,
  createWorld,
  expectInvalidInput,
  expectRefused,
  TARGETS,
  testResident,
  type World,
} from './harness.js';

/** The message center: residents hear of what changed for them, from any service, and nobody else reads it. */
describe.each(TARGETS)('message center on %s', (kind) => {
  const applicant = testResident('麦嘉欣', '1989-04-12', 262);
  const other = testResident('邝志伟', '1984-10-03', 171);
  let world: World;

  beforeAll(async () => {
    world = await createWorld(kind, { extraResidents: [applicant, other] });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('each step of a card replacement reaches the resident as a stored, unread message', async () => {
    const resident = await world.signIn(applicant.idNumber);
    expect(await resident.call.messages.unreadCount()).toEqual({ unread: 0 });
    const replacement = await resident.call.card.requestReplacement({
      requestKey: randomUUID(),
      reason: 'DAMAGED',
      pickupCenterCode: 'SC441502001',
    });
    const office = await world.staff('cardOffice');
    world.clock.advance(60_000);
    await office.call.card.office.advance({ replacementId: replacement.id, from: 'SUBMITTED' });
    world.clock.advance(60_000);
    await office.call.card.office.advance({ replacementId: replacement.id, from: 'IN_PRODUCTION' });

    const { messages } = await resident.call.messages.list({});
    expect(messages.map((message) => message.topic)).toEqual([
      'card.replacement.READY_FOR_PICKUP',
      'card.replacement.IN_PRODUCTION',
      'card.replacement.SUBMITTED',
    ]);
    expect(messages[0]).toMatchObject({
      params: { center: '香洲街道社区综合服务中心' },
      link: '/card/replacement',
      readAt: null,
    });
    expect(await resident.call.messages.unreadCount()).toEqual({ unread: 3 });
  });

  it('a refused change sends nothing', async () => {
    const resident = await world.signIn(applicant.idNumber);
    const before = await world.db.prisma.message.count();
    await expectRefused(
      resident.call.card.requestReplacement({
        requestKey: randomUUID(),
        reason: 'DAMAGED',
        pickupCenterCode: 'SC441502001',
      }),
      'CONFLICT',
      'errors.replacementOpen',
    );
    expect(await world.db.prisma.message.count()).toBe(before);
  });

  it('a loss reported by staff at the counter is announced to the resident, naming the center', async () => {
    const resident = await world.signIn(other.idNumber);
    const staff = await world.staff('counter');
    const { id: authorizationId } = await authorizeByCode(staff, resident, other.idNumber);
    await staff.call.card.reportLoss({ authorizationId });
    const { messages } = await resident.call.messages.list({});
    expect(messages[0]).toMatchObject({
      topic: 'card.lossReportedForYou',
      params: { center: '香洲街道社区综合服务中心' },
      link: '/card',
    });
  });

  it('marking read lowers the count, twice changes nothing, and "all" reads the rest', async () => {
    const resident = await world.signIn(applicant.idNumber);
    const { messages } = await resident.call.messages.list({});
    const first = messages[0]!.id;
    expect(await resident.call.messages.markRead({ ids: [first] })).toEqual({ marked: 1 });
    expect(await resident.call.messages.markRead({ ids: [first] })).toEqual({ marked: 0 });
    expect(await resident.call.messages.unreadCount()).toEqual({ unread: 2 });
    expect(await resident.call.messages.markRead({})).toEqual({ marked: 2 });
    expect(await resident.call.messages.unreadCount()).toEqual({ unread: 0 });
  });

  it("a resident never sees or marks another resident's messages, and staff have no message center", async () => {
    const owner = await world.signIn(applicant.idNumber);
    const stranger = await world.signIn(other.idNumber);
    const { messages } = await owner.call.messages.list({});
    const theirs = (await stranger.call.messages.list({})).messages.map((message) => message.id);
    expect(theirs.some((id) => messages.some((message) => message.id === id))).toBe(false);
    await owner.call.messages.markRead({});
    const unreadMessage = await world.db.prisma.message.findFirstOrThrow({
      where: { residentId: await world.residentIdOf(other.idNumber) },
    });
    await world.db.prisma.message.update({ where: { id: unreadMessage.id }, data: { readAt: null } });
    expect(await owner.call.messages.markRead({ ids: [unreadMessage.id] })).toEqual({ marked: 0 });
    expect((await world.db.prisma.message.findUniqueOrThrow({ where: { id: unreadMessage.id } })).readAt).toBeNull();
    const staff = await world.staff('counter');
    await expectRefused(staff.call.messages.unreadCount(), 'FORBIDDEN', 'errors.forbidden');
  });

  it('pages through many messages without repeats, and refuses a bad cursor', async () => {
    const resident = await world.signIn(other.idNumber);
    const residentId = await world.residentIdOf(other.idNumber);
    const base = world.clock.now().getTime();
    await world.db.prisma.message.createMany({
      data: Array.from({ length: 45 }, (_, index) => ({
        id: randomUUID(),
        residentId,
        topic: 'card.replacement.IN_PRODUCTION',
        params: {},
        // Some share a timestamp: the id breaks the tie.
        createdAt: new Date(base - Math.floor(index / 3) * 60_000),
      })),
    });
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await resident.call.messages.list({ before });
      seen.push(...page.messages.map((message) => message.id));
      if (!page.nextBefore) break;
      before = page.nextBefore;
    }
    expect(seen.length).toBe(await world.db.prisma.message.count({ where: { residentId } }));
    expect(new Set(seen).size).toBe(seen.length);
    await expectInvalidInput(resident.call.messages.list({ before: 'not-a-uuid' }), { before: 'validation.cursor' });
  });
});
