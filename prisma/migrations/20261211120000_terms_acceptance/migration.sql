-- Which version of the terms of service (with the risk disclosure and the privacy notice) a user
-- accepted at sign-up, and when. Null for accounts made before acceptance was asked for and for
-- admins created from the command line.
ALTER TABLE "users" ADD COLUMN "terms_version" TEXT;
ALTER TABLE "users" ADD COLUMN "terms_accepted_at" TIMESTAMPTZ(3);
ALTER TABLE "users" ADD CONSTRAINT "users_terms_accepted_together"
  CHECK (("terms_version" IS NULL) = ("terms_accepted_at" IS NULL));
