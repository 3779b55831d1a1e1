import { randomUUID } from 'node:crypto';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import type { Service } from '../../generated/prisma/client.js';
import { randomSixDigitCode } from '../../security/tokens.js';

/** How long a code read out at the counter stays usable. */
export const CODE_TTL_MS = 10 * 60_000;
/** Tries a code survives at a counter; the resident makes a new one in two taps. */
export const CODE_MAX_ATTEMPTS = 5;
/** Draws of a code that collides with an earlier one of the same resident, before giving up. */
const DRAWS = 5;

/** The stored form of a code: keyed, so the database never holds a code it could read back. */
export function codeHash(
  ctx: { protector: { lookupHashHex(value: string, context: string): string } },
  residentId: string,
  code: string,
): string {
  return ctx.protector.lookupHashHex(`${residentId}:${code}`, 'oneTimeCode');
}

/**
 * A new code for the resident, which replaces any unused one. The old code ends and the new one
 * starts in one transaction, so a failure leaves the old code as it was, and two codes are never
 * live at once.
 */
export async function createOneTimeCode(options: {
  ctx: Pick<Context, 'db' | 'protector'>;
  residentId: string;
  scopes: Service[];
  includesSensitiveHealth: boolean;
  now: Date;
}) {
  const { ctx, residentId, scopes, now } = options;
  const includesSensitiveHealth = options.includesSensitiveHealth && scopes.includes('HEALTH');
  const expiresAt = new Date(now.getTime() + CODE_TTL_MS);
  return ctx.db.prisma.$transaction(async (tx) => {
    await tx.oneTimeCode.updateMany({
      where: { residentId, usedAt: null, expiresAt: { gt: now } },
      data: { expiresAt: now },
    });
    for (let draw = 0; draw < DRAWS; draw += 1) {
      const code = randomSixDigitCode();
      // A code drawn before for this resident has the same hash: skipped rather than failed,
      // because a failed statement would end the transaction on PostgreSQL.
      const { count } = await tx.oneTimeCode.createMany({
        data: [
          {
            id: randomUUID(),
            residentId,
            codeHash: codeHash(ctx, residentId, code),
            scopes,
            includesSensitiveHealth,
            createdAt: now,
            expiresAt,
          },
        ],
        skipDuplicates: true,
      });
      if (count === 1) return { code, expiresAt, scopes, includesSensitiveHealth };
    }
    throw new AppError('INTERNAL_SERVER_ERROR', 'errors.unexpected', 'Could not create a code.');
  });
}
