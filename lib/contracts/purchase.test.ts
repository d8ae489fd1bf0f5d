import { describe, expect, it } from "vitest";
import { balanceOf } from "../ledger/ledger";
import { applyStripeEvent } from "../payments/events";
import { DAY_MS } from "../shared/days";
import {
  createListing,
  createUser,
  deposit,
  ensureLtc,
  ltcPrice,
  rigLoads,
  TH,
  unbalancedJournals,
} from "../testing/fixtures";
import { testPurchase } from "../testing/purchase";
import { withTestDatabase } from "../testing/test-database";
import { expireReservations } from "./checkout";
import { newEventId, TEST_SESSION_PREFIX } from "./service";

const t = withTestDatabase({ atEnd: async (prisma) => expect(await unbalancedJournals(prisma)).toEqual([]) });

let keyCounter = 0;
const key = () => `test-key-${Date.now()}-${keyCounter++}`;

async function buy(userId: string, body: Record<string, unknown>, idempotencyKey = key()) {
  return testPurchase(t.prisma, userId, body, { idempotencyKey });
}

function completed(sessionId: string, cents: bigint, eventId = newEventId()) {
  return {
    id: eventId,
    type: "checkout.session.completed",
    data: { object: { id: sessionId, payment_status: "paid", amount_total: Number(cents) } },
  };
}

describe("buying from balance", () => {
  it("USD balance: activates at once, allocates exactly, posts one balanced journal", async () => {
    const market = await createListing(t.prisma, { rigsTh: [100, 100, 100] });
    const buyer = await createUser(t.prisma);
    await deposit(t.prisma, buyer.id, "USD", 100_000_000n); // $100
    const res = await buy(buyer.id, {
      listingId: market.listingId,
      hashrate: "150",
      days: 30,
      paymentMethod: "BALANCE_USD",
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ok: true, status: "ACTIVE", totalPriceMicroUsd: "87750000", checkoutUrl: null });
    const contractId = "contractId" in res.body ? res.body.contractId : "";
    const contract = await t.prisma.contract.findUniqueOrThrow({
      where: { id: contractId },
      include: { allocations: true },
    });
    expect(contract.allocations.reduce((s, a) => s + a.hashrateHs, 0n)).toBe(150n * TH);
    expect(contract.allocations.every((a) => a.status === "LIVE")).toBe(true);
    expect(contract.startDay!.getTime() - contract.activatedAt!.getTime()).toBeLessThanOrEqual(86_400_000);
    expect((contract.endDay!.getTime() - contract.startDay!.getTime()) / 86_400_000).toBe(29);
    expect(await balanceOf(t.prisma, { type: "USER_AVAILABLE", asset: "USD", userId: buyer.id })).toBe(12_250_000n);
    expect(await balanceOf(t.prisma, { type: "OPERATOR_PAYABLE", asset: "USD", userId: market.operatorId })).toBe(
      85_117_500n,
    );
    const journals = await t.prisma.journalTransaction.findMany({
      where: { referenceId: contractId },
      include: { postings: true },
    });
    expect(journals).toHaveLength(1);
  });

  it("coin balance (reinvest): pays the USD price in coin at the day's price", async () => {
    const market = await createListing(t.prisma, { rigsTh: [50] });
    const buyer = await createUser(t.prisma);
    await deposit(t.prisma, buyer.id, "BTC", 100_000n);
    const res = await buy(buyer.id, {
      listingId: market.listingId,
      hashrate: "10",
      days: 30,
      paymentMethod: "BALANCE_COIN",
    });
    // 10 TH/s * $0.0195 * 30 = $5.85 at $95,000 = 6157.89 sat -> 6158
    expect(res.body).toMatchObject({ ok: true, status: "ACTIVE", totalPriceMicroUsd: "5850000", paidCoinBase: "6158" });
    expect(await balanceOf(t.prisma, { type: "USER_AVAILABLE", asset: "BTC", userId: buyer.id })).toBe(
      100_000n - 6158n,
    );
  });

  it("refuses what the balance does not cover and writes nothing", async () => {
    const market = await createListing(t.prisma, { rigsTh: [100] });
    const buyer = await createUser(t.prisma);
    await deposit(t.prisma, buyer.id, "USD", 1_000_000n);
    const before = await t.prisma.contract.count();
    const res = await buy(buyer.id, {
      listingId: market.listingId,
      hashrate: "100",
      days: 30,
      paymentMethod: "BALANCE_USD",
    });
    expect(res).toEqual({
      status: 409,
      body: {
        error: {
          code: "INSUFFICIENT_FUNDS",
          message: "Your USD balance does not cover this contract.",
          field: "paymentMethod",
        },
      },
    });
    expect(await t.prisma.contract.count()).toBe(before);
    expect((await rigLoads(t.prisma, market.rigIds))[0]?.used).toBe("0");
  });

  it("explains bad terms with 4xx and a field", async () => {
    const market = await createListing(t.prisma, { rigsTh: [100], minDays: 7, maxDays: 30 });
    const buyer = await createUser(t.prisma);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ listingId: market.listingId, hashrate: "1e3", days: 10, paymentMethod: "CARD" }, 422, "hashrate"],
      [{ listingId: market.listingId, hashrate: "0.5", days: 10, paymentMethod: "CARD" }, 422, "hashrate"],
      [{ listingId: market.listingId, hashrate: "10", days: 3, paymentMethod: "CARD" }, 422, "days"],
      [{ listingId: market.listingId, hashrate: "10", days: 2.5, paymentMethod: "CARD" }, 422, "days"],
      [{ listingId: market.listingId, hashrate: "101", days: 10, paymentMethod: "CARD" }, 409, "hashrate"],
      [{ listingId: market.listingId, hashrate: "10", days: 10, paymentMethod: "BITCOIN" }, 422, "paymentMethod"],
      [{ listingId: "00000000-0000-4000-8000-000000000000", hashrate: "10", days: 10, paymentMethod: "CARD" }, 404, ""],
    ];
    for (const [body, status, field] of cases) {
      const res = await buy(buyer.id, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      if (field) expect(res.body).toMatchObject({ error: { field } });
    }
    const own = await buy(market.operatorId, {
      listingId: market.listingId,
      hashrate: "10",
      days: 10,
      paymentMethod: "CARD",
    });
    expect(own.status).toBe(422);
    expect(
      await buy(
        buyer.id,
        { listingId: market.listingId, hashrate: "10", days: 10, paymentMethod: "CARD" },
        null as unknown as string,
      ),
    ).toMatchObject({ status: 400 });
  });
});

