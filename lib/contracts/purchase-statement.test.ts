// The purchase runs as one SQL statement (purchase_contract): these tests pin it to the
// TypeScript rules it replaces — pricing.ts figures, formatInUnit in messages, runIdempotent's
// key rules, the account checks of getCurrentUser, one audit line per purchase.
import { describe, expect, it } from "vitest";
import { sealAuditLog, verifyAuditChain } from "../audit/audit";
import { startSession } from "../auth/sessions";
import { IDEMPOTENCY_TTL_MS } from "../idempotency/idempotency";
import { balanceOf } from "../ledger/ledger";
import { createListing, createUser, deposit, TH, unbalancedJournals } from "../testing/fixtures";
import { testPurchase } from "../testing/purchase";
import { withTestDatabase } from "../testing/test-database";
import { cardCharge, coinAmountForUsd, formatInUnit, priceContract } from "./pricing";
import { callPurchase } from "./purchase";

const t = withTestDatabase({
  atEnd: async (prisma) => {
    expect(await unbalancedJournals(prisma)).toEqual([]);
  },
});

let keyCounter = 0;
const key = () => `stmt-key-${Date.now()}-${keyCounter++}`;

function buy(
  userId: string,
  body: Record<string, unknown>,
  options: { idempotencyKey?: string; sessionAuthAt?: number; sessionId?: string } = {},
) {
  return testPurchase(t.prisma, userId, body, {
    ...options,
    idempotencyKey: options.idempotencyKey ?? key(),
    ip: "203.0.113.9",
  });
}

