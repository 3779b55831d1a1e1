import { randomUUID } from 'node:crypto';
import { MAINLAND_MOBILE, maskPhone } from '@portal/identity';
import { z } from 'zod';
import type { ServerDeps } from '../../context.js';
import { AppError } from '../../errors.js';
import type { Subject } from '../../trpc.js';
import { ageOn } from '../../people/household.js';
import { chinaMonthStart, isoDate, isoMonth } from '../../china-time.js';
import { ELDERCARE_MIN_AGE } from './care-calendar.js';
import { actorOf, describeActors } from './care-actor.js';
import { allowanceBasis, creditMonthlyAllowance } from './subsidy.js';
import { singleLineText } from '../../schemas.js';

export const livingSituationSchema = z.enum(['ALONE', 'WITH_SPOUSE', 'WITH_CHILDREN', 'WITH_OTHERS'], {
  error: 'validation.eldercare.livingSituation',
});
export const paymentMethodSchema = z.enum(['NONE', 'CASH', 'SOCIAL_SECURITY_CARD'], {
  error: 'validation.eldercare.paymentMethod',
});

export const MAX_EMERGENCY_CONTACTS = 3;

export const careProfileInput = z.object({
  livingSituation: livingSituationSchema,
  paymentMethod: paymentMethodSchema,
  emergencyContacts: z
    .array(
      z.object({
        name: singleLineText({ min: 1, max: 50, message: 'validation.eldercare.contactName' }),
        relation: singleLineText({ min: 1, max: 20, message: 'validation.eldercare.contactRelation' }),
        phone: z.string({ error: 'validation.phone' }).trim().regex(MAINLAND_MOBILE, { error: 'validation.phone' }),
      }),
      { error: 'validation.eldercare.contacts' },
    )
    .max(MAX_EMERGENCY_CONTACTS, { error: 'validation.eldercare.contacts' }),
});

export type CareProfileInput = z.infer<typeof careProfileInput>;

/** The older resident the call is about; refuses residents under 60 (home-care services are for older residents). */
export async function requireEligibleResident(deps: ServerDeps, residentId: string) {
  const resident = await deps.db.prisma.resident.findUniqueOrThrow({
    where: { id: residentId },
    select: { id: true, name: true, birthDate: true, areaCode: true, idNumberMask: true, gender: true },
  });
  if (ageOn(resident.birthDate, deps.now()) < ELDERCARE_MIN_AGE) {
    throw new AppError(
      'FORBIDDEN',
      'errors.eldercare.notEligible',
      'Home-care services are for residents of 60 and over.',
      { age: ELDERCARE_MIN_AGE },
    );
  }
  return resident;
}

const LEDGER_ENTRIES_SHOWN = 24;

/**
 * The care profile as the older resident (or a delegate, or the counter) sees
 * it: who, the living situation, emergency contacts with masked phones, the
 * payment method, the latest assessment, and the subsidy with its ledger. The
 * month's allowance is credited first, once.
 */