describe("coin balance in another coin than the listing's", () => {
  const today = () => new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  // 10 TH/s * $0.0195 * 30 days on the default BTC listing.
  const TOTAL = 5_850_000n;
  const ltcFor = (total: bigint, price: bigint) => (total * 10n ** 8n + price - 1n) / price;
  /** 10 TH/s for 30 days of the listing, paid from the buyer's LTC balance. */
  const inLtc = (listingId: string) =>
    ({ listingId, hashrate: "10", days: 30, paymentMethod: "BALANCE_COIN", payCoin: "LTC" }) as const;
  const written = async () => ({
    contracts: await t.prisma.contract.count(),
    journals: await t.prisma.journalTransaction.count(),
  });

  it("no LTC price known: refused with a clear message, nothing written", async () => {
    await ensureLtc(t.prisma);
    const market = await createListing(t.prisma, { rigsTh: [50] });
    const buyer = await createUser(t.prisma);
    await deposit(t.prisma, buyer.id, "LTC", 10n ** 10n);
    const before = await written();
    const res = await buy(buyer.id, inLtc(market.listingId));
    expect(res).toEqual({
      status: 409,
      body: { error: { code: "NO_PRICE", message: "No LTC price is known yet; pay in USD or by card.", field: null } },
    });
    expect(await written()).toEqual(before);
    expect(await balanceOf(t.prisma, { type: "USER_AVAILABLE", asset: "LTC", userId: buyer.id })).toBe(10n ** 10n);
    expect((await rigLoads(t.prisma, market.rigIds))[0]?.used).toBe("0");
  });

  it("pays a BTC listing from LTC at LTC's latest price on or before the day, stores the rate and day", async () => {
    const day = today();
    const price = 84_123_457n; // $84.123457 per LTC
    await ltcPrice(t.prisma, new Date(day.getTime() - 10 * DAY_MS), 70_000_000n); // older: not used
    await ltcPrice(t.prisma, new Date(day.getTime() - 2 * DAY_MS), price);
    await ltcPrice(t.prisma, new Date(day.getTime() + 2 * DAY_MS), 1_000_000n); // after the day: not used
    const market = await createListing(t.prisma, { rigsTh: [50] });
    const buyer = await createUser(t.prisma);
    await deposit(t.prisma, buyer.id, "LTC", 10n ** 9n);
    await deposit(t.prisma, buyer.id, "BTC", 10n ** 8n);
    const revenueBefore = await balanceOf(t.prisma, { type: "PLATFORM_REVENUE", asset: "LTC", userId: null });
    const paid = ltcFor(TOTAL, price);
    expect(paid).toBe(6_954_066n); // 5.85 / 84.123457 = 0.069540651426... LTC, rounded up
    const idempotencyKey = key();
    const res = await buy(buyer.id, inLtc(market.listingId), idempotencyKey);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ok: true,
      status: "ACTIVE",
      paymentMethod: "BALANCE_COIN",
      totalPriceMicroUsd: TOTAL.toString(),
      paidCoinBase: paid.toString(),
      paidAsset: "LTC",
      paidAmountBase: paid.toString(),
      rateMicroUsd: price.toString(),
      rateDay: new Date(day.getTime() - 2 * DAY_MS).toISOString().slice(0, 10),
    });
    const contractId = "contractId" in res.body ? res.body.contractId : "";
    const contract = await t.prisma.contract.findUniqueOrThrow({ where: { id: contractId } });
    expect(contract).toMatchObject({
      coin: "BTC",
      paidAsset: "LTC",
      paidRateMicroUsd: price,
      paidRateDay: new Date(day.getTime() - 2 * DAY_MS),
    });
    expect(contract.paidAmountBase?.toString()).toBe(paid.toString());
    // LTC leaves the customer for the platform; BTC is untouched; the operator is paid in USD.
    expect(await balanceOf(t.prisma, { type: "USER_AVAILABLE", asset: "LTC", userId: buyer.id })).toBe(
      10n ** 9n - paid,
    );
    expect(await balanceOf(t.prisma, { type: "USER_AVAILABLE", asset: "BTC", userId: buyer.id })).toBe(10n ** 8n);
    expect(await balanceOf(t.prisma, { type: "PLATFORM_REVENUE", asset: "LTC", userId: null })).toBe(
      revenueBefore + paid,
    );
    expect(await balanceOf(t.prisma, { type: "OPERATOR_PAYABLE", asset: "USD", userId: market.operatorId })).toBe(
      TOTAL - contract.platformFeeMicroUsd,
    );
    const journals = await t.prisma.journalTransaction.findMany({
      where: { referenceType: "contract", referenceId: contractId },
      include: { postings: true },
    });
    expect(journals).toHaveLength(1);
    const sums = new Map<string, bigint>();
    for (const p of journals[0]!.postings) sums.set(p.asset, (sums.get(p.asset) ?? 0n) + BigInt(p.amount.toString()));
    expect(Object.fromEntries(sums)).toEqual({ LTC: 0n, USD: 0n });
    expect(
      journals[0]!.postings
        .filter((p) => p.asset === "LTC")
        .map((p) => BigInt(p.amount.toString()))
        .sort(),
    ).toEqual([-paid, paid]);
    const audit = await t.prisma.auditLog.findFirstOrThrow({ where: { entityType: "contract", entityId: contractId } });
    expect(audit.details).toMatchObject({
      paidAsset: "LTC",
      paidAmountBase: paid.toString(),
      rateMicroUsd: price.toString(),
    });
    // The stored answer replays the same figures.
    const again = await buy(buyer.id, inLtc(market.listingId), idempotencyKey);
    expect(again).toEqual({ status: 200, body: res.body });
    expect(await t.prisma.contract.count({ where: { customerId: buyer.id } })).toBe(1);
  });

  it("refuses what the LTC balance does not cover and writes nothing", async () => {
    const market = await createListing(t.prisma, { rigsTh: [50] });
    const buyer = await createUser(t.prisma);
    const price = (
      await t.prisma.networkSnapshot.findFirstOrThrow({
        where: { coin: "LTC", day: { lte: today() } },
        orderBy: { day: "desc" },
      })
    ).priceMicroUsd;
    const short = ltcFor(TOTAL, price) - 1n;
    await deposit(t.prisma, buyer.id, "LTC", short);
    await deposit(t.prisma, buyer.id, "BTC", 10n ** 8n); // plenty of the listing's coin: not the one asked for
    const before = await written();
    const res = await buy(buyer.id, inLtc(market.listingId));
    expect(res).toEqual({
      status: 409,
      body: {
        error: {
          code: "INSUFFICIENT_FUNDS",
          message: "Your LTC balance does not cover this contract.",
          field: "paymentMethod",
        },
      },
    });
    expect(await written()).toEqual(before);
    expect(await balanceOf(t.prisma, { type: "USER_AVAILABLE", asset: "LTC", userId: buyer.id })).toBe(short);
    expect((await rigLoads(t.prisma, market.rigIds))[0]?.used).toBe("0");
  });

  it("the listing's own coin and USD store no foreign rate mix-up; the CHECK refuses half a record", async () => {
    const market = await createListing(t.prisma, { rigsTh: [50] });
    const buyer = await createUser(t.prisma);
    await deposit(t.prisma, buyer.id, "BTC", 10n ** 8n);
    await deposit(t.prisma, buyer.id, "USD", 10n ** 9n);
    const own = await buy(buyer.id, {
      listingId: market.listingId,
      hashrate: "10",
      days: 30,
      paymentMethod: "BALANCE_COIN",
    });
    // 5.85 / 95,000 -> 6158 sat at the BTC fixture price of 2020-01-01.
    expect(own.body).toMatchObject({
      paidAsset: "BTC",
      paidAmountBase: "6158",
      rateMicroUsd: "95000000000",
      rateDay: "2020-01-01",
    });
    const usd = await buy(buyer.id, {
      listingId: market.listingId,
      hashrate: "10",
      days: 30,
      paymentMethod: "BALANCE_USD",
    });
    expect(usd.body).toMatchObject({ paidAsset: null, paidAmountBase: null, rateMicroUsd: null, rateDay: null });
    const usdId = "contractId" in usd.body ? usd.body.contractId : "";
    await expect(
      t.prisma.$executeRaw`UPDATE contracts SET paid_asset = 'LTC' WHERE id = ${usdId}::uuid`,
    ).rejects.toThrow(/contracts_coin_payment_all_or_none/);
  });
});

