import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSITIONS, APPLICATION_STATUSES } from '../src/routers/enrollment/rules.js';
import { ENROLLMENT_DOCUMENTS_FOLDER } from '../src/routers/enrollment/documents.js';
import {
  TARGETS,
  accessLogCount,
  authorizeByCode,
  createWorld,
  errorShapeOf,
  expectInvalidInput,
  expectRefused,
  lastAccessLogEntry,
  rowCounts,
  signInStaff,
  type SignedIn,
  type World,
} from './harness.js';
import { FAMILIES, FAMILY_RESIDENTS, FILES, base64 } from './support/enrollment.js';

/**
 * An application from draft to decision: idempotent start and submit, the
 * documents (checked from their bytes, stored outside the web root), the
 * state machine (every step not allowed from a status is refused), who may
 * see and do what, concurrent reviewers, assisted filing, and the messages
 * the family gets.
 */

const ENROLLMENT_TABLES = [
  'EnrollmentApplication',
  'EnrollmentPreference',
  'EnrollmentDocument',
  'EnrollmentEvent',
  'Message',
];

describe.each(TARGETS)('enrollment applications, on %s', (target) => {
  let world: World;
  const ids: Record<string, string> = {};
  let reviewer: SignedIn;
  let reviewer2: SignedIn;
  let home: SignedIn;
  let migrant: SignedIn;
  let hukou: SignedIn;
  let spouse: SignedIn;
  let documentsRoot: string;

  beforeAll(async () => {
    world = await createWorld(target, { extraResidents: FAMILY_RESIDENTS });
    for (const [key, person] of Object.entries(FAMILIES)) ids[key] = await world.residentIdOf(person.idNumber);
    reviewer = await world.staff('reviewer');
    // A second reviewer at the bureau.
    const bureau = await world.db.prisma.serviceCenter.findUniqueOrThrow({
      where: { code: 'EDU441500' },
      select: { id: true },
    });
    const template = await world.db.prisma.staffMember.findUniqueOrThrow({
      where: { staffNumber: 'JY3001' },
      select: { passwordHash: true },
    });
    await world.db.prisma.staffMember.create({
      data: {
        id: randomUUID(),
        staffNumber: 'JY3002',
        name: '孙磊',
        role: 'ENROLLMENT_REVIEWER',
        centerId: bureau.id,
        passwordHash: template.passwordHash,
      },
    });
    reviewer2 = await signInStaff(world.deps, 'JY3002');
    home = await world.signIn(FAMILIES.homeHead.idNumber);
    migrant = await world.signIn(FAMILIES.migrantHead.idNumber);
    hukou = await world.signIn(FAMILIES.hukouHead.idNumber);
    spouse = await world.signIn(FAMILIES.hukouSpouse.idNumber);
    documentsRoot = path.join(world.deps.config.documentsDir, ENROLLMENT_DOCUMENTS_FOLDER);
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  async function draftWithSchools(parent: SignedIn, childId: string) {
    const { applicationId } = await parent.call.enrollment.application.start({ childId, level: 'PRIMARY' });
    const detail = await parent.call.enrollment.application.get({ applicationId });
    if (detail.status === 'DRAFT')
      await parent.call.enrollment.application.savePreferences({
        applicationId,
        schoolIds: detail.district.schools.map((school) => school.id),
      });
    return applicationId;
  }

  function filesOf(applicationId: string): string[] {
    const folder = path.join(documentsRoot, applicationId);
    return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
  }

  it('starting twice returns the same draft; submitting twice (same request key) submits once', async () => {
    const first = await home.call.enrollment.application.start({ childId: ids.homeChild!, level: 'PRIMARY' });
    const again = await home.call.enrollment.application.start({ childId: ids.homeChild!, level: 'PRIMARY' });
    expect(again).toEqual({ ...first, created: false });
    expect(first.reference).toMatch(/^JY2027P-[2-9A-HJ-NP-Z]{6}$/);
    const applicationId = await draftWithSchools(home, ids.homeChild!);
    const requestKey = randomUUID();
    const [a, b] = await Promise.all([
      home.call.enrollment.application.submit({ applicationId, requestKey }),
      home.call.enrollment.application.submit({ applicationId, requestKey }),
    ]);
    const retried = await home.call.enrollment.application.submit({ applicationId, requestKey });
    expect(a).toEqual({ applicationId, reference: first.reference, status: 'SUBMITTED' });
    expect(b.reference).toBe(first.reference);
    expect(retried.reference).toBe(first.reference);
    const events = await world.db.prisma.enrollmentEvent.findMany({
      where: { applicationId },
      select: { toStatus: true },
    });
    expect(events).toEqual([{ toStatus: 'SUBMITTED' }]);
    // A new key on a submitted application is a second submission: refused.
    await expectRefused(
      home.call.enrollment.application.submit({ applicationId, requestKey: randomUUID() }),
      'BAD_REQUEST',
      'errors.enrollment.wrongState',
    );
    const messages = await world.db.prisma.message.findMany({
      where: { residentId: ids.homeHead!, topic: { startsWith: 'enrollment.' } },
      select: { topic: true, params: true, link: true },
    });
    expect(messages).toEqual([
      {
        topic: 'enrollment.status.SUBMITTED',
        params: { child: FAMILIES.homeChild.name, reference: first.reference },
        link: `/enrollment/applications/${applicationId}`,
      },
    ]);
  });

  it('submitting needs preferences and, for a renting migrant family, the rental contract', async () => {
    const { applicationId } = await migrant.call.enrollment.application.start({
      childId: ids.migrantChild!,
      level: 'PRIMARY',
    });
    await expectRefused(
      migrant.call.enrollment.application.submit({ applicationId, requestKey: randomUUID() }),
      'BAD_REQUEST',
      'errors.enrollment.preferencesRequired',
    );
    await draftWithSchools(migrant, ids.migrantChild!);
    const missing = await expectRefused(
      migrant.call.enrollment.application.submit({ applicationId, requestKey: randomUUID() }),
      'BAD_REQUEST',
      'errors.enrollment.documentsRequired',
    );
    expect(missing.data.params).toEqual({ kinds: 'RENTAL_CONTRACT' });
    const uploaded = await migrant.call.enrollment.documents.upload({
      applicationId,
      kind: 'RENTAL_CONTRACT',
      fileName: '租赁合同.pdf',
      contentBase64: base64(FILES.pdf),
    });
    expect(uploaded).toMatchObject({
      kind: 'RENTAL_CONTRACT',
      mediaType: 'application/pdf',
      sizeBytes: FILES.pdf.length,
    });
    const detail = await migrant.call.enrollment.application.get({ applicationId });
    expect(detail.requirements).toEqual([{ kind: 'RENTAL_CONTRACT', satisfied: true }]);
    expect(detail.actions.submit).toBe(true);
    expect((await migrant.call.enrollment.application.submit({ applicationId, requestKey: randomUUID() })).status).toBe(
      'SUBMITTED',
    );
  });

  it('documents: PDF, JPEG and PNG by their bytes, stored outside the web root with a SHA-256; readable by the family and reviewers only', async () => {
    const applicationId = await draftWithSchools(hukou, ids.hukouChild!);
    const png = await hukou.call.enrollment.documents.upload({
      applicationId,
      kind: 'OTHER',
      fileName: 'photo.png',
      contentBase64: base64(FILES.png),
    });
    const jpeg = await hukou.call.enrollment.documents.upload({
      applicationId,
      kind: 'OTHER',
      fileName: 'scan.JPG',
      contentBase64: base64(FILES.jpeg),
    });
    expect([png.mediaType, jpeg.mediaType]).toEqual(['image/png', 'image/jpeg']);
    const row = await world.db.prisma.enrollmentDocument.findUniqueOrThrow({ where: { id: png.id } });
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    const stored = path.join(documentsRoot, row.storageKey);
    expect(fs.readFileSync(stored).equals(FILES.png)).toBe(true);
    const relative = path.relative(world.deps.config.staticDir, stored);
    expect(relative.startsWith('..')).toBe(true);

    // Either parent of the household reads it; another family and a resident without children do not.
    expect(
      Buffer.from(
        (await spouse.call.enrollment.documents.download({ documentId: png.id })).contentBase64,
        'base64',
      ).equals(FILES.png),
    ).toBe(true);
    await expectRefused(
      home.call.enrollment.documents.download({ documentId: png.id }),
      'NOT_FOUND',
      'errors.enrollment.documentNotFound',
    );
    // Reviewers only once submitted (a draft is the family's own).
    await expectRefused(
      reviewer.call.enrollment.review.document({ documentId: png.id }),
      'NOT_FOUND',
      'errors.enrollment.documentNotFound',
    );
    await hukou.call.enrollment.documents.remove({ documentId: jpeg.id });
    expect(filesOf(applicationId)).toEqual([png.id]);
    await hukou.call.enrollment.application.submit({ applicationId, requestKey: randomUUID() });
    const forReviewer = await reviewer.call.enrollment.review.document({ documentId: png.id });
    expect(forReviewer).toMatchObject({ fileName: 'photo.png', mediaType: 'image/png', sha256: row.sha256 });
    // The parent's access log says the bureau read it, on the basis of the application.
    expect(await lastAccessLogEntry(world.db)).toMatchObject({
      residentId: ids.hukouHead,
      action: 'enrollment.reviewDocument',
      basis: 'ENROLLMENT_APPLICATION',
      authorizationId: null,
    });
    // Submitted: documents can no longer be removed or added until the reviewer asks.
    await expectRefused(
      hukou.call.enrollment.documents.remove({ documentId: png.id }),
      'BAD_REQUEST',
      'errors.enrollment.wrongState',
    );
    await expectRefused(
      hukou.call.enrollment.documents.upload({
        applicationId,
        kind: 'OTHER',
        fileName: 'late.pdf',
        contentBase64: base64(FILES.pdf),
      }),
      'BAD_REQUEST',
      'errors.enrollment.wrongState',
    );
  });

  it('oversized and disguised files are refused with a clear message, and nothing is stored', async () => {
    const { applicationId } = await hukou.call.enrollment.application.start({
      childId: ids.hukouChild!,
      level: 'PRIMARY',
    });
    const draft = await world.signIn(FAMILIES.otherTownHead.idNumber);
    const otherId = await draftWithSchools(draft, ids.otherTownChild!);
    const before = await rowCounts(world.db, ['EnrollmentDocument']);
    const filesBefore = filesOf(otherId);
    const upload = (fileName: string, content: Buffer) =>
      draft.call.enrollment.documents.upload({
        applicationId: otherId,
        kind: 'OTHER',
        fileName,
        contentBase64: base64(content),
      });
    const justOver = Buffer.concat([FILES.pdf, Buffer.alloc(5 * 1024 * 1024 - FILES.pdf.length + 1, 0x20)]);
    const tooLarge = await expectRefused(
      upload('big.pdf', justOver),
      'PAYLOAD_TOO_LARGE',
      'errors.enrollment.fileTooLarge',
    );
    expect(tooLarge.data.params).toEqual({ maxMegabytes: 5 });
    await expectInvalidInput(upload('huge.pdf', Buffer.alloc(6 * 1024 * 1024, 0x41)), {
      contentBase64: 'validation.enrollment.fileTooLarge',
    });
    await expectRefused(upload('contract.pdf', FILES.exe), 'BAD_REQUEST', 'errors.enrollment.fileType');
    await expectRefused(upload('photo.png', FILES.html), 'BAD_REQUEST', 'errors.enrollment.fileType');
    // A real PNG with a PDF's name is refused too: the name must say what the file is.
    await expectRefused(upload('contract.pdf', FILES.png), 'BAD_REQUEST', 'errors.enrollment.fileType');
    await expectRefused(upload('empty.pdf', Buffer.alloc(0)), 'BAD_REQUEST', 'errors.invalidInput');
    await expectInvalidInput(upload('../../etc/passwd.pdf', FILES.pdf), { fileName: 'validation.enrollment.fileName' });
    await expectInvalidInput(
      draft.call.enrollment.documents.upload({
        applicationId: otherId,
        kind: 'OTHER',
        fileName: 'x.pdf',
        contentBase64: 'not base64!',
      }),
      { contentBase64: 'validation.enrollment.fileContent' },
    );
    expect(await rowCounts(world.db, ['EnrollmentDocument'])).toEqual(before);
    expect(filesOf(otherId)).toEqual(filesBefore);
    expect(applicationId).toBeTruthy();
  });

  it('a parent sees only their own household’s applications; residents cannot call reviewer procedures', async () => {
    const applicationId = await draftWithSchools(home, ids.homeChild!);
    await expectRefused(
      migrant.call.enrollment.application.get({ applicationId }),
      'NOT_FOUND',
      'errors.enrollment.applicationNotFound',
    );
    await expectRefused(
      migrant.call.enrollment.application.savePreferences({ applicationId, schoolIds: [randomUUID()] }),
      'NOT_FOUND',
      'errors.enrollment.applicationNotFound',
    );
    await expectRefused(
      migrant.call.enrollment.application.acceptOffer({ applicationId }),
      'NOT_FOUND',
      'errors.enrollment.applicationNotFound',
    );
    const overview = await migrant.call.enrollment.overview({});
    expect(overview.applications.map((application) => application.id)).not.toContain(applicationId);
    // A resident naming an authorization is refused: only staff act under one.
    await expectRefused(
      home.call.enrollment.application.get({ applicationId, authorizationId: randomUUID() }),
      'FORBIDDEN',
      'errors.forbidden',
    );
    for (const call of [
      () => home.call.enrollment.review.queue({}),
      () => home.call.enrollment.review.application({ applicationId }),
      () => home.call.enrollment.review.decide({ applicationId, version: 1, decision: 'APPROVE' }),
      () => home.call.enrollment.review.stats(),
      () => home.call.enrollment.allocation.overview(),
    ]) {
      await expectRefused(call(), 'FORBIDDEN', 'errors.forbidden');
    }
    // Counter and card-office staff are not reviewers either.
    const counter = await world.staff('counter');
    await expectRefused(counter.call.enrollment.review.queue({}), 'FORBIDDEN', 'errors.forbidden');
    const cardOffice = await world.staff('cardOffice');
    await expectRefused(cardOffice.call.enrollment.allocation.overview(), 'FORBIDDEN', 'errors.forbidden');
    // And a reviewer is not a parent.
    await expectRefused(reviewer.call.enrollment.overview({}), 'FORBIDDEN', 'errors.forbidden');
  });

  it('reviewers see the queue (never drafts), filtered by status, category and school; each look is recorded', async () => {
    const queue = await reviewer.call.enrollment.review.queue({});
    expect(queue.rows.length).toBeGreaterThan(0);
    expect(queue.rows.every((row) => row.status !== 'DRAFT')).toBe(true);
    // Asking for drafts by name is refused: a family's unsent draft is theirs alone.
    expect(await world.db.prisma.enrollmentApplication.count({ where: { status: 'DRAFT' } })).toBeGreaterThan(0);
    await expectInvalidInput(reviewer.call.enrollment.review.queue({ status: 'DRAFT' as never }), {
      status: 'validation.enrollment.status',
    });
    const migrants = await reviewer.call.enrollment.review.queue({ category: 'MIGRANT' });
    expect(migrants.rows.map((row) => row.childName)).toEqual([FAMILIES.migrantChild.name]);
    const schoolId = migrants.rows[0]!.firstChoice!.id;
    expect((await reviewer.call.enrollment.review.queue({ schoolId })).rows.length).toBeGreaterThanOrEqual(1);
    const submitted = await reviewer.call.enrollment.review.queue({ status: 'SUBMITTED' });
    const applicationId = submitted.rows[0]!.id;
    const views = await world.db.prisma.enrollmentReviewView.count({ where: { applicationId } });
    const seen = await reviewer.call.enrollment.review.application({ applicationId });
    expect(seen.status).toBe('UNDER_REVIEW');
    const applicant = (
      await world.db.prisma.enrollmentApplication.findUniqueOrThrow({
        where: { id: applicationId },
        select: { applicantId: true },
      })
    ).applicantId;
    const logged = await world.db.prisma.accessLogEntry.count({
      where: { residentId: applicant, action: 'enrollment.review' },
    });
    await reviewer2.call.enrollment.review.application({ applicationId });
    expect(await world.db.prisma.enrollmentReviewView.count({ where: { applicationId } })).toBe(views + 2);
    expect(
      await world.db.prisma.accessLogEntry.count({
        where: { residentId: applicant, action: 'enrollment.review', basis: 'ENROLLMENT_APPLICATION' },
      }),
    ).toBe(logged + 1);
    const again = await reviewer.call.enrollment.review.application({ applicationId });
    expect(again.views.map((view) => view.staffNumber).slice(0, 3)).toEqual(['JY3001', 'JY3002', 'JY3001']);
    const stats = await reviewer.call.enrollment.review.stats();
    expect(stats.byStatus.DRAFT).toBeGreaterThan(0);
    expect(stats.submitted).toBe(stats.handledEntirelyOnline + stats.assisted);
  });

  it('concurrent reviewers: the second decision on the same version gets CONFLICT and changes nothing', async () => {
    const { rows } = await reviewer.call.enrollment.review.queue({ category: 'MIGRANT' });
    const applicationId = rows[0]!.id;
    const seenByOne = await reviewer.call.enrollment.review.application({ applicationId });
    const seenByTwo = await reviewer2.call.enrollment.review.application({ applicationId });
    expect(seenByTwo.version).toBe(seenByOne.version);
    const results = await Promise.allSettled([
      reviewer.call.enrollment.review.decide({ applicationId, version: seenByOne.version, decision: 'APPROVE' }),
      reviewer2.call.enrollment.review.decide({
        applicationId,
        version: seenByTwo.version,
        decision: 'REJECT',
        message: '材料不符',
      }),
    ]);
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    const conflict = errorShapeOf(rejected[0]!.reason);
    expect([conflict.data.code, conflict.data.messageKey]).toEqual(['CONFLICT', 'errors.enrollment.changedByAnother']);
    const decisions = await world.db.prisma.enrollmentEvent.count({
      where: { applicationId, toStatus: { in: ['APPROVED', 'REJECTED'] } },
    });
    expect(decisions).toBe(1);
    // A stale version later is refused the same way.
    await expectRefused(
      reviewer2.call.enrollment.review.decide({ applicationId, version: seenByTwo.version, decision: 'APPROVE' }),
      'CONFLICT',
      'errors.enrollment.changedByAnother',
    );
  });

  it('a documents request, the family’s answer, and approval; each step recorded with who and when, and a message each', async () => {
    const { applicationId } = await hukou.call.enrollment.application.start({
      childId: ids.hukouChild!,
      level: 'PRIMARY',
    });
    const seen = await reviewer.call.enrollment.review.application({ applicationId });
    await expectInvalidInput(
      reviewer.call.enrollment.review.decide({ applicationId, version: seen.version, decision: 'REQUEST_DOCUMENTS' }),
      { message: 'validation.enrollment.reasonRequired' },
    );
    await expectInvalidInput(
      reviewer.call.enrollment.review.decide({
        applicationId,
        version: seen.version,
        decision: 'REJECT',
        message: '  ',
      }),
      { message: 'validation.enrollment.reasonRequired' },
    );
    const asked = await reviewer.call.enrollment.review.decide({
      applicationId,
      version: seen.version,
      decision: 'REQUEST_DOCUMENTS',
      message: '请上传户口簿首页',
    });
    expect(asked.status).toBe('NEEDS_DOCUMENTS');
    // Answering needs a new document first.
    await expectRefused(
      hukou.call.enrollment.application.respond({ applicationId, note: '已补充' }),
      'BAD_REQUEST',
      'errors.enrollment.newDocumentRequired',
    );
    world.clock.advance(60_000);
    await hukou.call.enrollment.documents.upload({
      applicationId,
      kind: 'OTHER',
      fileName: '户口簿.jpg',
      contentBase64: base64(FILES.jpeg),
    });
    expect((await hukou.call.enrollment.application.respond({ applicationId, note: '已补充' })).status).toBe(
      'SUBMITTED',
    );
    const review = await reviewer.call.enrollment.review.application({ applicationId });
    await reviewer.call.enrollment.review.decide({ applicationId, version: review.version, decision: 'APPROVE' });
    const detail = await hukou.call.enrollment.application.get({ applicationId });
    expect(detail.history.map((entry) => [entry.from, entry.to, entry.by.kind, entry.message])).toEqual([
      ['DRAFT', 'SUBMITTED', 'FAMILY', null],
      ['SUBMITTED', 'UNDER_REVIEW', 'EDUCATION_BUREAU', null],
      ['UNDER_REVIEW', 'NEEDS_DOCUMENTS', 'EDUCATION_BUREAU', '请上传户口簿首页'],
      ['NEEDS_DOCUMENTS', 'SUBMITTED', 'FAMILY', '已补充'],
      ['SUBMITTED', 'UNDER_REVIEW', 'EDUCATION_BUREAU', null],
      ['UNDER_REVIEW', 'APPROVED', 'EDUCATION_BUREAU', null],
    ]);
    expect(detail.history[2]!.by.name).toBe('赵敏');
    const topics = (
      await world.db.prisma.message.findMany({
        where: { residentId: ids.hukouHead!, link: `/enrollment/applications/${applicationId}` },
        select: { topic: true },
      })
    ).map((m) => m.topic);
    // The test clock stands still between steps, so compare without order.
    expect(topics.sort()).toEqual(
      [
        'enrollment.status.SUBMITTED',
        'enrollment.status.UNDER_REVIEW',
        'enrollment.status.NEEDS_DOCUMENTS',
        'enrollment.status.SUBMITTED',
        'enrollment.status.UNDER_REVIEW',
        'enrollment.status.APPROVED',
      ].sort(),
    );
  });

  it('every step not allowed from a status is refused, and changes nothing', async () => {
    const applicationId = await draftWithSchools(home, ids.homeChild!);
    const offerSchool = await world.db.prisma.enrollmentPreference.findFirstOrThrow({
      where: { applicationId },
      select: { schoolId: true },
    });
    const document = await world.db.prisma.enrollmentDocument.create({
      data: {
        id: randomUUID(),
        applicationId,
        kind: 'OTHER',
        fileName: 'x.pdf',
        mediaType: 'application/pdf',
        sizeBytes: 1,
        sha256: '0'.repeat(64),
        storageKey: `${applicationId}/none`,
        uploadedAt: new Date(),
      },
    });
    // The family's and the reviewer's steps: the statuses each is allowed from, and the status it leads to (null: none).
    const review = ['SUBMITTED', 'UNDER_REVIEW'];
    const editable = ['DRAFT', 'NEEDS_DOCUMENTS'];
    const steps = {
      submit: {
        from: ['DRAFT'],
        to: 'SUBMITTED',
        run: () => home.call.enrollment.application.submit({ applicationId, requestKey: randomUUID() }),
      },
      respond: {
        from: ['NEEDS_DOCUMENTS'],
        to: 'SUBMITTED',
        run: () => home.call.enrollment.application.respond({ applicationId }),
      },
      acceptOffer: {
        from: ['OFFERED'],
        to: 'ACCEPTED',
        run: () => home.call.enrollment.application.acceptOffer({ applicationId }),
      },
      declineOffer: {
        from: ['OFFERED'],
        to: 'DECLINED',
        run: () => home.call.enrollment.application.declineOffer({ applicationId }),
      },
      approve: {
        from: review,
        to: 'APPROVED',
        run: (version: number) =>
          reviewer.call.enrollment.review.decide({ applicationId, version, decision: 'APPROVE' }),
      },
      reject: {
        from: review,
        to: 'REJECTED',
        run: (version: number) =>
          reviewer.call.enrollment.review.decide({ applicationId, version, decision: 'REJECT', message: '不符合条件' }),
      },
      requestDocuments: {
        from: review,
        to: 'NEEDS_DOCUMENTS',
        run: (version: number) =>
          reviewer.call.enrollment.review.decide({
            applicationId,
            version,
            decision: 'REQUEST_DOCUMENTS',
            message: '补充材料',
          }),
      },
      savePreferences: {
        from: editable,
        to: null,
        run: () =>
          home.call.enrollment.application.savePreferences({ applicationId, schoolIds: [offerSchool.schoolId] }),
      },
      upload: {
        from: editable,
        to: null,
        run: () =>
          home.call.enrollment.documents.upload({
            applicationId,
            kind: 'OTHER',
            fileName: 'a.png',
            contentBase64: base64(FILES.png),
          }),
      },
      removeDocument: {
        from: editable,
        to: null,
        run: () => home.call.enrollment.documents.remove({ documentId: document.id }),
      },
    } as const;
    // The steps agree with the state machine: every status change they make is one of its transitions.
    for (const step of Object.values(steps)) {
      for (const from of step.from)
        if (step.to !== null) expect(TRANSITIONS[from as keyof typeof TRANSITIONS]).toContain(step.to);
    }
    const refusedSteps: string[] = [];
    for (const status of APPLICATION_STATUSES) {
      for (const [name, step] of Object.entries(steps)) {
        if ((step.from as readonly string[]).includes(status)) continue;
        await world.db.prisma.enrollmentApplication.update({
          where: { id: applicationId },
          data: {
            status,
            version: 7,
            offerSchoolId: status === 'OFFERED' ? offerSchool.schoolId : null,
            offerRespondBy: status === 'OFFERED' ? new Date(world.clock.now().getTime() + 86_400_000) : null,
            submitRequestKey: null,
          },
        });
        const before = await rowCounts(world.db, ENROLLMENT_TABLES);
        const shape = await expectRefused(
          step.run(7),
          name === 'approve' || name === 'reject' || name === 'requestDocuments'
            ? status === 'DRAFT'
              ? 'NOT_FOUND'
              : 'BAD_REQUEST'
            : 'BAD_REQUEST',
          status === 'DRAFT' && ['approve', 'reject', 'requestDocuments'].includes(name)
            ? 'errors.enrollment.applicationNotFound'
            : 'errors.enrollment.wrongState',
        );
        if (shape.data.messageKey === 'errors.enrollment.wrongState') expect(shape.data.params).toEqual({ status });
        expect(await rowCounts(world.db, ENROLLMENT_TABLES)).toEqual(before);
        expect(
          await world.db.prisma.enrollmentApplication.findUniqueOrThrow({
            where: { id: applicationId },
            select: { status: true, version: true },
          }),
        ).toEqual({ status, version: 7 });
        refusedSteps.push(`${status}:${name}`);
      }
    }
    // Ten statuses, ten steps: 16 allowed pairs, the 84 others refused.
    expect(refusedSteps).toHaveLength(84);
    expect(refusedSteps).toContain('REJECTED:approve');
    expect(refusedSteps).toContain('ACCEPTED:declineOffer');
    expect(refusedSteps).toContain('APPROVED:acceptOffer');
    expect(refusedSteps).toContain('DRAFT:respond');
  });

  it('an offer is answered once, before the respond-by time', async () => {
    const applicationId = await draftWithSchools(home, ids.homeChild!);
    const school = await world.db.prisma.enrollmentPreference.findFirstOrThrow({
      where: { applicationId },
      select: { schoolId: true },
    });
    const respondBy = new Date(world.clock.now().getTime() + 3_600_000);
    await world.db.prisma.enrollmentApplication.update({
      where: { id: applicationId },
      data: { status: 'OFFERED', version: 3, offerSchoolId: school.schoolId, offerRespondBy: respondBy },
    });
    const offered = await home.call.enrollment.application.get({ applicationId });
    expect(offered.offer).toMatchObject({ schoolId: school.schoolId, respondBy });
    expect(offered.actions.answerOffer).toBe(true);
    world.clock.advance(2 * 3_600_000);
    const late = await world.signIn(FAMILIES.homeHead.idNumber);
    await expectRefused(
      late.call.enrollment.application.acceptOffer({ applicationId }),
      'BAD_REQUEST',
      'errors.enrollment.offerExpired',
    );
    await world.db.prisma.enrollmentApplication.update({
      where: { id: applicationId },
      data: { offerRespondBy: new Date(world.clock.now().getTime() + 3_600_000) },
    });
    expect(await late.call.enrollment.application.acceptOffer({ applicationId })).toEqual({
      applicationId,
      status: 'ACCEPTED',
    });
    await expectRefused(
      late.call.enrollment.application.declineOffer({ applicationId }),
      'BAD_REQUEST',
      'errors.enrollment.wrongState',
    );
    const message = await world.db.prisma.message.findFirstOrThrow({
      where: { residentId: ids.homeHead!, topic: 'enrollment.status.ACCEPTED' },
      select: { params: true },
    });
    expect(message.params).toMatchObject({ child: FAMILIES.homeChild.name, school: expect.any(String) });
    home = late;
  });
});

describe.each(TARGETS)('enrollment at the counter (assisted filing), on %s', (target) => {
  let world: World;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    world = await createWorld(target, { extraResidents: FAMILY_RESIDENTS });
    for (const [key, person] of Object.entries(FAMILIES)) ids[key] = await world.residentIdOf(person.idNumber);
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  it('counter staff need an authorization covering ENROLLMENT; with one, they file for the parent and every call is in the access log', async () => {
    const counter = await world.staff('counter');
    const parent = await world.signIn(FAMILIES.juniorHead.idNumber);
    const cardOnly = await authorizeByCode(counter, parent, FAMILIES.juniorHead.idNumber, { scopes: ['CARD'] });
    await expectRefused(
      counter.call.enrollment.overview({ authorizationId: cardOnly.id }),
      'FORBIDDEN',
      'errors.scopeMissing',
    );
    await expectRefused(counter.call.enrollment.overview({}), 'FORBIDDEN', 'errors.authorizationRequired');
    const grant = await authorizeByCode(counter, parent, FAMILIES.juniorHead.idNumber, { scopes: ['ENROLLMENT'] });
    const authorizationId = grant.id;
    const logBefore = await accessLogCount(world.db);
    const overview = await counter.call.enrollment.overview({ authorizationId });
    expect(overview.children.map((child) => child.name)).toContain(FAMILIES.juniorChild.name);
    const started = await counter.call.enrollment.application.start({
      authorizationId,
      childId: ids.juniorChild!,
      level: 'JUNIOR',
    });
    const detail = await counter.call.enrollment.application.get({
      authorizationId,
      applicationId: started.applicationId,
    });
    await counter.call.enrollment.application.savePreferences({
      authorizationId,
      applicationId: started.applicationId,
      schoolIds: [detail.district.schools[0]!.id],
    });
    await counter.call.enrollment.documents.upload({
      authorizationId,
      applicationId: started.applicationId,
      kind: 'OTHER',
      fileName: '证明.pdf',
      contentBase64: base64(FILES.pdf),
    });
    await counter.call.enrollment.application.submit({
      authorizationId,
      applicationId: started.applicationId,
      requestKey: randomUUID(),
    });
    const log = await world.db.prisma.accessLogEntry.findMany({
      where: { seq: { gt: BigInt(logBefore) } },
      orderBy: { seq: 'asc' },
      select: { action: true, authorizationId: true, residentId: true },
    });
    expect(log.map((entry) => entry.action)).toEqual([
      'enrollment.overview',
      'enrollment.start',
      'enrollment.application',
      'enrollment.preferences',
      'enrollment.upload',
      'enrollment.submit',
    ]);
    expect(log.every((entry) => entry.authorizationId === authorizationId && entry.residentId === ids.juniorHead)).toBe(
      true,
    );
    expect((await lastAccessLogEntry(world.db))!.action).toBe('enrollment.submit');

    const stored = await world.db.prisma.enrollmentApplication.findUniqueOrThrow({
      where: { id: started.applicationId },
      select: {
        assisted: true,
        filedByStaffId: true,
        filedUnderAuthorizationId: true,
        applicantId: true,
        documents: { select: { uploadedByStaffId: true, authorizationId: true } },
        events: { select: { staffId: true, authorizationId: true } },
      },
    });
    const staffId = await world.staffId('counter');
    expect(stored).toEqual({
      assisted: true,
      filedByStaffId: staffId,
      filedUnderAuthorizationId: authorizationId,
      applicantId: ids.juniorHead,
      documents: [{ uploadedByStaffId: staffId, authorizationId }],
      events: [{ staffId, authorizationId }],
    });
    // The parent sees who filed it, and the reviewer's statistics count it as assisted.
    const seen = await parent.call.enrollment.application.get({ applicationId: started.applicationId });
    expect(seen.filedBy).toEqual({ staffName: '王芳', centerName: '香洲街道社区综合服务中心' });
    expect(seen.history[0]!.by).toMatchObject({ kind: 'COUNTER', name: '王芳' });
    const reviewer = await world.staff('reviewer');
    expect(await reviewer.call.enrollment.review.stats()).toMatchObject({
      submitted: 1,
      assisted: 1,
      handledEntirelyOnline: 0,
    });

    // A family's own submission counts as handled entirely online.
    const home = await world.signIn(FAMILIES.homeHead.idNumber);
    const own = await home.call.enrollment.application.start({ childId: ids.homeChild!, level: 'PRIMARY' });
    const ownDetail = await home.call.enrollment.application.get({ applicationId: own.applicationId });
    await home.call.enrollment.application.savePreferences({
      applicationId: own.applicationId,
      schoolIds: [ownDetail.district.schools[0]!.id],
    });
    await home.call.enrollment.application.submit({ applicationId: own.applicationId, requestKey: randomUUID() });
    expect(await reviewer.call.enrollment.review.stats()).toMatchObject({
      submitted: 2,
      assisted: 1,
      handledEntirelyOnline: 1,
    });

    // Staff cannot reach another family's application under this authorization.
    await expectRefused(
      counter.call.enrollment.application.get({ authorizationId, applicationId: own.applicationId }),
      'NOT_FOUND',
      'errors.enrollment.applicationNotFound',
    );
  });
});
