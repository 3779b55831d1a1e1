import type { ServerDeps } from '../../context.js';
import { AppError } from '../../errors.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { AbilityLevel, BenefitKind, CareActorKind, SubsidyEntryKind } from '../../generated/prisma/enums.js';
import { ageOn } from '../../people/household.js';
import { chinaMonthStart } from '../../china-time.js';
import { ELDERCARE_MIN_AGE } from './care-calendar.js';

/**
 * The home-care subsidy (居家养老服务补贴), in fen per month: an allowance by
 * ability level (from the assessment in force that month) plus supplements for
 * entitlements the city already pays (the card service's benefit payments).
 */
export const MONTHLY_ALLOWANCE_BY_LEVEL: Readonly<Record<AbilityLevel, number>> = {
  INTACT: 0,
  MILD: 10_000,
  MODERATE: 20_000,
  SEVERE: 30_000,
  TOTAL_LOSS: 40_000,
};

/** 低保 (minimum living allowance) and 特困/社会救助 (social assistance) recipients get more. */
export const ENTITLEMENT_SUPPLEMENT: Readonly<Partial<Record<BenefitKind, number>>> = {
  MINIMUM_LIVING: 10_000,
  SOCIAL_ASSISTANCE: 15_000,
};

/** An entitlement counts for a month when the city paid it in one of the months before. */
export const ENTITLEMENT_LOOKBACK_MONTHS = 3;

export interface AllowanceBasis {
  month: Date;
  eligible: boolean;
  level: AbilityLevel | null;
  entitlements: BenefitKind[];
  levelFen: number;
  entitlementFen: number;
  totalFen: number;
}

type Reader = Pick<Prisma.TransactionClient, 'resident' | 'careAssessment' | 'benefitPayment'>;

/** What the allowance for `month` is and why: computed from the records, never stored as a rate. */
export async function allowanceBasis(db: Reader, residentId: string, month: Date): Promise<AllowanceBasis> {
  const lookbackFrom = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() - ENTITLEMENT_LOOKBACK_MONTHS, 1));
  const [resident, assessment, benefits] = await Promise.all([
    db.resident.findUniqueOrThrow({ where: { id: residentId }, select: { birthDate: true } }),
    db.careAssessment.findFirst({
      where: { residentId, effectiveFrom: { lte: month } },
      orderBy: [{ effectiveFrom: 'desc' }, { assessedAt: 'desc' }],
      select: { level: true },
    }),
    db.benefitPayment.findMany({
      where: {
        residentId,
        kind: { in: Object.keys(ENTITLEMENT_SUPPLEMENT) as BenefitKind[] },
        month: { gte: lookbackFrom, lt: month },
      },
      distinct: ['kind'],
      select: { kind: true },
    }),
  ]);
  // Eligible when 60 by the month's last day.
  const monthEnd = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0, 12));
  const eligible = ageOn(resident.birthDate, monthEnd) >= ELDERCARE_MIN_AGE;
  const level = assessment?.level ?? null;
  const entitlements = benefits.map((benefit) => benefit.kind).sort();
  const levelFen = eligible && level ? MONTHLY_ALLOWANCE_BY_LEVEL[level] : 0;
  const entitlementFen = eligible
    ? entitlements.reduce((sum, kind) => sum + (ENTITLEMENT_SUPPLEMENT[kind] ?? 0), 0)
    : 0;
  return { month, eligible, level, entitlements, levelFen, entitlementFen, totalFen: levelFen + entitlementFen };
}

export interface LedgerWrite {
  residentId: string;
  kind: SubsidyEntryKind;
  amountFen: number;
  month?: Date | null;
  level?: AbilityLevel | null;
  entitlements?: BenefitKind[];
  orderId?: string | null;
  actorKind?: CareActorKind | null;
  actorResidentId?: string | null;
  actorStaffId?: string | null;
}

/**
 * Locks the resident's subsidy account for the rest of the transaction
 * (creating it at zero when new) and returns its balance, after checking it
 * against the ledger: the balance is always the sum of the entries.
 */
export async function lockSubsidyAccount(tx: Prisma.TransactionClient, residentId: string, now: Date): Promise<number> {
  await tx.$executeRaw`INSERT INTO "SubsidyAccount" ("residentId", "balanceFen", "updatedAt") VALUES (${residentId}::uuid, 0, ${now}) ON CONFLICT ("residentId") DO NOTHING`;
  const [account] = await tx.$queryRaw<
    { balanceFen: number }[]
  >`SELECT "balanceFen" FROM "SubsidyAccount" WHERE "residentId" = ${residentId}::uuid FOR UPDATE`;
  const ledger = await tx.subsidyLedgerEntry.aggregate({ where: { residentId }, _sum: { amountFen: true } });
  const ledgerSum = ledger._sum.amountFen ?? 0;
  if (!account || account.balanceFen !== ledgerSum) {
    throw new AppError(
      'INTERNAL_SERVER_ERROR',
      'errors.eldercare.ledgerMismatch',
      `Subsidy balance of ${residentId} disagrees with its ledger.`,
    );
  }
  return account.balanceFen;
}

/** Appends one ledger entry and moves the balance with it; the account must be locked (lockSubsidyAccount). */
export async function appendLedgerEntry(
  tx: Prisma.TransactionClient,
  balanceFen: number,
  entry: LedgerWrite,
  now: Date,
): Promise<number> {
  const balanceAfterFen = balanceFen + entry.amountFen;
  if (balanceAfterFen < 0)
    throw new AppError('CONFLICT', 'errors.eldercare.subsidyInsufficient', 'The subsidy balance is too low.');
  await tx.subsidyLedgerEntry.create({
    data: {
      residentId: entry.residentId,
      kind: entry.kind,
      amountFen: entry.amountFen,
      balanceAfterFen,
      month: entry.month ?? null,
      level: entry.level ?? null,
      entitlements: entry.entitlements ?? [],
      orderId: entry.orderId ?? null,
      actorKind: entry.actorKind ?? null,
      actorResidentId: entry.actorResidentId ?? null,
      actorStaffId: entry.actorStaffId ?? null,
      createdAt: now,
    },
  });
  await tx.subsidyAccount.update({
    where: { residentId: entry.residentId },
    data: { balanceFen: balanceAfterFen, updatedAt: now },
  });
  return balanceAfterFen;
}

/**
 * Credits this month's allowance once: the unique (resident, kind, month)
 * entry makes a second credit impossible, however many requests race.
 * Returns the balance afterwards.
 */
export async function creditMonthlyAllowance(
  tx: Prisma.TransactionClient,
  residentId: string,
  now: Date,
  month: Date = chinaMonthStart(now),
): Promise<number> {
  const balance = await lockSubsidyAccount(tx, residentId, now);
  const credited = await tx.subsidyLedgerEntry.findFirst({
    where: { residentId, kind: 'MONTHLY_ALLOWANCE', month },
    select: { id: true },
  });
  if (credited) return balance;
  const basis = await allowanceBasis(tx, residentId, month);
  if (basis.totalFen === 0) return balance;
  return appendLedgerEntry(
    tx,
    balance,
    {
      residentId,
      kind: 'MONTHLY_ALLOWANCE',
      amountFen: basis.totalFen,
      month,
      level: basis.level,
      entitlements: basis.entitlements,
    },
    now,
  );
}

/** Brings the account up to date for this month in its own transaction (reads call this before showing the balance). */
export async function ensureMonthlyAllowance(deps: ServerDeps, residentId: string): Promise<number> {
  const now = deps.now();
  return deps.db.prisma.$transaction((tx) => creditMonthlyAllowance(tx, residentId, now));
}
