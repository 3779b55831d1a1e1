import { findIdNumberProblem, normalizeIdNumber } from '@portal/identity';
import { z } from 'zod';

/** Input schemas shared by several routers. Messages are i18n keys the browser translates. */

/**
 * Characters no one types into a form: C0 controls (NUL among them, which
 * PostgreSQL refuses in text), DEL, C1 controls, and halves of a surrogate
 * pair. Line breaks and tabs are allowed in multi-line text only.
 */
/* eslint-disable no-control-regex -- control characters are exactly what these find */
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/* eslint-enable no-control-regex */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function hasControlCharacters(value: string, options: { multiLine?: boolean } = {}): boolean {
  return (options.multiLine ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).test(value) || LONE_SURROGATE.test(value);
}

interface TextOptions {
  /** After trimming; 0 allows an empty string. */
  min?: number;
  max: number;
  /** The field's own message key, for a missing, too short or too long value. */
  message: string;
}

function text(options: TextOptions & { multiLine: boolean }) {
  return z
    .string({ error: options.message })
    .refine((value) => !hasControlCharacters(value, { multiLine: options.multiLine }), {
      error: 'validation.controlCharacters',
    })
    .trim()
    .min(options.min ?? 0, { error: options.message })
    .max(options.max, { error: options.message });
}

/** A line of text a person typed (a name, a reason): trimmed, no control characters. */
export function singleLineText(options: TextOptions) {
  return text({ ...options, multiLine: false });
}

/** A note or comment: line breaks and tabs allowed, other control characters not. */
export function multiLineText(options: TextOptions) {
  return text({ ...options, multiLine: true });
}

/** An opaque token the gateway itself issued (base64url pieces joined by dots). */
export function tokenSchema(options: { min?: number; max: number; message: string }) {
  return z
    .string({ error: options.message })
    .min(options.min ?? 1, { error: options.message })
    .max(options.max, { error: options.message })
    .regex(/^[A-Za-z0-9_.~-]*$/, { error: options.message });
}

export const idNumberSchema = z
  .string({ error: 'validation.idNumber.shape' })
  .max(40, { error: 'validation.idNumber.shape' })
  .transform(normalizeIdNumber)
  .superRefine((value, ctx) => {
    const problem = findIdNumberProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `validation.idNumber.${problem}` });
  });

export const passwordSchema = z
  .string({ error: 'validation.password' })
  .min(1, { error: 'validation.password' })
  .max(128, { error: 'validation.password' })
  .refine((value) => !hasControlCharacters(value), { error: 'validation.controlCharacters' });

export const staffNumberSchema = z
  .string({ error: 'validation.staffNumber' })
  .trim()
  .regex(/^[A-Z0-9]{4,20}$/i, { error: 'validation.staffNumber' })
  .transform((value) => value.toUpperCase());

export const oneTimeCodeSchema = z
  .string({ error: 'validation.oneTimeCode' })
  .regex(/^\d{6}$/, { error: 'validation.oneTimeCode' });

export const serviceSchema = z.enum(['CARD', 'HEALTH', 'ENROLLMENT', 'ELDERCARE'], { error: 'validation.service' });

export const servicesSchema = z
  .array(serviceSchema)
  .min(1, { error: 'validation.services' })
  .max(10, { error: 'validation.services' })
  .transform((list) => [...new Set(list)]);
