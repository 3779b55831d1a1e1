import { randomInt, randomUUID } from 'node:crypto';
import type { Context } from '../../context.js';
import { isUniqueViolation } from '../../db/unique-violation.js';
import { AppError } from '../../errors.js';
import type { EnrollmentLevel } from '../../generated/prisma/enums.js';
import type { Subject } from '../../trpc.js';
import { deriveCategory, requiredDocumentKinds } from './category.js';
import { applicationNotFound, guardedApplicationId, guardedChild } from './family.js';
import {
  EDITABLE_STATUSES,
  GRADE_OF_LEVEL,
  assertWindowOpen,
  levelEligibility,
  windowState,
  wrongState,
} from './rules.js';
import { actorOf, changeStatus } from './status.js';

const REFERENCE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** e.g. JY2027P-4F7KQ2: year, level, and six characters that cannot be misread (no 0/O, 1/I). */
function newReference(year: number, level: EnrollmentLevel): string {
  let suffix = '';
  for (let index = 0; index < 6; index += 1) suffix += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `JY${year}${level === 'PRIMARY' ? 'P' : 'J'}-${suffix}`;
}

/** The current (latest) window for a level. */
export async function currentWindow(ctx: Pick<Context, 'db'>, level: EnrollmentLevel) {
  const window = await ctx.db.prisma.enrollmentWindow.findFirst({ where: { level }, orderBy: { year: 'desc' } });
  if (!window)
    throw new AppError(
      'BAD_REQUEST',
      'errors.enrollment.noWindow',
      'No enrollment window has been announced for this level.',
    );
  return window;
}

/**
 * Creates the draft for a child and the current window, or returns the
 * application the child already has (starting twice starts once). Refused
 * outside the window, for a child who is not eligible, and for a child who
 * is not in the parent's household.
 */
export async function startApplication(
  ctx: Context,
  subject: Subject,
  input: { childId: string; level: EnrollmentLevel },
) {
  const now = ctx.now();
  const { householdId, child } = await guardedChild(ctx, subject.residentId, input.childId, now);
  const window = await currentWindow(ctx, input.level);
  const existingSelect = { id: true, status: true, reference: true } as const;
  const existing = await ctx.db.prisma.enrollmentApplication.findUnique({
    where: { childId_windowId: { childId: child.id, windowId: window.id } },
    select: existingSelect,
  });
  if (existing)
    return { applicationId: existing.id, reference: existing.reference, status: existing.status, created: false };
  assertWindowOpen(window, now);
  const reason = levelEligibility(input.level, window.year, child.birthDate, child.studentRoll);
  if (reason) throw notEligible(reason);
  const facts = await deriveCategory(ctx, householdId, input.level, now);
  const { district, category } = facts;
  if (!district || !category) throw notEligible('noDistrict');
  const actor = actorOf(subject);
  const createDraft = async (reference: string) => {
    const created = await ctx.db.prisma.enrollmentApplication.create({
      data: {
        id: randomUUID(),
        reference,
        windowId: window.id,
        childId: child.id,
        applicantId: subject.residentId,
        districtId: district.id,
        status: 'DRAFT',
        category,
        points: facts.points?.total ?? 0,
        assisted: actor.staffId !== null,
        filedByStaffId: actor.staffId,
        filedUnderAuthorizationId: actor.authorizationId,
        createdAt: now,
        updatedAt: now,
      },
      select: existingSelect,
    });
    return { applicationId: created.id, reference: created.reference, status: created.status, created: true };
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await createDraft(newReference(window.year, input.level));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // A reference drawn twice (one in a billion): draw again.
      if (isUniqueViolation(error, 'reference') && attempt < 3) continue;
      // Started at the same moment from another tab: the first one stands.
      const raced = await ctx.db.prisma.enrollmentApplication.findUniqueOrThrow({
        where: { childId_windowId: { childId: child.id, windowId: window.id } },
        select: existingSelect,
      });
      return { applicationId: raced.id, reference: raced.reference, status: raced.status, created: false };
    }
  }
}

export function notEligible(reason: string): AppError {
  return new AppError(
    'BAD_REQUEST',
    'errors.enrollment.notEligible',
    'The child is not eligible for this enrollment.',
    { reason },
  );
}

