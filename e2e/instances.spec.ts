// DESIGN.md's scale path, proven: two more app instances (lib/cli/web.ts, what `npm start` runs)
// from the e2e server's own build, on its database, behind a round-robin TCP proxy
// (lib/testing/tcp-proxy.ts: new connections alternate; kept-alive ones stay; it appends the
// client's address to X-Forwarded-For on every request and connects from 127.0.0.3, the one
// proxy the instances trust). What a second instance must agree on lives in PostgreSQL or shared
// configuration, never in one process's memory:
//  - sessions and server actions: the same AUTH_SECRET (the e2e data dir's generated secrets),
//    the same build (one build id) and one NEXT_SERVER_ACTIONS_ENCRYPTION_KEY. Without that
//    variable Next 16 uses the key `next build` generated and wrote into the build's
//    server-reference-manifest.json (kept in <distDir>/cache/.rscinfo and reused by later
//    builds for 14 days): instances of one build agree, separately built ones do not. The
//    instances get one key explicitly, as separately deployed machines must;
//  - the API key token bucket (api_rate_buckets) and the sign-in failure count (login_attempts).
// The browser is pinned to one instance at a time (the proxy closes its connections and sends the
// next ones to the other), so "signed in on A, action on B" is not left to chance.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { expect, test, type Browser } from "@playwright/test";
import { signRequest } from "../lib/api/hmac";
import { hashPassword } from "../lib/auth/password";
import { createPrismaClient, type PrismaClient } from "../lib/db/client";
import { startRoundRobinProxy, type RoundRobinProxy } from "../lib/testing/tcp-proxy";
import { startWebInstance, type WebInstance } from "../lib/testing/web-instance";
import { signIn } from "./helpers";
import { e2eDatabaseUrl, e2eDataDir, e2eDistDir } from "./paths";

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const INSTANCE_PORTS = [E2E_PORT + 1, E2E_PORT + 2];
const PROXY_PORT = E2E_PORT + 3;
const PROXY_BASE = `http://localhost:${PROXY_PORT}`;
const PROXY_SOURCE = "127.0.0.3";
// The instances' shared API limit: a small burst and a slow refill, so the refill during the
// test is a token or two and "one bucket, not two" is plain in the counts.
const API_BURST = 20;
const API_PER_SECOND = 1;
const PASSWORD = "two instances, one database";
// lib/auth/login.ts (not imported: it pulls in next/headers, which only resolves inside Next).
const MAX_FAILURES_PER_ACCOUNT = 5;

test.describe.configure({ mode: "serial" });

let instances: WebInstance[] = [];
let proxy: RoundRobinProxy | undefined;
let prisma: PrismaClient;
let key: { keyId: string; secret: string } | undefined;

async function newCustomer(tag: string): Promise<{ id: string; email: string }> {
  return prisma.user.create({
    data: {
      email: `e2e-${tag}-${randomUUID()}@example.com`,
      name: `Fleet ${tag}`,
      passwordHash: await hashPassword(PASSWORD),
      roles: ["CUSTOMER"],
      emailVerifiedAt: new Date(),
    },
    select: { id: true, email: true },
  });
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The instance the proxy sent the connection to (index in INSTANCE_PORTS). */
  upstream: number | undefined;
}

/** One request to the proxy from `localAddress` (a client address of its own), on `agent`. */
function send(
  request: { method: string; path: string; headers?: http.OutgoingHttpHeaders; body?: string },
  options: { agent: http.Agent | false; localAddress: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: PROXY_PORT,
        method: request.method,
        path: request.path,
        headers: request.headers,
        agent: options.agent,
        localAddress: options.localAddress,
      },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            upstream: proxy!.upstreamOf(req.socket!.localPort!),
          }),
        );
      },
    );
    req.on("error", reject);
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  prisma = createPrismaClient(e2eDatabaseUrl());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: e2eDatabaseUrl(),
    DATABASE_POOL_MAX: "4",
    // The e2e server's build and its generated secrets (AUTH_SECRET, ENCRYPTION_KEYS, audit keys).
    HASHLEASE_DIST_DIR: e2eDistDir,
    HASHLEASE_DATA_DIR: e2eDataDir,
    HASHLEASE_ALLOW_DEV_SECRETS: "1",
    HASHLEASE_TEST_CHECKOUT: "1",
    RATE_LIMIT_MULTIPLIER: "100",
    NEXTAUTH_URL: PROXY_BASE,
    TRUSTED_PROXIES: PROXY_SOURCE,
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    API_RATE_BURST: String(API_BURST),
    API_RATE_PER_SECOND: String(API_PER_SECOND),
  };
  for (const name of ["AUTH_SECRET", "NEXTAUTH_SECRET", "ENCRYPTION_KEYS", "SECRETS_MANAGER_SECRET_ID", "SMTP_URL"]) {
    delete env[name];
  }
  // Kept even when one fails to start, so afterAll stops the other.
  const started = await Promise.allSettled(
    INSTANCE_PORTS.map((port) => startWebInstance({ port, env, timeoutMs: 90_000 })),
  );
  instances = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = started.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  proxy = await startRoundRobinProxy({ upstreams: INSTANCE_PORTS, port: PROXY_PORT, sourceAddress: PROXY_SOURCE });
});

