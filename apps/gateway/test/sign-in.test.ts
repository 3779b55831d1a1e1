import { composeIdNumber } from '@portal/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSession } from '../src/auth/sessions.js';
import { THROTTLE } from '../src/auth/throttle.js';
import {
  DEMO_PASSWORD,
  MINUTE,
  HOUR,
  TARGETS,
  callerFor,
  createWorld,
  demoResident,
  demoStaff,
  deviceTokenFrom,
  expectRefused,
  makeDeps,
  refusal,
  signInResident,
  signInStaff,
  testConfig,
  tokenFromCookie,
  uniqueAddress,
  type World,
} from './harness.js';

describe.each(TARGETS)('sign-in and sessions on %s', (target) => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld(target);
  });
  afterAll(() => world?.close());

  it('a resident signs in with their ID number and gets a session for their own record', async () => {
    const worker = demoResident('worker');
    const signedIn = await signInResident(world.deps, worker.idNumber);
    expect(await signedIn.session()).toEqual({
      id: expect.any(String),
      kind: 'RESIDENT',
      residentId: await world.residentId('worker'),
    });
    const me = await signedIn.call.auth.me();
    expect(me).toMatchObject({ kind: 'RESIDENT', name: worker.name, areaCode: worker.areaCode });
  });

  it('a resident may type the ID number with spaces in it', async () => {
    const worker = demoResident('worker');
    const typed = ` ${worker.idNumber.slice(0, 6)} ${worker.idNumber.slice(6, 14)} ${worker.idNumber.slice(14)} `;
    const signedIn = await signInResident(world.deps, typed);
    expect(await signedIn.session()).toMatchObject({ kind: 'RESIDENT', residentId: await world.residentId('worker') });
  });

  it('staff sign in with their staff number and get a session with their role and center', async () => {
    const counter = demoStaff('counter');
    const signedIn = await signInStaff(world.deps, counter.staffNumber.toLowerCase());
    const session = await signedIn.session();
    expect(session).toMatchObject({ kind: 'STAFF', staffId: await world.staffId('counter'), role: 'COUNTER' });
    const me = await signedIn.call.auth.me();
    expect(me).toMatchObject({ kind: 'STAFF', name: counter.name, staffNumber: counter.staffNumber, role: 'COUNTER' });
    const office = await signInStaff(world.deps, demoStaff('cardOffice').staffNumber);
    expect(await office.session()).toMatchObject({ kind: 'STAFF', role: 'CARD_OFFICE' });
  });

  it('an unknown account and a wrong password are refused with the very same error', async () => {
    const anonymous = callerFor(world.deps);
    const unknownResident = await refusal(
      anonymous.call.auth.signInResident({
        idNumber: composeIdNumber('441502', '1999-09-09', 999),
        password: DEMO_PASSWORD,
      }),
    );
    const wrongResidentPassword = await refusal(
      anonymous.call.auth.signInResident({ idNumber: demoResident('second').idNumber, password: 'not-the-password' }),
    );
    const unknownStaff = await refusal(
      anonymous.call.auth.signInStaff({ staffNumber: 'SW9999', password: DEMO_PASSWORD }),
    );
    const wrongStaffPassword = await refusal(
      anonymous.call.auth.signInStaff({ staffNumber: demoStaff('counter2').staffNumber, password: 'not-the-password' }),
    );
    expect(unknownResident.data).toMatchObject({ code: 'UNAUTHORIZED', messageKey: 'errors.invalidCredentials' });
    for (const other of [wrongResidentPassword, unknownStaff, wrongStaffPassword]) {
      expect(other).toEqual(unknownResident);
    }
    expect(anonymous.cookies).toEqual([]);
  });

  it('repeated failures from one address refuse that address for the account, even with the right password; the lock lives in the database', async () => {
    const elder = demoResident('elder');
    const attacker = callerFor(world.deps, { clientAddress: uniqueAddress() });
    const { lockAfter } = THROTTLE.signIn.pair;
    for (let attempt = 1; attempt <= lockAfter; attempt += 1) {
      await expectRefused(
        attacker.call.auth.signInResident({ idNumber: elder.idNumber, password: `wrong-${attempt}` }),
        'UNAUTHORIZED',
        'errors.invalidCredentials',
      );
    }
    const locked = await expectRefused(
      attacker.call.auth.signInResident({ idNumber: elder.idNumber, password: DEMO_PASSWORD }),
      'TOO_MANY_REQUESTS',
      'errors.signInLocked',
    );
    expect(locked.data.params).toEqual({ minutes: THROTTLE.lockMs / MINUTE });
    expect(attacker.cookies).toEqual([]);

    // Another gateway process (its own deps, and on PostgreSQL its own connection pool) sees the same lock.
    const otherGateway = makeDeps(await world.openAnother(), { clock: world.clock, config: world.deps.config });
    const sameAddress = callerFor(otherGateway, { clientAddress: attacker.clientAddress });
    await expectRefused(
      sameAddress.call.auth.signInResident({ idNumber: elder.idNumber, password: DEMO_PASSWORD }),
      'TOO_MANY_REQUESTS',
      'errors.signInLocked',
    );

    // The owner, anywhere else, is not locked out by a stranger's guesses.
    expect(await (await signInResident(world.deps, elder.idNumber)).session()).toMatchObject({ kind: 'RESIDENT' });

    // Once the lock has run out, the right password works from that address again.
    world.clock.advance(THROTTLE.lockMs + 1_000);
    expect(await attacker.call.auth.signInResident({ idNumber: elder.idNumber, password: DEMO_PASSWORD })).toEqual({
      ok: true,
    });
  });

  it('while strangers guess from many addresses, a device that signed in before keeps working and new devices are refused', async () => {
    const second = demoResident('second');
    const ownDevice = callerFor(world.deps, { clientAddress: uniqueAddress() });
    await ownDevice.call.auth.signInResident({ idNumber: second.idNumber, password: DEMO_PASSWORD });
    const deviceToken = deviceTokenFrom(ownDevice.cookies);
    expect(deviceToken).toEqual(expect.any(String));
    expect(ownDevice.cookies.find((cookie) => cookie.startsWith('sw_device='))!.split('; ')).toEqual(
      expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/trpc/']),
    );

    // Every guess from an address of its own: only the account as a whole can stop them.
    const { lockAfter } = THROTTLE.signIn.account;
    const guesses = await Promise.all(
      Array.from({ length: lockAfter + 5 }, (_, index) =>
        refusal(
          callerFor(world.deps).call.auth.signInResident({ idNumber: second.idNumber, password: `guess-${index}` }),
        ),
      ),
    );
    expect(guesses.filter((guess) => guess.data.messageKey === 'errors.invalidCredentials')).toHaveLength(lockAfter);
    await expectRefused(
      callerFor(world.deps).call.auth.signInResident({ idNumber: second.idNumber, password: DEMO_PASSWORD }),
      'TOO_MANY_REQUESTS',
      'errors.signInLocked',
    );

    // The owner's browser, from wherever it is now, still gets in.
    const owner = callerFor(world.deps, { deviceToken: deviceToken!, clientAddress: uniqueAddress() });
    expect(await owner.call.auth.signInResident({ idNumber: second.idNumber, password: DEMO_PASSWORD })).toEqual({
      ok: true,
    });
    // Its cookie is kept, not replaced.
    expect(deviceTokenFrom(owner.cookies)).toBeNull();
    world.clock.advance(THROTTLE.lockMs + 1_000);
  });

  it("strangers' failures at one address never lock staff out of it; residents who signed in there before keep working", async () => {
    const address = uniqueAddress();
    const regular = callerFor(world.deps, { clientAddress: address });
    await regular.call.auth.signInResident({ idNumber: demoResident('worker').idNumber, password: DEMO_PASSWORD });
    const regularDevice = deviceTokenFrom(regular.cookies)!;

    // Many residents' accounts guessed from behind the same address (a service center's NAT).
    const { lockAfter } = THROTTLE.signIn.residentAddress;
    await Promise.all(
      Array.from({ length: lockAfter + 1 }, (_, index) =>
        refusal(
          callerFor(world.deps, { clientAddress: address }).call.auth.signInResident({
            idNumber: composeIdNumber('441502', '1970-01-01', 200 + index),
            password: 'guess',
          }),
        ),
      ),
    );
    // A resident new to this address is refused for now...
    await expectRefused(
      callerFor(world.deps, { clientAddress: address }).call.auth.signInResident({
        idNumber: demoResident('replacing').idNumber,
        password: DEMO_PASSWORD,
      }),
      'TOO_MANY_REQUESTS',
      'errors.signInLocked',
    );
    // ...but staff at the same address sign in, and so does a resident on a device they used before.
    expect(
      await callerFor(world.deps, { clientAddress: address }).call.auth.signInStaff({
        staffNumber: demoStaff('counter').staffNumber,
        password: DEMO_PASSWORD,
      }),
    ).toEqual({ ok: true });
    expect(
      await callerFor(world.deps, { clientAddress: address, deviceToken: regularDevice }).call.auth.signInResident({
        idNumber: demoResident('worker').idNumber,
        password: DEMO_PASSWORD,
      }),
    ).toEqual({ ok: true });
    world.clock.advance(THROTTLE.lockMs + 1_000);
  });

  it('the session cookie is HttpOnly, SameSite=Strict, for the whole site, and lasts as long as the session', async () => {
    const signedIn = await signInResident(world.deps, demoResident('second').idNumber);
    const attributes = signedIn.cookie.split('; ');
    expect(attributes[0]).toBe(`sw_session=${signedIn.token}`);
    expect(attributes).toEqual(
      expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${12 * 60 * 60}`]),
    );
    expect(attributes).not.toContain('Secure');
    expect(signedIn.token.length).toBeGreaterThanOrEqual(43);
    // The token itself is never stored, only its hash.
    const stored = await world.db.sql.query<{ tokenHash: string }>('SELECT "tokenHash" FROM "Session"');
    expect(stored.some((row) => row.tokenHash.includes(signedIn.token))).toBe(false);
  });

  it('with PORTAL_SECURE_COOKIES the cookie is also Secure', async () => {
    const secure = makeDeps(world.db, { clock: world.clock, config: testConfig({ PORTAL_SECURE_COOKIES: 'true' }) });
    const signedIn = await signInResident(secure, demoResident('second').idNumber);
    expect(signedIn.cookie.split('; ')).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Secure']));
  });

  it('signing out ends the session on the server, not only in the browser', async () => {
    const signedIn = await signInResident(world.deps, demoResident('worker').idNumber);
    const { call, cookies } = callerFor(world.deps, { sessionToken: signedIn.token });
    expect(await call.auth.signOut()).toEqual({ ok: true });
    expect(cookies).toHaveLength(1);
    expect(tokenFromCookie(cookies[0]!)).toBeNull();
    expect(cookies[0]).toMatch(/Max-Age=0/);
    expect(await resolveSession(world.deps, signedIn.token)).toBeNull();
    // The old token, replayed, is no one.
    await expectRefused(signedIn.call.card.summary({}), 'UNAUTHORIZED', 'errors.signInRequired');
    expect(await signedIn.call.auth.me()).toBeNull();
  });

  it('signing in again while signed in ends the previous session', async () => {
    const first = await signInResident(world.deps, demoResident('worker').idNumber);
    const again = callerFor(world.deps, { sessionToken: first.token });
    await again.call.auth.signInResident({ idNumber: demoResident('worker').idNumber, password: DEMO_PASSWORD });
    expect(await first.session()).toBeNull();
    expect(await resolveSession(world.deps, tokenFromCookie(again.cookies[0]!))).toMatchObject({ kind: 'RESIDENT' });
  });

  it('a session left idle longer than 30 minutes has expired', async () => {
    const signedIn = await signInResident(world.deps, demoResident('worker').idNumber);
    world.clock.advance(29 * MINUTE);
    expect(await signedIn.session()).not.toBeNull();
    // Each use counts as activity, so another 29 minutes are fine too.
    world.clock.advance(29 * MINUTE);
    expect(await signedIn.session()).not.toBeNull();
    world.clock.advance(30 * MINUTE + 1_000);
    expect(await signedIn.session()).toBeNull();
    await expectRefused(signedIn.call.card.summary({}), 'UNAUTHORIZED', 'errors.signInRequired');
  });

  it('idle expiry counts from the very last request, to the second', async () => {
    const signedIn = await signInResident(world.deps, demoResident('worker').idNumber);
    // A request 30 seconds after signing in is activity: the session lasts 30 minutes from it, not from the sign-in.
    world.clock.advance(30_000);
    expect(await signedIn.session()).not.toBeNull();
    world.clock.advance(30 * MINUTE - 1_000);
    expect(await signedIn.session()).not.toBeNull();
    world.clock.advance(30 * MINUTE + 1);
    expect(await signedIn.session()).toBeNull();
  });

  it('a session ends 12 hours after sign-in however active it is', async () => {
    const signedIn = await signInResident(world.deps, demoResident('second').idNumber);
    const signedInAt = world.clock.now().getTime();
    while (world.clock.now().getTime() + 20 * MINUTE < signedInAt + 12 * HOUR) {
      world.clock.advance(20 * MINUTE);
      expect(await signedIn.session()).not.toBeNull();
    }
    const untilExpiry = signedInAt + 12 * HOUR - world.clock.now().getTime();
    world.clock.advance(untilExpiry - 1);
    expect(await signedIn.session()).not.toBeNull();
    world.clock.advance(1);
    expect(await signedIn.session()).toBeNull();
  });

  it('a call without the portal request header is refused as possible cross-site forgery', async () => {
    const forged = callerFor(world.deps, { hasPortalHeader: false });
    await expectRefused(
      forged.call.auth.signInResident({ idNumber: demoResident('worker').idNumber, password: DEMO_PASSWORD }),
      'FORBIDDEN',
      'errors.csrf',
    );
    expect(forged.cookies).toEqual([]);
    // A signed-in browser is refused too: the cookie alone is not enough.
    const signedIn = await signInResident(world.deps, demoResident('worker').idNumber);
    const forgedWithCookie = callerFor(world.deps, { sessionToken: signedIn.token, hasPortalHeader: false });
    await expectRefused(forgedWithCookie.call.card.reportLoss({}), 'FORBIDDEN', 'errors.csrf');
    await expectRefused(forgedWithCookie.call.auth.signOut(), 'FORBIDDEN', 'errors.csrf');
    expect(await signedIn.session()).not.toBeNull();
    const card = await world.db.prisma.socialSecurityCard.findFirst({
      where: { residentId: await world.residentId('worker') },
    });
    expect(card?.status).toBe('ACTIVE');
  });

  it('an unknown or oversized session token is no session at all', async () => {
    expect(await resolveSession(world.deps, 'made-up-token')).toBeNull();
    expect(await resolveSession(world.deps, 'x'.repeat(10_000))).toBeNull();
    await expectRefused(
      callerFor(world.deps, { sessionToken: 'x'.repeat(10_000) }).call.card.summary({}),
      'UNAUTHORIZED',
      'errors.signInRequired',
    );
  });
});
