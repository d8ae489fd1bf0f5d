// The API pipeline end to end on real PostgreSQL: test routes built with apiRoute, requests
// signed with signRequest exactly as a client signs them, every refusal by status and code.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { appendAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import { PEER_IP_HEADER } from "../http/client-ip";
import { decryptSecret, getSecrets } from "../secrets";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createUser } from "../testing/fixtures";
import { setAppDatabase, withTestSecrets } from "../testing/secrets";
import { purgeOldNonces, resetRateLimiter } from "./auth";
import { ApiError, apiRoute, type ApiRouteHandler } from "./handler";
import { signRequest } from "./hmac";
import {
  createApiKey,
  invalidateApiKeyCache,
  KEY_ROTATION_GRACE_MS,
  revokeApiKey,
  rotateApiKey,
  secretAad,
} from "./keys";
import { PositiveBaseUnits } from "./schemas";

let t: TestDatabase;
let prisma: PrismaClient;
const ORIGIN = "http://api.test";

withTestSecrets();
beforeAll(async () => {
  t = await createTestDatabase({ poolMax: 6 });
  prisma = t.prisma;
  // apiRoute uses the app's db(); point it at this file's database.
  setAppDatabase(prisma);
});
afterAll(async () => {
  setAppDatabase(undefined);
  await t.drop();
});
beforeEach(() => {
  resetRateLimiter({ perSecond: 1000, burst: 1000 });
});

const readRoute = apiRoute({
  scope: "read",
  query: z.object({ contractId: z.uuid().optional(), from: z.string().optional() }),
  handler: async (ctx) => ({
    status: 200,
    body: {
      userId: ctx.user.id,
      keyId: ctx.apiKey.keyId,
      query: ctx.query,
      params: ctx.params,
      amount: 12_345_678_901_234_567_890n,
    },
  }),
});

const orderBody = z.object({
  listingId: z.string().min(1),
  hashrate: PositiveBaseUnits,
  days: z.number().int().min(1),
});
const orderRoute = apiRoute({
  scope: "trade",
  mutating: true,
  body: orderBody,
  handler: async (ctx) => {
    if (ctx.body.listingId === "refuse") throw new ApiError(409, "listing_sold_out", "Sold out.");
    await appendAudit(ctx.tx!, {
      actorId: ctx.user.id,
      action: "test.order",
      entityType: "test",
      details: { hashrate: ctx.body.hashrate },
    });
    const placed = await ctx.tx!.auditLog.count({ where: { actorId: ctx.user.id, action: "test.order" } });
    return { status: 201, body: { placed, hashrate: ctx.body.hashrate, days: ctx.body.days } };
  },
});

interface Key {
  keyId: string;
  secret: string;
  id: string;
  userId: string;
}

async function newKey(
  scopes: string[],
  options: { roles?: ("CUSTOMER" | "OPERATOR" | "ADMIN")[]; ipAllowlist?: string; userId?: string } = {},
): Promise<Key> {
  const userId = options.userId ?? (await createUser(prisma, options.roles ?? ["CUSTOMER"])).id;
  const created = await createApiKey(prisma, { userId, label: "test", scopes, ipAllowlist: options.ipAllowlist });
  if (!created.ok) throw new Error(created.message);
  return { keyId: created.key.keyId, secret: created.secret, id: created.key.id, userId };
}

interface Call {
  method?: string;
  url?: string;
  body?: string;
  /** Sign something other than what is sent. */
  signed?: { url?: string; body?: string; method?: string; secret?: string };
  timestamp?: number;
  nonce?: string;
  authorization?: string | null;
  idempotencyKey?: string;
  ip?: string;
  params?: Record<string, string>;
}