export async function careProfile(deps: ServerDeps, subject: Subject) {
  const now = deps.now();
  const prisma = deps.db.prisma;
  const resident = await prisma.resident.findUniqueOrThrow({
    where: { id: subject.residentId },
    select: { id: true, name: true, gender: true, birthDate: true, areaCode: true, idNumberMask: true },
  });
  const age = ageOn(resident.birthDate, now);
  const eligible = age >= ELDERCARE_MIN_AGE;
  if (eligible) await prisma.$transaction((tx) => creditMonthlyAllowance(tx, resident.id, now));
  const month = chinaMonthStart(now);
  const nextMonth = chinaMonthStart(now, 1);
  const [profile, assessment, openRequest, account, entries, thisMonth, comingMonth] = await Promise.all([
    prisma.careProfile.findUnique({
      where: { residentId: resident.id },
      select: {
        livingSituation: true,
        paymentMethod: true,
        updatedAt: true,
        emergencyContacts: { orderBy: { position: 'asc' }, select: { name: true, relation: true, phoneMask: true } },
      },
    }),
    prisma.careAssessment.findFirst({
      where: { residentId: resident.id },
      orderBy: { assessedAt: 'desc' },
      select: { id: true, assessedAt: true, effectiveFrom: true, level: true, totalScore: true },
    }),
    prisma.careAssessmentRequest.findFirst({
      where: { residentId: resident.id, completedAt: null },
      orderBy: { requestedAt: 'desc' },
      select: { id: true, requestedAt: true },
    }),
    prisma.subsidyAccount.findUnique({ where: { residentId: resident.id }, select: { balanceFen: true } }),
    prisma.subsidyLedgerEntry.findMany({
      where: { residentId: resident.id },
      orderBy: { id: 'desc' },
      take: LEDGER_ENTRIES_SHOWN,
      select: {
        id: true,
        kind: true,
        amountFen: true,
        balanceAfterFen: true,
        month: true,
        level: true,
        entitlements: true,
        createdAt: true,
        actorKind: true,
        actorResidentId: true,
        actorStaffId: true,
        order: {
          select: {
            id: true,
            slot: { select: { startsAt: true, item: { select: { kind: true, name: true } } } },
            provider: { select: { name: true } },
          },
        },
      },
    }),
    allowanceBasis(prisma, resident.id, month),
    allowanceBasis(prisma, resident.id, nextMonth),
  ]);
  const describe = await describeActors(
    prisma,
    entries
      .filter((entry) => entry.actorKind)
      .map((entry) => ({
        actorKind: entry.actorKind!,
        actorResidentId: entry.actorResidentId,
        delegationId: null,
        actorStaffId: entry.actorStaffId,
        authorizationId: null,
      })),
    resident.name,
  );
  const describeAllowance = (basis: typeof thisMonth) => ({
    month: isoMonth(basis.month),
    level: basis.level,
    entitlements: basis.entitlements,
    levelFen: basis.levelFen,
    entitlementFen: basis.entitlementFen,
    totalFen: basis.totalFen,
  });
  return {
    resident: {
      name: resident.name,
      maskedIdNumber: resident.idNumberMask,
      gender: resident.gender,
      age,
      areaCode: resident.areaCode,
    },
    /** Who is looking: the resident, a family member under a delegation, or counter staff. */
    actingAs: actorOf(subject).actorKind,
    eligible,
    minimumAge: ELDERCARE_MIN_AGE,
    profile: profile && {
      livingSituation: profile.livingSituation,
      paymentMethod: profile.paymentMethod,
      updatedAt: profile.updatedAt,
      emergencyContacts: profile.emergencyContacts.map((contact) => ({
        name: contact.name,
        relation: contact.relation,
        maskedPhone: contact.phoneMask,
      })),
    },
    paymentMethod: profile?.paymentMethod ?? 'NONE',
    latestAssessment: assessment && {
      id: assessment.id,
      assessedAt: assessment.assessedAt,
      effectiveFrom: isoDate(assessment.effectiveFrom),
      level: assessment.level,
      totalScore: assessment.totalScore,
      inForce: assessment.effectiveFrom <= month,
    },
    assessmentRequest: openRequest && { id: openRequest.id, requestedAt: openRequest.requestedAt },
    subsidy: {
      balanceFen: account?.balanceFen ?? 0,
      thisMonth: describeAllowance(thisMonth),
      nextMonth: describeAllowance(comingMonth),
      entries: entries.map((entry) => ({
        id: entry.id.toString(),
        kind: entry.kind,
        amountFen: entry.amountFen,
        balanceAfterFen: entry.balanceAfterFen,
        month: entry.month ? isoMonth(entry.month) : null,
        level: entry.level,
        entitlements: entry.entitlements,
        createdAt: entry.createdAt,
        order: entry.order && {
          id: entry.order.id,
          kind: entry.order.slot.item.kind,
          itemName: entry.order.slot.item.name,
          providerName: entry.order.provider.name,
          startsAt: entry.order.slot.startsAt,
        },
        actor: entry.actorKind
          ? describe({
              actorKind: entry.actorKind,
              actorResidentId: entry.actorResidentId,
              delegationId: null,
              actorStaffId: entry.actorStaffId,
              authorizationId: null,
            })
          : null,
      })),
    },
  };
}

/** Replaces the living situation, payment method and emergency contacts (phones encrypted, masked for display). */
export async function updateCareProfile(deps: ServerDeps, subject: Subject, input: CareProfileInput) {
  await requireEligibleResident(deps, subject.residentId);
  const now = deps.now();
  const residentId = subject.residentId;
  await deps.db.prisma.$transaction(async (tx) => {
    await tx.careProfile.upsert({
      where: { residentId },
      create: {
        residentId,
        livingSituation: input.livingSituation,
        paymentMethod: input.paymentMethod,
        updatedAt: now,
      },
      update: { livingSituation: input.livingSituation, paymentMethod: input.paymentMethod, updatedAt: now },
    });
    await tx.emergencyContact.deleteMany({ where: { residentId } });
    if (input.emergencyContacts.length) {
      await tx.emergencyContact.createMany({
        data: input.emergencyContacts.map((contact, position) => ({
          id: randomUUID(),
          residentId,
          position,
          name: contact.name,
          relation: contact.relation,
          phoneEnc: deps.protector.encrypt(contact.phone, 'phone'),
          phoneMask: maskPhone(contact.phone),
        })),
      });
    }
  });
  return {
    livingSituation: input.livingSituation,
    paymentMethod: input.paymentMethod,
    updatedAt: now,
    emergencyContacts: input.emergencyContacts.map((contact) => ({
      name: contact.name,
      relation: contact.relation,
      maskedPhone: maskPhone(contact.phone),
    })),
  };
}
