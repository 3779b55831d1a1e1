-- AlterEnum
ALTER TYPE "Service" ADD VALUE 'HEALTH';

-- CreateEnum
CREATE TYPE "HouseholdRelation" AS ENUM ('HEAD', 'SPOUSE', 'CHILD', 'PARENT', 'OTHER');

-- CreateEnum
CREATE TYPE "FacilityLevel" AS ENUM ('CITY', 'COUNTY', 'TOWN', 'VILLAGE');

-- CreateEnum
CREATE TYPE "SensitiveCategory" AS ENUM ('MENTAL_HEALTH', 'INFECTIOUS_DISEASE', 'REPRODUCTIVE_HEALTH');

-- CreateEnum
CREATE TYPE "EncounterType" AS ENUM ('OUTPATIENT', 'INPATIENT', 'EMERGENCY', 'PHYSICAL_EXAM');

-- CreateEnum
CREATE TYPE "ChronicDisease" AS ENUM ('HYPERTENSION', 'TYPE2_DIABETES');

-- AlterTable
ALTER TABLE "Resident" ADD COLUMN "householdRelation" "HouseholdRelation" NOT NULL DEFAULT 'OTHER';

-- AlterTable
ALTER TABLE "OneTimeCode" ADD COLUMN "includesSensitiveHealth" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "AssistAuthorization" ADD COLUMN "includesSensitiveHealth" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "HealthFacility" (
    "id" UUID NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "level" "FacilityLevel" NOT NULL,
    "areaCode" VARCHAR(6) NOT NULL,

    CONSTRAINT "HealthFacility_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HealthProfile" (
    "residentId" UUID NOT NULL,
    "bloodType" VARCHAR(3),
    "allergies" TEXT[],

    CONSTRAINT "HealthProfile_pkey" PRIMARY KEY ("residentId")
);

-- CreateTable
CREATE TABLE "HealthCondition" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "icd10Code" VARCHAR(10) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "onsetOn" DATE NOT NULL,
    "chronic" BOOLEAN NOT NULL,
    "sensitiveCategory" "SensitiveCategory",

    CONSTRAINT "HealthCondition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Encounter" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "facilityId" UUID NOT NULL,
    "type" "EncounterType" NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "department" VARCHAR(50) NOT NULL,
    "clinician" VARCHAR(50) NOT NULL,
    "summary" TEXT NOT NULL,
    "sensitiveCategory" "SensitiveCategory",
    "hiddenFromAssisted" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Encounter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Diagnosis" (
    "id" UUID NOT NULL,
    "encounterId" UUID NOT NULL,
    "icd10Code" VARCHAR(10) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "primary" BOOLEAN NOT NULL,

    CONSTRAINT "Diagnosis_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Prescription" (
    "id" UUID NOT NULL,
    "encounterId" UUID NOT NULL,
    "drug" VARCHAR(100) NOT NULL,
    "dose" VARCHAR(50) NOT NULL,
    "frequency" VARCHAR(50) NOT NULL,
    "days" INTEGER NOT NULL,

    CONSTRAINT "Prescription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Observation" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "encounterId" UUID,
    "loincCode" VARCHAR(20) NOT NULL,
    "kind" VARCHAR(30) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "unit" VARCHAR(20) NOT NULL,
    "referenceLow" DOUBLE PRECISION,
    "referenceHigh" DOUBLE PRECISION,
    "observedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Observation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PhysicalExam" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "encounterId" UUID NOT NULL,
    "conclusion" TEXT NOT NULL,

    CONSTRAINT "PhysicalExam_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Immunization" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "vaccineCode" VARCHAR(20) NOT NULL,
    "doseNumber" INTEGER NOT NULL,
    "administeredOn" DATE NOT NULL,
    "facilityId" UUID NOT NULL,
    "lotNumber" VARCHAR(30) NOT NULL,

    CONSTRAINT "Immunization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChronicFollowUp" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "disease" "ChronicDisease" NOT NULL,
    "visitedOn" DATE NOT NULL,
    "facilityId" UUID NOT NULL,
    "clinician" VARCHAR(50) NOT NULL,
    "systolic" INTEGER,
    "diastolic" INTEGER,
    "fastingGlucose" DOUBLE PRECISION,
    "weightKg" DOUBLE PRECISION,
    "advice" TEXT NOT NULL,
    "nextDueOn" DATE NOT NULL,

    CONSTRAINT "ChronicFollowUp_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FamilyDoctorContract" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "doctorName" VARCHAR(50) NOT NULL,
    "teamName" VARCHAR(100) NOT NULL,
    "facilityId" UUID NOT NULL,
    "startsOn" DATE NOT NULL,
    "endsOn" DATE NOT NULL,
    "services" TEXT[],

    CONSTRAINT "FamilyDoctorContract_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "HealthFacility_code_key" ON "HealthFacility"("code");

-- CreateIndex
CREATE INDEX "HealthCondition_residentId_idx" ON "HealthCondition"("residentId");

-- CreateIndex
CREATE INDEX "Encounter_residentId_startedAt_id_idx" ON "Encounter"("residentId", "startedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Diagnosis_encounterId_idx" ON "Diagnosis"("encounterId");

-- CreateIndex
CREATE INDEX "Prescription_encounterId_idx" ON "Prescription"("encounterId");

-- CreateIndex
CREATE INDEX "Observation_residentId_kind_observedAt_idx" ON "Observation"("residentId", "kind", "observedAt");

-- CreateIndex
CREATE INDEX "Observation_encounterId_idx" ON "Observation"("encounterId");

-- CreateIndex
CREATE UNIQUE INDEX "PhysicalExam_encounterId_key" ON "PhysicalExam"("encounterId");

-- CreateIndex
CREATE INDEX "PhysicalExam_residentId_idx" ON "PhysicalExam"("residentId");

-- CreateIndex
CREATE INDEX "Immunization_residentId_administeredOn_idx" ON "Immunization"("residentId", "administeredOn");

-- CreateIndex
CREATE INDEX "ChronicFollowUp_residentId_disease_visitedOn_idx" ON "ChronicFollowUp"("residentId", "disease", "visitedOn" DESC);

-- CreateIndex
CREATE INDEX "FamilyDoctorContract_residentId_endsOn_idx" ON "FamilyDoctorContract"("residentId", "endsOn" DESC);

-- AddForeignKey
ALTER TABLE "HealthProfile" ADD CONSTRAINT "HealthProfile_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HealthCondition" ADD CONSTRAINT "HealthCondition_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Encounter" ADD CONSTRAINT "Encounter_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Encounter" ADD CONSTRAINT "Encounter_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "HealthFacility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Diagnosis" ADD CONSTRAINT "Diagnosis_encounterId_fkey" FOREIGN KEY ("encounterId") REFERENCES "Encounter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prescription" ADD CONSTRAINT "Prescription_encounterId_fkey" FOREIGN KEY ("encounterId") REFERENCES "Encounter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_encounterId_fkey" FOREIGN KEY ("encounterId") REFERENCES "Encounter"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PhysicalExam" ADD CONSTRAINT "PhysicalExam_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PhysicalExam" ADD CONSTRAINT "PhysicalExam_encounterId_fkey" FOREIGN KEY ("encounterId") REFERENCES "Encounter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Immunization" ADD CONSTRAINT "Immunization_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Immunization" ADD CONSTRAINT "Immunization_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "HealthFacility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChronicFollowUp" ADD CONSTRAINT "ChronicFollowUp_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChronicFollowUp" ADD CONSTRAINT "ChronicFollowUp_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "HealthFacility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FamilyDoctorContract" ADD CONSTRAINT "FamilyDoctorContract_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FamilyDoctorContract" ADD CONSTRAINT "FamilyDoctorContract_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "HealthFacility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
