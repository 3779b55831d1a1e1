-- Security hardening (issue 9): attempt counters keyed by hashed rule and subject,
-- device cookies, one-time codes that die after a few wrong tries, lookups in the
-- access log, and the access log as one keyed chain per resident with signed
-- checkpoints kept apart from it.

-- Counters are now keyed differently (a keyed hash per rule); old rows would never be read again.
DELETE FROM "SignInThrottle";

CREATE TABLE "TrustedDevice" (
    "id" UUID NOT NULL,
    "tokenHash" CHAR(64) NOT NULL,
    "accountHash" CHAR(64) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "lastUsedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "TrustedDevice_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "TrustedDevice_tokenHash_accountHash_key" ON "TrustedDevice"("tokenHash", "accountHash");

ALTER TABLE "OneTimeCode" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0;

ALTER TYPE "AccessBasis" ADD VALUE 'LOOKUP';

-- The global head row serialized every staff call in the city: each resident gets a chain of their own.
-- Existing entries keep their old (unkeyed) chain until the gateway verifies and seals them at start-up.
ALTER TABLE "AccessLogEntry" ADD COLUMN "chainSeq" INTEGER;
CREATE SEQUENCE "AccessLogEntry_seq_seq" AS BIGINT OWNED BY "AccessLogEntry"."seq";
SELECT setval('"AccessLogEntry_seq_seq"', COALESCE((SELECT max("seq") FROM "AccessLogEntry"), 0) + 1, false);
ALTER TABLE "AccessLogEntry" ALTER COLUMN "seq" SET DEFAULT nextval('"AccessLogEntry_seq_seq"');
CREATE UNIQUE INDEX "AccessLogEntry_residentId_chainSeq_key" ON "AccessLogEntry"("residentId", "chainSeq");

CREATE TABLE "AccessLogChain" (
    "residentId" UUID NOT NULL,
    "lastSeq" INTEGER NOT NULL,
    "lastHash" CHAR(64) NOT NULL,
    "checkpointedSeq" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "AccessLogChain_pkey" PRIMARY KEY ("residentId")
);
CREATE INDEX "AccessLogChain_updatedAt_idx" ON "AccessLogChain"("updatedAt");
ALTER TABLE "AccessLogChain" ADD CONSTRAINT "AccessLogChain_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "AccessLogCheckpoint" (
    "id" BIGSERIAL NOT NULL,
    "residentId" UUID NOT NULL,
    "chainSeq" INTEGER NOT NULL,
    "headHash" CHAR(64) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "keyId" CHAR(16) NOT NULL,
    "signature" VARCHAR(100) NOT NULL,
    CONSTRAINT "AccessLogCheckpoint_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "AccessLogCheckpoint_residentId_chainSeq_idx" ON "AccessLogCheckpoint"("residentId", "chainSeq");
ALTER TABLE "AccessLogCheckpoint" ADD CONSTRAINT "AccessLogCheckpoint_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

DROP TABLE "AccessLogHead";

-- Append-only: entries are never changed or removed (the start-up seal fills in chainSeq and the keyed
-- hashes of old entries once), and checkpoints never at all. Someone who can disable triggers can still
-- tamper, and the keyed hashes and signed checkpoints are what reveal it.
CREATE FUNCTION "access_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'AccessLogEntry' AND OLD."chainSeq" IS NULL THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER "AccessLogEntry_append_only" BEFORE UPDATE OR DELETE ON "AccessLogEntry"
  FOR EACH ROW EXECUTE FUNCTION "access_log_append_only"();
CREATE TRIGGER "AccessLogCheckpoint_append_only" BEFORE UPDATE OR DELETE ON "AccessLogCheckpoint"
  FOR EACH ROW EXECUTE FUNCTION "access_log_append_only"();
