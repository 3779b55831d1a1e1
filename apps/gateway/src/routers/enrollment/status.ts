import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { ApplicationStatus } from '../../generated/prisma/enums.js';
import type { Subject } from '../../trpc.js';
import { notifyResident } from '../messages/notify.js';
import { assertTransition, wrongState } from './rules.js';

/** Who made a change: the family (no staff), counter staff under an authorization, or a reviewer. */
export interface Actor {
  staffId: string | null;
  authorizationId: string | null;
}

export const FAMILY: Actor = { staffId: null, authorizationId: null };

export function actorOf(subject: Subject): Actor {
  return subject.actor.kind === 'STAFF'
    ? { staffId: subject.actor.staffId, authorizationId: subject.actor.authorizationId }
    : FAMILY;
}

export function reviewerActor(staffId: string): Actor {
  return { staffId, authorizationId: null };
}

export interface StatusChange {
  application: {
    id: string;
    status: ApplicationStatus;
    version: number;
    reference: string;
    applicantId: string;
    childName: string;
  };
  to: ApplicationStatus;
  actor: Actor;
  message?: string | null;
  /** Other columns to set with the status (offer, submission key…). */
  data?: Prisma.EnrollmentApplicationUncheckedUpdateManyInput;
  /** For the family's message. */
  schoolName?: string;
  /** Counter staff took this step: the application is no longer handled entirely online. */
  assisted?: boolean;
}

/**
 * Moves an application to a new status inside the caller's transaction: the
 * version must still be the one read (else CONFLICT: someone else changed it
 * first), the change is recorded with who and when, and the parent gets a
 * message in the same transaction.
 */
export async function changeStatus(tx: Prisma.TransactionClient, change: StatusChange, now: Date): Promise<number> {
  const { application, to, actor } = change;
  assertTransition(application.status, to);
  const updated = await tx.enrollmentApplication.updateMany({
    where: { id: application.id, status: application.status, version: application.version },
    data: {
      ...change.data,
      status: to,
      version: { increment: 1 },
      updatedAt: now,
      ...(change.assisted || actor.authorizationId ? { assisted: true } : {}),
    },
  });
  if (updated.count !== 1) {
    const current = await tx.enrollmentApplication.findUnique({
      where: { id: application.id },
      select: { status: true, version: true },
    });
    if (current && current.version !== application.version) throw changedByAnother();
    throw wrongState(current?.status ?? application.status);
  }
  await tx.enrollmentEvent.create({
    data: {
      id: randomUUID(),
      applicationId: application.id,
      fromStatus: application.status,
      toStatus: to,
      staffId: actor.staffId,
      authorizationId: actor.authorizationId,
      message: change.message ?? null,
      createdAt: now,
    },
  });
  await notifyResident(
    tx,
    {
      residentId: application.applicantId,
      topic: `enrollment.status.${to}`,
      params: {
        child: application.childName,
        reference: application.reference,
        ...(change.schoolName ? { school: change.schoolName } : {}),
      },
      link: `/enrollment/applications/${application.id}`,
    },
    now,
  );
  return application.version + 1;
}

export function changedByAnother(): AppError {
  return new AppError(
    'CONFLICT',
    'errors.enrollment.changedByAnother',
    'Someone else changed this application first; reload it to see the current state.',
  );
}
