import { createHash, randomBytes } from 'node:crypto';

/**
 * The verifiable school lottery's formulas (docs/lottery.md spells them out
 * for families). Everything works on text anyone can type: the seed is
 * written as 64 lowercase hex characters, and each hash is SHA-256 over the
 * UTF-8 bytes of a string, so `printf '%s' '…' | sha256sum` checks it.
 */

/** Bytes of randomness in one round's seed. */
export const SEED_BYTES = 32;
/** Hex characters of a lottery number: the first 8 bytes of its hash. */
export const LOTTERY_NUMBER_LENGTH = 16;

const SEED_PATTERN = /^[0-9a-f]{64}$/;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A new seed: 32 random bytes from the operating system's generator, as hex. Only the system draws seeds. */
export function drawSeed(): string {
  return randomBytes(SEED_BYTES).toString('hex');
}

export function isSeed(value: string): boolean {
  return SEED_PATTERN.test(value);
}

/** What is published before the round: SHA-256 of the seed's 64 hex characters. */
export function seedCommitment(seed: string): string {
  return sha256Hex(seed);
}

/** One applicant's lottery number: the first 8 bytes of SHA-256("<seed>:<reference>"), as 16 hex characters. */
export function lotteryNumber(seed: string, reference: string): string {
  return sha256Hex(`${seed}:${reference}`).slice(0, LOTTERY_NUMBER_LENGTH);
}

/** Ascending lottery number (fixed-length lowercase hex sorts as the number does), then reference. */
export function compareLottery(
  a: { lotteryNumber: string; reference: string },
  b: { lotteryNumber: string; reference: string },
): number {
  if (a.lotteryNumber !== b.lotteryNumber) return a.lotteryNumber < b.lotteryNumber ? -1 : 1;
  return a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0;
}

/**
 * A fingerprint of an outcome, so that a dry run and the commit can be seen
 * to agree: SHA-256 of one line per applicant in allocation order,
 * "<position> <reference> <lottery number> <outcome>\n".
 */
export function outcomeDigest(
  rows: readonly { position: number; reference: string; lotteryNumber: string; outcome: string }[],
): string {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(`${row.position} ${row.reference} ${row.lotteryNumber} ${row.outcome}\n`, 'utf8');
  return hash.digest('hex');
}
