import { composeIdNumber } from '@portal/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  TARGETS,
  WRITABLE_TABLES,
  authorizeByCode,
  callerFor,
  createWorld,
  demoResident,
  expectInvalidInput,
  expectRefused,
  rowCounts,
  type SignedIn,
  type World,
} from './harness.js';

const VALID = demoResident('worker').idNumber;

/** Malformed ID numbers and the field error each must produce. */
const MALFORMED_ID_NUMBERS: [string, string, string][] = [
  ['too short', VALID.slice(0, 17), 'validation.idNumber.shape'],
  ['too long', `${VALID}1`, 'validation.idNumber.shape'],
  ['letters in it', `${VALID.slice(0, 10)}AB${VALID.slice(12)}`, 'validation.idNumber.shape'],
  ['an X anywhere but last', `X${VALID.slice(1)}`, 'validation.idNumber.shape'],
  ['a wrong check digit', `${VALID.slice(0, 17)}${VALID[17] === '0' ? '1' : '0'}`, 'validation.idNumber.checkDigit'],
  [
    'an impossible birth date (30 February)',
    composeIdNumber('441502', '1985-02-30', 351),
    'validation.idNumber.birthDate',
  ],
  ['a birth month 13', composeIdNumber('441502', '1985-13-01', 351), 'validation.idNumber.birthDate'],
  ['a birth year before 1900', composeIdNumber('441502', '1899-12-31', 351), 'validation.idNumber.birthDate'],
  ['an empty string', '', 'validation.idNumber.shape'],
  ['10,000 characters', '4'.repeat(10_000), 'validation.idNumber.shape'],
];

