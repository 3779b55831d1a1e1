import { birthDateOf } from '@portal/identity';
import type { Context, ServerDeps } from '../context.js';
import { savePreferences, startApplication, submitApplication } from '../routers/enrollment/applications.js';
import { uploadDocument } from '../routers/enrollment/documents.js';
import { decideApplication, reviewApplication } from '../routers/enrollment/review.js';
import type { Subject } from '../trpc.js';
import { DEMO_ENROLLMENT_FAMILIES } from './demo-accounts.js';
import type { SeededRandom } from './random.js';

/** A one-page PDF standing in for a scanned rental contract. */
const DEMO_CONTRACT = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

type Step = 'DRAFT' | 'SUBMITTED' | 'UNDER_REVIEW' | 'NEEDS_DOCUMENTS' | 'APPROVED';

/** How far each demo family's application has come, so the reviewer's queue has work in every state. */
const DEMO_PROGRESS: Record<string, Step> = {
  蔡思琪: 'SUBMITTED',
  杨浩然: 'UNDER_REVIEW',
  许家豪: 'SUBMITTED',
  彭婷婷: 'NEEDS_DOCUMENTS',
  庄俊杰: 'APPROVED',
  钟雅琪: 'DRAFT',
  叶佩珊: 'SUBMITTED',
  卓子轩: 'APPROVED',
};

/**
 * The demo families' applications, made through the same domain functions
 * as the portal's own requests (so category, points, history and messages
 * are what a real application gets): drafts, submissions, one under review,
 * one waiting for a document and approved ones ready for allocation.
 */
export async function seedDemoApplications(deps: ServerDeps, random: SeededRandom): Promise<void> {
  const ctx: Context = {
    ...deps,
    request: {
      requestId: 'seed',
      clientAddress: '127.0.0.1',
      sessionToken: null,
      deviceToken: null,
      hasPortalHeader: true,
      setCookie: () => undefined,
    },
    session: null,
  };
  const reviewer = await deps.db.prisma.staffMember.findUniqueOrThrow({
    where: { staffNumber: 'JY3001' },
    select: { id: true, centerId: true },
  });
  const residentId = async (idNumber: string) =>
    (
      await deps.db.prisma.resident.findUniqueOrThrow({
        where: { idNumberHash: deps.protector.lookupHash(idNumber, 'idNumber') },
        select: { id: true },
      })
    ).id;
  for (const child of DEMO_ENROLLMENT_FAMILIES.filter((member) => member.relation === 'CHILD')) {
    const step = DEMO_PROGRESS[child.name];
    if (!step) continue;
    const parent = DEMO_ENROLLMENT_FAMILIES.find(
      (member) => member.household === child.household && member.relation === 'HEAD',
    )!;
    const subject: Subject = { residentId: await residentId(parent.idNumber), actor: { kind: 'RESIDENT' } };
    const level = birthDateOf(child.idNumber) >= '2020-09-01' ? 'PRIMARY' : 'JUNIOR';
    const { applicationId } = await startApplication(ctx, subject, {
      childId: await residentId(child.idNumber),
      level,
    });
    const district = await deps.db.prisma.enrollmentApplication.findUniqueOrThrow({
      where: { id: applicationId },
      select: {
        category: true,
        district: { select: { schools: { where: { level }, orderBy: { code: 'asc' }, select: { id: true } } } },
      },
    });
    await savePreferences(ctx, subject, {
      applicationId,
      schoolIds: district.district.schools.map((school) => school.id),
    });
    if (district.category === 'MIGRANT' && step !== 'NEEDS_DOCUMENTS') {
      await uploadDocument(ctx, subject, {
        applicationId,
        kind: 'RENTAL_CONTRACT',
        fileName: '房屋租赁合同.pdf',
        content: DEMO_CONTRACT,
      });
    }
    if (step === 'DRAFT') continue;
    if (step === 'NEEDS_DOCUMENTS') {
      // The reviewer will find the contract incomplete and ask for the signature page.
      await uploadDocument(ctx, subject, {
        applicationId,
        kind: 'RENTAL_CONTRACT',
        fileName: '租赁合同-第1页.pdf',
        content: DEMO_CONTRACT,
      });
    }
    await submitApplication(ctx, subject, { applicationId, requestKey: random.uuid() });
    if (step === 'SUBMITTED') continue;
    const seen = await reviewApplication(ctx, { staffId: reviewer.id, centerId: reviewer.centerId }, applicationId);
    if (step === 'UNDER_REVIEW') continue;
    if (step === 'NEEDS_DOCUMENTS') {
      await decideApplication(ctx, reviewer.id, {
        applicationId,
        version: seen.version,
        decision: 'REQUEST_DOCUMENTS',
        message: '租赁合同缺少签字页，请上传完整的租赁合同（含双方签字页）。',
      });
      continue;
    }
    await decideApplication(ctx, reviewer.id, { applicationId, version: seen.version, decision: 'APPROVE' });
  }
}
