import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_METRICS_TOKEN, e2eDataDir, e2eDistDir } from "./paths";

test("health check answers ok with the database reachable", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", db: "ok" });
});

test("readiness names each check; a load balancer sees the jobs worker beside the server", async ({ request }) => {
  // The worker's first heartbeat may follow the server's start by a moment.
  await expect.poll(async () => (await request.get("/api/ready")).status(), { timeout: 20_000 }).toBe(200);
  const body = (await (await request.get("/api/ready")).json()) as {
    status: string;
    checks: Record<string, { ok: boolean }>;
  };
  expect(body.status).toBe("ready");
  expect(Object.keys(body.checks).sort()).toEqual(["database", "jobs", "migrations"]);
  for (const check of Object.values(body.checks)) expect(check.ok).toBe(true);
});

test("the metrics scrape wants its token and reports request latency by route pattern", async ({ request }) => {
  expect((await request.get("/api/metrics")).status()).toBe(401);
  expect((await request.get("/api/metrics", { headers: { authorization: "Bearer nope" } })).status()).toBe(401);
  await request.get("/marketplace");
  const response = await request.get("/api/metrics", { headers: { authorization: `Bearer ${E2E_METRICS_TOKEN}` } });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/plain");
  const text = await response.text();
  expect(text).toMatch(
    /^hashlease_http_request_duration_seconds_count\{method="GET",route="\/marketplace",status="200"\} [1-9]/m,
  );
  // The queues' depth, read from pg-boss's tables: the worker beside the server created them.
  expect(text).toMatch(/^hashlease_job_queue_jobs\{queue="seal-audit-log",state="waiting"\} \d+$/m);
  for (const name of [
    "hashlease_db_pool_connections",
    "hashlease_mail_outbox_queued",
    "hashlease_stratum_shares_today",
  ])
    expect(text).toContain(`# TYPE ${name} gauge`);
  // Each response carries its request id, the key into the JSON log lines.
  expect(response.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

function secretValues(): string[] {
  // The server under test generated its secrets here (e2e/serve.ts).
  const secrets = JSON.parse(readFileSync(path.join(e2eDataDir, "secrets.json"), "utf8")) as Record<string, string>;
  return [secrets.AUTH_SECRET!, ...secrets.ENCRYPTION_KEYS!.split(",").map((pair) => pair.split(":")[1]!)];
}

test("served pages carry no secret value", async ({ request }) => {
  const values = secretValues();
  for (const page of ["/", "/marketplace", "/login", "/register", "/api/auth/providers", "/api/auth/csrf"]) {
    const body = await (await request.get(page)).text();
    for (const value of values) expect(body.includes(value), `${page} leaks a secret`).toBe(false);
  }
});

test("client bundles hold no secret value and no server-only module", async () => {
  const values = secretValues();
  expect(values.every((v) => v.length >= 32)).toBe(true);

  const clientFiles = files(path.join(e2eDistDir, "static")).filter((f) => /\.(js|css|html|json|txt)$/.test(f));
  expect(clientFiles.length).toBeGreaterThan(5);
  const serverOnlyMarkers = [
    "@electric-sql/pglite",
    "@prisma/adapter-pg",
    "pg_advisory_xact_lock",
    "ledger_accounts",
    "scrypt$",
    "SECRETS_MANAGER_SECRET_ID",
    "ENCRYPTION_KEYS",
    "GetSecretValueCommand",
  ];
  for (const file of clientFiles) {
    const text = readFileSync(file, "utf8");
    for (const value of values) expect(text.includes(value), `${file} contains a secret`).toBe(false);
    for (const marker of serverOnlyMarkers) expect(text.includes(marker), `${file} contains ${marker}`).toBe(false);
  }
});

test("pages are served with security headers", async ({ request }) => {
  const response = await request.get("/login");
  const headers = response.headers();
  expect(headers["strict-transport-security"]).toContain("max-age=");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-powered-by"]).toBeUndefined();
});