describe("figures equal lib/contracts/pricing.ts", () => {
  it("USD, coin and card purchases at random prices, hashrates and terms", async () => {
    let x = 7;
    const next = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
    const buyer = await createUser(t.prisma);
    await deposit(t.prisma, buyer.id, "USD", 10n ** 15n);
    await deposit(t.prisma, buyer.id, "BTC", 10n ** 14n);
    for (let i = 0; i < 12; i++) {
      const price = BigInt(1 + next(90_000));
      const market = await createListing(t.prisma, { rigsTh: [5000, 5000], priceMicroUsdPerThDay: price });
      const hashrate = `${1 + next(900)}.${String(next(1000)).padStart(3, "0")}`;
      const days = 1 + next(365);
      const hs = BigInt(hashrate.replace(".", "")) * (TH / 1000n);
      const expected = priceContract(hs, BigInt(days), price, TH);
      const method = (["BALANCE_USD", "BALANCE_COIN", "CARD"] as const)[i % 3]!;
      const operatorBefore = await balanceOf(t.prisma, {
        type: "OPERATOR_PAYABLE",
        asset: "USD",
        userId: market.operatorId,
      });
      const res = await buy(buyer.id, { listingId: market.listingId, hashrate, days, paymentMethod: method });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const card = method === "CARD" ? cardCharge(expected.totalPriceMicroUsd) : null;
      const coin =
        method === "BALANCE_COIN" ? coinAmountForUsd(expected.totalPriceMicroUsd, 95_000_000_000n, 8n) : null;
      expect(res.body).toMatchObject({
        hashrateHs: hs.toString(),
        days,
        totalPriceMicroUsd: expected.totalPriceMicroUsd.toString(),
        chargedCents: card?.cents.toString() ?? null,
        paidCoinBase: coin?.toString() ?? null,
      });
      const contract = await t.prisma.contract.findUniqueOrThrow({
        where: { id: "contractId" in res.body ? res.body.contractId : "" },
      });
      expect(contract).toMatchObject({
        hashrateHs: hs,
        dailyPriceMicroUsd: expected.dailyPriceMicroUsd,
        totalPriceMicroUsd: expected.totalPriceMicroUsd,
        platformFeeMicroUsd: expected.platformFeeMicroUsd,
        chargedCents: card?.cents ?? null,
        chargeRoundingMicroUsd: card?.roundingMicroUsd ?? null,
      });
      const operatorAfter = await balanceOf(t.prisma, {
        type: "OPERATOR_PAYABLE",
        asset: "USD",
        userId: market.operatorId,
      });
      expect(operatorAfter - operatorBefore).toBe(method === "CARD" ? 0n : expected.operatorShareMicroUsd);
    }
  });

  it("format_in_unit writes hashrates as formatInUnit does", async () => {
    const cases: [bigint, bigint][] = [
      [0n, TH],
      [1n, TH],
      [1_500_000_000_000n, TH],
      [123_456_789n, 10n ** 18n],
      [10n ** 30n + 7n, 10n ** 3n],
      [42n, 1n],
    ];
    for (const [hs, unit] of cases) {
      const rows = await t.prisma.$queryRaw<
        { text: string }[]
      >`SELECT format_in_unit(${hs.toString()}::numeric, ${unit}::bigint) AS text`;
      expect(rows[0]?.text).toBe(formatInUnit(hs, unit));
    }
  });

  it("refusals name the figures in the listing's unit", async () => {
    const market = await createListing(t.prisma, { rigsTh: [3] });
    const buyer = await createUser(t.prisma);
    expect(
      (await buy(buyer.id, { listingId: market.listingId, hashrate: "1.25", days: 10, paymentMethod: "CARD" })).status,
    ).toBe(201);
    expect(
      await buy(buyer.id, { listingId: market.listingId, hashrate: "2", days: 10, paymentMethod: "CARD" }),
    ).toEqual({
      status: 409,
      body: {
        error: {
          code: "NOT_ENOUGH_CAPACITY",
          field: "hashrate",
          message: "Not enough capacity: 1.75 TH/s is available on this listing right now.",
        },
      },
    });
    expect(
      await buy(buyer.id, { listingId: market.listingId, hashrate: "0.5", days: 10, paymentMethod: "CARD" }),
    ).toEqual({
      status: 422,
      body: { error: { code: "INVALID_TERMS", field: "hashrate", message: "The minimum order is 1 TH/s." } },
    });
    expect(
      (
        await buy(buyer.id, {
          listingId: market.listingId,
          hashrate: "1.0000000000001",
          days: 10,
          paymentMethod: "CARD",
        })
      ).body,
    ).toMatchObject({
      error: {
        code: "INVALID_TERMS",
        field: "hashrate",
        message: "Enter the hashrate as a number of TH/s, e.g. 10 or 2.5.",
      },
    });
  });
});

describe("the session is checked in the purchase statement", () => {
  it("refuses a frozen account, a revoked session and a non-customer, and stores nothing for them", async () => {
    const market = await createListing(t.prisma, { rigsTh: [100] });
    const buyer = await createUser(t.prisma);
    const body = { listingId: market.listingId, hashrate: "1", days: 5, paymentMethod: "CARD" };
    const k = key();
    const signedIn = Date.now();
    await t.prisma.user.update({ where: { id: buyer.id }, data: { frozenAt: new Date(), frozenReason: "test" } });
    expect(await buy(buyer.id, body, { idempotencyKey: k, sessionAuthAt: signedIn })).toEqual({
      status: 401,
      body: { error: { code: "UNAUTHENTICATED", message: "Sign in to buy a contract." } },
    });
    await t.prisma.user.update({
      where: { id: buyer.id },
      data: { frozenAt: null, sessionsValidAfter: new Date(signedIn + 1) },
    });
    expect((await buy(buyer.id, body, { idempotencyKey: k, sessionAuthAt: signedIn })).status).toBe(401);
    // A session signed in after the revocation works, with the same key: nothing was stored.
    const ok = await buy(buyer.id, body, { idempotencyKey: k, sessionAuthAt: signedIn + 2 });
    expect(ok.status).toBe(201);
    const operator = await createUser(t.prisma, ["OPERATOR"]);
    expect(await buy(operator.id, body, { sessionAuthAt: Date.now() })).toEqual({
      status: 403,
      body: { error: { code: "FORBIDDEN", message: "Only customer accounts can buy contracts." } },
    });
    expect((await buy("00000000-0000-4000-8000-000000000001", body, { sessionAuthAt: Date.now() })).status).toBe(401);
    expect(await t.prisma.contract.count({ where: { customerId: { in: [buyer.id, operator.id] } } })).toBe(1);
  });
});

