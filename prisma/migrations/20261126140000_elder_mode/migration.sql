-- AlterTable
ALTER TABLE "Resident" ADD COLUMN "prefersElderMode" BOOLEAN;

-- AlterTable
ALTER TABLE "StaffMember" ADD COLUMN "prefersElderMode" BOOLEAN;
