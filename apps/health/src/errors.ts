import { describeError, type PortalErrorInfo } from '@portal/api-client';

/**
 * A failed load as one message. Pages have no form fields to put field
 * errors beside, so a bad input (e.g. a ?person= that is not an id) is told
 * by its field's message, which says more than "some entries are not valid".
 */
export function describeLoadError(error: unknown): PortalErrorInfo {
  const info = describeError(error);
  const fieldKey = Object.values(info.fieldErrors)[0];
  return fieldKey ? { ...info, messageKey: fieldKey, fieldErrors: {} } : info;
}