describe("an unverified email address", () => {
  it("is refused with 403 before the key is claimed; the same key buys once the address is verified", async () => {
    const market = await createListing(t.prisma, { rigsTh: [100] });
    const buyer = await createUser(t.prisma);
    await deposit(t.prisma, buyer.id, "USD", 10_000_000n);
    await t.prisma.user.update({ where: { id: buyer.id }, data: { emailVerifiedAt: null } });
    const body = { listingId: market.listingId, hashrate: "1", days: 5, paymentMethod: "BALANCE_USD" };
    const k = key();
    const refused = await buy(buyer.id, body, { idempotencyKey: k, sessionAuthAt: Date.now() });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: "EMAIL_UNVERIFIED" } });
    expect(await t.prisma.idempotencyKey.count({ where: { userId: buyer.id } })).toBe(0);
    expect(await t.prisma.contract.count({ where: { customerId: buyer.id } })).toBe(0);
    expect(await balanceOf(t.prisma, { type: "USER_AVAILABLE", asset: "USD", userId: buyer.id })).toBe(10_000_000n);
    // An account that does not exist is still the statement's own 401, not this refusal.
    expect((await buy("00000000-0000-4000-8000-000000000002", body, { sessionAuthAt: Date.now() })).status).toBe(401);
    await t.prisma.user.update({ where: { id: buyer.id }, data: { emailVerifiedAt: new Date() } });
    expect((await buy(buyer.id, body, { idempotencyKey: k, sessionAuthAt: Date.now() })).status).toBe(201);
  });
});

describe("idempotency keys in the purchase statement", () => {
  it("a refusal is the stored answer; another request under the key is refused; bad keys are refused", async () => {
    const market = await createListing(t.prisma, { rigsTh: [100] });
    const buyer = await createUser(t.prisma);
    const body = { listingId: market.listingId, hashrate: "10", days: 30, paymentMethod: "BALANCE_USD" };
    const k = key();
    const refused = await buy(buyer.id, body, { idempotencyKey: k });
    expect(refused).toMatchObject({
      status: 409,
      body: { error: { code: "INSUFFICIENT_FUNDS", field: "paymentMethod" } },
    });
    await deposit(t.prisma, buyer.id, "USD", 100_000_000n);
    expect(await buy(buyer.id, body, { idempotencyKey: k })).toEqual(refused);
    expect(await buy(buyer.id, { ...body, days: 31 }, { idempotencyKey: k })).toMatchObject({
      status: 422,
      body: { error: { code: "IDEMPOTENCY_KEY_REUSED" } },
    });
    expect(await buy(buyer.id, body, { idempotencyKey: "bad key!" })).toMatchObject({
      status: 422,
      body: { error: { code: "IDEMPOTENCY_KEY_INVALID" } },
    });
    const first = await buy(buyer.id, body);
    expect(first.status).toBe(201);
    expect(await balanceOf(t.prisma, { type: "USER_AVAILABLE", asset: "USD", userId: buyer.id })).toBe(
      100_000_000n - 5_850_000n,
    );
  });

  it("an expired key is forgotten: the same key then starts a new purchase", async () => {
    const market = await createListing(t.prisma, { rigsTh: [100] });
    const buyer = await createUser(t.prisma);
    const k = key();
    const request = { listingId: market.listingId, hashrate: "2", days: 3, paymentMethod: "CARD" as const };
    const past = new Date(Date.now() - IDEMPOTENCY_TTL_MS - 1000);
    const old = await callPurchase(t.prisma, {
      customerId: buyer.id,
      request,
      now: past,
      idempotency: { key: k, requestHash: "h1" },
    });
    expect(old.status).toBe(201);
    const again = await callPurchase(t.prisma, {
      customerId: buyer.id,
      request,
      idempotency: { key: k, requestHash: "h2" },
    });
    expect(again).toMatchObject({ status: 201, replayed: false });
    expect(again.body.contractId).not.toBe(old.body.contractId);
  });
});

