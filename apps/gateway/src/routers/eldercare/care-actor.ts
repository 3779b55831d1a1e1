import type { Prisma } from '../../generated/prisma/client.js';
import type { CareActorKind } from '../../generated/prisma/enums.js';
import type { Subject } from '../../trpc.js';
import { notifyResident, type MessageParams } from '../messages/notify.js';

/** Who acted on an order or the ledger, as the order's event log records it. */
export interface CareActor {
  actorKind: CareActorKind;
  /** DELEGATE: the family member. */
  actorResidentId: string | null;
  delegationId: string | null;
  /** COUNTER_STAFF or PROVIDER. */
  actorStaffId: string | null;
  authorizationId: string | null;
}

export function actorOf(subject: Subject): CareActor {
  switch (subject.actor.kind) {
    case 'RESIDENT':
      return {
        actorKind: 'RESIDENT',
        actorResidentId: null,
        delegationId: null,
        actorStaffId: null,
        authorizationId: null,
      };
    case 'DELEGATE':
      return {
        actorKind: 'DELEGATE',
        actorResidentId: subject.actor.delegateResidentId,
        delegationId: subject.actor.delegationId,
        actorStaffId: null,
        authorizationId: null,
      };
    case 'STAFF':
      return {
        actorKind: 'COUNTER_STAFF',
        actorResidentId: null,
        delegationId: null,
        actorStaffId: subject.actor.staffId,
        authorizationId: subject.actor.authorizationId,
      };
  }
}

export function providerActor(staffId: string): CareActor {
  return {
    actorKind: 'PROVIDER',
    actorResidentId: null,
    delegationId: null,
    actorStaffId: staffId,
    authorizationId: null,
  };
}

/**
 * Tells the older resident, and the family member too when they were the one
 * who acted, in the caller's transaction. `params.resident` names whom it is about.
 */
export async function notifyCareParties(
  tx: Pick<Prisma.TransactionClient, 'message'>,
  residentId: string,
  actor: CareActor,
  notice: { topic: string; params: MessageParams; link: string },
  now: Date,
): Promise<void> {
  await notifyResident(tx, { residentId, ...notice }, now);
  if (actor.actorKind === 'DELEGATE' && actor.actorResidentId) {
    await notifyResident(tx, { residentId: actor.actorResidentId, ...notice }, now);
  }
}

/** The name shown for whoever acted: a resident, a family member, counter staff (with their center) or a provider. */
export interface ActorDescription {
  kind: CareActorKind;
  name: string;
  /** Counter staff: their service center; provider staff: their provider. */
  organization: string | null;
}

type NameReader = Pick<Prisma.TransactionClient, 'resident' | 'staffMember'>;

/** Names for a batch of actors, in two queries. */
export async function describeActors(
  db: NameReader,
  actors: CareActor[],
  residentName: string,
): Promise<(a: CareActor) => ActorDescription> {
  const residentIds = [
    ...new Set(actors.map((actor) => actor.actorResidentId).filter((id): id is string => id !== null)),
  ];
  const staffIds = [...new Set(actors.map((actor) => actor.actorStaffId).filter((id): id is string => id !== null))];
  const [residents, staff] = await Promise.all([
    residentIds.length
      ? db.resident.findMany({ where: { id: { in: residentIds } }, select: { id: true, name: true } })
      : Promise.resolve([]),
    staffIds.length
      ? db.staffMember.findMany({
          where: { id: { in: staffIds } },
          select: { id: true, name: true, center: { select: { name: true } }, provider: { select: { name: true } } },
        })
      : Promise.resolve([]),
  ]);
  const residentNames = new Map(residents.map((row) => [row.id, row.name]));
  const staffRows = new Map(staff.map((row) => [row.id, row]));
  return (actor) => {
    if (actor.actorKind === 'RESIDENT') return { kind: 'RESIDENT', name: residentName, organization: null };
    if (actor.actorKind === 'DELEGATE')
      return { kind: 'DELEGATE', name: residentNames.get(actor.actorResidentId ?? '') ?? '', organization: null };
    const member = staffRows.get(actor.actorStaffId ?? '');
    const organization =
      actor.actorKind === 'PROVIDER' ? (member?.provider?.name ?? null) : (member?.center.name ?? null);
    return { kind: actor.actorKind, name: member?.name ?? '', organization };
  };
}
