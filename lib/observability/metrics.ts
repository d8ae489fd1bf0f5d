// Prometheus metrics (prom-client), scraped at GET /api/metrics. One registry per process, kept on
// globalThis under a Symbol: the web server (lib/cli/web.ts) and Next's bundled route handlers are
// different module instances in one process, and both must see the same counters. Recording is an
// in-memory increment or observe — never a database call; the mail-outbox gauges are read from the
// database only when scraped (./scrape.ts).
import { Counter, Gauge, Histogram, Registry } from "prom-client";

function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: "hashlease_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by method, route pattern and status.",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    jobRuns: new Counter({
      name: "hashlease_job_runs_total",
      help: "Scheduled job runs, by job name and outcome (ok, failed).",
      labelNames: ["job", "outcome"] as const,
      registers,
    }),
    jobDuration: new Histogram({
      name: "hashlease_job_duration_seconds",
      help: "Duration of a scheduled job run, by job name.",
      labelNames: ["job"] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
    }),
    jobQueueDepth: new Gauge({
      name: "hashlease_job_queue_jobs",
      help: "Jobs of a queue by state: waiting (created or retrying), active, dead (in the dead-letter queue); read from pg-boss's tables at scrape.",
      labelNames: ["queue", "state"] as const,
      registers,
    }),
    payoutRunDuration: new Histogram({
      name: "hashlease_payout_run_duration_seconds",
      help: "Duration of one day's payout run.",
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900],
      registers,
    }),
    payoutRows: new Counter({
      name: "hashlease_payout_rows_total",
      help: "Contract-day payouts written by payout runs.",
      registers,
    }),
    mailOutboxQueued: new Gauge({
      name: "hashlease_mail_outbox_queued",
      help: "Messages in the mail outbox not sent yet (read from the database at scrape).",
      registers,
    }),
    mailOutboxOldestAge: new Gauge({
      name: "hashlease_mail_outbox_oldest_unsent_age_seconds",
      help: "Age of the oldest unsent message in the mail outbox (0 when none waits).",
      registers,
    }),
    // Stratum runs in the worker process (or its own); its figures are read at scrape from the
    // instance rows and share counters it writes (lib/stratum/server.ts, accounting.ts).
    stratumConnections: new Gauge({
      name: "hashlease_stratum_connections",
      help: "Open miner connections per live Stratum instance (from its last heartbeat).",
      labelNames: ["instance"] as const,
      registers,
    }),
    stratumSharesToday: new Gauge({
      name: "hashlease_stratum_shares_today",
      help: "Shares counted today (UTC) over all rigs, by outcome (accepted, stale, duplicate, low_difficulty, invalid).",
      labelNames: ["outcome"] as const,
      registers,
    }),
    // Payout runs happen in whichever process runs them (worker, admin rerun, CLI); what a person
    // alerts on is read from payout_runs at scrape.
    payoutLastRunDuration: new Gauge({
      name: "hashlease_payout_last_run_duration_seconds",
      help: "Duration of the last finished payout run (read from payout_runs at scrape).",
      registers,
    }),
    payoutLastRunContracts: new Gauge({
      name: "hashlease_payout_last_run_contracts",
      help: "Contracts of the last finished payout run, by outcome (settled, unsettled).",
      labelNames: ["outcome"] as const,
      registers,
    }),
    payoutDaysBehind: new Gauge({
      name: "hashlease_payout_days_behind",
      help: "Days between yesterday (UTC) and the latest day with a completed payout run (0 = current).",
      registers,
    }),
    payoutRunsFailed: new Gauge({
      name: "hashlease_payout_runs_failed_24h",
      help: "Payout runs that failed in the last 24 hours.",
      registers,
    }),
    dbPoolConnections: new Gauge({
      name: "hashlease_db_pool_connections",
      help: "Database connections of this process's pools, by state (idle, busy), and requests waiting for one (waiting).",
      labelNames: ["state"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const KEY = Symbol.for("hashlease.observability.metrics");

/** The process's metrics, created on first use. */
export function metrics(): Metrics {
  return ((globalThis as Record<symbol, unknown>)[KEY] ??= createMetrics()) as Metrics;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^\d+$/;
// Link tokens and other opaque ids: long, and with at least one digit (words have none).
const TOKEN = /^(?=.*\d)[A-Za-z0-9_-]{16,}$/;

/**
 * The route label of a path: ids (UUIDs, numbers, opaque tokens) become `:id`, build assets one
 * label, and every request that found no route (404) one label — any path can be requested, and
 * a label per path would grow the registry without bound.
 */
export function routePattern(pathname: string, status: number): string {
  if (status === 404) return "unmatched";
  if (pathname.startsWith("/_next/")) return "/_next/*";
  const path = pathname.split("?")[0]!;
  return path
    .split("/")
    .map((segment) => (UUID.test(segment) || NUMBER.test(segment) || TOKEN.test(segment) ? ":id" : segment))
    .join("/");
}

export function observeRequest(method: string, pathname: string, status: number, durationMs: number): void {
  metrics().httpRequestDuration.observe(
    { method, route: routePattern(pathname, status), status: String(status) },
    durationMs / 1000,
  );
}

export function recordPayoutRun(durationMs: number, rows: number): void {
  metrics().payoutRunDuration.observe(durationMs / 1000);
  metrics().payoutRows.inc(rows);
}

export function recordJobRun(job: string, ok: boolean, durationMs: number): void {
  metrics().jobRuns.inc({ job, outcome: ok ? "ok" : "failed" });
  metrics().jobDuration.observe({ job }, durationMs / 1000);
}

export function recordQueueDepth(queue: string, depth: { waiting: number; active: number; dead: number }): void {
  const gauge = metrics().jobQueueDepth;
  gauge.set({ queue, state: "waiting" }, depth.waiting);
  gauge.set({ queue, state: "active" }, depth.active);
  gauge.set({ queue, state: "dead" }, depth.dead);
}
