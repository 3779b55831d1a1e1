import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

function deriveKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `shanwei-portal/${purpose}`, 32));
}

/**
 * Authenticated encryption (AES-256-GCM) of sensitive personal information at
 * rest, and a keyed hash (HMAC-SHA-256) for exact-match lookup. Separate keys
 * are derived from one master key for each purpose.
 */
export class DataProtector {
  private readonly encryptionKey: Buffer;
  private readonly lookupKey: Buffer;
  private readonly signingKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('The data key must be 32 bytes');
    this.encryptionKey = deriveKey(masterKey, 'encryption');
    this.lookupKey = deriveKey(masterKey, 'lookup');
    this.signingKey = deriveKey(masterKey, 'signing');
  }

  /** Layout: version (1 byte) | IV (12) | tag (16) | ciphertext. `context` binds the value to its column. */
  encrypt(plaintext: string, context: string): Uint8Array<ArrayBuffer> {
    const iv = randomBytes(IV_LENGTH);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]));
  }

  decrypt(sealed: Uint8Array, context: string): string {
    const buffer = Buffer.from(sealed);
    if (buffer[0] !== VERSION) throw new Error('Unknown ciphertext version');
    const iv = buffer.subarray(1, 1 + IV_LENGTH);
    const tag = buffer.subarray(1 + IV_LENGTH, 1 + IV_LENGTH + TAG_LENGTH);
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv);
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(buffer.subarray(1 + IV_LENGTH + TAG_LENGTH)), decipher.final()]).toString(
      'utf8',
    );
  }

  /** Deterministic keyed hash for unique lookups (ID numbers). */
  lookupHash(value: string, context: string): Uint8Array<ArrayBuffer> {
    return new Uint8Array(createHmac('sha256', this.lookupKey).update(`${context}\u0000${value}`).digest());
  }

  lookupHashHex(value: string, context: string): string {
    return Buffer.from(this.lookupHash(value, context)).toString('hex');
  }

  /** MAC for short-lived signed tokens (the e-card QR code). */
  sign(payload: string): string {
    return createHmac('sha256', this.signingKey).update(payload).digest('base64url');
  }
}
