import { randomBytes } from 'node:crypto';
import { maskIdNumber, maskPhone } from '@portal/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataProtector } from '../src/security/data-protector.js';
import {
  DEMO_RESIDENTS,
  TARGETS,
  authorizeInPerson,
  callerFor,
  createWorld,
  demoResident,
  type World,
} from './harness.js';

/** The masked ID number the city asks for: area prefix and last four only (4415**********123X). */
const MASKED_ID_NUMBER = /^\d{4}\*{10}\d{3}[\dX]$/;

/** Every value of every row as raw bytes: bytea as stored, anything else as its text. */
function rowBytes(rows: Record<string, unknown>[]): Buffer[] {
  return rows.flatMap((row) =>
    Object.values(row).map((value) =>
      value instanceof Uint8Array
        ? Buffer.from(value)
        : Buffer.from(value instanceof Date ? value.toISOString() : String(value)),
    ),
  );
}

describe('DataProtector (no database)', () => {
  const protector = new DataProtector(randomBytes(32));

  it('decrypts what it encrypted, and the same text encrypts differently each time', () => {
    const a = protector.encrypt('441502198503123512', 'idNumber');
    const b = protector.encrypt('441502198503123512', 'idNumber');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(protector.decrypt(a, 'idNumber')).toBe('441502198503123512');
    expect(protector.decrypt(b, 'idNumber')).toBe('441502198503123512');
    expect(protector.decrypt(protector.encrypt('汕尾市 城区', 'address'), 'address')).toBe('汕尾市 城区');
  });

  it('refuses a ciphertext with any byte changed', () => {
    const sealed = protector.encrypt('13826601234', 'phone');
    for (const index of [0, 1, 13, 29, sealed.length - 1]) {
      const tampered = Uint8Array.from(sealed);
      tampered[index] = tampered[index]! ^ 0x01;
      expect(() => protector.decrypt(tampered, 'phone'), `byte ${index}`).toThrow();
    }
    expect(() => protector.decrypt(sealed.subarray(0, sealed.length - 1), 'phone')).toThrow();
  });

  it('refuses a ciphertext moved to another column or read with another key', () => {
    const sealed = protector.encrypt('13826601234', 'phone');
    expect(() => protector.decrypt(sealed, 'idNumber')).toThrow();
    expect(() => new DataProtector(randomBytes(32)).decrypt(sealed, 'phone')).toThrow();
    expect(() => new DataProtector(randomBytes(16))).toThrow(/32 bytes/);
  });

  it('lookup hashes are exact-match only and keyed', () => {
    const hash = protector.lookupHashHex('441502198503123512', 'idNumber');
    expect(protector.lookupHashHex('441502198503123512', 'idNumber')).toBe(hash);
    expect(protector.lookupHashHex('441502198503123513', 'idNumber')).not.toBe(hash);
    expect(protector.lookupHashHex('441502198503123512', 'phone')).not.toBe(hash);
    expect(new DataProtector(randomBytes(32)).lookupHashHex('441502198503123512', 'idNumber')).not.toBe(hash);
  });
});

