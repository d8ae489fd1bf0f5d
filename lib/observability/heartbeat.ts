// The worker's heartbeat: when a job run last finished (ok or failed), in this process. The
// seal job runs every second, so a heartbeat older than JOBS_HEARTBEAT_STALE_MS means the worker's
// event loop or its database calls are stuck. Kept in memory (on globalThis): `npm start` runs the
// jobs in its own process and sends the heartbeat to the web server child over the IPC channel
// every few seconds (lib/cli/start.ts, lib/cli/web.ts), where GET /api/ready reads it.
const HEARTBEAT = Symbol.for("hashlease.jobs.heartbeat");
export const JOBS_HEARTBEAT_STALE_MS = 60_000;

/** Records a heartbeat: a job run finished here, or (web server) the worker beside it reported one. */
export function recordJobsHeartbeat(atMs = Date.now()): void {
  (globalThis as Record<symbol, unknown>)[HEARTBEAT] = atMs;
}

/** When a job run last finished in this process; null when no worker runs here. */
export function jobsHeartbeat(): Date | null {
  const at = (globalThis as Record<symbol, unknown>)[HEARTBEAT];
  return typeof at === "number" ? new Date(at) : null;
}
