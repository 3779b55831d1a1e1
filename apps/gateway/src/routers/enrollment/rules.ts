import { chinaIsoDate } from '../../china-time.js';
import { AppError } from '../../errors.js';
import type { ApplicantCategory, ApplicationStatus, EnrollmentLevel } from '../../generated/prisma/enums.js';

/** The entry grade each level admits to: 小学一年级 and 初中七年级. */
export const GRADE_OF_LEVEL: Record<EnrollmentLevel, number> = { PRIMARY: 1, JUNIOR: 7 };

/** Allocation fills places in this order of category, then by points, then by lottery. */
export const CATEGORY_PRIORITY: Record<ApplicantCategory, number> = { HUKOU_AND_HOME: 0, HUKOU_ONLY: 1, MIGRANT: 2 };

export const APPLICATION_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'UNDER_REVIEW',
  'NEEDS_DOCUMENTS',
  'APPROVED',
  'REJECTED',
  'OFFERED',
  'ACCEPTED',
  'DECLINED',
  'MANUAL_PLACEMENT',
] as const satisfies readonly ApplicationStatus[];

/**
 * Every status change an application may make; anything else is refused.
 * SUBMITTED → UNDER_REVIEW happens when a reviewer first opens it; an
 * APPROVED application not placed at its current preference stays APPROVED
 * for its next one.
 */
export const TRANSITIONS: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  DRAFT: ['SUBMITTED'],
  SUBMITTED: ['UNDER_REVIEW', 'APPROVED', 'REJECTED', 'NEEDS_DOCUMENTS'],
  UNDER_REVIEW: ['APPROVED', 'REJECTED', 'NEEDS_DOCUMENTS'],
  NEEDS_DOCUMENTS: ['SUBMITTED'],
  APPROVED: ['OFFERED', 'MANUAL_PLACEMENT'],
  REJECTED: [],
  OFFERED: ['ACCEPTED', 'DECLINED'],
  ACCEPTED: [],
  DECLINED: [],
  MANUAL_PLACEMENT: [],
};

/** Statuses in which the family may still change preferences and documents. */
export const EDITABLE_STATUSES: readonly ApplicationStatus[] = ['DRAFT', 'NEEDS_DOCUMENTS'];

export function wrongState(status: ApplicationStatus): AppError {
  return new AppError(
    'BAD_REQUEST',
    'errors.enrollment.wrongState',
    `Not possible while the application is ${status}.`,
    { status },
  );
}

export function assertTransition(from: ApplicationStatus, to: ApplicationStatus): void {
  if (!TRANSITIONS[from].includes(to)) throw wrongState(from);
}

export type WindowState = 'UPCOMING' | 'OPEN' | 'CLOSED';

export function windowState(window: { opensAt: Date; closesAt: Date }, now: Date): WindowState {
  if (now < window.opensAt) return 'UPCOMING';
  if (now >= window.closesAt) return 'CLOSED';
  return 'OPEN';
}

export function assertWindowOpen(window: { opensAt: Date; closesAt: Date }, now: Date): void {
  const state = windowState(window, now);
  if (state === 'UPCOMING') {
    throw new AppError('BAD_REQUEST', 'errors.enrollment.windowNotOpen', 'The enrollment window has not opened yet.', {
      opensAt: chinaIsoDate(window.opensAt),
    });
  }
  if (state === 'CLOSED') {
    throw new AppError('BAD_REQUEST', 'errors.enrollment.windowClosed', 'The enrollment window has closed.', {
      closesAt: chinaIsoDate(window.closesAt),
    });
  }
}

/** Why a child may not apply for a level in an intake year, or null when eligible. */
export type IneligibleReason = 'tooYoung' | 'tooOld' | 'notFinishingPrimary' | 'noDistrict';

export interface StudentRollFacts {
  grade: number;
  schoolYear: number;
}

/**
 * Primary (grade 1): six years old by 31 August of the intake year, and not
 * yet seven by then (an older child is placed by the bureau, not through
 * this application). Junior (grade 7): on the education bureau's student
 * roll (学籍) in grade 6 in the school year before the intake year.
 */
export function levelEligibility(
  level: EnrollmentLevel,
  year: number,
  birthDate: Date,
  roll: StudentRollFacts | null,
): IneligibleReason | null {
  if (level === 'PRIMARY') {
    const sixBy = Date.UTC(year - 6, 7, 31);
    const sevenBy = Date.UTC(year - 7, 7, 31);
    if (birthDate.getTime() > sixBy) return 'tooYoung';
    if (birthDate.getTime() <= sevenBy) return 'tooOld';
    return null;
  }
  if (!roll || roll.grade !== 6 || roll.schoolYear !== year - 1) return 'notFinishingPrimary';
  return null;
}

/** 林梓涵 → 林*涵: enough for a reviewer's table, not a full name. */
export function maskChildName(name: string): string {
  const chars = [...name];
  if (chars.length <= 2) return `${chars[0] ?? ''}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}