describe.each(TARGETS)('input validation on %s', (target) => {
  let world: World;
  let counter: SignedIn;
  let worker: SignedIn;
  let authorizationId: string;
  let before: Record<string, number>;

  beforeAll(async () => {
    world = await createWorld(target);
    counter = await world.staff('counter');
    worker = await world.resident('worker');
    authorizationId = (await authorizeByCode(counter, worker, VALID)).id;
  });
  afterAll(() => world?.close());

  beforeEach(async () => {
    before = await rowCounts(world.db, [...WRITABLE_TABLES]);
  });

  /** Bad input must leave every table as it was: no session, no throttle count, no log entry. */
  async function expectNothingWritten() {
    expect(await rowCounts(world.db, [...WRITABLE_TABLES])).toEqual(before);
  }

  it.each(MALFORMED_ID_NUMBERS)('sign-in refuses an ID number with %s', async (_, idNumber, fieldError) => {
    const anonymous = callerFor(world.deps);
    await expectInvalidInput(anonymous.call.auth.signInResident({ idNumber, password: DEMO_PASSWORD }), {
      idNumber: fieldError,
    });
    expect(anonymous.cookies).toEqual([]);
    await expectNothingWritten();
  });

  it.each(MALFORMED_ID_NUMBERS)('staff lookup refuses an ID number with %s', async (_, idNumber, fieldError) => {
    await expectInvalidInput(counter.call.assist.findResident({ idNumber }), { idNumber: fieldError });
    await expectNothingWritten();
  });

  it('sign-in refuses a 10,000-character password and an empty one', async () => {
    const anonymous = callerFor(world.deps);
    await expectInvalidInput(anonymous.call.auth.signInResident({ idNumber: VALID, password: 'p'.repeat(10_000) }), {
      password: 'validation.password',
    });
    await expectInvalidInput(anonymous.call.auth.signInResident({ idNumber: VALID, password: '' }), {
      password: 'validation.password',
    });
    await expectInvalidInput(anonymous.call.auth.signInStaff({ staffNumber: 'SW1001', password: 'p'.repeat(10_000) }), {
      password: 'validation.password',
    });
    await expectNothingWritten();
  });

  it('sign-in refuses malformed and oversized staff numbers', async () => {
    const anonymous = callerFor(world.deps);
    for (const staffNumber of ['', 'SW', 'SW-1001', 'S'.repeat(21), 'S'.repeat(10_000), "SW1001' OR 1=1"]) {
      await expectInvalidInput(anonymous.call.auth.signInStaff({ staffNumber, password: DEMO_PASSWORD }), {
        staffNumber: 'validation.staffNumber',
      });
    }
    await expectNothingWritten();
  });

  it('sign-in reports every bad field at once, and input of the wrong type is refused', async () => {
    const anonymous = callerFor(world.deps);
    await expectInvalidInput(anonymous.call.auth.signInResident({ idNumber: '123', password: '' }), {
      idNumber: 'validation.idNumber.shape',
      password: 'validation.password',
    });
    await expectInvalidInput(
      // eslint-disable-next-line no-loss-of-precision -- an ID number sent as a JSON number, as a careless client would
      anonymous.call.auth.signInResident({ idNumber: 441502198503123512, password: DEMO_PASSWORD } as never),
      {
        idNumber: 'validation.idNumber.shape',
      },
    );
    await expectNothingWritten();
  });

  /** Looks the resident up (which is recorded, as every lookup is) and counts the rows from there. */
  async function lookUp() {
    const lookup = await counter.call.assist.findResident({ idNumber: VALID });
    before = await rowCounts(world.db, [...WRITABLE_TABLES]);
    return lookup;
  }

  it('oversized or malformed tokens and codes are refused before anything is looked up', async () => {
    const { lookupToken } = await lookUp();
    await expectInvalidInput(
      counter.call.assist.authorizeWithCode({ lookupToken: 't'.repeat(10_000), code: '123456' }),
      { lookupToken: 'validation.lookupToken' },
    );
    for (const code of ['12345', '1234567', '12345a', ' 123456', '１２３４５６']) {
      await expectInvalidInput(counter.call.assist.authorizeWithCode({ lookupToken, code }), {
        code: 'validation.oneTimeCode',
      });
    }
    await expectInvalidInput(counter.call.card.verifyQr({ token: 'q'.repeat(10_000) }), {
      token: 'validation.qrToken',
    });
    await expectInvalidInput(counter.call.card.summary({ authorizationId: 'not-a-uuid' }), {
      authorizationId: 'validation.authorizationId',
    });
    await expectInvalidInput(
      counter.call.card.summary({ authorizationId: `${authorizationId}${'0'.repeat(10_000)}` }),
      {
        authorizationId: 'validation.authorizationId',
      },
    );
    await expectNothingWritten();
  });

  it('in-person authorization needs the ID document checked and a reason of sensible length', async () => {
    const { lookupToken } = await lookUp();
    const base = {
      lookupToken,
      scopes: ['CARD' as const],
      idDocumentChecked: true as const,
      reason: 'No phone with her today',
    };
    await expectInvalidInput(counter.call.assist.authorizeInPerson({ ...base, idDocumentChecked: false as never }), {
      idDocumentChecked: 'validation.idDocumentChecked',
    });
    await expectInvalidInput(counter.call.assist.authorizeInPerson({ ...base, reason: '  ' }), {
      reason: 'validation.reason',
    });
    await expectInvalidInput(counter.call.assist.authorizeInPerson({ ...base, reason: 'r'.repeat(10_000) }), {
      reason: 'validation.reason',
    });
    await expectInvalidInput(counter.call.assist.authorizeInPerson({ ...base, scopes: [] }), {
      scopes: 'validation.services',
    });
    await expectInvalidInput(counter.call.assist.authorizeInPerson({ ...base, scopes: ['PENSION' as never] }), {
      'scopes.0': 'validation.service',
    });
    await expectNothingWritten();
  });

  it('card requests refuse a bad request key, reason, center code, year or cursor', async () => {
    const request = { requestKey: crypto.randomUUID(), reason: 'DAMAGED' as const, pickupCenterCode: 'SC441502001' };
    await expectInvalidInput(worker.call.card.requestReplacement({ ...request, requestKey: 'again' }), {
      requestKey: 'validation.requestKey',
    });
    await expectInvalidInput(worker.call.card.requestReplacement({ ...request, reason: 'STOLEN' as never }), {
      reason: 'validation.reason',
    });
    await expectInvalidInput(
      worker.call.card.requestReplacement({ ...request, pickupCenterCode: 'C'.repeat(10_000) }),
      { pickupCenterCode: 'validation.center' },
    );
    await expectInvalidInput(worker.call.card.contributions({ year: 1800 }), { year: 'validation.year' });
    await expectInvalidInput(worker.call.card.contributions({ year: 2026.5 }), { year: 'validation.invalid' });
    await expectInvalidInput(worker.call.card.benefits({ before: '-1' }), { before: 'validation.cursor' });
    await expectInvalidInput(worker.call.card.benefits({ before: '9'.repeat(10_000) }), {
      before: 'validation.cursor',
    });
    await expectInvalidInput(worker.call.accessLog.mine({ before: 'abc' }), { before: 'validation.cursor' });
    await expectInvalidInput(worker.call.accessLog.mine({ limit: 1_000_000 }), { limit: 'validation.invalid' });
    await expectNothingWritten();
  });

  it('staff calls with bad input write nothing to the access log', async () => {
    await expectInvalidInput(counter.call.card.contributions({ authorizationId, year: 3000 }), {
      year: 'validation.year',
    });
    await expectInvalidInput(
      counter.call.card.requestReplacement({
        authorizationId,
        requestKey: 'x',
        reason: 'DAMAGED',
        pickupCenterCode: 'SC441502001',
      }),
      { requestKey: 'validation.requestKey' },
    );
    await expectNothingWritten();
  });
  it('a NUL or another control character in any text field is refused with a field error, and writes nothing', async () => {
    const [elder, reviewer] = await Promise.all([world.resident('elder'), world.staff('reviewer')]);
    before = await rowCounts(world.db, [...WRITABLE_TABLES]);
    const { lookupToken } = await counter.call.assist.findResident({ idNumber: VALID });
    before = await rowCounts(world.db, [...WRITABLE_TABLES]);
    const id = crypto.randomUUID();
    const cases: [string, () => Promise<unknown>, string, string?][] = [
      [
        'eldercare.book note',
        () => elder.call.eldercare.book({ slotId: id, requestKey: crypto.randomUUID(), note: '少盐\u0000' }),
        'note',
      ],
      [
        'eldercare.rate comment',
        () => elder.call.eldercare.rate({ orderId: id, stars: 5, comment: 'good\u0000' }),
        'comment',
      ],
      [
        'card.requestReplacement pickupCenterCode',
        () =>
          worker.call.card.requestReplacement({
            requestKey: crypto.randomUUID(),
            reason: 'DAMAGED',
            pickupCenterCode: 'SC441502001\u0000',
          }),
        'pickupCenterCode',
        'validation.center',
      ],
      [
        'assist.authorizeInPerson reason',
        () =>
          counter.call.assist.authorizeInPerson({
            lookupToken,
            scopes: ['CARD'],
            idDocumentChecked: true,
            reason: 'No phone\u0000',
          }),
        'reason',
      ],
      [
        'enrollment.review.decide message',
        () =>
          reviewer.call.enrollment.review.decide({
            applicationId: id,
            version: 1,
            decision: 'REJECT',
            message: 'Missing\u0000 papers',
          }),
        'message',
      ],
      [
        'eldercare.updateProfile contact name',
        () =>
          elder.call.eldercare.updateProfile({
            livingSituation: 'ALONE',
            paymentMethod: 'NONE',
            emergencyContacts: [{ name: '陈建华\u0007', relation: '儿子', phone: '13926607788' }],
          }),
        'emergencyContacts.0.name',
      ],
      [
        'a lone surrogate in a note',
        () => elder.call.eldercare.book({ slotId: id, requestKey: crypto.randomUUID(), note: 'x\ud800' }),
        'note',
      ],
    ];
    for (const [what, call, field, key = 'validation.controlCharacters'] of cases) {
      const shape = await expectInvalidInput(call(), {}).catch((error: unknown) => {
        throw new Error(`${what}: ${String(error)}`);
      });
      expect(shape.data.fieldErrors?.[field], what).toBe(key);
    }
    // Line breaks are fine in a note, and not in a one-line field.
    await expectInvalidInput(
      counter.call.assist.authorizeInPerson({
        lookupToken,
        scopes: ['CARD'],
        idDocumentChecked: true,
        reason: 'No\nphone',
      }),
      { reason: 'validation.controlCharacters' },
    );
    await expectRefused(
      elder.call.eldercare.book({ slotId: id, requestKey: crypto.randomUUID(), note: '少盐\n不要辣' }),
      'NOT_FOUND',
      'errors.notFound',
    );
    await expectNothingWritten();
  });
});
