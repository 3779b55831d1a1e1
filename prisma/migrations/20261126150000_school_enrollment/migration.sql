-- AlterEnum
ALTER TYPE "Service" ADD VALUE 'ENROLLMENT';

-- AlterEnum
ALTER TYPE "StaffRole" ADD VALUE 'ENROLLMENT_REVIEWER';

-- AlterEnum
ALTER TYPE "AccessBasis" ADD VALUE 'ENROLLMENT_APPLICATION';

-- CreateEnum
CREATE TYPE "EnrollmentLevel" AS ENUM ('PRIMARY', 'JUNIOR');

-- CreateEnum
CREATE TYPE "ApplicantCategory" AS ENUM ('HUKOU_AND_HOME', 'HUKOU_ONLY', 'MIGRANT');

-- CreateEnum
CREATE TYPE "ApplicationStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'NEEDS_DOCUMENTS', 'APPROVED', 'REJECTED', 'OFFERED', 'ACCEPTED', 'DECLINED', 'MANUAL_PLACEMENT');

-- CreateEnum
CREATE TYPE "EnrollmentDocumentKind" AS ENUM ('RENTAL_CONTRACT', 'GUARDIANSHIP', 'OTHER');

-- AlterTable
ALTER TABLE "Household" ADD COLUMN "communityId" UUID;