const detailSelect = {
  id: true,
  reference: true,
  status: true,
  version: true,
  category: true,
  points: true,
  currentPreference: true,
  assisted: true,
  submittedAt: true,
  createdAt: true,
  updatedAt: true,
  offerRespondBy: true,
  applicantId: true,
  applicant: { select: { name: true, idNumberMask: true } },
  child: { select: { id: true, name: true, gender: true, birthDate: true, idNumberMask: true, householdId: true } },
  window: { select: { id: true, year: true, level: true, opensAt: true, closesAt: true, respondDays: true } },
  district: {
    select: {
      id: true,
      name: true,
      schools: { orderBy: { code: 'asc' }, select: { id: true, code: true, name: true, address: true, level: true } },
    },
  },
  preferences: { orderBy: { rank: 'asc' }, select: { rank: true, school: { select: { id: true, name: true } } } },
  documents: {
    orderBy: { uploadedAt: 'asc' },
    select: {
      id: true,
      kind: true,
      fileName: true,
      mediaType: true,
      sizeBytes: true,
      uploadedAt: true,
      uploadedByStaffId: true,
    },
  },
  events: {
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      fromStatus: true,
      toStatus: true,
      message: true,
      createdAt: true,
      staff: { select: { name: true, role: true, center: { select: { name: true } } } },
    },
  },
  offerSchool: { select: { id: true, name: true, address: true } },
  filedByStaff: { select: { name: true, center: { select: { name: true } } } },
} as const;

/**
 * Everything about one application, for the family and for reviewers: the
 * category with the facts it came from, the district's schools (the only
 * ones that can be chosen), preferences, documents and what is still
 * required, the history with who and when, and the offer.
 */
export async function applicationDetail(ctx: Context, applicationId: string) {
  const now = ctx.now();
  const application = await ctx.db.prisma.enrollmentApplication.findUnique({
    where: { id: applicationId },
    select: detailSelect,
  });
  if (!application) throw applicationNotFound();
  const level = application.window.level;
  const facts = application.child.householdId
    ? await deriveCategory(ctx, application.child.householdId, level, now)
    : null;
  const required = requiredDocumentKinds({
    category: application.category,
    homeOwnedInDistrict: facts?.homeOwnedInDistrict ?? false,
  });
  const status = application.status;
  const editable = EDITABLE_STATUSES.includes(status);
  const open = windowState(application.window, now) === 'OPEN';
  const requirements = required.map((kind) => ({
    kind,
    satisfied: application.documents.some((document) => document.kind === kind),
  }));
  return {
    id: application.id,
    reference: application.reference,
    status,
    version: application.version,
    year: application.window.year,
    level,
    grade: GRADE_OF_LEVEL[level],
    window: { ...application.window, state: windowState(application.window, now) },
    child: {
      id: application.child.id,
      name: application.child.name,
      gender: application.child.gender,
      birthDate: application.child.birthDate.toISOString().slice(0, 10),
      maskedIdNumber: application.child.idNumberMask,
    },
    applicant: { name: application.applicant.name, maskedIdNumber: application.applicant.idNumberMask },
    category: application.category,
    points: application.points,
    facts,
    district: {
      id: application.district.id,
      name: application.district.name,
      schools: application.district.schools
        .filter((school) => school.level === level)
        .map(({ level: _level, ...school }) => school),
    },
    preferences: application.preferences.map((preference) => ({
      rank: preference.rank,
      schoolId: preference.school.id,
      schoolName: preference.school.name,
    })),
    currentPreference: application.currentPreference,
    documents: application.documents.map(({ uploadedByStaffId, ...document }) => ({
      ...document,
      uploadedBy: uploadedByStaffId ? ('COUNTER' as const) : ('FAMILY' as const),
    })),
    requirements,
    history: application.events.map((event) => ({
      id: event.id,
      at: event.createdAt,
      from: event.fromStatus,
      to: event.toStatus,
      message: event.message,
      by: event.staff
        ? {
            kind: event.staff.role === 'COUNTER' ? ('COUNTER' as const) : ('EDUCATION_BUREAU' as const),
            name: event.staff.name,
            place: event.staff.center.name,
          }
        : { kind: 'FAMILY' as const, name: null, place: null },
    })),
    offer:
      application.offerSchool && application.offerRespondBy
        ? {
            schoolId: application.offerSchool.id,
            schoolName: application.offerSchool.name,
            schoolAddress: application.offerSchool.address,
            respondBy: application.offerRespondBy,
          }
        : null,
    assisted: application.assisted,
    filedBy: application.filedByStaff
      ? { staffName: application.filedByStaff.name, centerName: application.filedByStaff.center.name }
      : null,
    submittedAt: application.submittedAt,
    createdAt: application.createdAt,
    updatedAt: application.updatedAt,
    /** What the family can do now; the gateway checks each again. */
    actions: {
      edit: editable,
      submit:
        status === 'DRAFT' &&
        open &&
        application.preferences.length > 0 &&
        requirements.every((requirement) => requirement.satisfied),
      respond: status === 'NEEDS_DOCUMENTS',
      answerOffer: status === 'OFFERED' && application.offerRespondBy !== null && now < application.offerRespondBy,
    },
  };
}

