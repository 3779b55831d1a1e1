import { randomUUID } from 'node:crypto';
import { composeIdNumber } from '@portal/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HOUR,
  TARGETS,
  accessLogCount,
  createWorld,
  expectInvalidInput,
  expectRefused,
  rowCounts,
  testResident,
  type SignedIn,
  type World,
} from './harness.js';

/**
 * 委托: an older resident lets a family member act for them in home care. The
 * relation is verified from the city's records (same registered household, or
 * a parent–child record found by the child's ID number); the grant covers one
 * service, ends on a date, and either side can revoke it. Delegates reach the
 * grantor's data through residentDataProcedure with `delegationId`; nothing
 * else opens. The clock starts 2026-11-02 (China: 09:00).
 */

const area = { areaCode: '441581' };
const MOTHER = testResident('洪秀珍', '1946-04-12', 702, {
  ...area,
  care: { level: 'MODERATE', paymentMethod: 'CASH' },
  household: 'hong-old',
});
const SON = testResident('洪志明', '1974-08-08', 703, { ...area, childOf: MOTHER.idNumber, household: 'hong-young' });
const STRANGER = testResident('路人甲', '1980-01-01', 705, area);
const GRANDSON = testResident('洪小宝', '2015-05-05', 707, { ...area, household: 'hong-old', relation: 'CHILD' });
const LODGER = testResident('洪秀兰', '1970-02-02', 708, { ...area, household: 'hong-old', relation: 'OTHER' });
/** A father whose daughter is on record; used for expiry. */
const FATHER = testResident('詹伯', '1944-09-09', 709, { ...area, care: { level: 'MILD', paymentMethod: 'CASH' } });
const DAUGHTER = testResident('詹丽', '1976-03-03', 710, { ...area, childOf: FATHER.idNumber });

const DELEGATION_TABLES = ['DelegationGrant', 'Message'];