-- CreateTable
CREATE TABLE "SchoolDistrict" (
    "id" UUID NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "areaCode" VARCHAR(6) NOT NULL,
    "level" "EnrollmentLevel" NOT NULL,

    CONSTRAINT "SchoolDistrict_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Community" (
    "id" UUID NOT NULL,
    "code" VARCHAR(12) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "areaCode" VARCHAR(6) NOT NULL,
    "primaryDistrictId" UUID NOT NULL,
    "juniorDistrictId" UUID NOT NULL,

    CONSTRAINT "Community_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "School" (
    "id" UUID NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "areaCode" VARCHAR(6) NOT NULL,
    "level" "EnrollmentLevel" NOT NULL,
    "address" TEXT NOT NULL,
    "districtId" UUID NOT NULL,

    CONSTRAINT "School_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchoolCapacity" (
    "schoolId" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "grade" INTEGER NOT NULL,
    "places" INTEGER NOT NULL,

    CONSTRAINT "SchoolCapacity_pkey" PRIMARY KEY ("schoolId","year","grade")
);

-- CreateTable
CREATE TABLE "EnrollmentWindow" (
    "id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "level" "EnrollmentLevel" NOT NULL,
    "opensAt" TIMESTAMPTZ(3) NOT NULL,
    "closesAt" TIMESTAMPTZ(3) NOT NULL,
    "respondDays" INTEGER NOT NULL,

    CONSTRAINT "EnrollmentWindow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StudentRoll" (
    "residentId" UUID NOT NULL,
    "schoolName" VARCHAR(100) NOT NULL,
    "grade" INTEGER NOT NULL,
    "schoolYear" INTEGER NOT NULL,

    CONSTRAINT "StudentRoll_pkey" PRIMARY KEY ("residentId")
);

-- CreateTable
CREATE TABLE "PropertyRecord" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "registeredOn" DATE NOT NULL,

    CONSTRAINT "PropertyRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResidencePermit" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "issuedOn" DATE NOT NULL,
    "expiresOn" DATE NOT NULL,

    CONSTRAINT "ResidencePermit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnrollmentApplication" (
    "id" UUID NOT NULL,
    "reference" VARCHAR(20) NOT NULL,
    "windowId" UUID NOT NULL,
    "childId" UUID NOT NULL,
    "applicantId" UUID NOT NULL,
    "districtId" UUID NOT NULL,
    "status" "ApplicationStatus" NOT NULL,
    "category" "ApplicantCategory" NOT NULL,
    "points" INTEGER NOT NULL,
    "currentPreference" INTEGER NOT NULL DEFAULT 1,
    "submitRequestKey" UUID,
    "version" INTEGER NOT NULL DEFAULT 1,
    "assisted" BOOLEAN NOT NULL DEFAULT false,
    "filedByStaffId" UUID,
    "filedUnderAuthorizationId" UUID,
    "offerSchoolId" UUID,
    "offerRespondBy" TIMESTAMPTZ(3),
    "submittedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EnrollmentApplication_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnrollmentPreference" (
    "applicationId" UUID NOT NULL,
    "rank" INTEGER NOT NULL,
    "schoolId" UUID NOT NULL,

    CONSTRAINT "EnrollmentPreference_pkey" PRIMARY KEY ("applicationId","rank")
);

-- CreateTable
CREATE TABLE "EnrollmentDocument" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "kind" "EnrollmentDocumentKind" NOT NULL,
    "fileName" VARCHAR(200) NOT NULL,
    "mediaType" VARCHAR(50) NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "storageKey" VARCHAR(200) NOT NULL,
    "uploadedAt" TIMESTAMPTZ(3) NOT NULL,
    "uploadedByStaffId" UUID,
    "authorizationId" UUID,

    CONSTRAINT "EnrollmentDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnrollmentEvent" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "fromStatus" "ApplicationStatus",
    "toStatus" "ApplicationStatus" NOT NULL,
    "staffId" UUID,
    "authorizationId" UUID,
    "message" VARCHAR(500),
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EnrollmentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnrollmentReviewView" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "staffId" UUID NOT NULL,
    "viewedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EnrollmentReviewView_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AllocationRun" (
    "id" UUID NOT NULL,
    "schoolId" UUID NOT NULL,
    "windowId" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "places" INTEGER NOT NULL,
    "inputs" JSONB NOT NULL,
    "outcome" JSONB NOT NULL,
    "staffId" UUID NOT NULL,
    "committedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AllocationRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Household_communityId_idx" ON "Household"("communityId");

-- CreateIndex
CREATE UNIQUE INDEX "SchoolDistrict_code_key" ON "SchoolDistrict"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Community_code_key" ON "Community"("code");

-- CreateIndex
CREATE INDEX "Community_primaryDistrictId_idx" ON "Community"("primaryDistrictId");

-- CreateIndex
CREATE INDEX "Community_juniorDistrictId_idx" ON "Community"("juniorDistrictId");

-- CreateIndex
CREATE UNIQUE INDEX "School_code_key" ON "School"("code");

-- CreateIndex
CREATE INDEX "School_districtId_idx" ON "School"("districtId");

-- CreateIndex
CREATE UNIQUE INDEX "EnrollmentWindow_year_level_key" ON "EnrollmentWindow"("year", "level");

-- CreateIndex
CREATE INDEX "PropertyRecord_ownerId_idx" ON "PropertyRecord"("ownerId");

-- CreateIndex
CREATE INDEX "ResidencePermit_residentId_idx" ON "ResidencePermit"("residentId");

-- CreateIndex
CREATE UNIQUE INDEX "EnrollmentApplication_reference_key" ON "EnrollmentApplication"("reference");

-- CreateIndex
CREATE UNIQUE INDEX "EnrollmentApplication_submitRequestKey_key" ON "EnrollmentApplication"("submitRequestKey");

-- CreateIndex
CREATE INDEX "EnrollmentApplication_applicantId_updatedAt_idx" ON "EnrollmentApplication"("applicantId", "updatedAt" DESC);

-- CreateIndex
CREATE INDEX "EnrollmentApplication_windowId_status_submittedAt_idx" ON "EnrollmentApplication"("windowId", "status", "submittedAt");

-- CreateIndex
CREATE UNIQUE INDEX "EnrollmentApplication_childId_windowId_key" ON "EnrollmentApplication"("childId", "windowId");

-- CreateIndex
CREATE INDEX "EnrollmentPreference_schoolId_idx" ON "EnrollmentPreference"("schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "EnrollmentPreference_applicationId_schoolId_key" ON "EnrollmentPreference"("applicationId", "schoolId");

-- CreateIndex
CREATE INDEX "EnrollmentDocument_applicationId_idx" ON "EnrollmentDocument"("applicationId");

-- CreateIndex
CREATE INDEX "EnrollmentEvent_applicationId_createdAt_idx" ON "EnrollmentEvent"("applicationId", "createdAt");

-- CreateIndex
CREATE INDEX "EnrollmentReviewView_applicationId_viewedAt_idx" ON "EnrollmentReviewView"("applicationId", "viewedAt");

-- CreateIndex
CREATE UNIQUE INDEX "AllocationRun_schoolId_windowId_round_key" ON "AllocationRun"("schoolId", "windowId", "round");

-- AddForeignKey
ALTER TABLE "Household" ADD CONSTRAINT "Household_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Community" ADD CONSTRAINT "Community_primaryDistrictId_fkey" FOREIGN KEY ("primaryDistrictId") REFERENCES "SchoolDistrict"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Community" ADD CONSTRAINT "Community_juniorDistrictId_fkey" FOREIGN KEY ("juniorDistrictId") REFERENCES "SchoolDistrict"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "School" ADD CONSTRAINT "School_districtId_fkey" FOREIGN KEY ("districtId") REFERENCES "SchoolDistrict"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SchoolCapacity" ADD CONSTRAINT "SchoolCapacity_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudentRoll" ADD CONSTRAINT "StudentRoll_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PropertyRecord" ADD CONSTRAINT "PropertyRecord_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PropertyRecord" ADD CONSTRAINT "PropertyRecord_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResidencePermit" ADD CONSTRAINT "ResidencePermit_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResidencePermit" ADD CONSTRAINT "ResidencePermit_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentApplication" ADD CONSTRAINT "EnrollmentApplication_windowId_fkey" FOREIGN KEY ("windowId") REFERENCES "EnrollmentWindow"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentApplication" ADD CONSTRAINT "EnrollmentApplication_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentApplication" ADD CONSTRAINT "EnrollmentApplication_applicantId_fkey" FOREIGN KEY ("applicantId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentApplication" ADD CONSTRAINT "EnrollmentApplication_districtId_fkey" FOREIGN KEY ("districtId") REFERENCES "SchoolDistrict"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentApplication" ADD CONSTRAINT "EnrollmentApplication_filedByStaffId_fkey" FOREIGN KEY ("filedByStaffId") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentApplication" ADD CONSTRAINT "EnrollmentApplication_filedUnderAuthorizationId_fkey" FOREIGN KEY ("filedUnderAuthorizationId") REFERENCES "AssistAuthorization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentApplication" ADD CONSTRAINT "EnrollmentApplication_offerSchoolId_fkey" FOREIGN KEY ("offerSchoolId") REFERENCES "School"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentPreference" ADD CONSTRAINT "EnrollmentPreference_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "EnrollmentApplication"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentPreference" ADD CONSTRAINT "EnrollmentPreference_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentDocument" ADD CONSTRAINT "EnrollmentDocument_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "EnrollmentApplication"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentDocument" ADD CONSTRAINT "EnrollmentDocument_uploadedByStaffId_fkey" FOREIGN KEY ("uploadedByStaffId") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentDocument" ADD CONSTRAINT "EnrollmentDocument_authorizationId_fkey" FOREIGN KEY ("authorizationId") REFERENCES "AssistAuthorization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentEvent" ADD CONSTRAINT "EnrollmentEvent_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "EnrollmentApplication"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentEvent" ADD CONSTRAINT "EnrollmentEvent_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentEvent" ADD CONSTRAINT "EnrollmentEvent_authorizationId_fkey" FOREIGN KEY ("authorizationId") REFERENCES "AssistAuthorization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentReviewView" ADD CONSTRAINT "EnrollmentReviewView_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "EnrollmentApplication"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentReviewView" ADD CONSTRAINT "EnrollmentReviewView_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationRun" ADD CONSTRAINT "AllocationRun_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationRun" ADD CONSTRAINT "AllocationRun_windowId_fkey" FOREIGN KEY ("windowId") REFERENCES "EnrollmentWindow"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AllocationRun" ADD CONSTRAINT "AllocationRun_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
