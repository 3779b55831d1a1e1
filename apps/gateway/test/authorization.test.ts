import { randomUUID } from 'node:crypto';
import { maskIdNumber } from '@portal/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HOUR,
  MINUTE,
  TARGETS,
  authorizeByCode,
  authorizeInPerson,
  callerFor,
  createWorld,
  demoResident,
  errorShapeOf,
  expectRefused,
  rowCounts,
  type Caller,
  type SignedIn,
  type World,
} from './harness.js';

/** Every procedure on a resident's data, called as a resident (no id) or as staff under an authorization. */
const RESIDENT_DATA_PROCEDURES: Record<
  string,
  { call: (caller: Caller, authorizationId?: string) => Promise<unknown>; withLiveAuthorization: string }
> = {
  'card.summary': { call: (c, authorizationId) => c.card.summary({ authorizationId }), withLiveAuthorization: 'ok' },
  'card.contributions': {
    call: (c, authorizationId) => c.card.contributions({ authorizationId }),
    withLiveAuthorization: 'ok',
  },
  'card.benefits': { call: (c, authorizationId) => c.card.benefits({ authorizationId }), withLiveAuthorization: 'ok' },
  'card.reportLoss': {
    call: (c, authorizationId) => c.card.reportLoss({ authorizationId }),
    withLiveAuthorization: 'ok',
  },
  'card.requestReplacement': {
    call: (c, authorizationId) =>
      c.card.requestReplacement({
        authorizationId,
        requestKey: randomUUID(),
        reason: 'DAMAGED',
        pickupCenterCode: 'SC441502001',
      }),
    withLiveAuthorization: 'ok',
  },
  // No such replacement: with a live authorization the call gets as far as looking for it.
  'card.confirmPickup': {
    call: (c, authorizationId) => c.card.confirmPickup({ authorizationId, replacementId: randomUUID() }),
    withLiveAuthorization: 'NOT_FOUND',
  },
};

/** 'ok', or the tRPC code the call failed with. */
async function outcome(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (error: unknown) => errorShapeOf(error).data.code,
  );
}

/** 'allowed', or the code and message key of the refusal. */
async function answerTo(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'allowed',
    (error: unknown) => {
      const shape = errorShapeOf(error);
      return `${shape.data.code} ${shape.data.messageKey}`;
    },
  );
}

