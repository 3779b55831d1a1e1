-- CreateEnum
CREATE TYPE "Service" AS ENUM ('CARD');

-- CreateEnum
CREATE TYPE "Gender" AS ENUM ('MALE', 'FEMALE');

-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('COUNTER', 'CARD_OFFICE');

-- CreateEnum
CREATE TYPE "PrincipalKind" AS ENUM ('RESIDENT', 'STAFF');

-- CreateEnum
CREATE TYPE "AuthorizationMethod" AS ENUM ('ONE_TIME_CODE', 'IN_PERSON');

-- CreateEnum
CREATE TYPE "AccessBasis" AS ENUM ('ONE_TIME_CODE', 'IN_PERSON', 'QR_PRESENTED');

-- CreateEnum
CREATE TYPE "CardStatus" AS ENUM ('ACTIVE', 'LOST', 'REPLACED');

-- CreateEnum
CREATE TYPE "ReplacementStatus" AS ENUM ('SUBMITTED', 'IN_PRODUCTION', 'READY_FOR_PICKUP', 'COLLECTED');

-- CreateEnum
CREATE TYPE "ReplacementReason" AS ENUM ('LOST', 'DAMAGED');

-- CreateEnum
CREATE TYPE "CardEventKind" AS ENUM ('LOSS_REPORTED', 'REPLACEMENT_SUBMITTED', 'REPLACEMENT_IN_PRODUCTION', 'REPLACEMENT_READY', 'REPLACEMENT_COLLECTED');

-- CreateEnum
CREATE TYPE "BenefitKind" AS ENUM ('PENSION', 'MINIMUM_LIVING', 'SOCIAL_ASSISTANCE');

