// The per-key token bucket (./rate-limit.ts): its arithmetic, the request statement's SQL against
// that arithmetic (NonceBatcher in ./auth.ts, the statement every request runs), and the point of
// keeping it in PostgreSQL: two API server processes on one database admit a key's burst once.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createUser } from "../testing/fixtures";
import { independentAuthorization } from "../testing/independent-signer";
import { withTestSecrets } from "../testing/secrets";
import { itOnServer } from "../testing/server-only";
import { claimBatch, NonceBatcher } from "./auth";
import { createApiKey } from "./keys";
import { purgeIdleRateBuckets, retryAfterSeconds, takeTokens, type Bucket, type RateLimitConfig } from "./rate-limit";

const CHILD = path.join(import.meta.dirname, "../testing/api-server-child.ts");

let t: TestDatabase;
let prisma: PrismaClient;

withTestSecrets();
beforeAll(async () => {
  t = await createTestDatabase({ poolMax: 4 });
  prisma = t.prisma;
});
afterAll(async () => {
  await t?.drop();
});

async function newKey(): Promise<{ id: string; keyId: string; secret: string }> {
  const user = await createUser(prisma, ["CUSTOMER"]);
  const created = await createApiKey(prisma, { userId: user.id, label: "limits", scopes: ["read"] });
  if (!created.ok) throw new Error(created.message);
  return { id: created.key.id, keyId: created.key.keyId, secret: created.secret };
}

describe("takeTokens (the bucket arithmetic)", () => {
  const config = { perSecond: 20, burst: 40 };

  it("starts full: a new key gets its burst at once, not one more", () => {
    expect(takeTokens(null, 50, 1_000, config)).toEqual({ granted: 40, bucket: { tokens: 0, updatedMs: 1_000 } });
    expect(takeTokens(null, 1, 1_000, config)).toEqual({ granted: 1, bucket: { tokens: 39, updatedMs: 1_000 } });
  });

  it("refills at the rate: 50 ms at 20/s is one token", () => {
    const empty: Bucket = { tokens: 0, updatedMs: 1_000 };
    expect(takeTokens(empty, 1, 1_000, config).granted).toBe(0);
    expect(takeTokens(empty, 5, 1_050, config)).toEqual({ granted: 1, bucket: { tokens: 0, updatedMs: 1_050 } });
    expect(takeTokens(empty, 5, 1_075, config)).toEqual({ granted: 1, bucket: { tokens: 0.5, updatedMs: 1_075 } });
  });

  it("caps the refill at the burst however long the key was idle", () => {
    const result = takeTokens({ tokens: 3, updatedMs: 0 }, 100, 3_600_000, config);
    expect(result.granted).toBe(40);
    expect(result.bucket.tokens).toBe(0);
  });

  it("never refills backwards: an earlier clock (another instance's) gets nothing and keeps the later time", () => {
    expect(takeTokens({ tokens: 2.5, updatedMs: 5_000 }, 3, 4_000, config)).toEqual({
      granted: 2,
      bucket: { tokens: 0.5, updatedMs: 5_000 },
    });
  });

  it("says when to retry in whole seconds, at least 1", () => {
    expect(retryAfterSeconds(0, config)).toBe(1);
    expect(retryAfterSeconds(0.99, config)).toBe(1);
    expect(retryAfterSeconds(0, { perSecond: 0.1, burst: 1 })).toBe(10);
    expect(retryAfterSeconds(0.5, { perSecond: 0.1, burst: 1 })).toBe(5);
    expect(retryAfterSeconds(0, { perSecond: 0.3, burst: 1 })).toBe(4);
  });
});

