import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QR_TTL_MS } from '../src/routers/card/qr-token.js';
import {
  TARGETS,
  authorizeInPerson,
  createWorld,
  demoResident,
  expectInvalidInput,
  expectRefused,
  lastAccessLogEntry,
  type World,
} from './harness.js';

describe.each(TARGETS)('social security card on %s', (target) => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld(target);
  });
  afterAll(() => world?.close());

  async function cardsOf(key: Parameters<World['residentId']>[0]) {
    return world.db.prisma.socialSecurityCard.findMany({
      where: { residentId: await world.residentId(key) },
      orderBy: { issuedAt: 'asc' },
    });
  }

  it('reporting a loss takes effect at once, is stored, and reporting again changes nothing', async () => {
    const worker = await world.resident('worker');
    const reportedAt = world.clock.now();
    expect(await worker.call.card.reportLoss({})).toEqual({
      status: 'LOST',
      lostAt: reportedAt,
      alreadyReported: false,
    });
    expect((await worker.call.card.summary({})).card).toMatchObject({ status: 'LOST', lostAt: reportedAt });
    expect(await cardsOf('worker')).toEqual([expect.objectContaining({ status: 'LOST', lostAt: reportedAt })]);

    world.clock.advance(60_000);
    expect(await worker.call.card.reportLoss({})).toEqual({
      status: 'LOST',
      lostAt: reportedAt,
      alreadyReported: true,
    });
    expect(await cardsOf('worker')).toEqual([expect.objectContaining({ status: 'LOST', lostAt: reportedAt })]);
    const events = await world.db.prisma.cardEvent.findMany({
      where: { residentId: await world.residentId('worker'), kind: 'LOSS_REPORTED' },
    });
    expect(events).toEqual([expect.objectContaining({ staffId: null, authorizationId: null, createdAt: reportedAt })]);
    // A lost card shows no QR code.
    await expectRefused(worker.call.card.qrToken(), 'BAD_REQUEST', 'errors.cardNotActive');
  });

  it('when staff report the loss, the card history records who did it and under which authorization', async () => {
    const counter = await world.staff('counter');
    const { id: authorizationId } = await authorizeInPerson(counter, demoResident('second').idNumber);
    await counter.call.card.reportLoss({ authorizationId });
    const [event] = await world.db.prisma.cardEvent.findMany({
      where: { residentId: await world.residentId('second'), kind: 'LOSS_REPORTED' },
    });
    expect(event).toMatchObject({ staffId: await world.staffId('counter'), authorizationId });
    // The resident sees that it was done on their behalf, and by whom.
    const second = await world.resident('second');
    expect((await second.call.card.summary({})).events[0]).toMatchObject({
      kind: 'LOSS_REPORTED',
      onBehalfBy: { staffName: '王芳', centerName: '香洲街道社区综合服务中心' },
    });
  });

  it('asking for a replacement of a lost card before reporting it lost is refused', async () => {
    const elder = await world.resident('elder');
    await expectRefused(
      elder.call.card.requestReplacement({ requestKey: randomUUID(), reason: 'LOST', pickupCenterCode: 'SC441581001' }),
      'BAD_REQUEST',
      'errors.reportLossFirst',
    );
    await expectRefused(
      elder.call.card.requestReplacement({ requestKey: randomUUID(), reason: 'DAMAGED', pickupCenterCode: 'NOWHERE' }),
      'BAD_REQUEST',
      'errors.unknownCenter',
    );
    expect(
      await world.db.prisma.cardReplacement.count({ where: { residentId: await world.residentId('elder') } }),
    ).toBe(0);
  });

  it('cards are picked up at service centers only, never at the education bureau or a care provider', async () => {
    const elder = await world.resident('elder');
    const codes = (await elder.call.card.pickupCenters()).map((center) => center.code);
    expect(codes).toContain('SC441581001');
    expect(codes.filter((code) => !code.startsWith('SC'))).toEqual([]);
    for (const pickupCenterCode of ['EDU441500', 'FW441581001']) {
      await expectRefused(
        elder.call.card.requestReplacement({ requestKey: randomUUID(), reason: 'DAMAGED', pickupCenterCode }),
        'BAD_REQUEST',
        'errors.unknownCenter',
      );
    }
    expect(
      await world.db.prisma.cardReplacement.count({ where: { residentId: await world.residentId('elder') } }),
    ).toBe(0);
  });

  it('the same request sent twice gives one replacement; a second open one is refused', async () => {
    const worker = await world.resident('worker');
    const request = { requestKey: randomUUID(), reason: 'LOST' as const, pickupCenterCode: 'SC441502001' };
    const first = await worker.call.card.requestReplacement(request);
    expect(first).toEqual({ id: expect.any(String), status: 'SUBMITTED', duplicate: false });
    expect(await worker.call.card.requestReplacement(request)).toEqual({
      id: first.id,
      status: 'SUBMITTED',
      duplicate: true,
    });
    await expectRefused(
      worker.call.card.requestReplacement({ ...request, requestKey: randomUUID() }),
      'CONFLICT',
      'errors.replacementOpen',
    );
    const residentId = await world.residentId('worker');
    expect(await world.db.prisma.cardReplacement.count({ where: { residentId } })).toBe(1);
    expect(await world.db.prisma.cardEvent.count({ where: { residentId, kind: 'REPLACEMENT_SUBMITTED' } })).toBe(1);
    // Someone else's request key cannot be reused to reach their replacement.
    const second = await world.resident('second');
    await expectRefused(second.call.card.requestReplacement(request), 'CONFLICT', 'errors.requestKeyReused');
    expect((await worker.call.card.summary({})).replacement).toMatchObject({
      id: first.id,
      status: 'SUBMITTED',
      reason: 'LOST',
    });
  });

  it('the card office moves a replacement SUBMITTED → IN_PRODUCTION → READY_FOR_PICKUP, and refuses a stale step', async () => {
    const cardOffice = await world.staff('cardOffice');
    const replacement = await world.db.prisma.cardReplacement.findFirstOrThrow({
      where: { residentId: await world.residentId('worker') },
    });
    expect((await cardOffice.call.card.office.queue()).map((row) => row.id)).toContain(replacement.id);
    const queued = (await cardOffice.call.card.office.queue()).find((row) => row.id === replacement.id)!;
    expect(queued.maskedIdNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);

    expect(await cardOffice.call.card.office.advance({ replacementId: replacement.id, from: 'SUBMITTED' })).toEqual({
      id: replacement.id,
      status: 'IN_PRODUCTION',
    });
    // A second clerk pressing the same button moves nothing.
    await expectRefused(
      cardOffice.call.card.office.advance({ replacementId: replacement.id, from: 'SUBMITTED' }),
      'CONFLICT',
      'errors.replacementChanged',
    );
    expect(await cardOffice.call.card.office.advance({ replacementId: replacement.id, from: 'IN_PRODUCTION' })).toEqual(
      { id: replacement.id, status: 'READY_FOR_PICKUP' },
    );
    await expectRefused(
      cardOffice.call.card.office.advance({ replacementId: replacement.id, from: 'IN_PRODUCTION' }),
      'CONFLICT',
      'errors.replacementChanged',
    );
    // Handing the card over is the counter's job, with the resident present.
    await expectInvalidInput(
      cardOffice.call.card.office.advance({ replacementId: replacement.id, from: 'READY_FOR_PICKUP' as never }),
      { from: 'validation.invalid' },
    );
    await expectRefused(
      cardOffice.call.card.office.advance({ replacementId: randomUUID(), from: 'SUBMITTED' }),
      'NOT_FOUND',
      'errors.notFound',
    );

    expect(await world.db.prisma.cardReplacement.findUniqueOrThrow({ where: { id: replacement.id } })).toMatchObject({
      status: 'READY_FOR_PICKUP',
    });
    expect((await cardOffice.call.card.office.queue()).map((row) => row.id)).not.toContain(replacement.id);
    const kinds = (
      await world.db.prisma.cardEvent.findMany({
        where: { cardId: replacement.oldCardId },
        orderBy: { createdAt: 'asc' },
      })
    ).map((event) => event.kind);
    expect(kinds).toEqual(expect.arrayContaining(['REPLACEMENT_IN_PRODUCTION', 'REPLACEMENT_READY']));
  });

  it('staff confirming pickup issue a new active card and mark the old one replaced', async () => {
    const counter = await world.staff('counter');
    const worker = await world.resident('worker');
    const replacement = await world.db.prisma.cardReplacement.findFirstOrThrow({
      where: { residentId: await world.residentId('worker') },
    });
    // The resident cannot hand a card to themselves.
    await expectRefused(
      worker.call.card.confirmPickup({ replacementId: replacement.id }),
      'FORBIDDEN',
      'errors.forbidden',
    );
    // Nor can staff authorized for someone else collect this one.
    const { id: otherAuthorization } = await authorizeInPerson(counter, demoResident('elder').idNumber);
    await expectRefused(
      counter.call.card.confirmPickup({ authorizationId: otherAuthorization, replacementId: replacement.id }),
      'NOT_FOUND',
      'errors.notFound',
    );

    const { id: authorizationId } = await authorizeInPerson(counter, demoResident('worker').idNumber);
    world.clock.advance(60_000);
    expect(await counter.call.card.confirmPickup({ authorizationId, replacementId: replacement.id })).toEqual({
      id: replacement.id,
      status: 'COLLECTED',
    });

    const cards = await cardsOf('worker');
    expect(cards).toHaveLength(2);
    const old = cards.find((card) => card.id === replacement.oldCardId)!;
    const fresh = cards.find((card) => card.id !== replacement.oldCardId)!;
    expect(old.status).toBe('REPLACED');
    expect(fresh).toMatchObject({ status: 'ACTIVE', bank: old.bank, lostAt: null });
    expect(await world.db.prisma.cardReplacement.findUniqueOrThrow({ where: { id: replacement.id } })).toMatchObject({
      status: 'COLLECTED',
      newCardId: fresh.id,
    });
    const collected = await world.db.prisma.cardEvent.findFirstOrThrow({
      where: { kind: 'REPLACEMENT_COLLECTED', residentId: await world.residentId('worker') },
    });
    expect(collected).toMatchObject({ cardId: fresh.id, staffId: await world.staffId('counter'), authorizationId });

    const summary = await worker.call.card.summary({});
    expect(summary.card).toMatchObject({ status: 'ACTIVE', maskedCardNumber: fresh.cardNumberMask });
    // Collecting twice is refused; the card is already in the resident's hands.
    await expectRefused(
      counter.call.card.confirmPickup({ authorizationId, replacementId: replacement.id }),
      'CONFLICT',
      'errors.replacementChanged',
    );
    // With the old replacement collected, a new one may be asked for.
    expect(
      await worker.call.card.requestReplacement({
        requestKey: randomUUID(),
        reason: 'DAMAGED',
        pickupCenterCode: 'SC441502001',
      }),
    ).toMatchObject({
      status: 'SUBMITTED',
      duplicate: false,
    });
  });

  describe('e-card QR code', () => {
    it('a QR code from the resident verifies at the counter and is logged as QR_PRESENTED', async () => {
      const [elder, counter] = await Promise.all([world.resident('elder'), world.staff('counter')]);
      const issued = await elder.call.card.qrToken();
      expect(issued.expiresAt).toEqual(new Date(world.clock.now().getTime() + QR_TTL_MS));
      expect(issued.token).not.toContain(demoResident('elder').idNumber);
      const result = await counter.call.card.verifyQr({ token: issued.token });
      expect(result).toEqual({
        valid: true,
        holderName: demoResident('elder').name,
        maskedIdNumber: (await elder.call.card.summary({})).maskedIdNumber,
        maskedCardNumber: (await cardsOf('elder'))[0]!.cardNumberMask,
        status: 'ACTIVE',
      });
      expect(await lastAccessLogEntry(world.db)).toMatchObject({
        residentId: await world.residentId('elder'),
        staffId: await world.staffId('counter'),
        basis: 'QR_PRESENTED',
        action: 'card.verifyQr',
        authorizationId: null,
      });
    });

    it('a QR code older than a minute is invalid and logs nothing', async () => {
      const [elder, counter] = await Promise.all([world.resident('elder'), world.staff('counter')]);
      const { token } = await elder.call.card.qrToken();
      world.clock.advance(QR_TTL_MS - 1);
      expect(await counter.call.card.verifyQr({ token })).toMatchObject({ valid: true });
      const before = await lastAccessLogEntry(world.db);
      world.clock.advance(2);
      expect(await counter.call.card.verifyQr({ token })).toEqual({ valid: false, reason: 'expired' });
      expect((await lastAccessLogEntry(world.db))?.seq).toBe(before?.seq);
    });

    it('a tampered or malformed QR code is invalid and logs nothing', async () => {
      const [elder, counter] = await Promise.all([world.resident('elder'), world.staff('counter')]);
      const { token } = await elder.call.card.qrToken();
      const [prefix, payload, signature] = token.split('.') as [string, string, string];
      const before = await lastAccessLogEntry(world.db);

      // Point the payload at someone else's card, keeping the old signature.
      const secondCard = (await cardsOf('second'))[0]!;
      const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { c: string; e: number };
      const forgedPayload = Buffer.from(JSON.stringify({ ...data, c: secondCard.id })).toString('base64url');
      expect(await counter.call.card.verifyQr({ token: `${prefix}.${forgedPayload}.${signature}` })).toEqual({
        valid: false,
        reason: 'signature',
      });
      // Extend its life.
      const longer = Buffer.from(JSON.stringify({ ...data, e: data.e + 3_600_000 })).toString('base64url');
      expect(await counter.call.card.verifyQr({ token: `${prefix}.${longer}.${signature}` })).toEqual({
        valid: false,
        reason: 'signature',
      });
      // Flip a character of the signature.
      const flipped = `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
      expect(await counter.call.card.verifyQr({ token: `${prefix}.${payload}.${flipped}` })).toEqual({
        valid: false,
        reason: 'signature',
      });
      for (const malformed of ['hello', `${token}.extra`, `OTHER.${payload}.${signature}`, `${prefix}..${signature}`]) {
        expect(await counter.call.card.verifyQr({ token: malformed })).toEqual({ valid: false, reason: 'malformed' });
      }
      expect((await lastAccessLogEntry(world.db))?.seq).toBe(before?.seq);
    });

    it('only the resident can show a QR code, and only counter staff can check one', async () => {
      const [elder, counter, cardOffice] = await Promise.all([
        world.resident('elder'),
        world.staff('counter'),
        world.staff('cardOffice'),
      ]);
      const { token } = await elder.call.card.qrToken();
      await expectRefused(counter.call.card.qrToken(), 'FORBIDDEN', 'errors.forbidden');
      await expectRefused(cardOffice.call.card.verifyQr({ token }), 'FORBIDDEN', 'errors.forbidden');
      await expectRefused(elder.call.card.verifyQr({ token }), 'FORBIDDEN', 'errors.forbidden');
    });
  });
});
