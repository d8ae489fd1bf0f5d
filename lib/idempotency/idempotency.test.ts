import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { IDEMPOTENCY_TTL_MS, purgeExpiredIdempotencyKeys, requestHash, runIdempotent } from "./idempotency";

let t: TestDatabase;
let userId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  userId = (await t.prisma.user.create({ data: { email: "idem@test", name: "I", passwordHash: "x" } })).id;
});
afterAll(() => t.drop());

describe("request hash", () => {
  it("ignores key order, distinguishes values", () => {
    expect(requestHash({ a: 1, b: [1, 2n] })).toBe(requestHash({ b: [1, 2n], a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
  });
});

describe("runIdempotent", () => {
  it("runs once; the same key and request replay the first result, even when raced", async () => {
    let runs = 0;
    const attempt = () =>
      runIdempotent(
        t.prisma,
        { userId, scope: "test.op", key: "key-race-0001", request: { amount: 5 } },
        async (tx) => {
          runs += 1;
          await tx.$executeRaw`SELECT pg_sleep(0.05)`;
          return { status: 201, body: { order: `order-${runs}` } };
        },
      );
    const results = await Promise.all(Array.from({ length: 12 }, attempt));
    expect(runs).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r.body)))).toEqual(
      new Set([JSON.stringify({ order: "order-1" })]),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(results.every((r) => r.status === 201)).toBe(true);
  });

  it("refuses the same key with a different request", async () => {
    await runIdempotent(
      t.prisma,
      { userId, scope: "test.op", key: "key-mismatch-1", request: { amount: 5 } },
      async () => ({ status: 201, body: { ok: true } }),
    );
    const second = await runIdempotent(
      t.prisma,
      { userId, scope: "test.op", key: "key-mismatch-1", request: { amount: 6 } },
      async () => {
        throw new Error("must not run");
      },
    );
    expect(second).toMatchObject({ status: 422, body: { error: { code: "IDEMPOTENCY_KEY_REUSED" } } });
  });

  it("a failed operation stores nothing, so a retry runs again", async () => {
    await expect(
      runIdempotent(t.prisma, { userId, scope: "test.op", key: "key-fail-0001", request: {} }, async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const retry = await runIdempotent(
      t.prisma,
      { userId, scope: "test.op", key: "key-fail-0001", request: {} },
      async () => ({ status: 200, body: { ok: 1 } }),
    );
    expect(retry).toEqual({ status: 200, body: { ok: 1 }, replayed: false });
  });

  it("a forgotten answer commits the operation's writes but releases the key for a retry", async () => {
    const first = await runIdempotent(
      t.prisma,
      { userId, scope: "test.op", key: "key-forget-01", request: { a: 1 } },
      async (tx) => {
        await tx.user.update({ where: { id: userId }, data: { totpFailedCount: { increment: 1 } } });
        return { status: 422, body: { refused: true }, forget: true };
      },
    );
    expect(first).toEqual({ status: 422, body: { refused: true }, replayed: false });
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: userId } })).totpFailedCount).toBe(1);
    expect(await t.prisma.idempotencyKey.count({ where: { key: "key-forget-01" } })).toBe(0);
    const retry = await runIdempotent(
      t.prisma,
      { userId, scope: "test.op", key: "key-forget-01", request: { a: 1 } },
      async () => ({ status: 201, body: { done: true } }),
    );
    expect(retry).toEqual({ status: 201, body: { done: true }, replayed: false });
    await t.prisma.user.update({ where: { id: userId }, data: { totpFailedCount: 0 } });
  });

  it("keys expire after 24 h and are scoped per user and operation", async () => {
    const past = new Date(Date.now() - IDEMPOTENCY_TTL_MS - 1000);
    await runIdempotent(
      t.prisma,
      { userId, scope: "test.op", key: "key-expiry-01", request: {}, now: past },
      async () => ({ status: 200, body: { n: 1 } }),
    );
    const again = await runIdempotent(
      t.prisma,
      { userId, scope: "test.op", key: "key-expiry-01", request: { other: true } },
      async () => ({ status: 200, body: { n: 2 } }),
    );
    expect(again).toEqual({ status: 200, body: { n: 2 }, replayed: false });
    const otherScope = await runIdempotent(
      t.prisma,
      { userId, scope: "test.other", key: "key-expiry-01", request: {} },
      async () => ({ status: 200, body: { n: 3 } }),
    );
    expect(otherScope.replayed).toBe(false);
    await runIdempotent(
      t.prisma,
      { userId, scope: "test.op", key: "key-purge-001", request: {}, now: past },
      async () => ({ status: 200, body: {} }),
    );
    expect(await purgeExpiredIdempotencyKeys(t.prisma)).toBe(1);
  });

  it("rejects malformed keys with a clear message", async () => {
    const result = await runIdempotent(
      t.prisma,
      { userId, scope: "test.op", key: "bad key!", request: {} },
      async () => ({ status: 200, body: {} }),
    );
    expect(result).toMatchObject({ status: 422, body: { error: { code: "IDEMPOTENCY_KEY_INVALID" } } });
  });
});