test.afterAll(async () => {
  await proxy?.close();
  await Promise.all(instances.map((instance) => instance.stop()));
  await prisma?.$disconnect();
});

/** Requests forwarded to each instance while `fn` ran. */
async function requestsDuring(fn: () => Promise<void>): Promise<number[]> {
  const before = [...proxy!.requests];
  await fn();
  return proxy!.requests.map((n, i) => n - before[i]!);
}

async function pinnedPage(browser: Browser) {
  const context = await browser.newContext({ baseURL: PROXY_BASE });
  return { context, page: await context.newPage() };
}

test("one build's key: the manifest carries what `next build` generated; the instances get theirs from the environment", () => {
  const manifest = JSON.parse(
    readFileSync(path.join(e2eDistDir, "server", "server-reference-manifest.json"), "utf8"),
  ) as { encryptionKey?: string };
  expect(Buffer.from(manifest.encryptionKey ?? "", "base64")).toHaveLength(32);
  expect(readFileSync(path.join(e2eDistDir, "BUILD_ID"), "utf8")).toMatch(/^hl-[0-9a-f]{20}$/);
});

test("signed in through one instance, the customer's pages and server actions work on the other", async ({
  browser,
}) => {
  const user = await newCustomer("fleet");
  const { context, page } = await pinnedPage(browser);
  try {
    proxy!.pin(0);
    const signingIn = await requestsDuring(async () => {
      await signIn(page, { email: user.email, password: PASSWORD }, "/dashboard");
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    });
    expect(signingIn[0]).toBeGreaterThan(0);
    expect(signingIn[1]).toBe(0);
    // The session row has the browser's address (forwarded by the trusted proxy), not the proxy's.
    const session = await prisma.userSession.findFirstOrThrow({ where: { userId: user.id } });
    expect(session.ip).toBe("127.0.0.1");

    // On B: a page with the session from A, then a server action (creating an API key).
    proxy!.pin(1);
    const label = `fleet key ${Date.now()}`;
    const acting = await requestsDuring(async () => {
      await page.goto("/settings/api-keys");
      await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
      await page.getByLabel("Label").fill(label);
      await page.getByRole("button", { name: "Create key" }).click();
      const reveal = page.getByRole("region", { name: `Secret of “${label}”` });
      await expect(reveal).toBeVisible();
      key = {
        secret: (await reveal.locator("#api-key-secret").textContent())?.trim() ?? "",
        keyId: (await reveal.locator("code").first().textContent())?.trim() ?? "",
      };
    });
    expect(acting[0]).toBe(0);
    expect(acting[1]).toBeGreaterThan(0);
    expect(key?.secret).toMatch(/^hls_/);
    expect(key?.keyId).toMatch(/^hlk_[0-9a-f]{24}$/);

    // Back on A: the key B created is listed (one database), the session still holds.
    proxy!.pin(0);
    const reading = await requestsDuring(async () => {
      await page.goto("/settings/api-keys");
      await expect(page.getByRole("listitem", { name: `Key ${label}` })).toContainText(key!.keyId);
    });
    expect(reading[0]).toBeGreaterThan(0);
    expect(reading[1]).toBe(0);
  } finally {
    proxy!.pin(null);
    await context.close();
  }
});

