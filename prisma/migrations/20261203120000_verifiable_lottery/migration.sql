-- The verifiable school lottery (docs/lottery.md): the system draws each round's seed once and
-- publishes its SHA-256 before the round, dry runs are recorded, and a commit reveals the seed and
-- publishes every applicant's lottery number, position and outcome.

-- CreateEnum
CREATE TYPE "AllocationOutcome" AS ENUM ('OFFERED', 'NEXT_PREFERENCE', 'MANUAL_PLACEMENT');

-- AlterTable: the revealed seed is 64 hex characters from now on. Runs committed before this
-- migration keep their 31-bit seed, in decimal, and have no commitment, round or digest.
ALTER TABLE "AllocationRun" ALTER COLUMN "seed" SET DATA TYPE VARCHAR(64) USING "seed"::text;
ALTER TABLE "AllocationRun" ADD COLUMN "seedCommitment" CHAR(64);
ALTER TABLE "AllocationRun" ADD COLUMN "roundId" UUID;
ALTER TABLE "AllocationRun" ADD COLUMN "outcomeDigest" CHAR(64);

-- CreateTable
CREATE TABLE "AllocationRound" (
    "id" UUID NOT NULL,
    "schoolId" UUID NOT NULL,
    "windowId" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "seedEnc" BYTEA NOT NULL,
    "seedCommitment" CHAR(64) NOT NULL,
    "openedAt" TIMESTAMPTZ(3) NOT NULL,
    "openedById" UUID NOT NULL,

    CONSTRAINT "AllocationRound_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AllocationDryRun" (
    "id" UUID NOT NULL,
    "roundId" UUID NOT NULL,
    "staffId" UUID NOT NULL,
    "candidates" INTEGER NOT NULL,
    "places" INTEGER NOT NULL,
    "offered" INTEGER NOT NULL,
    "outcomeDigest" CHAR(64) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AllocationDryRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AllocationEntry" (
    "runId" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "reference" VARCHAR(20) NOT NULL,
    "category" "ApplicantCategory" NOT NULL,
    "points" INTEGER NOT NULL,
    "lotteryNumber" CHAR(16) NOT NULL,
    "position" INTEGER NOT NULL,
    "outcome" "AllocationOutcome" NOT NULL,

    CONSTRAINT "AllocationEntry_pkey" PRIMARY KEY ("runId","applicationId")
);

-- CreateIndex: one seed per school, window and round, however many gateways open it at once.
CREATE UNIQUE INDEX "AllocationRound_schoolId_windowId_round_key" ON "AllocationRound"("schoolId", "windowId", "round");

-- CreateIndex
CREATE INDEX "AllocationDryRun_roundId_createdAt_idx" ON "AllocationDryRun"("roundId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AllocationRun_roundId_key" ON "AllocationRun"("roundId");

-- CreateIndex
CREATE UNIQUE INDEX "AllocationEntry_runId_position_key" ON "AllocationEntry"("runId", "position");

-- CreateIndex
CREATE INDEX "AllocationEntry_applicationId_idx" ON "AllocationEntry"("applicationId");

-- AddForeignKey
ALTER TABLE "AllocationRound" ADD CONSTRAINT "AllocationRound_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationRound" ADD CONSTRAINT "AllocationRound_windowId_fkey" FOREIGN KEY ("windowId") REFERENCES "EnrollmentWindow"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationRound" ADD CONSTRAINT "AllocationRound_openedById_fkey" FOREIGN KEY ("openedById") REFERENCES "StaffMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationDryRun" ADD CONSTRAINT "AllocationDryRun_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "AllocationRound"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationDryRun" ADD CONSTRAINT "AllocationDryRun_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationRun" ADD CONSTRAINT "AllocationRun_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "AllocationRound"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationEntry" ADD CONSTRAINT "AllocationEntry_runId_fkey" FOREIGN KEY ("runId") REFERENCES "AllocationRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationEntry" ADD CONSTRAINT "AllocationEntry_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "EnrollmentApplication"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