describe("never oversold", () => {
  it("50 concurrent purchases at a listing that fits 20: exactly the capacity is sold", async () => {
    const market = await createListing(t.prisma, { rigsTh: [70, 70, 60] }); // 200 TH/s
    const buyers = await Promise.all(Array.from({ length: 50 }, () => createUser(t.prisma)));
    const results = await Promise.all(
      buyers.map((b) => buy(b.id, { listingId: market.listingId, hashrate: "10", days: 30, paymentMethod: "CARD" })),
    );
    const sold = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    expect(sold).toHaveLength(20);
    expect(refused).toHaveLength(30);
    for (const r of refused) expect(r.body).toMatchObject({ error: { code: "NOT_ENOUGH_CAPACITY" } });
    for (const load of await rigLoads(t.prisma, market.rigIds))
      expect(BigInt(load.used)).toBeLessThanOrEqual(BigInt(load.nominal));
    const total = (await rigLoads(t.prisma, market.rigIds)).reduce((s, l) => s + BigInt(l.used), 0n);
    expect(total).toBe(200n * TH);
  });

  it("the database itself refuses an oversold rig", async () => {
    const market = await createListing(t.prisma, { rigsTh: [10] });
    const buyer = await createUser(t.prisma);
    const contract = await t.prisma.contract.create({
      data: {
        customerId: buyer.id,
        listingId: market.listingId,
        coin: "BTC",
        hashrateHs: 11n * TH,
        days: 1,
        priceMicroUsdPerUnitDay: 1n,
        maintenanceFeeMicroUsdPerUnitDay: 0n,
        unitHs: TH,
        poolFeeBps: 0,
        dailyPriceMicroUsd: 11n,
        totalPriceMicroUsd: 11n,
        paymentMethod: "CARD",
        status: "PENDING_PAYMENT",
      },
    });
    await expect(
      t.prisma.allocation.create({
        data: { contractId: contract.id, rigId: market.rigIds[0]!, hashrateHs: 11n * TH, status: "LIVE" },
      }),
    ).rejects.toThrow(/oversold/);
    await t.prisma.allocation.create({
      data: { contractId: contract.id, rigId: market.rigIds[0]!, hashrateHs: 10n * TH, status: "LIVE" },
    });
    await expect(
      t.prisma.rig.update({ where: { id: market.rigIds[0]! }, data: { nominalHashrateHs: 9n * TH } }),
    ).rejects.toThrow(/cannot drop/);
  });
});