describe.each(TARGETS)('delegation on %s', (target) => {
  let world: World;
  let mother: SignedIn;
  let son: SignedIn;
  let grantId: string;

  beforeAll(async () => {
    world = await createWorld(target, { extraResidents: [MOTHER, SON, STRANGER, GRANDSON, LODGER, FATHER, DAUGHTER] });
    [mother, son] = await Promise.all([world.signIn(MOTHER.idNumber), world.signIn(SON.idNumber)]);
  });
  afterAll(() => world?.close());

  it('candidates are the adult members of the household; an adult child is added by ID number', async () => {
    const candidates = await mother.call.delegation.candidates();
    expect(candidates.services).toEqual(['ELDERCARE']);
    expect(candidates.adultChildByIdNumber).toBe(true);
    expect(candidates).toMatchObject({ earliestEndsOn: '2026-11-02', latestEndsOn: '2027-11-02' });
    expect(candidates.householdMembers.map((member) => member.name)).toEqual(['洪秀兰']);
    expect(candidates.householdMembers[0]!.maskedIdNumber).toMatch(/^4415\*+\d{3}[\dX]$/);
  });

  it('refuses oneself, strangers, unknown people, minors, other services and bad end dates, and writes nothing', async () => {
    const before = await rowCounts(world.db, DELEGATION_TABLES);
    const valid = { service: 'ELDERCARE' as const, endsOn: '2027-05-01' };
    await expectRefused(
      mother.call.delegation.grant({ ...valid, granteeIdNumber: MOTHER.idNumber }),
      'BAD_REQUEST',
      'errors.delegation.self',
    );
    await expectRefused(
      mother.call.delegation.grant({ ...valid, granteeIdNumber: STRANGER.idNumber }),
      'FORBIDDEN',
      'errors.delegation.noRelation',
    );
    // A valid ID number nobody in the city has: the same answer, so the form reveals nobody.
    await expectRefused(
      mother.call.delegation.grant({ ...valid, granteeIdNumber: composeIdNumber('441581', '1977-07-07', 999) }),
      'FORBIDDEN',
      'errors.delegation.noRelation',
    );
    await expectRefused(
      mother.call.delegation.grant({ ...valid, granteeResidentId: await world.residentIdOf(GRANDSON.idNumber) }),
      'BAD_REQUEST',
      'errors.delegation.granteeMinor',
    );
    await expectRefused(
      mother.call.delegation.grant({ ...valid, granteeResidentId: await world.residentIdOf(STRANGER.idNumber) }),
      'FORBIDDEN',
      'errors.delegation.noRelation',
    );
    // The relation runs one way: the son cannot pass his mother's affairs to himself through her.
    await expectRefused(
      son.call.delegation.grant({ ...valid, granteeIdNumber: MOTHER.idNumber }),
      'FORBIDDEN',
      'errors.delegation.noRelation',
    );
    for (const service of ['CARD', 'HEALTH'] as const) {
      await expectRefused(
        mother.call.delegation.grant({ ...valid, service, granteeIdNumber: SON.idNumber }),
        'BAD_REQUEST',
        'errors.delegation.serviceNotDelegable',
      );
    }
    await expectRefused(
      mother.call.delegation.grant({ ...valid, endsOn: '2026-11-01', granteeIdNumber: SON.idNumber }),
      'BAD_REQUEST',
      'errors.delegation.endDate',
    );
    await expectRefused(
      mother.call.delegation.grant({ ...valid, endsOn: '2027-11-03', granteeIdNumber: SON.idNumber }),
      'BAD_REQUEST',
      'errors.delegation.endDate',
    );
    await expectInvalidInput(
      mother.call.delegation.grant({ ...valid, endsOn: '2027-02-30', granteeIdNumber: SON.idNumber }),
      { endsOn: 'validation.delegation.endsOn' },
    );
    await expectInvalidInput(mother.call.delegation.grant({ ...valid }), {
      granteeIdNumber: 'validation.delegation.grantee',
    });
    await expectInvalidInput(
      mother.call.delegation.grant({ ...valid, granteeIdNumber: SON.idNumber, granteeResidentId: randomUUID() }),
      { granteeIdNumber: 'validation.delegation.grantee' },
    );
    await expectInvalidInput(mother.call.delegation.grant({ ...valid, granteeIdNumber: '44158119740808703' }), {
      granteeIdNumber: 'validation.idNumber.shape',
    });
    expect(await rowCounts(world.db, DELEGATION_TABLES)).toEqual(before);
  });

  it('an adult child on record, found by ID number, gets the grant; both are told', async () => {
    const grant = await mother.call.delegation.grant({
      service: 'ELDERCARE',
      granteeIdNumber: SON.idNumber,
      endsOn: '2027-05-01',
    });
    expect(grant).toMatchObject({ service: 'ELDERCARE', basis: 'ADULT_CHILD', granteeName: '洪志明', state: 'LIVE' });
    expect(grant.endsAt.toISOString()).toBe('2027-05-01T16:00:00.000Z');
    grantId = grant.id;
    await expectRefused(
      mother.call.delegation.grant({ service: 'ELDERCARE', granteeIdNumber: SON.idNumber, endsOn: '2027-06-01' }),
      'CONFLICT',
      'errors.delegation.alreadyGranted',
    );
    for (const idNumber of [MOTHER.idNumber, SON.idNumber]) {
      const message = await world.db.prisma.message.findFirstOrThrow({
        where: { residentId: await world.residentIdOf(idNumber), topic: 'eldercare.delegation.GRANTED' },
      });
      expect(message).toMatchObject({
        link: '/eldercare/family',
        params: { service: 'ELDERCARE', grantor: '洪秀珍', grantee: '洪志明', endsOn: '2027-05-01' },
      });
    }
    const received = await son.call.delegation.received();
    expect(received).toEqual([
      expect.objectContaining({ id: grantId, state: 'LIVE', grantor: expect.objectContaining({ name: '洪秀珍' }) }),
    ]);
    const given = await mother.call.delegation.given();
    expect(given).toEqual([
      expect.objectContaining({ id: grantId, state: 'LIVE', grantee: expect.objectContaining({ name: '洪志明' }) }),
    ]);
  });

  it('a household member gets a grant on the household basis', async () => {
    const lodgerId = await world.residentIdOf(LODGER.idNumber);
    // The latest end date allowed: a year from today.
    const grant = await mother.call.delegation.grant({
      service: 'ELDERCARE',
      granteeResidentId: lodgerId,
      endsOn: '2027-11-02',
    });
    expect(grant).toMatchObject({ basis: 'HOUSEHOLD', state: 'LIVE' });
  });

  it('the delegate sees the care profile and books for the parent; the order and ledger say who did it; both are told; no access log', async () => {
    const logBefore = await accessLogCount(world.db);
    const profile = await son.call.eldercare.profile({ delegationId: grantId });
    expect(profile).toMatchObject({ actingAs: 'DELEGATE', resident: { name: '洪秀珍', age: 80 }, eligible: true });
    const catalogue = await son.call.eldercare.catalogue({ delegationId: grantId, kind: 'MEAL' });
    const order = await son.call.eldercare.book({
      delegationId: grantId,
      slotId: catalogue.items[0]!.slots[0]!.id,
      requestKey: randomUUID(),
    });
    expect(order).toMatchObject({ status: 'BOOKED', subsidyFen: 1_000, selfPayFen: 500 });

    const motherId = await world.residentIdOf(MOTHER.idNumber);
    const sonId = await world.residentIdOf(SON.idNumber);
    const stored = await world.db.prisma.careOrder.findUniqueOrThrow({
      where: { id: order.id },
      include: { events: true, subsidyEntries: true },
    });
    expect(stored.residentId).toBe(motherId);
    expect(stored.events[0]).toMatchObject({ actorKind: 'DELEGATE', actorResidentId: sonId, delegationId: grantId });
    expect(stored.subsidyEntries[0]).toMatchObject({
      kind: 'ORDER_PAYMENT',
      residentId: motherId,
      actorKind: 'DELEGATE',
      actorResidentId: sonId,
    });
    // The mother sees who booked for her.
    const upcoming = await mother.call.eldercare.orders({ when: 'UPCOMING' });
    expect(upcoming.orders.find((row) => row.id === order.id)!.events[0]!.actor).toEqual({
      kind: 'DELEGATE',
      name: '洪志明',
      organization: null,
    });
    for (const residentId of [motherId, sonId]) {
      expect(await world.db.prisma.message.count({ where: { residentId, topic: 'eldercare.order.BOOKED' } })).toBe(1);
    }
    // The son's own profile is his own (under 60): the delegation does not change who he is.
    expect(await son.call.eldercare.profile({})).toMatchObject({
      actingAs: 'RESIDENT',
      eligible: false,
      resident: { name: '洪志明' },
    });
    // Cancelling for her works too and refunds her ledger.
    expect(await son.call.eldercare.cancel({ delegationId: grantId, orderId: order.id })).toMatchObject({
      status: 'CANCELLED',
      refundedFen: 1_000,
    });
    expect(await accessLogCount(world.db)).toBe(logBefore);
  });

  it('the delegate keeps the care profile up to date and asks for an assessment for the parent', async () => {
    const updated = await son.call.eldercare.updateProfile({
      delegationId: grantId,
      livingSituation: 'ALONE',
      paymentMethod: 'CASH',
      emergencyContacts: [{ name: '洪志明', relation: '儿子', phone: '13922223333' }],
    });
    expect(updated.emergencyContacts).toEqual([{ name: '洪志明', relation: '儿子', maskedPhone: '139****3333' }]);
    const request = await son.call.eldercare.requestAssessment({ delegationId: grantId });
    const stored = await world.db.prisma.careAssessmentRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored.residentId).toBe(await world.residentIdOf(MOTHER.idNumber));
    expect((await mother.call.eldercare.profile({})).assessmentRequest?.id).toBe(request.id);
  });

  it('delegations are managed by residents only', async () => {
    for (const staff of [await world.staff('counter'), await world.staff('provider'), await world.staff('assessor')]) {
      await expectRefused(staff.call.delegation.given(), 'FORBIDDEN', 'errors.forbidden');
      await expectRefused(
        staff.call.delegation.grant({ service: 'ELDERCARE', granteeIdNumber: SON.idNumber, endsOn: '2027-01-01' }),
        'FORBIDDEN',
        'errors.forbidden',
      );
      await expectRefused(staff.call.delegation.revoke({ delegationId: grantId }), 'FORBIDDEN', 'errors.forbidden');
    }
  });

  it('an ELDERCARE delegation opens nothing else: not the card, not the health record, not delegation management', async () => {
    await expectRefused(son.call.card.summary({ delegationId: grantId }), 'FORBIDDEN', 'errors.delegationScope');
    await expectRefused(son.call.card.contributions({ delegationId: grantId }), 'FORBIDDEN', 'errors.delegationScope');
    await expectRefused(son.call.card.reportLoss({ delegationId: grantId }), 'FORBIDDEN', 'errors.delegationScope');
    await expectRefused(son.call.health.overview({ delegationId: grantId }), 'FORBIDDEN', 'errors.delegationScope');
    await expectRefused(son.call.health.timeline({ delegationId: grantId }), 'FORBIDDEN', 'errors.delegationScope');
    // Delegation procedures act only for the signed-in resident: the son's "given" list is his own (empty).
    expect(await son.call.delegation.given()).toEqual([]);
  });

  it('nobody else can use the grant', async () => {
    const stranger = await world.signIn(STRANGER.idNumber);
    await expectRefused(
      stranger.call.eldercare.profile({ delegationId: grantId }),
      'FORBIDDEN',
      'errors.delegationRequired',
    );
    await expectRefused(
      mother.call.eldercare.profile({ delegationId: grantId }),
      'FORBIDDEN',
      'errors.delegationRequired',
    );
    await expectRefused(
      son.call.eldercare.profile({ delegationId: randomUUID() }),
      'FORBIDDEN',
      'errors.delegationRequired',
    );
    await expectInvalidInput(son.call.eldercare.profile({ delegationId: 'abc' }), {
      delegationId: 'validation.delegationId',
    });
    await expectRefused(stranger.call.delegation.revoke({ delegationId: grantId }), 'NOT_FOUND', 'errors.notFound');
  });

  it('either side can revoke; it ends at once and both are told', async () => {
    const revoked = await son.call.delegation.revoke({ delegationId: grantId });
    expect(revoked).toMatchObject({ state: 'REVOKED', revokedBy: 'GRANTEE' });
    await expectRefused(
      son.call.eldercare.profile({ delegationId: grantId }),
      'FORBIDDEN',
      'errors.delegationRequired',
    );
    await expectRefused(
      mother.call.delegation.revoke({ delegationId: grantId }),
      'CONFLICT',
      'errors.delegation.notLive',
    );
    for (const idNumber of [MOTHER.idNumber, SON.idNumber]) {
      const message = await world.db.prisma.message.findFirstOrThrow({
        where: { residentId: await world.residentIdOf(idNumber), topic: 'eldercare.delegation.REVOKED' },
      });
      expect(message.params).toMatchObject({ by: '洪志明' });
    }
    expect((await mother.call.delegation.given()).find((row) => row.id === grantId)).toMatchObject({
      state: 'REVOKED',
      revokedBy: 'GRANTEE',
    });

    // A new grant, revoked by the mother this time.
    const again = await mother.call.delegation.grant({
      service: 'ELDERCARE',
      granteeIdNumber: SON.idNumber,
      endsOn: '2027-01-31',
    });
    expect(await son.call.eldercare.profile({ delegationId: again.id })).toMatchObject({
      resident: { name: '洪秀珍' },
    });
    expect(await mother.call.delegation.revoke({ delegationId: again.id })).toMatchObject({
      state: 'REVOKED',
      revokedBy: 'GRANTOR',
    });
    await expectRefused(
      son.call.eldercare.catalogue({ delegationId: again.id }),
      'FORBIDDEN',
      'errors.delegationRequired',
    );
  });

  it('a grant ends with its end date: usable through that day, refused after', async () => {
    const father = await world.signIn(FATHER.idNumber);
    const grant = await father.call.delegation.grant({
      service: 'ELDERCARE',
      granteeIdNumber: DAUGHTER.idNumber,
      endsOn: '2026-11-03',
    });
    // 2026-11-03 23:00 in China: still the last day.
    world.clock.advance(38 * HOUR - 1);
    const daughter = await world.signIn(DAUGHTER.idNumber);
    expect(await daughter.call.eldercare.profile({ delegationId: grant.id })).toMatchObject({
      resident: { name: '詹伯' },
    });
    world.clock.advance(2 * HOUR);
    const nextDay = await world.signIn(DAUGHTER.idNumber);
    await expectRefused(
      nextDay.call.eldercare.profile({ delegationId: grant.id }),
      'FORBIDDEN',
      'errors.delegationRequired',
    );
    expect((await nextDay.call.delegation.received())[0]).toMatchObject({ id: grant.id, state: 'EXPIRED' });
    await expectRefused(
      nextDay.call.delegation.revoke({ delegationId: grant.id }),
      'CONFLICT',
      'errors.delegation.notLive',
    );
  });
});