export type ApplicationDetail = Awaited<ReturnType<typeof applicationDetail>>;

/** The application as its family sees it (either parent of the child's household, or counter staff for them). */
export async function familyApplication(ctx: Context, subject: Subject, applicationId: string) {
  await guardedApplicationId(ctx, subject.residentId, applicationId);
  return applicationDetail(ctx, applicationId);
}

async function familyApplicationState(ctx: Context, subject: Subject, applicationId: string) {
  await guardedApplicationId(ctx, subject.residentId, applicationId);
  return ctx.db.prisma.enrollmentApplication.findUniqueOrThrow({
    where: { id: applicationId },
    select: {
      id: true,
      status: true,
      version: true,
      reference: true,
      applicantId: true,
      districtId: true,
      submitRequestKey: true,
      offerRespondBy: true,
      child: { select: { name: true, householdId: true } },
      window: { select: { year: true, level: true, opensAt: true, closesAt: true } },
      offerSchool: { select: { name: true } },
    },
  });
}

function changeOf(application: Awaited<ReturnType<typeof familyApplicationState>>) {
  return {
    id: application.id,
    status: application.status,
    version: application.version,
    reference: application.reference,
    applicantId: application.applicantId,
    childName: application.child.name,
  };
}

/** Schools in preference order: 1 to 3, distinct, all in the child's district and at the application's level. */
export async function savePreferences(
  ctx: Context,
  subject: Subject,
  input: { applicationId: string; schoolIds: string[] },
) {
  const now = ctx.now();
  const application = await familyApplicationState(ctx, subject, input.applicationId);
  if (!EDITABLE_STATUSES.includes(application.status)) throw wrongState(application.status);
  const schools = await ctx.db.prisma.school.findMany({
    where: { id: { in: input.schoolIds }, districtId: application.districtId, level: application.window.level },
    select: { id: true, name: true },
  });
  if (schools.length !== input.schoolIds.length) {
    throw new AppError(
      'BAD_REQUEST',
      'errors.enrollment.schoolOutsideDistrict',
      'Only schools of the child’s school district can be chosen.',
    );
  }
  const actor = actorOf(subject);
  await ctx.db.prisma.$transaction(async (tx) => {
    const updated = await tx.enrollmentApplication.updateMany({
      where: { id: application.id, status: { in: [...EDITABLE_STATUSES] } },
      data: { updatedAt: now, currentPreference: 1, ...(actor.staffId ? { assisted: true } : {}) },
    });
    if (updated.count !== 1) throw wrongState(application.status);
    await tx.enrollmentPreference.deleteMany({ where: { applicationId: application.id } });
    await tx.enrollmentPreference.createMany({
      data: input.schoolIds.map((schoolId, index) => ({ applicationId: application.id, rank: index + 1, schoolId })),
    });
  });
  return {
    applicationId: application.id,
    preferences: input.schoolIds.map((schoolId, index) => ({
      rank: index + 1,
      schoolId,
      schoolName: schools.find((school) => school.id === schoolId)!.name,
    })),
  };
}

/**
 * Submits a draft. The request key makes a resubmission (a double click, a
 * retry after a lost answer) return the first submission's answer instead of
 * submitting again. Category and points are derived again from the city's
 * records at this moment.
 */
