import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import type { EnrollmentDocumentKind } from '../../generated/prisma/enums.js';
import type { Subject } from '../../trpc.js';
import { guardedApplicationId } from './family.js';
import { EDITABLE_STATUSES, wrongState } from './rules.js';
import { actorOf } from './status.js';

export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
export const MAX_DOCUMENTS_PER_APPLICATION = 10;

/** What may be uploaded, decided from the file's bytes, with the names the file may carry. */
const ACCEPTED_TYPES: Record<string, { extensions: string[] }> = {
  'application/pdf': { extensions: ['pdf'] },
  'image/jpeg': { extensions: ['jpg', 'jpeg'] },
  'image/png': { extensions: ['png'] },
};

export const ENROLLMENT_DOCUMENTS_FOLDER = 'enrollment';

function documentPath(ctx: Pick<Context, 'config'>, storageKey: string): string {
  return path.join(ctx.config.documentsDir, ENROLLMENT_DOCUMENTS_FOLDER, storageKey);
}

/**
 * Checks a file before anything is stored: at most 5 MB, and a PDF, JPEG or
 * PNG by its content (magic bytes), whose name's extension agrees. A renamed
 * program or web page is refused whatever it is called.
 */
export async function checkDocument(fileName: string, content: Buffer): Promise<{ mediaType: string }> {
  if (content.length > MAX_DOCUMENT_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', 'errors.enrollment.fileTooLarge', 'The file is larger than 5 MB.', {
      maxMegabytes: 5,
    });
  }
  if (content.length === 0) throw new AppError('BAD_REQUEST', 'errors.enrollment.fileEmpty', 'The file is empty.');
  const detected = await fileTypeFromBuffer(content);
  const accepted = detected ? ACCEPTED_TYPES[detected.mime] : undefined;
  const extension = path.extname(fileName).slice(1).toLowerCase();
  if (!detected || !accepted || !accepted.extensions.includes(extension)) {
    throw new AppError(
      'BAD_REQUEST',
      'errors.enrollment.fileType',
      'Only PDF, JPEG or PNG files, named as what they are, can be uploaded.',
    );
  }
  return { mediaType: detected.mime };
}

/**
 * Stores a document for an application the family may still change: the
 * bytes go to the documents directory (outside the static web root, read
 * only through procedures), the database keeps name, type, size and SHA-256.
 */
export async function uploadDocument(
  ctx: Context,
  subject: Subject,
  input: { applicationId: string; kind: EnrollmentDocumentKind; fileName: string; content: Buffer },
) {
  const now = ctx.now();
  await guardedApplicationId(ctx, subject.residentId, input.applicationId);
  const application = await ctx.db.prisma.enrollmentApplication.findUniqueOrThrow({
    where: { id: input.applicationId },
    select: { id: true, status: true, _count: { select: { documents: true } } },
  });
  if (!EDITABLE_STATUSES.includes(application.status)) throw wrongState(application.status);
  if (application._count.documents >= MAX_DOCUMENTS_PER_APPLICATION) {
    throw new AppError(
      'BAD_REQUEST',
      'errors.enrollment.tooManyDocuments',
      'An application holds at most 10 documents.',
      { max: MAX_DOCUMENTS_PER_APPLICATION },
    );
  }
  const { mediaType } = await checkDocument(input.fileName, input.content);
  const id = randomUUID();
  const storageKey = `${application.id}/${id}`;
  const target = documentPath(ctx, storageKey);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, input.content, { mode: 0o600, flag: 'wx' });
  const actor = actorOf(subject);
  try {
    await ctx.db.prisma.$transaction(async (tx) => {
      const updated = await tx.enrollmentApplication.updateMany({
        where: { id: application.id, status: { in: [...EDITABLE_STATUSES] } },
        data: { updatedAt: now, ...(actor.staffId ? { assisted: true } : {}) },
      });
      if (updated.count !== 1) throw wrongState(application.status);
      await tx.enrollmentDocument.create({
        data: {
          id,
          applicationId: application.id,
          kind: input.kind,
          fileName: input.fileName,
          mediaType,
          sizeBytes: input.content.length,
          sha256: createHash('sha256').update(input.content).digest('hex'),
          storageKey,
          uploadedAt: now,
          uploadedByStaffId: actor.staffId,
          authorizationId: actor.authorizationId,
        },
      });
    });
  } catch (error) {
    await fs.rm(target, { force: true });
    throw error;
  }
  return {
    id,
    kind: input.kind,
    fileName: input.fileName,
    mediaType,
    sizeBytes: input.content.length,
    uploadedAt: now,
  };
}

function documentNotFound(): AppError {
  return new AppError('NOT_FOUND', 'errors.enrollment.documentNotFound', 'Document not found.');
}

/** The family's own document, while the application can still change. */
export async function removeDocument(ctx: Context, subject: Subject, documentId: string) {
  const document = await ctx.db.prisma.enrollmentDocument.findUnique({
    where: { id: documentId },
    select: { id: true, applicationId: true, storageKey: true },
  });
  if (!document) throw documentNotFound();
  await guardedApplicationId(ctx, subject.residentId, document.applicationId).catch(() => {
    throw documentNotFound();
  });
  const now = ctx.now();
  const actor = actorOf(subject);
  await ctx.db.prisma.$transaction(async (tx) => {
    const application = await tx.enrollmentApplication.findUniqueOrThrow({
      where: { id: document.applicationId },
      select: { status: true },
    });
    const updated = await tx.enrollmentApplication.updateMany({
      where: { id: document.applicationId, status: { in: [...EDITABLE_STATUSES] } },
      data: { updatedAt: now, ...(actor.staffId ? { assisted: true } : {}) },
    });
    if (updated.count !== 1) throw wrongState(application.status);
    await tx.enrollmentDocument.delete({ where: { id: document.id } });
  });
  await fs.rm(documentPath(ctx, document.storageKey), { force: true });
  return { documentId: document.id };
}

/** A document's bytes, for a caller already allowed to see its application. */
export async function readDocument(
  ctx: Context,
  documentId: string,
  mayRead: (applicationId: string) => Promise<void>,
) {
  const document = await ctx.db.prisma.enrollmentDocument.findUnique({
    where: { id: documentId },
    select: { id: true, applicationId: true, fileName: true, mediaType: true, storageKey: true, sha256: true },
  });
  if (!document) throw documentNotFound();
  await mayRead(document.applicationId).catch(() => {
    throw documentNotFound();
  });
  const content = await fs.readFile(documentPath(ctx, document.storageKey));
  return {
    id: document.id,
    fileName: document.fileName,
    mediaType: document.mediaType,
    sha256: document.sha256,
    contentBase64: content.toString('base64'),
  };
}