-- CreateTable
CREATE TABLE "Household" (
    "id" UUID NOT NULL,
    "areaCode" VARCHAR(6) NOT NULL,
    "address" TEXT NOT NULL,

    CONSTRAINT "Household_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Resident" (
    "id" UUID NOT NULL,
    "idNumberEnc" BYTEA NOT NULL,
    "idNumberHash" BYTEA NOT NULL,
    "idNumberMask" VARCHAR(18) NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "gender" "Gender" NOT NULL,
    "birthDate" DATE NOT NULL,
    "phoneEnc" BYTEA,
    "phoneMask" VARCHAR(11),
    "areaCode" VARCHAR(6) NOT NULL,
    "householdId" UUID,
    "passwordHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Resident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceCenter" (
    "id" UUID NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "name" TEXT NOT NULL,
    "areaCode" VARCHAR(6) NOT NULL,
    "address" TEXT NOT NULL,

    CONSTRAINT "ServiceCenter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffMember" (
    "id" UUID NOT NULL,
    "staffNumber" VARCHAR(20) NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "role" "StaffRole" NOT NULL,
    "centerId" UUID NOT NULL,
    "passwordHash" TEXT NOT NULL,

    CONSTRAINT "StaffMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "tokenHash" CHAR(64) NOT NULL,
    "kind" "PrincipalKind" NOT NULL,
    "residentId" UUID,
    "staffId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInThrottle" (
    "key" CHAR(64) NOT NULL,
    "failures" INTEGER NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "lockedUntil" TIMESTAMPTZ(3),

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "OneTimeCode" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "codeHash" CHAR(64) NOT NULL,
    "scopes" "Service"[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),

    CONSTRAINT "OneTimeCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssistAuthorization" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "staffId" UUID NOT NULL,
    "centerId" UUID NOT NULL,
    "method" "AuthorizationMethod" NOT NULL,
    "scopes" "Service"[],
    "idDocumentChecked" BOOLEAN NOT NULL DEFAULT false,
    "reason" VARCHAR(200),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "AssistAuthorization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessLogEntry" (
    "seq" BIGINT NOT NULL,
    "residentId" UUID NOT NULL,
    "staffId" UUID NOT NULL,
    "centerId" UUID NOT NULL,
    "authorizationId" UUID,
    "basis" "AccessBasis" NOT NULL,
    "action" VARCHAR(60) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "prevHash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "AccessLogEntry_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "AccessLogHead" (
    "id" INTEGER NOT NULL,
    "lastSeq" BIGINT NOT NULL,
    "lastHash" CHAR(64) NOT NULL,

    CONSTRAINT "AccessLogHead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SocialSecurityCard" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "cardNumberEnc" BYTEA NOT NULL,
    "cardNumberMask" VARCHAR(12) NOT NULL,
    "bank" VARCHAR(50) NOT NULL,
    "issuedAt" DATE NOT NULL,
    "status" "CardStatus" NOT NULL,
    "lostAt" TIMESTAMPTZ(3),

    CONSTRAINT "SocialSecurityCard_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CardReplacement" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "oldCardId" UUID NOT NULL,
    "newCardId" UUID,
    "reason" "ReplacementReason" NOT NULL,
    "status" "ReplacementStatus" NOT NULL,
    "pickupCenterId" UUID NOT NULL,
    "requestKey" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CardReplacement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CardEvent" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "cardId" UUID NOT NULL,
    "kind" "CardEventKind" NOT NULL,
    "staffId" UUID,
    "authorizationId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CardEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContributionMonth" (
    "id" BIGSERIAL NOT NULL,
    "residentId" UUID NOT NULL,
    "month" DATE NOT NULL,
    "employer" VARCHAR(100) NOT NULL,
    "baseFen" INTEGER NOT NULL,
    "pensionPersonal" INTEGER NOT NULL,
    "pensionEmployer" INTEGER NOT NULL,
    "medicalPersonal" INTEGER NOT NULL,
    "medicalEmployer" INTEGER NOT NULL,
    "unemploymentPersonal" INTEGER NOT NULL,
    "unemploymentEmployer" INTEGER NOT NULL,
    "workInjuryEmployer" INTEGER NOT NULL,
    "maternityEmployer" INTEGER NOT NULL,

    CONSTRAINT "ContributionMonth_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BenefitPayment" (
    "id" BIGSERIAL NOT NULL,
    "residentId" UUID NOT NULL,
    "kind" "BenefitKind" NOT NULL,
    "month" DATE NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "payer" VARCHAR(100) NOT NULL,

    CONSTRAINT "BenefitPayment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Resident_idNumberHash_key" ON "Resident"("idNumberHash");

-- CreateIndex
CREATE INDEX "Resident_householdId_idx" ON "Resident"("householdId");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceCenter_code_key" ON "ServiceCenter"("code");

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_staffNumber_key" ON "StaffMember"("staffNumber");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_residentId_idx" ON "Session"("residentId");

-- CreateIndex
CREATE INDEX "Session_staffId_idx" ON "Session"("staffId");

-- CreateIndex
CREATE UNIQUE INDEX "OneTimeCode_codeHash_key" ON "OneTimeCode"("codeHash");

-- CreateIndex
CREATE INDEX "OneTimeCode_residentId_createdAt_idx" ON "OneTimeCode"("residentId", "createdAt");

-- CreateIndex
CREATE INDEX "AssistAuthorization_residentId_createdAt_idx" ON "AssistAuthorization"("residentId", "createdAt");

-- CreateIndex
CREATE INDEX "AssistAuthorization_staffId_createdAt_idx" ON "AssistAuthorization"("staffId", "createdAt");

-- CreateIndex
CREATE INDEX "AccessLogEntry_residentId_seq_idx" ON "AccessLogEntry"("residentId", "seq" DESC);

-- CreateIndex
CREATE INDEX "SocialSecurityCard_residentId_issuedAt_idx" ON "SocialSecurityCard"("residentId", "issuedAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "CardReplacement_requestKey_key" ON "CardReplacement"("requestKey");

-- CreateIndex
CREATE INDEX "CardReplacement_residentId_createdAt_idx" ON "CardReplacement"("residentId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "CardReplacement_status_createdAt_idx" ON "CardReplacement"("status", "createdAt");

-- CreateIndex
CREATE INDEX "CardEvent_residentId_createdAt_idx" ON "CardEvent"("residentId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "ContributionMonth_residentId_month_key" ON "ContributionMonth"("residentId", "month");

-- CreateIndex
CREATE INDEX "BenefitPayment_residentId_month_idx" ON "BenefitPayment"("residentId", "month" DESC);

-- AddForeignKey
ALTER TABLE "Resident" ADD CONSTRAINT "Resident_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffMember" ADD CONSTRAINT "StaffMember_centerId_fkey" FOREIGN KEY ("centerId") REFERENCES "ServiceCenter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OneTimeCode" ADD CONSTRAINT "OneTimeCode_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssistAuthorization" ADD CONSTRAINT "AssistAuthorization_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssistAuthorization" ADD CONSTRAINT "AssistAuthorization_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssistAuthorization" ADD CONSTRAINT "AssistAuthorization_centerId_fkey" FOREIGN KEY ("centerId") REFERENCES "ServiceCenter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessLogEntry" ADD CONSTRAINT "AccessLogEntry_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessLogEntry" ADD CONSTRAINT "AccessLogEntry_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessLogEntry" ADD CONSTRAINT "AccessLogEntry_centerId_fkey" FOREIGN KEY ("centerId") REFERENCES "ServiceCenter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessLogEntry" ADD CONSTRAINT "AccessLogEntry_authorizationId_fkey" FOREIGN KEY ("authorizationId") REFERENCES "AssistAuthorization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SocialSecurityCard" ADD CONSTRAINT "SocialSecurityCard_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardReplacement" ADD CONSTRAINT "CardReplacement_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardReplacement" ADD CONSTRAINT "CardReplacement_oldCardId_fkey" FOREIGN KEY ("oldCardId") REFERENCES "SocialSecurityCard"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardReplacement" ADD CONSTRAINT "CardReplacement_newCardId_fkey" FOREIGN KEY ("newCardId") REFERENCES "SocialSecurityCard"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardReplacement" ADD CONSTRAINT "CardReplacement_pickupCenterId_fkey" FOREIGN KEY ("pickupCenterId") REFERENCES "ServiceCenter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardEvent" ADD CONSTRAINT "CardEvent_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardEvent" ADD CONSTRAINT "CardEvent_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContributionMonth" ADD CONSTRAINT "ContributionMonth_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BenefitPayment" ADD CONSTRAINT "BenefitPayment_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