async function call(
  route: ApiRouteHandler,
  key: Key,
  c: Call = {},
): Promise<{
  status: number;
  json: { error?: { code: string; message: string } } & Record<string, unknown>;
  headers: Headers;
}> {
  const method = c.method ?? (route === orderRoute ? "POST" : "GET");
  const url = c.url ?? (route === orderRoute ? "/api/v1/orders" : "/api/v1/contracts/abc");
  const authorization =
    c.authorization !== undefined
      ? c.authorization
      : signRequest({
          keyId: key.keyId,
          secret: c.signed?.secret ?? key.secret,
          method: c.signed?.method ?? method,
          url: c.signed?.url ?? url,
          body: c.signed?.body ?? c.body ?? "",
          timestamp: c.timestamp,
          nonce: c.nonce,
        });
  const headers = new Headers({ "content-type": "application/json", [PEER_IP_HEADER]: c.ip ?? "198.51.100.7" });
  if (authorization !== null) headers.set("authorization", authorization);
  if (c.idempotencyKey) headers.set("idempotency-key", c.idempotencyKey);
  const response = await route(new Request(`${ORIGIN}${url}`, { method, headers, body: c.body }), {
    params: Promise.resolve(c.params ?? {}),
  });
  return { status: response.status, json: (await response.json()) as never, headers: response.headers };
}

const order = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ listingId: "l-1", hashrate: "100000000000000", days: 30, ...overrides });
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe("signed requests that pass", () => {
  it("answers a correctly signed GET with the key owner's context, params and bigints as decimal strings", async () => {
    const key = await newKey(["read"]);
    const res = await call(readRoute, key, {
      url: "/api/v1/contracts/abc?from=2026-01-01&contractId=7d6c1f5e-8d1a-4a51-9b3f-2b1f7e3c9a10",
      params: { id: "abc" },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      userId: key.userId,
      keyId: key.keyId,
      params: { id: "abc" },
      amount: "12345678901234567890",
      query: { from: "2026-01-01", contractId: "7d6c1f5e-8d1a-4a51-9b3f-2b1f7e3c9a10" },
    });
  });

  it("signs the query sorted: the client's parameter order does not matter", async () => {
    const key = await newKey(["read"]);
    const res = await call(readRoute, key, {
      url: "/api/v1/contracts/abc?from=2026-01-01&contractId=7d6c1f5e-8d1a-4a51-9b3f-2b1f7e3c9a10",
      signed: { url: "/api/v1/contracts/abc?contractId=7d6c1f5e-8d1a-4a51-9b3f-2b1f7e3c9a10&from=2026-01-01" },
    });
    expect(res.status).toBe(200);
  });

  it("records last use (time and IP) on the key", async () => {
    const key = await newKey(["read"]);
    const before = Date.now();
    expect((await call(readRoute, key, { ip: "203.0.113.9" })).status).toBe(200);
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.lastUsedIp).toBe("203.0.113.9");
    expect(row.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });
});

describe("hot path", () => {
  it("serves many signed requests with one database statement each (figures printed)", async () => {
    const key = await newKey(["read"]);
    await call(readRoute, key); // warm the key cache
    const total = 600;
    const concurrency = 8;
    let next = 0;
    const statuses: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          next += 1;
          statuses.push((await call(readRoute, key)).status);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `pipeline: ${total} signed GETs in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} req/s (concurrency ${concurrency}, test route, shared CPU)`,
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(total);
    expect(await prisma.apiNonce.count({ where: { apiKeyId: key.id } })).toBe(total + 1);
  });
});

