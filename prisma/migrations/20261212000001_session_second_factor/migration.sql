-- Which second factor a session was signed in with ("totp" or "recovery"), or null for a
-- password-only sign-in. Set by the sign-in, and on the session that confirms a 2FA enrolment
-- (the code it typed proves the authenticator). Admin and operator money actions need it
-- (lib/auth/two-factor-guard.ts).
ALTER TABLE "user_sessions" ADD COLUMN "second_factor" TEXT;
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_second_factor_known"
  CHECK ("second_factor" IS NULL OR "second_factor" IN ('totp', 'recovery'));