describe("the request statement takes tokens exactly as takeTokens says", () => {
  it("over a sequence of batches of both keys' claims and clock steps", async () => {
    const config: RateLimitConfig = { perSecond: 7.5, burst: 12 };
    const keys = [await newKey(), await newKey()];
    const model = new Map<string, Bucket | null>(keys.map((k) => [k.id, null]));
    let nowMs = Date.now();
    let throttled = 0;
    for (let step = 0; step < 40; step++) {
      nowMs += [0, 13, 50, 133, 400, 2_000][step % 6]!;
      const claims = keys.flatMap((k, i) =>
        Array.from({ length: (step * (i + 3)) % 9 }, () => ({
          apiKeyId: k.id,
          nonce: randomBytes(8).toString("hex"),
          at: new Date(nowMs),
          ip: null,
          touch: false,
        })),
      );
      const results = await claimBatch(prisma, claims, config);
      for (const k of keys) {
        const mine = results.filter((_, i) => claims[i]!.apiKeyId === k.id);
        if (mine.length === 0) continue;
        const expected = takeTokens(model.get(k.id)!, mine.length, nowMs, config);
        model.set(k.id, expected.bucket);
        // The first `granted` are admitted, the rest throttled with the model's Retry-After.
        expect(mine.filter((r) => r.status === "admitted")).toHaveLength(expected.granted);
        expect(mine.slice(0, expected.granted).every((r) => r.status === "admitted")).toBe(true);
        throttled += mine.length - expected.granted;
        for (const r of mine.slice(expected.granted)) {
          expect(r).toEqual({
            status: "throttled",
            retryAfterSeconds: retryAfterSeconds(expected.bucket.tokens, config),
          });
        }
        const row = await prisma.apiRateBucket.findUniqueOrThrow({ where: { apiKeyId: k.id } });
        expect(row.tokens).toBe(expected.bucket.tokens);
        expect(Number(row.updatedMs)).toBe(expected.bucket.updatedMs);
      }
    }
    expect(throttled).toBeGreaterThan(20); // the sequence does run the buckets dry, often
  });

  it("through the batcher, a throttled request claims no nonce: its retry with the same nonce is admitted", async () => {
    const config: RateLimitConfig = { perSecond: 1, burst: 1 };
    const batcher = new NonceBatcher(prisma, () => config);
    const key = await newKey();
    const at = Date.now();
    const claim = (nonce: string, atMs: number) =>
      batcher.claim({ apiKeyId: key.id, nonce, at: new Date(atMs), ip: null, touch: false });
    expect(await claim("first-nonce", at)).toEqual({ status: "admitted" });
    expect(await claim("second-nonce", at)).toEqual({ status: "throttled", retryAfterSeconds: 1 });
    expect(await claim("second-nonce", at + 1_000)).toEqual({ status: "admitted" });
    expect(await claim("second-nonce", at + 2_000)).toEqual({ status: "replayed" });
  });

  it("idle buckets (full again) are purged, busy ones kept", async () => {
    const config: RateLimitConfig = { perSecond: 20, burst: 40 };
    const [idle, busy] = [await newKey(), await newKey()];
    const nowMs = Date.now();
    await prisma.apiRateBucket.createMany({
      data: [
        { apiKeyId: idle.id, tokens: 0, granted: 1, updatedMs: BigInt(nowMs - 63_000) },
        { apiKeyId: busy.id, tokens: 0, granted: 1, updatedMs: BigInt(nowMs - 61_000) },
      ],
    });
    expect(await purgeIdleRateBuckets(prisma, nowMs, config)).toBeGreaterThanOrEqual(1);
    const left = await prisma.apiRateBucket.findMany({ where: { apiKeyId: { in: [idle.id, busy.id] } } });
    expect(left.map((b) => b.apiKeyId)).toEqual([busy.id]);
  });
});

function startInstance(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", (url) => resolve({ child, url }));
    child.once("exit", (code) => reject(new Error(`the API server exited early (${code})`)));
  });
}

describeTwoInstances();

function describeTwoInstances(): void {
  const PER_SECOND = 2;
  const BURST = 10;
  let instances: { child: ChildProcess; url: string }[] = [];

  afterAll(async () => {
    await Promise.all(
      instances.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
  });

  itOnServer(
    "two API server processes on one database admit a key's burst once, not twice, and answer 429 with Retry-After",
    "two processes on one database",
    async () => {
      const env = { DATABASE_URL: t.url, API_RATE_PER_SECOND: String(PER_SECOND), API_RATE_BURST: String(BURST) };
      instances = await Promise.all([startInstance(env), startInstance(env)]);
      const key = await newKey();
      const send = async (base: string) => {
        const pathAndQuery = "/api/v1/contracts";
        const response = await fetch(`${base}${pathAndQuery}`, {
          headers: { authorization: independentAuthorization({ ...key, method: "GET", pathAndQuery }) },
        });
        return {
          base,
          status: response.status,
          retryAfter: response.headers.get("retry-after"),
          body: await response.text(),
        };
      };
      // Warm both (route modules loaded, the key cached) with a request each, then 40 at once,
      // alternating between the two instances.
      const started = performance.now();
      const warm = await Promise.all(instances.map((i) => send(i.url)));
      const burst = await Promise.all(Array.from({ length: 40 }, (_, n) => send(instances[n % 2]!.url)));
      const seconds = (performance.now() - started) / 1000;
      const all = [...warm, ...burst];
      const accepted = all.filter((r) => r.status === 200);
      const refused = all.filter((r) => r.status === 429);
      expect(accepted.length + refused.length, JSON.stringify(all.filter((r) => ![200, 429].includes(r.status)))).toBe(
        all.length,
      );
      // The burst plus what refilled meanwhile; one bucket per process would have admitted 2 x BURST.
      expect(accepted.length).toBeGreaterThanOrEqual(BURST);
      expect(accepted.length).toBeLessThanOrEqual(BURST + Math.ceil(seconds * PER_SECOND));
      expect(accepted.length).toBeLessThan(2 * BURST);
      // Both instances admitted some and refused some: they took from the same bucket.
      for (const { url } of instances) {
        expect(accepted.some((r) => r.base === url)).toBe(true);
        expect(refused.some((r) => r.base === url)).toBe(true);
      }
      for (const r of refused) {
        expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(r.retryAfter)).toBeLessThanOrEqual(1); // < 1 token missing at 2/s
        expect(JSON.parse(r.body)).toEqual({
          error: { code: "rate_limited", message: `Rate limit of this key exceeded; retry in ${r.retryAfter} s.` },
        });
      }
      // Only admitted requests claimed a nonce.
      expect(await prisma.apiNonce.count({ where: { apiKeyId: key.id } })).toBe(accepted.length);
    },
    60_000,
  );
}
