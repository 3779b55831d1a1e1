import { randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '../../src/db/database.js';

/** Approved applicants for allocation tests and the allocation benchmark (no test-runner imports, so the bench can use it). */
export interface ApplicantSpec {
  category: 'HUKOU_AND_HOME' | 'HUKOU_ONLY' | 'MIGRANT';
  points: number;
  /** Schools in preference order. */
  schoolIds: string[];
}

/**
 * Approved applications written straight to the database (with a minimal
 * child and parent each), for allocation at scale: the review that would
 * approve them is covered elsewhere. Returns the application ids in order.
 */
export async function insertApprovedApplicants(
  db: Database,
  options: { windowId: string; districtId: string; applicants: ApplicantSpec[]; referencePrefix: string },
): Promise<string[]> {
  const now = new Date();
  const ids: string[] = [];
  const chunk = 1000;
  for (let start = 0; start < options.applicants.length; start += chunk) {
    const slice = options.applicants.slice(start, start + chunk);
    const residents: string[] = [];
    const rows = slice.map((spec, offset) => {
      const index = start + offset;
      const childId = randomUUID();
      const parentId = randomUUID();
      residents.push(childId, parentId);
      const id = randomUUID();
      ids.push(id);
      return { id, childId, parentId, index, spec };
    });
    await db.prisma.resident.createMany({
      data: rows.flatMap((row) =>
        [row.childId, row.parentId].map((residentId, which) => ({
          id: residentId,
          idNumberEnc: randomBytes(16),
          idNumberHash: randomBytes(32),
          idNumberMask: '4415**********000X',
          name: which === 0 ? `学生${row.index}号` : `家长${row.index}号`,
          gender: 'MALE' as const,
          birthDate: new Date(which === 0 ? '2021-03-01T00:00:00Z' : '1985-03-01T00:00:00Z'),
          areaCode: '441502',
          passwordHash: 'not-a-password',
        })),
      ),
    });
    await db.prisma.enrollmentApplication.createMany({
      data: rows.map((row) => ({
        id: row.id,
        reference: `${options.referencePrefix}${String(row.index).padStart(6, '0')}`,
        windowId: options.windowId,
        childId: row.childId,
        applicantId: row.parentId,
        districtId: options.districtId,
        status: 'APPROVED' as const,
        category: row.spec.category,
        points: row.spec.points,
        submittedAt: now,
        createdAt: now,
        updatedAt: now,
      })),
    });
    await db.prisma.enrollmentPreference.createMany({
      data: rows.flatMap((row) =>
        row.spec.schoolIds.map((schoolId, rank) => ({ applicationId: row.id, rank: rank + 1, schoolId })),
      ),
    });
  }
  return ids;
}
