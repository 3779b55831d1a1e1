import type { Me } from './stores/session';

export type StaffRole = Extract<NonNullable<Me>, { kind: 'STAFF' }>['role'];

/**
 * Where each staff role works: the page a staff member lands on after sign-in
 * and the one link in their header. A new role adds its line here (the
 * compiler insists), and the gateway decides what the role may do.
 */
export const STAFF_WORKSPACES: Record<StaffRole, { path: string; navKey: string }> = {
  COUNTER: { path: '/staff', navKey: 'nav.staff' },
  CARD_OFFICE: { path: '/card/office', navKey: 'nav.cardOffice' },
  ENROLLMENT_REVIEWER: { path: '/enrollment/review', navKey: 'nav.enrollmentReview' },
  CARE_ASSESSOR: { path: '/eldercare/assessments', navKey: 'nav.careAssessor' },
  CARE_PROVIDER: { path: '/eldercare/provider', navKey: 'nav.careProvider' },
};

export function staffHome(role: StaffRole): string {
  return STAFF_WORKSPACES[role].path;
}
