import { randomUUID } from 'node:crypto';
import type { ServerDeps } from '../../context.js';
import { AppError, errors } from '../../errors.js';
import type { DelegationBasis, Service } from '../../generated/prisma/enums.js';
import { chinaIsoDate, endOfChinaDay } from '../../china-time.js';
import { isAdult } from '../../people/household.js';
import { notifyResident } from '../messages/notify.js';

/** Services a resident can delegate today. Card and health records stay with the resident until their own rules are settled. */
export const DELEGABLE_SERVICES = ['ELDERCARE'] as const satisfies readonly Service[];
export type DelegableService = (typeof DELEGABLE_SERVICES)[number];

/** Where each delegable service shows delegations, and the message topics it uses (e.g. "eldercare.delegation.GRANTED"). */
const DELEGATION_PAGES: Record<DelegableService, string> = { ELDERCARE: '/eldercare/family' };

function delegationNotice(service: Service, event: 'GRANTED' | 'REVOKED') {
  return { topic: `${service.toLowerCase()}.delegation.${event}`, link: DELEGATION_PAGES[service as DelegableService] };
}

/** A delegation lasts at most a year (to the same date next year); the grantor can give a new one after. */
export const DELEGATION_MAX_YEARS = 1;

function addYears(isoDay: string, years: number): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10);
}

export type DelegationState = 'LIVE' | 'NOT_STARTED' | 'EXPIRED' | 'REVOKED';

export function delegationState(
  grant: { startsAt: Date; endsAt: Date; revokedAt: Date | null },
  now: Date,
): DelegationState {
  if (grant.revokedAt) return 'REVOKED';
  if (grant.endsAt <= now) return 'EXPIRED';
  if (grant.startsAt > now) return 'NOT_STARTED';
  return 'LIVE';
}

/** Whom the resident can choose: adult members of their registered household; adult children on record are added by ID number. */
export async function delegationCandidates(deps: ServerDeps, residentId: string) {
  const now = deps.now();
  const self = await deps.db.prisma.resident.findUniqueOrThrow({
    where: { id: residentId },
    select: { householdId: true },
  });
  const members = self.householdId
    ? await deps.db.prisma.resident.findMany({
        where: { householdId: self.householdId, id: { not: residentId } },
        orderBy: { birthDate: 'asc' },
        select: { id: true, name: true, idNumberMask: true, householdRelation: true, birthDate: true },
      })
    : [];
  const today = chinaIsoDate(now);
  return {
    services: [...DELEGABLE_SERVICES],
    /** The range of end dates a grant may have (China dates, inclusive). */
    earliestEndsOn: today,
    latestEndsOn: addYears(today, DELEGATION_MAX_YEARS),
    householdMembers: members
      .filter((member) => isAdult(member.birthDate, now))
      .map((member) => ({
        residentId: member.id,
        name: member.name,
        maskedIdNumber: member.idNumberMask,
        householdRelation: member.householdRelation,
      })),
    /** An adult child outside the household is found by their ID number and checked against the city's family records. */
    adultChildByIdNumber: true,
  };
}

export interface GrantRequest {
  service: Service;
  granteeResidentId?: string | undefined;
  granteeIdNumber?: string | undefined;
  endsOn: string;
}

/** Refused the same way whether the person does not exist or is not related: a grant form must not reveal who lives in the city. */
function noRelation() {
  return new AppError(
    'FORBIDDEN',
    'errors.delegation.noRelation',
    'No household or parent–child relation to this person is on record.',
  );
}

/**
 * Gives a family member the right to act for the grantor in one service until
 * the end of `endsOn`. Only to a member of the grantor's registered household
 * or an adult child in the city's family records; never to oneself.
 */
