-- Rate limits shared by every app instance (lib/security/rate-limit.ts): rate-limiter-flexible's
-- PostgreSQL store, in the table layout that library creates itself (created here instead, so the
-- app never runs DDL). key = "<limit name>:<who>", points used in the window, expire = the window's
-- end in ms since the epoch. Rows past their window are purged by the purge-rate-limits job.
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,
    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);
