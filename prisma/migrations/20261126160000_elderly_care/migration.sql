-- AlterEnum
ALTER TYPE "Service" ADD VALUE 'ELDERCARE';

-- AlterEnum
ALTER TYPE "StaffRole" ADD VALUE 'CARE_ASSESSOR';
ALTER TYPE "StaffRole" ADD VALUE 'CARE_PROVIDER';

-- AlterEnum
ALTER TYPE "AccessBasis" ADD VALUE 'ASSESSMENT_REQUEST';
ALTER TYPE "AccessBasis" ADD VALUE 'CARE_ORDER';

-- CreateEnum
CREATE TYPE "DelegationBasis" AS ENUM ('HOUSEHOLD', 'ADULT_CHILD');

-- CreateEnum
CREATE TYPE "LivingSituation" AS ENUM ('ALONE', 'WITH_SPOUSE', 'WITH_CHILDREN', 'WITH_OTHERS');

-- CreateEnum
CREATE TYPE "CarePaymentMethod" AS ENUM ('NONE', 'CASH', 'SOCIAL_SECURITY_CARD');

-- CreateEnum
CREATE TYPE "AbilityLevel" AS ENUM ('INTACT', 'MILD', 'MODERATE', 'SEVERE', 'TOTAL_LOSS');

-- CreateEnum
CREATE TYPE "CareServiceKind" AS ENUM ('MEAL', 'CLEANING', 'BATHING', 'MEDICAL_ESCORT', 'HOME_VISIT', 'EMERGENCY_CALL');

