-- Jobs workers alive, one row per worker process (lib/observability/heartbeat.ts): written every
-- few seconds by the worker, read by GET /api/ready of every web instance (a worker runs beside
-- `npm start` or alone with `npm run jobs`, on any machine) and by the admin queue page.
-- last_job_at = when a job run last finished in that worker; a row is removed at clean shutdown
-- and ignored (then purged) once seen_at is stale.
CREATE TABLE "worker_heartbeats" (
    "worker_id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_job_at" TIMESTAMPTZ(3),
    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);