describe("audit", () => {
  it("each purchase appends one audit line that seals into the chain", async () => {
    const market = await createListing(t.prisma, { rigsTh: [100] });
    const buyer = await createUser(t.prisma);
    await deposit(t.prisma, buyer.id, "USD", 100_000_000n);
    const res = await buy(buyer.id, {
      listingId: market.listingId,
      hashrate: "10",
      days: 30,
      paymentMethod: "BALANCE_USD",
    });
    const contractId = "contractId" in res.body ? res.body.contractId : "";
    const lines = await t.prisma.auditLog.findMany({ where: { entityType: "contract", entityId: contractId } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      actorId: buyer.id,
      action: "contract.purchased",
      ip: "203.0.113.9",
      details: {
        listingId: market.listingId,
        hashrateHs: (10n * TH).toString(),
        days: 30,
        paymentMethod: "BALANCE_USD",
        totalPriceMicroUsd: "5850000",
        paidCoinBase: null,
        chargedCents: null,
      },
    });
    await sealAuditLog(t.prisma);
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: true, unsealed: 0 });
  });

  it("refuses an ended, unknown or another user's session, stores nothing, and moves last seen once a minute", async () => {
    const market = await createListing(t.prisma, { rigsTh: [100] });
    const buyer = await createUser(t.prisma);
    const other = await createUser(t.prisma);
    const body = { listingId: market.listingId, hashrate: "1", days: 5, paymentMethod: "CARD" };
    const signedIn = Date.now();
    const start = (userId: string, now: Date) =>
      startSession(t.prisma, { userId, ip: "203.0.113.9", userAgent: "test", now });
    const stale = new Date(signedIn - 5 * 60_000);
    const { sessionId } = await start(buyer.id, stale);
    const { sessionId: othersSession } = await start(other.id, new Date());
    const unauthenticated = {
      status: 401,
      body: { error: { code: "UNAUTHENTICATED", message: "Sign in to buy a contract." } },
    };
    const k = key();
    const as = (sid: string) => ({ idempotencyKey: k, sessionAuthAt: signedIn, sessionId: sid });
    expect(await buy(buyer.id, body, as(othersSession))).toEqual(unauthenticated);
    expect(await buy(buyer.id, body, as("00000000-0000-4000-8000-000000000009"))).toEqual(unauthenticated);
    expect(await buy(buyer.id, body, as("not-a-uuid"))).toEqual(unauthenticated);
    await t.prisma.userSession.update({
      where: { id: sessionId },
      data: { revokedAt: new Date(), revokedReason: "signed_out" },
    });
    expect(await buy(buyer.id, body, as(sessionId))).toEqual(unauthenticated);
    // Nothing was stored for the refusals: the same key goes through from a live session.
    await t.prisma.userSession.update({ where: { id: sessionId }, data: { revokedAt: null, revokedReason: null } });
    expect((await buy(buyer.id, body, as(sessionId))).status).toBe(201);
    const seen = (await t.prisma.userSession.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt;
    expect(seen.getTime()).toBeGreaterThan(stale.getTime());
    expect((await buy(buyer.id, body, { ...as(sessionId), idempotencyKey: key() })).status).toBe(201);
    expect((await t.prisma.userSession.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt).toEqual(seen);
    expect(await t.prisma.contract.count({ where: { customerId: buyer.id } })).toBe(2);
  });
});