-- CreateEnum
CREATE TYPE "CareOrderStatus" AS ENUM ('BOOKED', 'CONFIRMED', 'IN_SERVICE', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "CareActorKind" AS ENUM ('RESIDENT', 'DELEGATE', 'COUNTER_STAFF', 'PROVIDER');

-- CreateEnum
CREATE TYPE "SubsidyEntryKind" AS ENUM ('MONTHLY_ALLOWANCE', 'ORDER_PAYMENT', 'ORDER_REFUND');

-- AlterTable
ALTER TABLE "StaffMember" ADD COLUMN "providerId" UUID;

-- AlterTable
ALTER TABLE "CardEvent" ADD COLUMN "delegationId" UUID;

-- CreateTable
CREATE TABLE "FamilyRelation" (
    "id" UUID NOT NULL,
    "parentId" UUID NOT NULL,
    "childId" UUID NOT NULL,
    "source" VARCHAR(50) NOT NULL,

    CONSTRAINT "FamilyRelation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DelegationGrant" (
    "id" UUID NOT NULL,
    "grantorId" UUID NOT NULL,
    "granteeId" UUID NOT NULL,
    "service" "Service" NOT NULL,
    "basis" "DelegationBasis" NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "revokedById" UUID,

    CONSTRAINT "DelegationGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CareProfile" (
    "residentId" UUID NOT NULL,
    "livingSituation" "LivingSituation" NOT NULL,
    "paymentMethod" "CarePaymentMethod" NOT NULL DEFAULT 'NONE',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CareProfile_pkey" PRIMARY KEY ("residentId")
);

-- CreateTable
CREATE TABLE "EmergencyContact" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "relation" VARCHAR(20) NOT NULL,
    "phoneEnc" BYTEA NOT NULL,
    "phoneMask" VARCHAR(11) NOT NULL,

    CONSTRAINT "EmergencyContact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CareAssessmentRequest" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CareAssessmentRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CareAssessment" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "requestId" UUID,
    "assessorId" UUID NOT NULL,
    "assessedAt" TIMESTAMPTZ(3) NOT NULL,
    "effectiveFrom" DATE NOT NULL,
    "selfCareScore" INTEGER NOT NULL,
    "mobilityScore" INTEGER NOT NULL,
    "mentalScore" INTEGER NOT NULL,
    "perceptionScore" INTEGER NOT NULL,
    "totalScore" INTEGER NOT NULL,
    "coma" BOOLEAN NOT NULL DEFAULT false,
    "dementiaOrMentalDisorder" BOOLEAN NOT NULL DEFAULT false,
    "riskEvents30Days" INTEGER NOT NULL DEFAULT 0,
    "level" "AbilityLevel" NOT NULL,

    CONSTRAINT "CareAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CareAssessmentItem" (
    "assessmentId" UUID NOT NULL,
    "itemKey" VARCHAR(10) NOT NULL,
    "score" INTEGER NOT NULL,

    CONSTRAINT "CareAssessmentItem_pkey" PRIMARY KEY ("assessmentId","itemKey")
);

-- CreateTable
CREATE TABLE "CareProvider" (
    "id" UUID NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "areaCode" VARCHAR(6) NOT NULL,
    "address" VARCHAR(200) NOT NULL,
    "hotline" VARCHAR(20) NOT NULL,

    CONSTRAINT "CareProvider_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CareServiceItem" (
    "id" UUID NOT NULL,
    "providerId" UUID NOT NULL,
    "kind" "CareServiceKind" NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "priceFen" INTEGER NOT NULL,
    "subsidyCapFen" INTEGER NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "startHours" INTEGER[],
    "slotCapacity" INTEGER NOT NULL,

    CONSTRAINT "CareServiceItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CareSlot" (
    "id" UUID NOT NULL,
    "itemId" UUID NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "capacity" INTEGER NOT NULL,
    "booked" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CareSlot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CareOrder" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "slotId" UUID NOT NULL,
    "providerId" UUID NOT NULL,
    "status" "CareOrderStatus" NOT NULL,
    "priceFen" INTEGER NOT NULL,
    "subsidyFen" INTEGER NOT NULL,
    "selfPayFen" INTEGER NOT NULL,
    "paymentMethod" "CarePaymentMethod" NOT NULL,
    "note" VARCHAR(200),
    "requestKey" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "stars" INTEGER,
    "ratingComment" VARCHAR(300),
    "ratedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CareOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CareOrderEvent" (
    "id" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "status" "CareOrderStatus" NOT NULL,
    "actorKind" "CareActorKind" NOT NULL,
    "actorResidentId" UUID,
    "delegationId" UUID,
    "actorStaffId" UUID,
    "authorizationId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CareOrderEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SubsidyAccount" (
    "residentId" UUID NOT NULL,
    "balanceFen" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SubsidyAccount_pkey" PRIMARY KEY ("residentId")
);

-- CreateTable
CREATE TABLE "SubsidyLedgerEntry" (
    "id" BIGSERIAL NOT NULL,
    "residentId" UUID NOT NULL,
    "kind" "SubsidyEntryKind" NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "balanceAfterFen" INTEGER NOT NULL,
    "month" DATE,
    "level" "AbilityLevel",
    "entitlements" "BenefitKind"[],
    "orderId" UUID,
    "actorKind" "CareActorKind",
    "actorResidentId" UUID,
    "actorStaffId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SubsidyLedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StaffMember_providerId_idx" ON "StaffMember"("providerId");

-- CreateIndex
CREATE INDEX "FamilyRelation_childId_idx" ON "FamilyRelation"("childId");

-- CreateIndex
CREATE UNIQUE INDEX "FamilyRelation_parentId_childId_key" ON "FamilyRelation"("parentId", "childId");

-- CreateIndex
CREATE INDEX "DelegationGrant_grantorId_createdAt_idx" ON "DelegationGrant"("grantorId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "DelegationGrant_granteeId_createdAt_idx" ON "DelegationGrant"("granteeId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "EmergencyContact_residentId_position_key" ON "EmergencyContact"("residentId", "position");

-- CreateIndex
CREATE INDEX "CareAssessmentRequest_residentId_requestedAt_idx" ON "CareAssessmentRequest"("residentId", "requestedAt" DESC);

-- CreateIndex
CREATE INDEX "CareAssessmentRequest_completedAt_requestedAt_idx" ON "CareAssessmentRequest"("completedAt", "requestedAt");

-- CreateIndex
CREATE UNIQUE INDEX "CareAssessment_requestId_key" ON "CareAssessment"("requestId");

-- CreateIndex
CREATE INDEX "CareAssessment_residentId_assessedAt_idx" ON "CareAssessment"("residentId", "assessedAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "CareProvider_code_key" ON "CareProvider"("code");

-- CreateIndex
CREATE INDEX "CareProvider_areaCode_idx" ON "CareProvider"("areaCode");

-- CreateIndex
CREATE INDEX "CareServiceItem_providerId_kind_idx" ON "CareServiceItem"("providerId", "kind");

-- CreateIndex
CREATE INDEX "CareSlot_startsAt_idx" ON "CareSlot"("startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "CareSlot_itemId_startsAt_key" ON "CareSlot"("itemId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "CareOrder_requestKey_key" ON "CareOrder"("requestKey");

-- CreateIndex
CREATE INDEX "CareOrder_residentId_createdAt_idx" ON "CareOrder"("residentId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "CareOrder_providerId_status_idx" ON "CareOrder"("providerId", "status");

-- CreateIndex
CREATE INDEX "CareOrder_slotId_idx" ON "CareOrder"("slotId");

-- CreateIndex
CREATE INDEX "CareOrderEvent_orderId_createdAt_idx" ON "CareOrderEvent"("orderId", "createdAt");

-- CreateIndex
CREATE INDEX "SubsidyLedgerEntry_residentId_id_idx" ON "SubsidyLedgerEntry"("residentId", "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "SubsidyLedgerEntry_residentId_kind_month_key" ON "SubsidyLedgerEntry"("residentId", "kind", "month");

-- CreateIndex
CREATE UNIQUE INDEX "SubsidyLedgerEntry_orderId_kind_key" ON "SubsidyLedgerEntry"("orderId", "kind");

-- AddForeignKey
ALTER TABLE "StaffMember" ADD CONSTRAINT "StaffMember_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "CareProvider"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FamilyRelation" ADD CONSTRAINT "FamilyRelation_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FamilyRelation" ADD CONSTRAINT "FamilyRelation_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DelegationGrant" ADD CONSTRAINT "DelegationGrant_grantorId_fkey" FOREIGN KEY ("grantorId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DelegationGrant" ADD CONSTRAINT "DelegationGrant_granteeId_fkey" FOREIGN KEY ("granteeId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareProfile" ADD CONSTRAINT "CareProfile_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmergencyContact" ADD CONSTRAINT "EmergencyContact_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "CareProfile"("residentId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareAssessmentRequest" ADD CONSTRAINT "CareAssessmentRequest_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareAssessment" ADD CONSTRAINT "CareAssessment_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareAssessment" ADD CONSTRAINT "CareAssessment_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "CareAssessmentRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareAssessment" ADD CONSTRAINT "CareAssessment_assessorId_fkey" FOREIGN KEY ("assessorId") REFERENCES "StaffMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareAssessmentItem" ADD CONSTRAINT "CareAssessmentItem_assessmentId_fkey" FOREIGN KEY ("assessmentId") REFERENCES "CareAssessment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareServiceItem" ADD CONSTRAINT "CareServiceItem_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "CareProvider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareSlot" ADD CONSTRAINT "CareSlot_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "CareServiceItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareOrder" ADD CONSTRAINT "CareOrder_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareOrder" ADD CONSTRAINT "CareOrder_slotId_fkey" FOREIGN KEY ("slotId") REFERENCES "CareSlot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareOrder" ADD CONSTRAINT "CareOrder_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "CareProvider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareOrderEvent" ADD CONSTRAINT "CareOrderEvent_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "CareOrder"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubsidyAccount" ADD CONSTRAINT "SubsidyAccount_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubsidyLedgerEntry" ADD CONSTRAINT "SubsidyLedgerEntry_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubsidyLedgerEntry" ADD CONSTRAINT "SubsidyLedgerEntry_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "CareOrder"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The subsidy ledger is append-only: the database itself refuses to change or delete an entry.
CREATE FUNCTION "subsidy_ledger_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'SubsidyLedgerEntry is append-only';
END;
$$;

CREATE TRIGGER "SubsidyLedgerEntry_append_only" BEFORE UPDATE OR DELETE ON "SubsidyLedgerEntry"
  FOR EACH ROW EXECUTE FUNCTION "subsidy_ledger_append_only"();