test("the API key's burst holds across both instances: one bucket, not one per instance", async () => {
  expect(key, "the key the previous test created").toBeDefined();
  const { keyId, secret } = key!;
  const total = API_BURST * 3;
  const concurrency = 6;
  const connectionsBefore = [...proxy!.connections];
  const answers: Answer[] = [];
  const started = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < total) {
        sent++;
        // A new connection per request: the proxy alternates them between the instances.
        const path = "/api/v1/balances";
        answers.push(
          await send(
            {
              method: "GET",
              path,
              headers: { authorization: signRequest({ keyId, secret, method: "GET", url: path }) },
            },
            { agent: false, localAddress: "127.0.0.7" },
          ),
        );
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const admitted = answers.filter((a) => a.status === 200);
  const refused = answers.filter((a) => a.status === 429);
  expect(admitted.length + refused.length, answers.map((a) => `${a.status} ${a.body.slice(0, 80)}`).join("\n")).toBe(
    total,
  );
  // At least the burst (the bucket starts full), at most the burst plus what refilled meanwhile;
  // two buckets would have admitted up to twice the burst (each instance got 1.5 bursts).
  const refill = Math.floor(elapsedS * API_PER_SECOND);
  const served = (list: Answer[]) => [0, 1].map((u) => list.filter((a) => a.upstream === u).length).join(" + ");
  console.log(
    `[instances] ${total} requests in ${elapsedS.toFixed(2)} s: ${admitted.length} admitted (${served(admitted)} per instance), ` +
      `${refused.length} refused (${served(refused)}); burst ${API_BURST}, refill at most ${refill}`,
  );
  expect(admitted.length).toBeGreaterThanOrEqual(API_BURST);
  expect(admitted.length).toBeLessThanOrEqual(API_BURST + refill);
  expect(refill, `the test took ${elapsedS.toFixed(1)} s`).toBeLessThan(API_BURST / 2);
  expect(JSON.parse(refused[0]!.body)).toMatchObject({ error: { code: "rate_limited" } });
  expect(Number(refused[0]!.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  // Both instances admitted and refused, and each served half the connections.
  for (const upstream of [0, 1]) {
    expect(admitted.some((a) => a.upstream === upstream)).toBe(true);
    expect(refused.some((a) => a.upstream === upstream)).toBe(true);
    expect(proxy!.connections[upstream]! - connectionsBefore[upstream]!).toBe(total / 2);
  }
});

test("the sign-in lockout holds across both instances", async () => {
  const user = await newCustomer("lockout");
  const client = "127.0.0.8";
  /** One sign-in attempt on one new kept-alive connection (CSRF token and callback on the same instance). */
  const attempt = async (password: string) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const csrf = await send({ method: "GET", path: "/api/auth/csrf" }, { agent, localAddress: client });
      const cookie = ([] as string[])
        .concat(csrf.headers["set-cookie"] ?? [])
        .map((c) => c.split(";")[0])
        .join("; ");
      const body = new URLSearchParams({
        csrfToken: (JSON.parse(csrf.body) as { csrfToken: string }).csrfToken,
        email: user.email,
        password,
        json: "true",
      }).toString();
      const answer = await send(
        {
          method: "POST",
          path: "/api/auth/callback/credentials",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "content-length": Buffer.byteLength(body),
            cookie,
          },
          body,
        },
        { agent, localAddress: client },
      );
      expect(answer.upstream).toBe(csrf.upstream);
      const signedIn = ([] as string[])
        .concat(answer.headers["set-cookie"] ?? [])
        .some((c) => c.startsWith("next-auth.session-token="));
      // With json=true next-auth answers a refusal 401 with the error page's URL, which names the code.
      const url = /^application\/json/.test(answer.headers["content-type"] ?? "")
        ? (JSON.parse(answer.body) as { url?: string }).url
        : undefined;
      const error = url ? new URL(url).searchParams.get("error") : null;
      return { upstream: answer.upstream, outcome: signedIn ? "SIGNED_IN" : (error ?? `HTTP ${answer.status}`) };
    } finally {
      agent.destroy();
    }
  };

  const wrong: { upstream: number | undefined; outcome: string }[] = [];
  for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT + 1; i++) wrong.push(await attempt("not the password"));
  expect(wrong.map((w) => w.outcome)).toEqual([
    ...Array<string>(MAX_FAILURES_PER_ACCOUNT).fill("INVALID_CREDENTIALS"),
    "RATE_LIMITED",
  ]);
  // The failures alternated between the instances: neither saw the limit's worth on its own.
  const perInstance = [0, 1].map(
    (u) => wrong.slice(0, MAX_FAILURES_PER_ACCOUNT).filter((w) => w.upstream === u).length,
  );
  expect(perInstance.every((n) => n > 0 && n < MAX_FAILURES_PER_ACCOUNT)).toBe(true);
  // Now even the right password is refused, on either instance.
  const right = [await attempt(PASSWORD), await attempt(PASSWORD)];
  expect(new Set(right.map((r) => r.upstream))).toEqual(new Set([0, 1]));
  expect(right.map((r) => r.outcome)).toEqual(["RATE_LIMITED", "RATE_LIMITED"]);
  // Counted under the forwarded client address, not the proxy's.
  const ips = await prisma.loginAttempt.findMany({ where: { email: user.email }, select: { ip: true } });
  expect(ips).toHaveLength(MAX_FAILURES_PER_ACCOUNT + 3);
  expect(new Set(ips.map((r) => r.ip))).toEqual(new Set([client]));
});