export async function grantDelegation(deps: ServerDeps, grantorId: string, request: GrantRequest) {
  const now = deps.now();
  if (!(DELEGABLE_SERVICES as readonly Service[]).includes(request.service)) {
    throw new AppError('BAD_REQUEST', 'errors.delegation.serviceNotDelegable', 'This service cannot be delegated.');
  }
  const today = chinaIsoDate(now);
  if (request.endsOn < today || request.endsOn > addYears(today, DELEGATION_MAX_YEARS)) {
    throw new AppError(
      'BAD_REQUEST',
      'errors.delegation.endDate',
      'The end date must be between today and one year from now.',
    );
  }
  const prisma = deps.db.prisma;
  const grantee = request.granteeResidentId
    ? await prisma.resident.findUnique({
        where: { id: request.granteeResidentId },
        select: { id: true, name: true, householdId: true, birthDate: true },
      })
    : await prisma.resident.findUnique({
        where: { idNumberHash: deps.protector.lookupHash(request.granteeIdNumber ?? '', 'idNumber') },
        select: { id: true, name: true, householdId: true, birthDate: true },
      });
  if (grantee?.id === grantorId)
    throw new AppError('BAD_REQUEST', 'errors.delegation.self', 'You cannot delegate to yourself.');
  if (!grantee) throw noRelation();
  const grantor = await prisma.resident.findUniqueOrThrow({
    where: { id: grantorId },
    select: { name: true, householdId: true },
  });
  let basis: DelegationBasis | null = null;
  if (grantor.householdId && grantor.householdId === grantee.householdId) basis = 'HOUSEHOLD';
  else if (
    await prisma.familyRelation.findUnique({
      where: { parentId_childId: { parentId: grantorId, childId: grantee.id } },
      select: { id: true },
    })
  )
    basis = 'ADULT_CHILD';
  if (!basis) throw noRelation();
  if (!isAdult(grantee.birthDate, now))
    throw new AppError('BAD_REQUEST', 'errors.delegation.granteeMinor', 'A delegate must be an adult.');
  const endsAt = endOfChinaDay(request.endsOn);
  return prisma.$transaction(async (tx) => {
    // One live grant per grantee and service: the grantor's row lock serializes concurrent grants.
    await tx.$queryRaw`SELECT 1 FROM "Resident" WHERE "id" = ${grantorId}::uuid FOR NO KEY UPDATE`;
    const live = await tx.delegationGrant.findFirst({
      where: { grantorId, granteeId: grantee.id, service: request.service, revokedAt: null, endsAt: { gt: now } },
      select: { id: true },
    });
    if (live)
      throw errors.conflict(
        'errors.delegation.alreadyGranted',
        'This family member already holds a delegation for this service.',
      );
    const grant = await tx.delegationGrant.create({
      data: {
        id: randomUUID(),
        grantorId,
        granteeId: grantee.id,
        service: request.service,
        basis,
        startsAt: now,
        endsAt,
        createdAt: now,
      },
      select: { id: true, service: true, basis: true, startsAt: true, endsAt: true },
    });
    const params = { service: request.service, grantor: grantor.name, grantee: grantee.name, endsOn: request.endsOn };
    const notice = delegationNotice(request.service, 'GRANTED');
    await notifyResident(tx, { residentId: grantorId, ...notice, params }, now);
    await notifyResident(tx, { residentId: grantee.id, ...notice, params }, now);
    return { ...grant, granteeName: grantee.name, state: delegationState({ ...grant, revokedAt: null }, now) };
  });
}

const grantFields = {
  id: true,
  service: true,
  basis: true,
  startsAt: true,
  endsAt: true,
  createdAt: true,
  revokedAt: true,
  revokedById: true,
  grantorId: true,
  granteeId: true,
  grantor: { select: { name: true, idNumberMask: true } },
  grantee: { select: { name: true, idNumberMask: true } },
} as const;

type GrantRow = {
  id: string;
  service: Service;
  basis: DelegationBasis;
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
  revokedAt: Date | null;
  revokedById: string | null;
  grantorId: string;
  granteeId: string;
};

function describeGrant(grant: GrantRow, now: Date) {
  return {
    id: grant.id,
    service: grant.service,
    basis: grant.basis,
    startsAt: grant.startsAt,
    endsAt: grant.endsAt,
    createdAt: grant.createdAt,
    revokedAt: grant.revokedAt,
    revokedBy:
      grant.revokedById === null
        ? null
        : grant.revokedById === grant.grantorId
          ? ('GRANTOR' as const)
          : ('GRANTEE' as const),
    state: delegationState(grant, now),
  };
}

/** Delegations the resident gave, newest first. */
export async function givenDelegations(deps: ServerDeps, residentId: string) {
  const now = deps.now();
  const rows = await deps.db.prisma.delegationGrant.findMany({
    where: { grantorId: residentId },
    orderBy: { createdAt: 'desc' },
    take: 50,
    select: grantFields,
  });
  return rows.map((row) => ({
    ...describeGrant(row, now),
    grantee: { name: row.grantee.name, maskedIdNumber: row.grantee.idNumberMask },
  }));
}

/** Delegations the resident holds for others, newest first; a LIVE one's id is what they pass as delegationId. */
export async function receivedDelegations(deps: ServerDeps, residentId: string) {
  const now = deps.now();
  const rows = await deps.db.prisma.delegationGrant.findMany({
    where: { granteeId: residentId },
    orderBy: { createdAt: 'desc' },
    take: 50,
    select: grantFields,
  });
  return rows.map((row) => ({
    ...describeGrant(row, now),
    grantor: { name: row.grantor.name, maskedIdNumber: row.grantor.idNumberMask },
  }));
}

/** Either side ends a live delegation at once; both hear of it. */
export async function revokeDelegation(deps: ServerDeps, residentId: string, delegationId: string) {
  const now = deps.now();
  return deps.db.prisma.$transaction(async (tx) => {
    const grant = await tx.delegationGrant.findFirst({
      where: { id: delegationId, OR: [{ grantorId: residentId }, { granteeId: residentId }] },
      select: grantFields,
    });
    if (!grant) throw errors.notFound('Delegation');
    const revoked = await tx.delegationGrant.updateMany({
      where: { id: grant.id, revokedAt: null, endsAt: { gt: now } },
      data: { revokedAt: now, revokedById: residentId },
    });
    if (revoked.count !== 1) throw errors.conflict('errors.delegation.notLive', 'This delegation has already ended.');
    const params = {
      service: grant.service,
      grantor: grant.grantor.name,
      grantee: grant.grantee.name,
      by: residentId === grant.grantorId ? grant.grantor.name : grant.grantee.name,
    };
    const notice = delegationNotice(grant.service, 'REVOKED');
    await notifyResident(tx, { residentId: grant.grantorId, ...notice, params }, now);
    await notifyResident(tx, { residentId: grant.granteeId, ...notice, params }, now);
    return describeGrant({ ...grant, revokedAt: now, revokedById: residentId }, now);
  });
}
