import { recordAccess } from '../../access-log/record.js';
import type { ServerDeps } from '../../context.js';
import { checkQrToken } from './qr-token.js';

/**
 * Counter staff check the QR code a resident shows them. Showing it is the resident's consent to
 * this one check, which goes into their access log.
 */
export async function verifyPresentedQr(options: {
  deps: ServerDeps;
  token: string;
  staff: { staffId: string; centerId: string };
}) {
  const { deps, token, staff } = options;
  const check = checkQrToken(deps.protector, token, deps.now());
  if (!check.ok) return { valid: false as const, reason: check.reason };
  const card = await deps.db.prisma.socialSecurityCard.findUnique({
    where: { id: check.cardId },
    select: {
      status: true,
      cardNumberMask: true,
      residentId: true,
      resident: { select: { name: true, idNumberMask: true } },
    },
  });
  if (!card) return { valid: false as const, reason: 'signature' as const };
  await recordAccess(deps, {
    residentId: card.residentId,
    staffId: staff.staffId,
    centerId: staff.centerId,
    authorizationId: null,
    basis: 'QR_PRESENTED',
    action: 'card.verifyQr',
  });
  return {
    valid: true as const,
    holderName: card.resident.name,
    maskedIdNumber: card.resident.idNumberMask,
    maskedCardNumber: card.cardNumberMask,
    status: card.status,
  };
}
