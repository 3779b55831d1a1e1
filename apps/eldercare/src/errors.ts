import { describeError } from '@portal/api-client';

/** True when the gateway refused because the thing changed under us (a slot just taken, an order already confirmed). */
export function isConflict(error: unknown): boolean {
  return describeError(error).code === 'CONFLICT';
}

/** True when the gateway says the person is under 60: their own care has no services to book. */
export function isNotEligible(error: unknown): boolean {
  return describeError(error).messageKey === 'errors.eldercare.notEligible';
}