describe.each(TARGETS)('who may reach whose data, on %s', (target) => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld(target);
  });
  afterAll(() => world?.close());

  describe('procedures on resident data', () => {
    let counter: SignedIn;
    let counter2: SignedIn;
    let cardOffice: SignedIn;
    let second: SignedIn;
    const auth = { live: '', othersLive: '', expired: '', ended: '', revoked: '' };

    beforeAll(async () => {
      const idNumber = demoResident('second').idNumber;
      // An authorization that runs out: made first, then two hours and a bit pass.
      auth.expired = (await authorizeByCode(await world.staff('counter'), await world.resident('second'), idNumber)).id;
      world.clock.advance(2 * HOUR + MINUTE);
      [counter, counter2, cardOffice, second] = await Promise.all([
        world.staff('counter'),
        world.staff('counter2'),
        world.staff('cardOffice'),
        world.resident('second'),
      ]);
      auth.live = (await authorizeByCode(counter, second, idNumber)).id;
      auth.othersLive = (await authorizeInPerson(counter2, idNumber)).id;
      auth.ended = (await authorizeInPerson(counter, idNumber)).id;
      await counter.call.assist.end({ authorizationId: auth.ended });
      auth.revoked = (await authorizeByCode(counter, second, idNumber)).id;
      await second.call.assist.revoke({ authorizationId: auth.revoked });
    });

    it.each(Object.keys(RESIDENT_DATA_PROCEDURES))(
      '%s is refused to everyone without a live authorization of their own',
      async (name) => {
        const { call } = RESIDENT_DATA_PROCEDURES[name]!;
        const before = await rowCounts(world.db, [
          'AccessLogEntry',
          'CardEvent',
          'CardReplacement',
          'SocialSecurityCard',
        ]);
        const cardsBefore = await world.db.prisma.socialSecurityCard.findMany({ orderBy: { id: 'asc' } });

        // A resident never names an authorization: their data is simply their own.
        await expectRefused(call(second.call, auth.live), 'FORBIDDEN', 'errors.forbidden');
        // Staff: none, someone else's, run out, ended, revoked, or made up.
        await expectRefused(call(counter.call), 'FORBIDDEN', 'errors.authorizationRequired');
        for (const authorizationId of [auth.othersLive, auth.expired, auth.ended, auth.revoked, randomUUID()]) {
          await expectRefused(call(counter.call, authorizationId), 'FORBIDDEN', 'errors.authorizationRequired');
        }
        // The card office works on production, not on residents' records.
        await expectRefused(call(cardOffice.call, auth.live), 'FORBIDDEN', 'errors.forbidden');
        await expectRefused(call(callerFor(world.deps).call, auth.live), 'UNAUTHORIZED', 'errors.signInRequired');

        expect(
          await rowCounts(world.db, ['AccessLogEntry', 'CardEvent', 'CardReplacement', 'SocialSecurityCard']),
        ).toEqual(before);
        expect(await world.db.prisma.socialSecurityCard.findMany({ orderBy: { id: 'asc' } })).toEqual(cardsBefore);
      },
    );

    it.each(Object.keys(RESIDENT_DATA_PROCEDURES))(
      '%s goes through for staff holding a live authorization',
      async (name) => {
        const { call, withLiveAuthorization } = RESIDENT_DATA_PROCEDURES[name]!;
        expect(await outcome(call(counter.call, auth.live))).toBe(withLiveAuthorization);
        // ... and for the other counter under their own.
        expect(await outcome(call(counter2.call, auth.othersLive))).not.toBe('FORBIDDEN');
      },
    );

    it('an authorization without the CARD service does not open card data', async () => {
      const residentId = await world.residentId('second');
      const staffId = await world.staffId('counter');
      const member = await world.db.prisma.staffMember.findUniqueOrThrow({ where: { id: staffId } });
      const now = world.clock.now();
      const noScopes = await world.db.prisma.assistAuthorization.create({
        data: {
          id: randomUUID(),
          residentId,
          staffId,
          centerId: member.centerId,
          method: 'IN_PERSON',
          scopes: [],
          idDocumentChecked: true,
          reason: 'test',
          createdAt: now,
          expiresAt: new Date(now.getTime() + HOUR),
        },
      });
      await expectRefused(
        counter.call.card.summary({ authorizationId: noScopes.id }),
        'FORBIDDEN',
        'errors.scopeMissing',
      );
    });
  });

  it('staff with a live authorization see exactly what the resident sees, and no one else', async () => {
    const elderId = demoResident('elder').idNumber;
    const counter = await world.staff('counter');
    const elder = await world.resident('elder');
    const { id: authorizationId } = await authorizeInPerson(counter, elderId);

    const bySelf = {
      summary: await elder.call.card.summary({}),
      contributions: await elder.call.card.contributions({}),
      benefits: await elder.call.card.benefits({}),
    };
    const byStaff = {
      summary: await counter.call.card.summary({ authorizationId }),
      contributions: await counter.call.card.contributions({ authorizationId }),
      benefits: await counter.call.card.benefits({ authorizationId }),
    };
    expect(byStaff).toEqual(bySelf);
    expect(byStaff.summary.holderName).toBe(demoResident('elder').name);
    expect(byStaff.summary.maskedIdNumber).toBe(maskIdNumber(elderId));
    // The elder lives on a pension and minimum living allowance; the data really is hers.
    expect(new Set(byStaff.benefits.payments.map((payment) => payment.kind))).toEqual(
      new Set(['PENSION', 'MINIMUM_LIVING', 'SOCIAL_ASSISTANCE']),
    );
    const worker = await world.resident('worker');
    expect((await worker.call.card.summary({})).holderName).not.toBe(byStaff.summary.holderName);
  });

  it('a resident only ever gets their own data, whatever they send', async () => {
    const worker = await world.resident('worker');
    const second = await world.resident('second');
    const workerSummary = await worker.call.card.summary({});
    const secondSummary = await second.call.card.summary({});
    expect(workerSummary.holderName).toBe(demoResident('worker').name);
    expect(secondSummary.holderName).toBe(demoResident('second').name);
    expect(workerSummary.maskedIdNumber).toBe(maskIdNumber(demoResident('worker').idNumber));
    expect(secondSummary.maskedIdNumber).toBe(maskIdNumber(demoResident('second').idNumber));
    expect(await worker.call.card.contributions({})).not.toEqual(await second.call.card.contributions({}));

    // Naming someone else's record in the input changes nothing: there is no such input.
    const secondResidentId = await world.residentId('second');
    expect(await worker.call.card.summary({ residentId: secondResidentId } as never)).toEqual(
      await worker.call.card.summary({}),
    );
    // Nor can a resident borrow an authorization someone else was given.
    const counter = await world.staff('counter');
    const { id } = await authorizeByCode(counter, second, demoResident('second').idNumber);
    await expectRefused(worker.call.card.summary({ authorizationId: id }), 'FORBIDDEN', 'errors.forbidden');
  });

  it('each role reaches only its own procedures', async () => {
    const [counter, cardOffice, worker, reviewer] = await Promise.all([
      world.staff('counter'),
      world.staff('cardOffice'),
      world.resident('worker'),
      world.staff('reviewer'),
    ]);
    const anonymous = callerFor(world.deps).call;
    const lookupToken = (await counter.call.assist.findResident({ idNumber: demoResident('worker').idNumber }))
      .lookupToken;
    const someId = randomUUID();

    const counterOnly: Record<string, (c: Caller) => Promise<unknown>> = {
      'assist.findResident': (c) => c.assist.findResident({ idNumber: demoResident('worker').idNumber }),
      'assist.authorizeWithCode': (c) => c.assist.authorizeWithCode({ lookupToken, code: '123456' }),
      'assist.authorizeInPerson': (c) =>
        c.assist.authorizeInPerson({ lookupToken, scopes: ['CARD'], idDocumentChecked: true, reason: 'no phone' }),
      'assist.get': (c) => c.assist.get({ authorizationId: someId }),
      'assist.myLive': (c) => c.assist.myLive(),
      'assist.end': (c) => c.assist.end({ authorizationId: someId }),
      'card.verifyQr': (c) => c.card.verifyQr({ token: 'SWCARD1.x.y' }),
    };
    const cardOfficeOnly: Record<string, (c: Caller) => Promise<unknown>> = {
      'card.office.queue': (c) => c.card.office.queue(),
      'card.office.advance': (c) => c.card.office.advance({ replacementId: someId, from: 'SUBMITTED' }),
    };
    const residentOnly: Record<string, (c: Caller) => Promise<unknown>> = {
      'assist.createCode': (c) => c.assist.createCode({ scopes: ['CARD'] }),
      'assist.myAuthorizations': (c) => c.assist.myAuthorizations(),
      'assist.revoke': (c) => c.assist.revoke({ authorizationId: someId }),
      'card.qrToken': (c) => c.card.qrToken(),
      'accessLog.mine': (c) => c.accessLog.mine({}),
    };
    const reviewerOnly: Record<string, (c: Caller) => Promise<unknown>> = {
      'enrollment.review.queue': (c) => c.enrollment.review.queue({}),
      'enrollment.review.schools': (c) => c.enrollment.review.schools(),
      'enrollment.review.application': (c) => c.enrollment.review.application({ applicationId: someId }),
      'enrollment.review.document': (c) => c.enrollment.review.document({ documentId: someId }),
      'enrollment.review.decide': (c) =>
        c.enrollment.review.decide({ applicationId: someId, version: 1, decision: 'APPROVE' }),
      'enrollment.review.stats': (c) => c.enrollment.review.stats(),
      'enrollment.allocation.overview': (c) => c.enrollment.allocation.overview(),
      'enrollment.allocation.preview': (c) => c.enrollment.allocation.preview({ schoolId: someId, round: 1 }),
      'enrollment.allocation.round': (c) => c.enrollment.allocation.round({ schoolId: someId, round: 1 }),
      'enrollment.allocation.openRound': (c) => c.enrollment.allocation.openRound({ schoolId: someId, round: 1 }),
      'enrollment.allocation.commit': (c) =>
        c.enrollment.allocation.commit({ schoolId: someId, round: 1, dryRunId: someId }),
    };
    const answers: Record<string, string> = {};
    const expected: Record<string, string> = {};
    const plan: [Record<string, (c: Caller) => Promise<unknown>>, [string, Caller][]][] = [
      [
        counterOnly,
        [
          ['card office', cardOffice.call],
          ['resident', worker.call],
          ['reviewer', reviewer.call],
        ],
      ],
      [
        cardOfficeOnly,
        [
          ['counter', counter.call],
          ['resident', worker.call],
          ['reviewer', reviewer.call],
        ],
      ],
      [
        residentOnly,
        [
          ['counter', counter.call],
          ['card office', cardOffice.call],
          ['reviewer', reviewer.call],
        ],
      ],
      [
        reviewerOnly,
        [
          ['counter', counter.call],
          ['card office', cardOffice.call],
          ['resident', worker.call],
        ],
      ],
    ];
    for (const [procedures, outsiders] of plan) {
      for (const [name, call] of Object.entries(procedures)) {
        for (const [who, caller] of [...outsiders, ['anonymous', anonymous] as [string, Caller]]) {
          expected[`${who} → ${name}`] =
            who === 'anonymous' ? 'UNAUTHORIZED errors.signInRequired' : 'FORBIDDEN errors.forbidden';
          answers[`${who} → ${name}`] = await answerTo(call(caller));
        }
      }
    }
    expect(answers).toEqual(expected);

    // And each role does reach its own.
    expect(await counter.call.assist.myLive()).toEqual(expect.any(Array));
    expect(await cardOffice.call.card.office.queue()).toEqual(expect.any(Array));
    expect(await worker.call.accessLog.mine({})).toMatchObject({ entries: expect.any(Array) });
    expect(await reviewer.call.enrollment.review.queue({})).toMatchObject({ rows: expect.any(Array) });
  });

  it("staff can neither see nor end another staff member's authorization, nor can another resident revoke it", async () => {
    const [counter, counter2, second, worker] = await Promise.all([
      world.staff('counter'),
      world.staff('counter2'),
      world.resident('second'),
      world.resident('worker'),
    ]);
    const { id } = await authorizeByCode(counter, second, demoResident('second').idNumber);

    await expectRefused(counter2.call.assist.get({ authorizationId: id }), 'NOT_FOUND', 'errors.notFound');
    expect((await counter2.call.assist.myLive()).map((row) => row.id)).not.toContain(id);
    await counter2.call.assist.end({ authorizationId: id });
    await expectRefused(worker.call.assist.revoke({ authorizationId: id }), 'NOT_FOUND', 'errors.notFound');
    expect((await worker.call.assist.myAuthorizations()).map((row) => row.id)).not.toContain(id);

    // Still live for the one who holds it.
    expect(await counter.call.assist.get({ authorizationId: id })).toMatchObject({
      state: 'LIVE',
      resident: { name: demoResident('second').name },
    });
    expect((await counter.call.assist.myLive()).map((row) => row.id)).toContain(id);
    expect((await counter.call.card.summary({ authorizationId: id })).holderName).toBe(demoResident('second').name);
  });
});
