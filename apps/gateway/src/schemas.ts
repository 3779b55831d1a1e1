import { findIdNumberProblem, normalizeIdNumber } from '@portal/identity';
import { z } from 'zod';

/** Input schemas shared by several routers. Messages are i18n keys the browser translates. */

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
  .max(128, { error: 'validation.password' });

export const staffNumberSchema = z
  .string({ error: 'validation.staffNumber' })
  .trim()
  .regex(/^[A-Z0-9]{4,20}$/i, { error: 'validation.staffNumber' })
  .transform((value) => value.toUpperCase());

export const oneTimeCodeSchema = z.string().regex(/^\d{6}$/, { error: 'validation.oneTimeCode' });

export const serviceSchema = z.enum(['CARD', 'HEALTH', 'ENROLLMENT', 'ELDERCARE'], { error: 'validation.service' });

export const servicesSchema = z
  .array(serviceSchema)
  .min(1, { error: 'validation.services' })
  .max(10, { error: 'validation.services' })
  .transform((list) => [...new Set(list)]);