describe("401 refusals", () => {
  it("missing Authorization header", async () => {
    const key = await newKey(["read"]);
    const res = await call(readRoute, key, { authorization: null });
    expect(res.status).toBe(401);
    expect(res.json.error?.code).toBe("missing_authorization");
  });

  it.each([
    ["another scheme", "Bearer abc"],
    ["no parameters", "HMAC"],
    ["a missing nonce", 'HMAC apiKey="hlk_1", signature="' + "a".repeat(64) + '", timestamp="1700000000"'],
    [
      "a duplicated parameter",
      'HMAC apiKey="hlk_1", apiKey="hlk_1", signature="' +
        "a".repeat(64) +
        '", timestamp="1700000000", nonce="abcdefgh"',
    ],
    [
      "an unknown parameter",
      'HMAC apiKey="hlk_1", signature="' + "a".repeat(64) + '", timestamp="1700000000", nonce="abcdefgh", extra="1"',
    ],
    ["a short signature", 'HMAC apiKey="hlk_1", signature="abcd", timestamp="1700000000", nonce="abcdefgh"'],
    [
      "a fractional timestamp",
      'HMAC apiKey="hlk_1", signature="' + "a".repeat(64) + '", timestamp="1700000000.5", nonce="abcdefgh"',
    ],
    ["unquoted values", "HMAC apiKey=hlk_1, signature=" + "a".repeat(64) + ", timestamp=1700000000, nonce=abcdefgh"],
  ])("malformed header: %s", async (_label, header) => {
    const key = await newKey(["read"]);
    const res = await call(readRoute, key, { authorization: header });
    expect(res.status).toBe(401);
    expect(res.json.error?.code).toBe("malformed_authorization");
  });

  it("unknown key", async () => {
    const res = await call(readRoute, { keyId: "hlk_000000000000000000000000", secret: "x", id: "", userId: "" });
    expect(res.status).toBe(401);
    expect(res.json.error?.code).toBe("unknown_api_key");
  });

  it("revoked key (refused at once after the revocation)", async () => {
    const key = await newKey(["read"]);
    expect((await call(readRoute, key)).status).toBe(200);
    const revoked = await revokeApiKey(prisma, { userId: key.userId, key: key.keyId });
    expect(revoked.ok).toBe(true);
    const res = await call(readRoute, key);
    expect(res.status).toBe(401);
    expect(res.json.error?.code).toBe("revoked_api_key");
  });

  it("timestamp more than 300 s in the past or future; 299 s is fine", async () => {
    const key = await newKey(["read"]);
    for (const offset of [-301, 301, -3600]) {
      const res = await call(readRoute, key, { timestamp: nowSeconds() + offset });
      expect(res.status).toBe(401);
      expect(res.json.error?.code).toBe("timestamp_out_of_window");
    }
    expect((await call(readRoute, key, { timestamp: nowSeconds() - 299 })).status).toBe(200);
    expect((await call(readRoute, key, { timestamp: nowSeconds() + 299 })).status).toBe(200);
  });

  it("replayed nonce (the identical signed request sent twice)", async () => {
    const key = await newKey(["read"]);
    const timestamp = nowSeconds();
    expect((await call(readRoute, key, { nonce: "nonce-replay-1", timestamp })).status).toBe(200);
    const res = await call(readRoute, key, { nonce: "nonce-replay-1", timestamp });
    expect(res.status).toBe(401);
    expect(res.json.error?.code).toBe("nonce_reused");
    // Another key may use the same nonce.
    const other = await newKey(["read"]);
    expect((await call(readRoute, other, { nonce: "nonce-replay-1", timestamp })).status).toBe(200);
  });

  it("the same nonce sent twice at once is accepted exactly once", async () => {
    const key = await newKey(["read"]);
    const timestamp = nowSeconds();
    const results = await Promise.all([0, 1, 2].map(() => call(readRoute, key, { nonce: "nonce-race-1", timestamp })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    expect(results.filter((r) => r.status === 401).every((r) => r.json.error?.code === "nonce_reused")).toBe(true);
  });

  it("tampered body", async () => {
    const key = await newKey(["trade"]);
    const res = await call(orderRoute, key, {
      body: order({ days: 31 }),
      signed: { body: order() },
      idempotencyKey: "idem-tamper-1",
    });
    expect(res.status).toBe(401);
    expect(res.json.error?.code).toBe("bad_signature");
    expect(await prisma.auditLog.count({ where: { actorId: key.userId, action: "test.order" } })).toBe(0);
  });

  it("tampered query, path and method", async () => {
    const key = await newKey(["read"]);
    const signedUrl = "/api/v1/contracts/abc?from=2026-01-01";
    for (const c of [
      { url: "/api/v1/contracts/abc?from=2026-01-02", signed: { url: signedUrl } },
      {
        url: "/api/v1/contracts/abc?from=2026-01-01&contractId=7d6c1f5e-8d1a-4a51-9b3f-2b1f7e3c9a10",
        signed: { url: signedUrl },
      },
      { url: "/api/v1/contracts/xyz?from=2026-01-01", signed: { url: signedUrl } },
      { url: signedUrl, signed: { method: "DELETE" } },
      { url: signedUrl, signed: { secret: "hls_wrong" } },
    ]) {
      const res = await call(readRoute, key, c);
      expect(res.status).toBe(401);
      expect(res.json.error?.code).toBe("bad_signature");
    }
  });
});

describe("403 refusals", () => {
  it("a key without the route's scope", async () => {
    const key = await newKey(["read"]);
    const res = await call(orderRoute, key, { body: order(), idempotencyKey: "idem-scope-1" });
    expect(res.status).toBe(403);
    expect(res.json.error?.code).toBe("missing_scope");
  });

  it("a scope the owner's roles no longer allow", async () => {
    const key = await newKey(["telemetry"], { roles: ["CUSTOMER", "OPERATOR"] });
    await prisma.user.update({ where: { id: key.userId }, data: { roles: ["CUSTOMER"] } });
    invalidateApiKeyCache(key.keyId);
    const telemetryRoute = apiRoute({ scope: "telemetry", handler: async () => ({ status: 200, body: {} }) });
    const res = await call(telemetryRoute, key);
    expect(res.status).toBe(403);
    expect(res.json.error?.code).toBe("missing_scope");
  });

  it("an address outside the key's allowlist; inside it (address or CIDR) passes", async () => {
    const key = await newKey(["read"], { ipAllowlist: "192.0.2.10, 10.20.0.0/16" });
    const refused = await call(readRoute, key, { ip: "192.0.2.11" });
    expect(refused.status).toBe(403);
    expect(refused.json.error?.code).toBe("ip_not_allowed");
    expect((await call(readRoute, key, { ip: "192.0.2.10" })).status).toBe(200);
    expect((await call(readRoute, key, { ip: "10.20.254.1" })).status).toBe(200);
    expect((await call(readRoute, key, { ip: "::ffff:10.20.1.1" })).status).toBe(200);
  });

  it("a frozen account", async () => {
    const key = await newKey(["read"]);
    await prisma.user.update({ where: { id: key.userId }, data: { frozenAt: new Date(), frozenReason: "test" } });
    invalidateApiKeyCache(key.keyId);
    const res = await call(readRoute, key);
    expect(res.status).toBe(403);
    expect(res.json.error?.code).toBe("account_frozen");
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After past the key's bucket, per key", async () => {
    resetRateLimiter({ perSecond: 0.5, burst: 3 });
    const key = await newKey(["read"]);
    for (let i = 0; i < 3; i++) expect((await call(readRoute, key)).status).toBe(200);
    const res = await call(readRoute, key);
    expect(res.status).toBe(429);
    expect(res.json.error?.code).toBe("rate_limited");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(2);
    // Another key has its own bucket.
    expect((await call(readRoute, await newKey(["read"]))).status).toBe(200);
  });
});

describe("validation and idempotency", () => {
  it("400 without an Idempotency-Key on a mutating call, and for a malformed one", async () => {
    const key = await newKey(["trade"]);
    const res = await call(orderRoute, key, { body: order() });
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe("idempotency_key_required");
    const bad = await call(orderRoute, key, { body: order(), idempotencyKey: "sh rt" });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.code).toBe("idempotency_key_invalid");
  });

  it("400 invalid_request naming the field; amounts as JSON numbers are refused", async () => {
    const key = await newKey(["trade"]);
    const res = await call(orderRoute, key, {
      body: order({ hashrate: 100000000000000 }),
      idempotencyKey: "idem-validate-1",
    });
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe("invalid_request");
    expect(res.json.error?.message).toMatch(/^hashrate: .*decimal string/);
    const json = await call(orderRoute, key, { body: "{not json", idempotencyKey: "idem-validate-2" });
    expect(json.status).toBe(400);
    expect(json.json.error?.code).toBe("invalid_json");
    const query = await call(readRoute, await newKey(["read"]), { url: "/api/v1/contracts/abc?contractId=nope" });
    expect(query.status).toBe(400);
    expect(query.json.error?.message).toMatch(/^contractId: /);
  });

  it("same key + same body returns the first response; the handler ran once", async () => {
    const key = await newKey(["trade"]);
    const first = await call(orderRoute, key, { body: order(), idempotencyKey: "idem-replay-1" });
    expect(first.status).toBe(201);
    expect(first.json).toEqual({ placed: 1, hashrate: "100000000000000", days: 30 });
    const again = await call(orderRoute, key, { body: order(), idempotencyKey: "idem-replay-1" });
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await prisma.auditLog.count({ where: { actorId: key.userId, action: "test.order" } })).toBe(1);
    // A new key is a new order.
    const second = await call(orderRoute, key, { body: order(), idempotencyKey: "idem-replay-2" });
    expect(second.json).toMatchObject({ placed: 2 });
  });

  it("concurrent calls with one Idempotency-Key run the handler once and answer alike", async () => {
    const key = await newKey(["trade"]);
    const results = await Promise.all(
      [0, 1, 2].map(() => call(orderRoute, key, { body: order(), idempotencyKey: "idem-race-1" })),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    for (const r of results) expect(r.json).toEqual({ placed: 1, hashrate: "100000000000000", days: 30 });
    expect(await prisma.auditLog.count({ where: { actorId: key.userId, action: "test.order" } })).toBe(1);
  });

  it("same key + different body is 422 idempotency_key_reused", async () => {
    const key = await newKey(["trade"]);
    expect((await call(orderRoute, key, { body: order(), idempotencyKey: "idem-mismatch-1" })).status).toBe(201);
    const res = await call(orderRoute, key, { body: order({ days: 60 }), idempotencyKey: "idem-mismatch-1" });
    expect(res.status).toBe(422);
    expect(res.json.error?.code).toBe("idempotency_key_reused");
    expect(await prisma.auditLog.count({ where: { actorId: key.userId, action: "test.order" } })).toBe(1);
  });

  it("a refusal thrown by the handler stores nothing: the retry with the same key runs again", async () => {
    const key = await newKey(["trade"]);
    const refused = await call(orderRoute, key, {
      body: order({ listingId: "refuse" }),
      idempotencyKey: "idem-refuse-1",
    });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toEqual({ code: "listing_sold_out", message: "Sold out." });
    expect(await prisma.idempotencyKey.count({ where: { userId: key.userId } })).toBe(0);
  });
});

describe("keys: rotation, storage, audit", () => {
  it("rotation: the new secret works at once, the old one until its grace ends", async () => {
    const key = await newKey(["read"]);
    const rotated = await rotateApiKey(prisma, { userId: key.userId, key: key.id });
    if (!rotated.ok) throw new Error(rotated.message);
    expect(rotated.secret).not.toBe(key.secret);
    expect(rotated.key.previousValidUntil!.getTime() - Date.now()).toBeGreaterThan(KEY_ROTATION_GRACE_MS - 60_000);
    expect((await call(readRoute, key)).status).toBe(200);
    expect((await call(readRoute, { ...key, secret: rotated.secret })).status).toBe(200);
    // Grace over (as if 24 h had passed).
    await prisma.apiKey.update({ where: { id: key.id }, data: { previousValidUntil: new Date(Date.now() - 1000) } });
    invalidateApiKeyCache(key.keyId);
    const old = await call(readRoute, key);
    expect(old.status).toBe(401);
    expect(old.json.error?.code).toBe("bad_signature");
    expect((await call(readRoute, { ...key, secret: rotated.secret })).status).toBe(200);
    // A revoked key cannot be rotated; another user's key is not found.
    expect(await rotateApiKey(prisma, { userId: (await createUser(prisma)).id, key: key.id })).toMatchObject({
      ok: false,
      code: "key_not_found",
    });
    await revokeApiKey(prisma, { userId: key.userId, key: key.id });
    expect(await rotateApiKey(prisma, { userId: key.userId, key: key.id })).toMatchObject({
      ok: false,
      code: "key_revoked",
    });
  });

  it("stores secrets encrypted with the key ring, bound to the key id", async () => {
    const key = await newKey(["read"]);
    const [row] = await prisma.$queryRaw<
      { secret_enc: string; secret_key_id: string }[]
    >`SELECT secret_enc, secret_key_id FROM api_keys WHERE id = ${key.id}::uuid`;
    expect(row!.secret_enc).not.toContain(key.secret);
    expect(row!.secret_enc).toMatch(/^v1\./);
    expect(row!.secret_key_id).toBe("k1");
    const ring = (await getSecrets()).keyRing;
    expect(decryptSecret(row!.secret_enc, row!.secret_key_id, ring, secretAad(key.keyId))).toBe(key.secret);
    expect(() => decryptSecret(row!.secret_enc, row!.secret_key_id, ring, secretAad("hlk_other"))).toThrow(
      /authentication failed/,
    );
  });

  it("audits create, rotate and revoke without the secret", async () => {
    const user = await createUser(prisma);
    const key = await newKey(["read", "trade"], { userId: user.id });
    await rotateApiKey(prisma, { userId: user.id, key: key.keyId, ip: "203.0.113.1" });
    await revokeApiKey(prisma, { userId: user.id, key: key.keyId, ip: "203.0.113.2" });
    const lines = await prisma.auditLog.findMany({
      where: { entityType: "api_key", entityId: key.id },
      orderBy: { id: "asc" },
    });
    expect(lines.map((l) => l.action)).toEqual(["api_key.create", "api_key.rotate", "api_key.revoke"]);
    expect(lines.every((l) => l.actorId === user.id)).toBe(true);
    expect(lines.map((l) => l.ip)).toEqual([null, "203.0.113.1", "203.0.113.2"]);
    expect(lines[0]!.details).toMatchObject({ keyId: key.keyId, scopes: ["read", "trade"] });
    expect(JSON.stringify(lines.map((l) => l.details))).not.toContain(key.secret);
  });

  it("creation refuses scopes the roles do not allow, bad allowlists and empty labels", async () => {
    const customer = await createUser(prisma);
    expect(await createApiKey(prisma, { userId: customer.id, label: "x", scopes: ["admin"] })).toMatchObject({
      ok: false,
      code: "scope_not_allowed",
      fieldErrors: { scopes: expect.any(String) },
    });
    expect(await createApiKey(prisma, { userId: customer.id, label: "x", scopes: ["telemetry"] })).toMatchObject({
      ok: false,
      code: "scope_not_allowed",
    });
    expect(await createApiKey(prisma, { userId: customer.id, label: "x", scopes: ["superuser"] })).toMatchObject({
      ok: false,
      code: "invalid_scopes",
    });
    expect(await createApiKey(prisma, { userId: customer.id, label: "x", scopes: [] })).toMatchObject({
      ok: false,
      code: "invalid_scopes",
    });
    expect(await createApiKey(prisma, { userId: customer.id, label: " ", scopes: ["read"] })).toMatchObject({
      ok: false,
      fieldErrors: { label: expect.any(String) },
    });
    for (const bad of ["300.1.1.1", "10.0.0.0/33", "example.com", "10.0.0.1/8/1", "::1/129"]) {
      expect(
        await createApiKey(prisma, { userId: customer.id, label: "x", scopes: ["read"], ipAllowlist: bad }),
      ).toMatchObject({ ok: false, fieldErrors: { ipAllowlist: expect.any(String) } });
    }
    const operator = await createUser(prisma, ["OPERATOR"]);
    expect(
      await createApiKey(prisma, {
        userId: operator.id,
        label: "rigs",
        scopes: ["telemetry", "operate"],
        ipAllowlist: ["2001:db8::/32"],
      }),
    ).toMatchObject({ ok: true, key: { scopes: ["telemetry", "operate"], ipAllowlist: ["2001:db8::/32"] } });
    const admin = await createUser(prisma, ["ADMIN"]);
    expect(await createApiKey(prisma, { userId: admin.id, label: "ops", scopes: ["admin"] })).toMatchObject({
      ok: true,
    });
    expect(await prisma.apiKey.count({ where: { userId: customer.id } })).toBe(0);
  });

  it("purges nonces older than twice the window only", async () => {
    const key = await newKey(["read"]);
    await prisma.apiNonce.createMany({
      data: [
        { apiKeyId: key.id, nonce: "old-nonce-1", createdAt: new Date(Date.now() - 20 * 60_000) },
        { apiKeyId: key.id, nonce: "new-nonce-1", createdAt: new Date(Date.now() - 5 * 60_000) },
      ],
    });
    expect(await purgeOldNonces(prisma)).toBeGreaterThanOrEqual(1);
    const left = await prisma.apiNonce.findMany({ where: { apiKeyId: key.id }, select: { nonce: true } });
    expect(left.map((n) => n.nonce)).toEqual(["new-nonce-1"]);
  });
});