describe.each(TARGETS)('personal data at rest and on screen, on %s', (target) => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld(target);
  });
  afterAll(() => world?.close());

  it('no ID, phone or card number is stored in plain text, in the Resident table or anywhere else', async () => {
    // Leave traces everywhere first: sign-ins, a lookup, an authorization, log entries, a failed sign-in.
    const counter = await world.staff('counter');
    const worker = await world.resident('worker');
    const { id } = await authorizeInPerson(counter, demoResident('worker').idNumber);
    await counter.call.card.summary({ authorizationId: id });
    await worker.call.assist.createCode({ scopes: ['CARD'] });
    await callerFor(world.deps)
      .call.auth.signInResident({ idNumber: demoResident('elder').idNumber, password: 'wrong' })
      .catch(() => undefined);
    expect(await world.db.prisma.signInThrottle.count()).toBeGreaterThan(0);

    const residents = await world.db.sql.query<Record<string, unknown>>('SELECT * FROM "Resident"');
    expect(residents).toHaveLength(13);
    const secrets = residents.flatMap((row) => {
      const idNumber = world.deps.protector.decrypt(row['idNumberEnc'] as Uint8Array, 'idNumber');
      const phone = row['phoneEnc'] ? world.deps.protector.decrypt(row['phoneEnc'] as Uint8Array, 'phone') : null;
      return phone ? [idNumber, phone] : [idNumber];
    });
    // The demo residents' numbers, known independently of the database, are among them.
    for (const demo of DEMO_RESIDENTS) {
      expect(secrets).toContain(demo.idNumber);
      if (demo.phone) expect(secrets).toContain(demo.phone);
    }
    expect(secrets.length).toBeGreaterThan(12);

    const cardNumbers = (
      await world.db.prisma.socialSecurityCard.findMany({ select: { cardNumberEnc: true, cardNumberMask: true } })
    ).map((card) => {
      const cardNumber = world.deps.protector.decrypt(card.cardNumberEnc, 'cardNumber');
      expect(card.cardNumberMask).toBe(`${'*'.repeat(cardNumber.length - 4)}${cardNumber.slice(-4)}`);
      return cardNumber;
    });
    expect(cardNumbers.length).toBeGreaterThanOrEqual(12);
    secrets.push(...cardNumbers);

    const residentBytes = rowBytes(residents);
    for (const secret of secrets) {
      const needle = Buffer.from(secret);
      expect(
        residentBytes.some((bytes) => bytes.includes(needle)),
        `${secret} in Resident`,
      ).toBe(false);
      // Nor hex-encoded, as a bytea rendered to text would show it.
      expect(
        residentBytes.some((bytes) => bytes.includes(Buffer.from(needle.toString('hex')))),
        `${secret} as hex`,
      ).toBe(false);
    }

    const tables = await world.db.sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.length).toBeGreaterThan(10);
    for (const { table_name: table } of tables) {
      const bytes = rowBytes(await world.db.sql.query<Record<string, unknown>>(`SELECT * FROM "${table}"`));
      for (const secret of secrets) {
        expect(
          bytes.some((value) => value.includes(Buffer.from(secret))),
          `${secret} in ${table}`,
        ).toBe(false);
      }
    }
  });

  it('stored ciphertexts decrypt to numbers whose lookup hash and masks match the row', async () => {
    const rows = await world.db.prisma.resident.findMany({
      select: { idNumberEnc: true, idNumberHash: true, idNumberMask: true, phoneEnc: true, phoneMask: true },
    });
    for (const row of rows) {
      const idNumber = world.deps.protector.decrypt(row.idNumberEnc, 'idNumber');
      expect(idNumber).toMatch(/^\d{17}[\dX]$/);
      expect(
        Buffer.from(row.idNumberHash).equals(Buffer.from(world.deps.protector.lookupHash(idNumber, 'idNumber'))),
      ).toBe(true);
      expect(row.idNumberMask).toBe(maskIdNumber(idNumber));
      expect(row.idNumberMask).toMatch(MASKED_ID_NUMBER);
      if (row.phoneEnc) {
        const phone = world.deps.protector.decrypt(row.phoneEnc, 'phone');
        expect(row.phoneMask).toBe(maskPhone(phone));
        expect(row.phoneMask).toMatch(/^1\d{2}\*{4}\d{4}$/);
      } else {
        expect(row.phoneMask).toBeNull();
      }
    }
  });

  it('a ciphertext tampered with in the database no longer decrypts', async () => {
    const residentId = await world.residentId('second');
    const [row] = await world.db.sql.query<{ idNumberEnc: Uint8Array }>(
      'SELECT "idNumberEnc" FROM "Resident" WHERE id = $1',
      [residentId],
    );
    const tampered = Buffer.from(row!.idNumberEnc);
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 0xff;
    await world.db.sql.query('UPDATE "Resident" SET "idNumberEnc" = $2 WHERE id = $1', [residentId, tampered]);
    try {
      const stored = await world.db.prisma.resident.findUniqueOrThrow({ where: { id: residentId } });
      expect(() => world.deps.protector.decrypt(stored.idNumberEnc, 'idNumber')).toThrow();
    } finally {
      await world.db.sql.query('UPDATE "Resident" SET "idNumberEnc" = $2 WHERE id = $1', [
        residentId,
        Buffer.from(row!.idNumberEnc),
      ]);
    }
    const restored = await world.db.prisma.resident.findUniqueOrThrow({ where: { id: residentId } });
    expect(world.deps.protector.decrypt(restored.idNumberEnc, 'idNumber')).toBe(demoResident('second').idNumber);
  });

  it('responses show ID numbers only masked, like 4415**********123X', async () => {
    const idNumber = demoResident('worker').idNumber;
    const masked = maskIdNumber(idNumber);
    expect(masked).toBe(`${idNumber.slice(0, 4)}**********${idNumber.slice(14)}`);
    const [worker, counter, cardOffice] = await Promise.all([
      world.resident('worker'),
      world.staff('counter'),
      world.staff('cardOffice'),
    ]);

    const me = await worker.call.auth.me();
    const summary = await worker.call.card.summary({});
    const found = await counter.call.assist.findResident({ idNumber });
    const { id: authorizationId } = await authorizeInPerson(counter, idNumber);
    const banner = await counter.call.assist.get({ authorizationId });
    const live = await counter.call.assist.myLive();
    const { token } = await worker.call.card.qrToken();
    const verified = await counter.call.card.verifyQr({ token });
    const queue = await cardOffice.call.card.office.queue();

    expect(me).toMatchObject({ maskedIdNumber: masked });
    expect(summary.maskedIdNumber).toBe(masked);
    expect(found.maskedIdNumber).toBe(masked);
    expect(banner.resident?.maskedIdNumber).toBe(masked);
    expect(live.find((row) => row.id === authorizationId)?.resident.maskedIdNumber).toBe(masked);
    expect(verified).toMatchObject({ maskedIdNumber: masked });
    for (const row of queue) expect(row.maskedIdNumber).toMatch(MASKED_ID_NUMBER);
    expect(summary.card?.maskedCardNumber).toMatch(/^\*+\d{4}$/);

    // Nowhere in any of these answers is the full number.
    const everything = JSON.stringify([
      me,
      summary,
      found,
      banner,
      live,
      verified,
      queue,
      await worker.call.card.contributions({}),
      await worker.call.card.benefits({}),
    ]);
    for (const demo of DEMO_RESIDENTS) {
      expect(everything).not.toContain(demo.idNumber);
      if (demo.phone) expect(everything).not.toContain(demo.phone);
    }
    const workerCards = await world.db.prisma.socialSecurityCard.findMany({
      where: { residentId: await world.residentId('worker') },
    });
    for (const card of workerCards)
      expect(everything).not.toContain(world.deps.protector.decrypt(card.cardNumberEnc, 'cardNumber'));
  });
});
