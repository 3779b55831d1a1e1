import { composeIdNumber, maskIdNumber } from '@portal/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THROTTLE } from '../src/auth/throttle.js';
import { CODE_MAX_ATTEMPTS } from '../src/routers/assist/router.js';
import {
  HOUR,
  MINUTE,
  TARGETS,
  authorizeByCode,
  createWorld,
  demoResident,
  demoStaff,
  expectInvalidInput,
  expectRefused,
  refusal,
  type World,
} from './harness.js';

/** A six-digit code that is not `code`. */
function otherCode(code: string, offset = 1): string {
  return String((Number(code) + offset) % 1_000_000).padStart(6, '0');
}

describe.each(TARGETS)('assisted service at the counter on %s', (target) => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld(target);
  });
  afterAll(() => world?.close());

  it('a resident creates a six-digit code that lives ten minutes', async () => {
    const worker = await world.resident('worker');
    const created = await worker.call.assist.createCode({ scopes: ['CARD', 'CARD'] });
    expect(created.code).toMatch(/^\d{6}$/);
    expect(created.scopes).toEqual(['CARD']);
    expect(created.expiresAt).toEqual(new Date(world.clock.now().getTime() + 10 * MINUTE));
    // Only a keyed hash of the code is stored.
    const rows = await world.db.sql.query<{ codeHash: string }>('SELECT "codeHash" FROM "OneTimeCode"');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.codeHash.includes(created.code))).toBe(false);
  });

  it('staff find a resident by the exact ID number only', async () => {
    const counter = await world.staff('counter');
    const idNumber = demoResident('second').idNumber;
    const found = await counter.call.assist.findResident({ idNumber });
    expect(found.maskedIdNumber).toBe(maskIdNumber(idNumber));
    expect(found.lookupToken).not.toContain(idNumber);
    expect(Object.keys(found).sort()).toEqual(['lookupToken', 'maskedIdNumber']);
    // A valid number nobody has: nothing found.
    await expectRefused(
      counter.call.assist.findResident({ idNumber: composeIdNumber('441523', '1978-11-30', 419) }),
      'NOT_FOUND',
      'errors.residentNotFound',
    );
    // Part of the number is not a search.
    await expectInvalidInput(counter.call.assist.findResident({ idNumber: idNumber.slice(0, 14) }), {
      idNumber: 'validation.idNumber.shape',
    });
    await expectInvalidInput(counter.call.assist.findResident({ idNumber: idNumber.slice(0, 6) }), {
      idNumber: 'validation.idNumber.shape',
    });
  });

  it('a code authorizes once, with method ONE_TIME_CODE for two hours; a second use is refused', async () => {
    const [counter, second] = await Promise.all([world.staff('counter'), world.resident('second')]);
    const { code } = await second.call.assist.createCode({ scopes: ['CARD'] });
    const { lookupToken } = await counter.call.assist.findResident({ idNumber: demoResident('second').idNumber });
    const authorization = await counter.call.assist.authorizeWithCode({ lookupToken, code });
    expect(authorization).toEqual({
      id: expect.any(String),
      method: 'ONE_TIME_CODE',
      scopes: ['CARD'],
      includesSensitiveHealth: false,
      expiresAt: new Date(world.clock.now().getTime() + 2 * HOUR),
    });
    await expectRefused(
      counter.call.assist.authorizeWithCode({ lookupToken, code }),
      'BAD_REQUEST',
      'errors.codeInvalid',
    );
    // Another counter cannot replay it either.
    const counter2 = await world.staff('counter2');
    const lookup2 = await counter2.call.assist.findResident({ idNumber: demoResident('second').idNumber });
    await expectRefused(
      counter2.call.assist.authorizeWithCode({ lookupToken: lookup2.lookupToken, code }),
      'BAD_REQUEST',
      'errors.codeInvalid',
    );
    expect(
      await world.db.prisma.assistAuthorization.count({
        where: { residentId: await world.residentId('second'), method: 'ONE_TIME_CODE' },
      }),
    ).toBe(1);
  });

  it("a resident's code works only for that resident", async () => {
    const [counter, worker] = await Promise.all([world.staff('counter'), world.resident('worker')]);
    const { code } = await worker.call.assist.createCode({ scopes: ['CARD'] });
    const { lookupToken } = await counter.call.assist.findResident({ idNumber: demoResident('elder').idNumber });
    await expectRefused(
      counter.call.assist.authorizeWithCode({ lookupToken, code }),
      'BAD_REQUEST',
      'errors.codeInvalid',
    );
  });

  it('a new code replaces the unused one before it', async () => {
    const [counter, worker] = await Promise.all([world.staff('counter'), world.resident('worker')]);
    const first = await worker.call.assist.createCode({ scopes: ['CARD'] });
    const second = await worker.call.assist.createCode({ scopes: ['CARD'] });
    const { lookupToken } = await counter.call.assist.findResident({ idNumber: demoResident('worker').idNumber });
    expect(second.code).not.toBe(first.code);
    await expectRefused(
      counter.call.assist.authorizeWithCode({ lookupToken, code: first.code }),
      'BAD_REQUEST',
      'errors.codeInvalid',
    );
    expect(await counter.call.assist.authorizeWithCode({ lookupToken, code: second.code })).toMatchObject({
      method: 'ONE_TIME_CODE',
    });
  });

  it('a code older than ten minutes is refused', async () => {
    const [counter, worker] = await Promise.all([world.staff('counter'), world.resident('worker')]);
    const { code } = await worker.call.assist.createCode({ scopes: ['CARD'] });
    const { lookupToken } = await counter.call.assist.findResident({ idNumber: demoResident('worker').idNumber });
    world.clock.advance(11 * MINUTE);
    await expectRefused(
      counter.call.assist.authorizeWithCode({ lookupToken, code }),
      'BAD_REQUEST',
      'errors.codeInvalid',
    );
  });

  it('a code just inside its ten minutes still works', async () => {
    const [counter, worker] = await Promise.all([world.staff('counter'), world.resident('worker')]);
    const { code } = await worker.call.assist.createCode({ scopes: ['CARD'] });
    const { lookupToken } = await counter.call.assist.findResident({ idNumber: demoResident('worker').idNumber });
    world.clock.advance(10 * MINUTE - 1_000);
    expect(await counter.call.assist.authorizeWithCode({ lookupToken, code })).toMatchObject({
      method: 'ONE_TIME_CODE',
    });
  });

  it('the lookup holds for 15 minutes and only for the staff member who made it', async () => {
    const [counter, counter2, worker] = await Promise.all([
      world.staff('counter'),
      world.staff('counter2'),
      world.resident('worker'),
    ]);
    const { lookupToken } = await counter.call.assist.findResident({ idNumber: demoResident('worker').idNumber });
    const { code } = await worker.call.assist.createCode({ scopes: ['CARD'] });
    await expectRefused(
      counter2.call.assist.authorizeWithCode({ lookupToken, code }),
      'BAD_REQUEST',
      'errors.lookupExpired',
    );
    const tampered = `${lookupToken.slice(0, -2)}${lookupToken.endsWith('AA') ? 'BB' : 'AA'}`;
    await expectRefused(
      counter.call.assist.authorizeWithCode({ lookupToken: tampered, code }),
      'BAD_REQUEST',
      'errors.lookupExpired',
    );
    world.clock.advance(15 * MINUTE + 1_000);
    const [counterAgain, workerAgain] = await Promise.all([world.staff('counter'), world.resident('worker')]);
    const fresh = await workerAgain.call.assist.createCode({ scopes: ['CARD'] });
    await expectRefused(
      counterAgain.call.assist.authorizeWithCode({ lookupToken, code: fresh.code }),
      'BAD_REQUEST',
      'errors.lookupExpired',
    );
  });

  it('a code dies after a few wrong tries, the resident is told, and their next code works at once', async () => {
    const [counter, replacing] = await Promise.all([world.staff('counter'), world.resident('replacing')]);
    const idNumber = demoResident('replacing').idNumber;
    const { code } = await replacing.call.assist.createCode({ scopes: ['CARD'] });
    const { lookupToken } = await counter.call.assist.findResident({ idNumber });
    for (let attempt = 1; attempt <= CODE_MAX_ATTEMPTS; attempt += 1) {
      await expectRefused(
        counter.call.assist.authorizeWithCode({ lookupToken, code: otherCode(code, attempt) }),
        'BAD_REQUEST',
        'errors.codeInvalid',
      );
    }
    // The right code no longer opens anything, at this counter or another.
    await expectRefused(
      counter.call.assist.authorizeWithCode({ lookupToken, code }),
      'BAD_REQUEST',
      'errors.codeInvalid',
    );
    const counter2 = await world.staff('counter2');
    const lookup2 = await counter2.call.assist.findResident({ idNumber });
    await expectRefused(
      counter2.call.assist.authorizeWithCode({ lookupToken: lookup2.lookupToken, code }),
      'BAD_REQUEST',
      'errors.codeInvalid',
    );
    expect(
      await world.db.prisma.assistAuthorization.count({ where: { residentId: await world.residentId('replacing') } }),
    ).toBe(0);
    // The resident hears that a code was mistyped at a counter, with the counter's name.
    const { messages } = await replacing.call.messages.list({});
    expect(messages).toContainEqual(
      expect.objectContaining({ topic: 'assist.codeBlocked', params: { center: demoStaff('counter').note } }),
    );
    // A new code is not blocked.
    expect(await authorizeByCode(counter, replacing, idNumber)).toMatchObject({ method: 'ONE_TIME_CODE' });
  });

  it('concurrent and batched guesses at one code are counted exactly, before each is checked', async () => {
    const [counter, elder] = await Promise.all([world.staff('counter'), world.resident('elder')]);
    const { code } = await elder.call.assist.createCode({ scopes: ['CARD'] });
    const { lookupToken } = await counter.call.assist.findResident({ idNumber: demoResident('elder').idNumber });
    const guesses = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        refusal(counter.call.assist.authorizeWithCode({ lookupToken, code: otherCode(code, index + 1) })),
      ),
    );
    // Wrong, or refused before being tried at all (this staff member's own limit): never more tries than the code allows.
    expect(guesses.every((guess) => ['errors.codeInvalid', 'errors.codeLocked'].includes(guess.data.messageKey))).toBe(
      true,
    );
    const stored = await world.db.prisma.oneTimeCode.findFirstOrThrow({
      where: { residentId: await world.residentId('elder') },
      orderBy: { createdAt: 'desc' },
    });
    expect(stored.attempts).toBe(CODE_MAX_ATTEMPTS);
    expect(stored.usedAt).toBeNull();
    world.clock.advance(THROTTLE.lockMs + 1_000);
    const counterAgain = await world.staff('counter');
    const lookup = await counterAgain.call.assist.findResident({ idNumber: demoResident('elder').idNumber });
    await expectRefused(
      counterAgain.call.assist.authorizeWithCode({ lookupToken: lookup.lookupToken, code }),
      'BAD_REQUEST',
      'errors.codeInvalid',
    );
  });

  it("a staff member's wrong codes over many residents are limited too", async () => {
    const counter = await world.staff('counter2');
    const residents = (['worker', 'second', 'elder', 'replacing', 'elderChild'] as const).map(
      (key) => demoResident(key).idNumber,
    );
    const lookups = await Promise.all(residents.map((idNumber) => counter.call.assist.findResident({ idNumber })));
    const { lockAfter } = THROTTLE.staffCodes;
    // Codes for nobody: every resident's code is dead or used; what is counted is this staff member's wrong tries.
    for (let attempt = 0; attempt < lockAfter; attempt += 1) {
      await expectRefused(
        counter.call.assist.authorizeWithCode({
          lookupToken: lookups[attempt % lookups.length]!.lookupToken,
          code: String(100000 + attempt),
        }),
        'BAD_REQUEST',
        'errors.codeInvalid',
      );
    }
    const worker = await world.resident('worker');
    const { code } = await worker.call.assist.createCode({ scopes: ['CARD'] });
    const locked = await expectRefused(
      counter.call.assist.authorizeWithCode({ lookupToken: lookups[0]!.lookupToken, code }),
      'TOO_MANY_REQUESTS',
      'errors.codeLocked',
    );
    expect(locked.data.params).toEqual({ minutes: THROTTLE.lockMs / MINUTE });
    // Another counter is not affected.
    const other = await world.staff('counter');
    expect(
      await other.call.assist.authorizeWithCode({
        lookupToken: (await other.call.assist.findResident({ idNumber: residents[0]! })).lookupToken,
        code,
      }),
    ).toMatchObject({ method: 'ONE_TIME_CODE' });
    world.clock.advance(THROTTLE.lockMs + 1_000);
  });

  it("lookups are limited per staff member (guessed numbers more strictly), and each one that finds someone is in the resident's log", async () => {
    const counter = await world.staff('counter2');
    const { lockAfter } = THROTTLE.staffLookupMisses;
    for (let miss = 0; miss < lockAfter; miss += 1) {
      await expectRefused(
        counter.call.assist.findResident({ idNumber: composeIdNumber('441502', '1960-02-02', 300 + miss) }),
        'NOT_FOUND',
        'errors.residentNotFound',
      );
    }
    const locked = await expectRefused(
      counter.call.assist.findResident({ idNumber: demoResident('worker').idNumber }),
      'TOO_MANY_REQUESTS',
      'errors.lookupLocked',
    );
    expect(locked.data.params).toEqual({ minutes: THROTTLE.lockMs / MINUTE });
    world.clock.advance(THROTTLE.lockMs + 1_000);
    const counterAgain = await world.staff('counter2');
    const before = await world.db.prisma.accessLogEntry.count({
      where: { residentId: await world.residentId('worker'), action: 'assist.findResident' },
    });
    await counterAgain.call.assist.findResident({ idNumber: demoResident('worker').idNumber });
    expect(
      await world.db.prisma.accessLogEntry.count({
        where: {
          residentId: await world.residentId('worker'),
          action: 'assist.findResident',
          basis: 'LOOKUP',
          authorizationId: null,
        },
      }),
    ).toBe(before + 1);
  });

  it('in-person authorization needs the ID document checked and a reason, and is recorded as IN_PERSON', async () => {
    const counter = await world.staff('counter');
    const idNumber = demoResident('elder').idNumber;
    const { lookupToken } = await counter.call.assist.findResident({ idNumber });
    const before = await world.db.prisma.assistAuthorization.count();
    await expectInvalidInput(
      counter.call.assist.authorizeInPerson({
        lookupToken,
        scopes: ['CARD'],
        idDocumentChecked: false as never,
        reason: 'No phone',
      }),
      { idDocumentChecked: 'validation.idDocumentChecked' },
    );
    await expectInvalidInput(
      counter.call.assist.authorizeInPerson({ lookupToken, scopes: ['CARD'], idDocumentChecked: true, reason: ' ' }),
      {
        reason: 'validation.reason',
      },
    );
    // Leaving the reason out altogether is refused on that field too.
    const missing = await refusal(
      counter.call.assist.authorizeInPerson({ lookupToken, scopes: ['CARD'], idDocumentChecked: true } as never),
    );
    expect(missing.data.code).toBe('BAD_REQUEST');
    expect(Object.keys(missing.data.fieldErrors ?? {})).toEqual(['reason']);
    expect(await world.db.prisma.assistAuthorization.count()).toBe(before);

    const authorization = await counter.call.assist.authorizeInPerson({
      lookupToken,
      scopes: ['CARD'],
      idDocumentChecked: true,
      reason: '  Elderly, no mobile phone  ',
    });
    expect(authorization.method).toBe('IN_PERSON');
    const stored = await world.db.prisma.assistAuthorization.findUniqueOrThrow({ where: { id: authorization.id } });
    expect(stored).toMatchObject({
      method: 'IN_PERSON',
      idDocumentChecked: true,
      reason: 'Elderly, no mobile phone',
      staffId: await world.staffId('counter'),
    });
    expect((await counter.call.card.summary({ authorizationId: authorization.id })).holderName).toBe(
      demoResident('elder').name,
    );
  });

  it("the resident's revocation stops staff at once", async () => {
    const [counter, second] = await Promise.all([world.staff('counter'), world.resident('second')]);
    const { id: authorizationId } = await authorizeByCode(counter, second, demoResident('second').idNumber);
    expect((await counter.call.card.summary({ authorizationId })).holderName).toBe(demoResident('second').name);
    expect(await second.call.assist.myAuthorizations()).toContainEqual(
      expect.objectContaining({ id: authorizationId, state: 'LIVE', staffName: '王芳' }),
    );

    expect(await second.call.assist.revoke({ authorizationId })).toEqual({ ok: true });
    await expectRefused(counter.call.card.summary({ authorizationId }), 'FORBIDDEN', 'errors.authorizationRequired');
    await expectRefused(counter.call.card.reportLoss({ authorizationId }), 'FORBIDDEN', 'errors.authorizationRequired');
    expect(await counter.call.assist.get({ authorizationId })).toMatchObject({ state: 'REVOKED', resident: null });
    expect((await counter.call.assist.myLive()).map((row) => row.id)).not.toContain(authorizationId);
    expect(await second.call.assist.myAuthorizations()).toContainEqual(
      expect.objectContaining({ id: authorizationId, state: 'REVOKED' }),
    );
    // Revoking again is harmless.
    expect(await second.call.assist.revoke({ authorizationId })).toEqual({ ok: true });
  });

  it('staff ending the visit closes the authorization', async () => {
    const [counter, second] = await Promise.all([world.staff('counter'), world.resident('second')]);
    const { id: authorizationId } = await authorizeByCode(counter, second, demoResident('second').idNumber);
    expect(await counter.call.assist.end({ authorizationId })).toEqual({ ok: true });
    await expectRefused(
      counter.call.card.contributions({ authorizationId }),
      'FORBIDDEN',
      'errors.authorizationRequired',
    );
    expect(await counter.call.assist.get({ authorizationId })).toMatchObject({ state: 'ENDED', resident: null });
  });

  it('an authorization runs out after two hours', async () => {
    const [counter, second] = await Promise.all([world.staff('counter'), world.resident('second')]);
    const { id: authorizationId, expiresAt } = await authorizeByCode(counter, second, demoResident('second').idNumber);
    expect(expiresAt).toEqual(new Date(world.clock.now().getTime() + 2 * HOUR));
    // Staff keep working (and so keep their session) for almost two hours.
    for (let minutes = 0; minutes < 115; minutes += 23) {
      world.clock.advance(23 * MINUTE);
      await counter.call.card.summary({ authorizationId });
    }
    expect(await counter.call.assist.get({ authorizationId })).toMatchObject({ state: 'LIVE' });
    world.clock.advance(5 * MINUTE);
    await expectRefused(counter.call.card.summary({ authorizationId }), 'FORBIDDEN', 'errors.authorizationRequired');
    expect(await counter.call.assist.get({ authorizationId })).toMatchObject({ state: 'EXPIRED', resident: null });
    const residentAgain = await world.resident('second');
    expect(await residentAgain.call.assist.myAuthorizations()).toContainEqual(
      expect.objectContaining({ id: authorizationId, state: 'EXPIRED' }),
    );
  });
});
