import { describeError, type PortalErrorInfo } from '@portal/api-client';

/**
 * A failed call as one message. Where a page has no field to put a field error
 * beside (a bad ?for= in the URL, say), the field's message says more than
 * "some entries are not valid".
 */
export function describeLoadError(error: unknown): PortalErrorInfo {
  const info = describeError(error);
  const fieldKey = Object.values(info.fieldErrors)[0];
  return fieldKey ? { ...info, messageKey: fieldKey, fieldErrors: {} } : info;
}

/** True when the gateway refused because the thing changed under us (a slot just taken, an order already confirmed). */
export function isConflict(error: unknown): boolean {
  return describeError(error).code === 'CONFLICT';
}

/** True when the gateway says the person is under 60: their own care has no services to book. */
export function isNotEligible(error: unknown): boolean {
  return describeError(error).messageKey === 'errors.eldercare.notEligible';
}
