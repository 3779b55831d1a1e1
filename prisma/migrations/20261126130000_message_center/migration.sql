-- CreateTable
CREATE TABLE "Message" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "topic" VARCHAR(60) NOT NULL,
    "params" JSONB NOT NULL,
    "link" VARCHAR(200),
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "readAt" TIMESTAMPTZ(3),

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Message_residentId_createdAt_idx" ON "Message"("residentId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Message_residentId_readAt_idx" ON "Message"("residentId", "readAt");

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
