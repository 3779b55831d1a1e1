import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/** DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The access log's two keys, derived from one audit secret that lives in the
 * gateway's configuration and never in the database: an HMAC key for the
 * entries' chained hashes (whoever can write to the database cannot
 * recompute them), and an Ed25519 key that signs checkpoints (anyone with
 * the public key can check them).
 */
export class AuditKeys {
  private readonly hmacKey: Buffer;
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The first 16 hex digits of the SHA-256 of the raw public key: names the key in each checkpoint. */
  readonly keyId: string;

  constructor(secret: Buffer) {
    if (secret.length !== 32) throw new Error('The audit key must be 32 bytes');
    const derive = (purpose: string) =>
      Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `shanwei-portal/access-log/${purpose}`, 32));
    this.hmacKey = derive('hmac');
    this.privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, derive('checkpoint-signing')]),
      format: 'der',
      type: 'pkcs8',
    });
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = createHash('sha256').update(this.rawPublicKey()).digest('hex').slice(0, 16);
  }

  /** The audit secret as configured, or (when none is) derived from the data key, so that a single key still works. */
  static fromConfig(config: { auditKey: Buffer | null; dataKey: Buffer }): AuditKeys {
    return new AuditKeys(
      config.auditKey ??
        Buffer.from(hkdfSync('sha256', config.dataKey, Buffer.alloc(0), 'shanwei-portal/audit-secret', 32)),
    );
  }

  hmacHex(text: string): string {
    return createHmac('sha256', this.hmacKey).update(text).digest('hex');
  }

  sign(text: string): string {
    return sign(null, Buffer.from(text), this.privateKey).toString('base64url');
  }

  verify(text: string, signature: string): boolean {
    try {
      return verify(null, Buffer.from(text), this.publicKey, Buffer.from(signature, 'base64url'));
    } catch {
      return false;
    }
  }

  /** The 32-byte public key, base64url: what a resident or an auditor needs to check a checkpoint's signature. */
  publicKeyBase64url(): string {
    return this.rawPublicKey().toString('base64url');
  }

  private rawPublicKey(): Buffer {
    // The raw key is the last 32 bytes of its SPKI encoding.
    return this.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  }
}