export async function submitApplication(
  ctx: Context,
  subject: Subject,
  input: { applicationId: string; requestKey: string },
) {
  const now = ctx.now();
  const application = await familyApplicationState(ctx, subject, input.applicationId);
  if (application.submitRequestKey === input.requestKey)
    return { applicationId: application.id, reference: application.reference, status: application.status };
  if (application.status !== 'DRAFT') throw wrongState(application.status);
  assertWindowOpen(application.window, now);
  const facts = await deriveCategory(ctx, application.child.householdId!, application.window.level, now);
  if (!facts.district || !facts.category) throw notEligible('noDistrict');
  const [preferences, documents] = await Promise.all([
    ctx.db.prisma.enrollmentPreference.findMany({
      where: { applicationId: application.id },
      select: { school: { select: { districtId: true } } },
    }),
    ctx.db.prisma.enrollmentDocument.findMany({ where: { applicationId: application.id }, select: { kind: true } }),
  ]);
  if (preferences.length === 0)
    throw new AppError('BAD_REQUEST', 'errors.enrollment.preferencesRequired', 'Choose at least one school first.');
  if (preferences.some((preference) => preference.school.districtId !== facts.district!.id)) {
    throw new AppError(
      'BAD_REQUEST',
      'errors.enrollment.schoolOutsideDistrict',
      'Only schools of the child’s school district can be chosen.',
    );
  }
  const missing = requiredDocumentKinds(facts).filter((kind) => !documents.some((document) => document.kind === kind));
  if (missing.length)
    throw new AppError('BAD_REQUEST', 'errors.enrollment.documentsRequired', 'Upload the required documents first.', {
      kinds: missing.join(','),
    });
  const actor = actorOf(subject);
  try {
    await ctx.db.prisma.$transaction((tx) =>
      changeStatus(
        tx,
        {
          application: changeOf(application),
          to: 'SUBMITTED',
          actor,
          data: {
            submitRequestKey: input.requestKey,
            submittedAt: now,
            category: facts.category!,
            points: facts.points?.total ?? 0,
            districtId: facts.district!.id,
          },
        },
        now,
      ),
    );
  } catch (error) {
    // The same submission arriving twice at once: the other one submitted it.
    const current = await ctx.db.prisma.enrollmentApplication.findUniqueOrThrow({
      where: { id: application.id },
      select: { submitRequestKey: true, status: true },
    });
    if (current.submitRequestKey === input.requestKey)
      return { applicationId: application.id, reference: application.reference, status: current.status };
    if (isUniqueViolation(error))
      throw new AppError(
        'CONFLICT',
        'errors.enrollment.requestKeyUsed',
        'This request key was used for another submission.',
      );
    throw error;
  }
  return { applicationId: application.id, reference: application.reference, status: 'SUBMITTED' as const };
}

/** After a request for documents: with a new document uploaded since the request, the application goes back to review. */
export async function respondToRequest(
  ctx: Context,
  subject: Subject,
  input: { applicationId: string; note?: string | undefined },
) {
  const now = ctx.now();
  const application = await familyApplicationState(ctx, subject, input.applicationId);
  if (application.status !== 'NEEDS_DOCUMENTS') throw wrongState(application.status);
  const request = await ctx.db.prisma.enrollmentEvent.findFirst({
    where: { applicationId: application.id, toStatus: 'NEEDS_DOCUMENTS' },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true },
  });
  const newDocuments = await ctx.db.prisma.enrollmentDocument.count({
    where: { applicationId: application.id, uploadedAt: { gt: request?.createdAt ?? now } },
  });
  if (newDocuments === 0)
    throw new AppError('BAD_REQUEST', 'errors.enrollment.newDocumentRequired', 'Upload the requested document first.');
  await ctx.db.prisma.$transaction((tx) =>
    changeStatus(
      tx,
      { application: changeOf(application), to: 'SUBMITTED', actor: actorOf(subject), message: input.note ?? null },
      now,
    ),
  );
  return { applicationId: application.id, status: 'SUBMITTED' as const };
}

/** Accepts or declines an offered place, until the respond-by time. */
export async function answerOffer(ctx: Context, subject: Subject, input: { applicationId: string }, accept: boolean) {
  const now = ctx.now();
  const application = await familyApplicationState(ctx, subject, input.applicationId);
  if (application.status !== 'OFFERED') throw wrongState(application.status);
  if (!application.offerRespondBy || now >= application.offerRespondBy) {
    throw new AppError('BAD_REQUEST', 'errors.enrollment.offerExpired', 'The time to answer this offer has passed.', {
      respondBy: application.offerRespondBy?.toISOString() ?? '',
    });
  }
  const to = accept ? ('ACCEPTED' as const) : ('DECLINED' as const);
  await ctx.db.prisma.$transaction((tx) =>
    changeStatus(
      tx,
      { application: changeOf(application), to, actor: actorOf(subject), schoolName: application.offerSchool?.name },
      now,
    ),
  );
  return { applicationId: application.id, status: to };
}