describe("idempotency of purchases", () => {
  it("a double submit (same key, same request) makes one contract and answers twice the same", async () => {
    const market = await createListing(t.prisma, { rigsTh: [100] });
    const buyer = await createUser(t.prisma);
    const k = key();
    const body = { listingId: market.listingId, hashrate: "5", days: 10, paymentMethod: "CARD" };
    const [a, b, c] = await Promise.all([buy(buyer.id, body, k), buy(buyer.id, body, k), buy(buyer.id, body, k)]);
    const ids = [a, b, c].map((r) => ("contractId" in r.body ? r.body.contractId : null));
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).not.toBeNull();
    expect(await t.prisma.contract.count({ where: { customerId: buyer.id } })).toBe(1);
    const other = await buy(buyer.id, { ...body, hashrate: "6" }, k);
    expect(other).toMatchObject({ status: 422, body: { error: { code: "IDEMPOTENCY_KEY_REUSED" } } });
  });
});

describe("card checkout: reservation, webhook, expiry", () => {
  async function reserve(th = "20") {
    const market = await createListing(t.prisma, { rigsTh: [50] });
    const buyer = await createUser(t.prisma);
    const res = await buy(buyer.id, { listingId: market.listingId, hashrate: th, days: 30, paymentMethod: "CARD" });
    expect(res.body).toMatchObject({ ok: true, status: "PENDING_PAYMENT", checkoutMode: "test" });
    const contractId = "contractId" in res.body ? res.body.contractId : "";
    const contract = await t.prisma.contract.findUniqueOrThrow({ where: { id: contractId } });
    expect(contract.stripeCheckoutSessionId).toBe(`${TEST_SESSION_PREFIX}${contractId}`);
    return { market, buyer, contract };
  }

  it("holds the capacity, then activates exactly once however often the event arrives", async () => {
    const { market, contract } = await reserve();
    expect((await rigLoads(t.prisma, market.rigIds))[0]?.used).toBe((20n * TH).toString());
    const event = completed(contract.stripeCheckoutSessionId!, contract.chargedCents!);
    const results = await Promise.all([
      applyStripeEvent(t.prisma, event),
      applyStripeEvent(t.prisma, event),
      applyStripeEvent(t.prisma, event),
    ]);
    expect(results.filter((r) => !r.duplicate)).toEqual([{ duplicate: false, effect: "activated" }]);
    // A different event for the same session, and a late "expired", change nothing.
    expect(
      await applyStripeEvent(t.prisma, completed(contract.stripeCheckoutSessionId!, contract.chargedCents!)),
    ).toEqual({ duplicate: false, effect: "already_active" });
    expect(
      await applyStripeEvent(t.prisma, {
        id: newEventId(),
        type: "checkout.session.expired",
        data: { object: { id: contract.stripeCheckoutSessionId! } },
      }),
    ).toEqual({ duplicate: false, effect: "not_pending" });
    const after = await t.prisma.contract.findUniqueOrThrow({
      where: { id: contract.id },
      include: { allocations: true },
    });
    expect(after.status).toBe("ACTIVE");
    expect(after.allocations.map((a) => a.status)).toEqual(["LIVE"]);
    expect(await t.prisma.journalTransaction.count({ where: { referenceId: contract.id } })).toBe(1);
    // 20 TH * 0.0195 * 30 = $11.70 = 1170 cents: no rounding
    expect(await balanceOf(t.prisma, { type: "OPERATOR_PAYABLE", asset: "USD", userId: market.operatorId })).toBe(
      11_700_000n - 351_000n,
    );
    expect(await balanceOf(t.prisma, { type: "STRIPE_CLEARING", asset: "USD", userId: null })).toBeLessThan(0n);
  });

  it("the expiry job releases reservations older than 30 minutes, once, even run twice at once", async () => {
    const { market, contract } = await reserve();
    expect(await expireReservations(t.prisma, new Date(Date.now() + 10 * 60_000))).toBe(0);
    const later = new Date(Date.now() + 31 * 60_000);
    const [a, b] = await Promise.all([expireReservations(t.prisma, later), expireReservations(t.prisma, later)]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    expect((await t.prisma.contract.findUniqueOrThrow({ where: { id: contract.id } })).status).toBe("EXPIRED");
    expect((await rigLoads(t.prisma, market.rigIds))[0]?.used).toBe("0");
    // Paid after expiry while capacity is still free: re-reserved and activated.
    const res = await applyStripeEvent(t.prisma, completed(contract.stripeCheckoutSessionId!, contract.chargedCents!));
    expect(res).toEqual({ duplicate: false, effect: "activated" });
    expect((await rigLoads(t.prisma, market.rigIds))[0]?.used).toBe((20n * TH).toString());
  });

  it("paid after expiry when the capacity was sold: the money lands in the customer's USD balance", async () => {
    const { market, buyer, contract } = await reserve("50");
    await expireReservations(t.prisma, new Date(Date.now() + 31 * 60_000));
    const other = await createUser(t.prisma);
    await deposit(t.prisma, other.id, "USD", 100_000_000n);
    expect(
      (await buy(other.id, { listingId: market.listingId, hashrate: "50", days: 30, paymentMethod: "BALANCE_USD" }))
        .status,
    ).toBe(201);
    const res = await applyStripeEvent(t.prisma, completed(contract.stripeCheckoutSessionId!, contract.chargedCents!));
    expect(res).toMatchObject({ effect: "credited_to_balance" });
    expect(await balanceOf(t.prisma, { type: "USER_AVAILABLE", asset: "USD", userId: buyer.id })).toBe(
      contract.chargedCents! * 10_000n,
    );
    for (const load of await rigLoads(t.prisma, market.rigIds))
      expect(BigInt(load.used)).toBeLessThanOrEqual(BigInt(load.nominal));
  });

  it("retrying a card purchase (same key) after its checkout closed answers what became of it", async () => {
    const market = await createListing(t.prisma, { rigsTh: [50] });
    const buyer = await createUser(t.prisma);
    const body = { listingId: market.listingId, hashrate: "10", days: 30, paymentMethod: "CARD" };
    // Paid meanwhile: the retry gets the contract, active, and no checkout to go to.
    const paidKey = key();
    const first = await buy(buyer.id, body, paidKey);
    const contractId = "contractId" in first.body ? first.body.contractId : "";
    const contract = await t.prisma.contract.findUniqueOrThrow({ where: { id: contractId } });
    await applyStripeEvent(t.prisma, completed(contract.stripeCheckoutSessionId!, contract.chargedCents!));
    expect(await buy(buyer.id, body, paidKey)).toEqual({
      status: 200,
      body: expect.objectContaining({ contractId, status: "ACTIVE", checkoutUrl: null, checkoutMode: null }),
    });
    // Expired meanwhile: a clear 409 (the form then makes a new key), nothing new reserved.
    const expiredKey = key();
    const second = await buy(buyer.id, body, expiredKey);
    const secondId = "contractId" in second.body ? second.body.contractId : "";
    await expireReservations(t.prisma, new Date(Date.now() + 31 * 60_000));
    expect(await buy(buyer.id, body, expiredKey)).toMatchObject({
      status: 409,
      body: { error: { code: "RESERVATION_CLOSED" } },
    });
    expect((await t.prisma.contract.findUniqueOrThrow({ where: { id: secondId } })).status).toBe("EXPIRED");
    expect(await t.prisma.contract.count({ where: { customerId: buyer.id } })).toBe(2);
    // A new key buys again.
    expect(await buy(buyer.id, body)).toMatchObject({ status: 201, body: { status: "PENDING_PAYMENT" } });
  });

  it("an expired checkout event releases the reservation", async () => {
    const { market, contract } = await reserve();
    const res = await applyStripeEvent(t.prisma, {
      id: newEventId(),
      type: "checkout.session.expired",
      data: { object: { id: contract.stripeCheckoutSessionId! } },
    });
    expect(res).toEqual({ duplicate: false, effect: "released" });
    expect((await rigLoads(t.prisma, market.rigIds))[0]?.used).toBe("0");
  });
});
