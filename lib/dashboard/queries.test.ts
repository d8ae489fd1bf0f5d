// The customer dashboard's queries on the seeded demo (real PostgreSQL): balances equal the
// ledger, contract progress, aggregates equal the sum of the payout rows, pagination covers
// every row once in a stable order, ownership, and the payout explanation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decimalToBigInt } from "../db/decimal";
import { utcDayNumber } from "../demo/network";
import { seedDemoData } from "../demo/seed";
import { balanceOf } from "../ledger/ledger";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createUser } from "../testing/fixtures";
import { explainPayout, loadPayoutExplanation } from "./explain";
import {
  customerActiveContracts,
  customerBalances,
  customerContractOptions,
  daysElapsed,
  payoutPage,
  payoutSummary,
} from "./queries";
import { payoutRollupDrift } from "./rollup";

const TODAY = new Date("2026-11-23T15:30:00Z");
let t: TestDatabase;
let customerId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma, { today: TODAY });
  customerId = (await t.prisma.user.findUniqueOrThrow({ where: { email: "customer@hashlease.test" } })).id;
});
afterAll(() => t?.drop());

async function allPayoutRows(contractId?: string) {
  const rows = await t.prisma.dailyPayout.findMany({
    where: { contract: { customerId }, ...(contractId ? { contractId } : {}) },
  });
  return rows.sort(
    (a, b) =>
      b.day.getTime() - a.day.getTime() || (a.contractId < b.contractId ? -1 : a.contractId > b.contractId ? 1 : 0),
  );
}

describe("customerBalances", () => {
  it("equals the ledger per asset, USD first, with coin values at the latest price", async () => {
    const balances = await customerBalances(t.prisma, customerId);
    expect(balances[0]!.asset).toBe("USD");
    expect(balances.map((b) => b.asset).sort()).toEqual(["BTC", "KAS", "LTC", "USD"]);
    for (const b of balances) {
      expect(b.available).toBe(
        await balanceOf(t.prisma, { type: "USER_AVAILABLE", asset: b.asset, userId: customerId }),
      );
      expect(b.held).toBe(await balanceOf(t.prisma, { type: "USER_HELD", asset: b.asset, userId: customerId }));
      if (b.asset === "USD") {
        expect(b.usdValueMicroUsd).toBe(b.available + b.held);
        continue;
      }
      const latest = await t.prisma.networkSnapshot.findFirstOrThrow({
        where: { coin: b.asset },
        orderBy: { day: "desc" },
      });
      expect(b.priceMicroUsd).toBe(latest.priceMicroUsd);
      expect(b.usdValueMicroUsd).toBe(((b.available + b.held) * latest.priceMicroUsd) / 10n ** BigInt(b.decimals));
    }
  });

  it("shows held funds and nothing for a customer without accounts", async () => {
    const other = await createUser(t.prisma);
    expect(await customerBalances(t.prisma, other.id)).toEqual([]);
    await t.prisma.$transaction(async (tx) => {
      const { postJournal } = await import("../ledger/ledger");
      await postJournal(tx, {
        kind: "DEPOSIT",
        description: "test",
        referenceType: "test",
        referenceId: other.id,
        postings: [
          { account: { type: "STRIPE_CLEARING", asset: "USD", userId: null }, amount: -5_000_000n },
          { account: { type: "USER_AVAILABLE", asset: "USD", userId: other.id }, amount: 3_000_000n },
          { account: { type: "USER_HELD", asset: "USD", userId: other.id }, amount: 2_000_000n },
        ],
      });
    });
    expect(await customerBalances(t.prisma, other.id)).toEqual([
      {
        asset: "USD",
        decimals: 6,
        available: 3_000_000n,
        held: 2_000_000n,
        priceMicroUsd: null,
        usdValueMicroUsd: 5_000_000n,
      },
    ]);
  });
});

describe("customerActiveContracts", () => {
  it("lists the active contracts with days elapsed, payouts so far, listing and operator", async () => {
    const contracts = await customerActiveContracts(t.prisma, customerId, TODAY);
    expect(contracts).toHaveLength(4); // the demo customer's four, the curtailed Reykjanes KAS contract among them
    for (const c of contracts) {
      const elapsed = utcDayNumber(TODAY) - utcDayNumber(c.startDay!);
      expect(c.daysElapsed).toBe(elapsed);
      expect(await t.prisma.dailyPayout.count({ where: { contractId: c.id } })).toBe(elapsed);
      expect(c.listingTitle.length).toBeGreaterThan(0);
      expect(c.operatorName.length).toBeGreaterThan(0);
    }
    expect(await customerActiveContracts(t.prisma, (await createUser(t.prisma)).id, TODAY)).toEqual([]);
    const options = await customerContractOptions(t.prisma, customerId);
    expect(options.map((o) => o.id).sort()).toEqual(contracts.map((c) => c.id).sort());
  });

  it("daysElapsed clamps to the term", () => {
    const start = new Date("2026-11-10T00:00:00Z");
    expect(daysElapsed(start, 30, new Date("2026-11-09T23:59:59Z"))).toBe(0);
    expect(daysElapsed(start, 30, new Date("2026-11-10T12:00:00Z"))).toBe(0);
    expect(daysElapsed(start, 30, new Date("2026-11-11T00:00:00Z"))).toBe(1);
    expect(daysElapsed(start, 30, new Date("2027-01-01T00:00:00Z"))).toBe(30);
    expect(daysElapsed(null, 30, TODAY)).toBe(0);
  });
});

describe("payoutSummary", () => {
  it("per-coin totals and per-day sums equal the sums of the payout rows", async () => {
    const rows = await allPayoutRows();
    const summary = await payoutSummary(t.prisma, customerId);
    expect(summary.map((s) => s.coin).sort()).toEqual(["BTC", "KAS", "LTC"]);
    for (const coin of summary) {
      const mine = rows.filter((r) => r.coin === coin.coin);
      const sum = (pick: (r: (typeof rows)[number]) => bigint) => mine.reduce((s, r) => s + pick(r), 0n);
      expect(coin.totals).toEqual({
        payouts: mine.length,
        curtailed: mine.filter((r) => r.curtailed).length,
        allocatedHs: sum((r) => r.allocatedHashrateHs),
        deliveredHs: sum((r) => r.deliveredHashrateHs),
        grossBase: sum((r) => decimalToBigInt(r.grossBase)),
        poolFeeBase: sum((r) => decimalToBigInt(r.poolFeeBase)),
        maintenanceFeeBase: sum((r) => decimalToBigInt(r.maintenanceFeeBase)),
        netBase: sum((r) => decimalToBigInt(r.netBase)),
        underDeliveryCreditMicroUsd: sum((r) => r.underDeliveryCreditMicroUsd),
        usdValueMicroUsd: sum((r) => r.usdValueAtReceiptMicroUsd),
      });
      expect(coin.totals.netBase).toBe(
        await balanceOf(t.prisma, { type: "USER_AVAILABLE", asset: coin.coin, userId: customerId }),
      );
      for (const day of coin.days) {
        const those = mine.filter((r) => r.day.getTime() === day.day.getTime());
        expect(day.payouts).toBe(those.length);
        expect(day.netBase).toBe(those.reduce((s, r) => s + decimalToBigInt(r.netBase), 0n));
        expect(day.deliveredHs).toBe(those.reduce((s, r) => s + r.deliveredHashrateHs, 0n));
      }
      expect(coin.days.map((d) => d.day.getTime())).toEqual(
        [...coin.days.map((d) => d.day.getTime())].sort((a, b) => a - b),
      );
    }
  });

  it("returns the last days one by one and what came before them, which add up to the totals", async () => {
    const all = await payoutSummary(t.prisma, customerId);
    const recent = await payoutSummary(t.prisma, customerId, null, 5);
    for (const coin of recent) {
      const full = all.find((s) => s.coin === coin.coin)!;
      expect(coin.totals).toEqual(full.totals);
      expect(coin.days).toEqual(full.days.slice(-5));
      expect(full.beforeWindow).toEqual({ netBase: 0n, usdValueMicroUsd: 0n });
      expect(coin.beforeWindow.netBase + coin.days.reduce((s, d) => s + d.netBase, 0n)).toBe(coin.totals.netBase);
      expect(coin.beforeWindow.usdValueMicroUsd + coin.days.reduce((s, d) => s + d.usdValueMicroUsd, 0n)).toBe(
        coin.totals.usdValueMicroUsd,
      );
    }
  });

  it("narrows to one of the customer's contracts, and to nothing for another customer's", async () => {
    const [contract] = await customerActiveContracts(t.prisma, customerId, TODAY);
    const one = await payoutSummary(t.prisma, customerId, contract!.id);
    expect(one).toHaveLength(1);
    const rows = await allPayoutRows(contract!.id);
    expect(one[0]!.totals.payouts).toBe(rows.length);
    expect(one[0]!.totals.netBase).toBe(rows.reduce((s, r) => s + decimalToBigInt(r.netBase), 0n));
    const stranger = await createUser(t.prisma);
    expect(await payoutSummary(t.prisma, stranger.id, contract!.id)).toEqual([]);
    expect(await payoutSummary(t.prisma, stranger.id)).toEqual([]);
  });
});

describe("customer_payout_days (the per-day sums the summary reads)", () => {
  it("matches the payouts, and follows an update or delete of payouts in the same transaction", async () => {
    expect(await payoutRollupDrift(t.prisma)).toEqual([]);
    expect(await t.prisma.customerPayoutDay.count({ where: { customerId } })).toBeGreaterThan(0);
    const [row] = await allPayoutRows();
    class Rollback extends Error {}
    await expect(
      t.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE daily_payouts SET under_delivery_credit_micro_usd = under_delivery_credit_micro_usd + 5 WHERE id = ${row!.id}`;
        expect(await payoutRollupDrift(tx, customerId)).toEqual([]);
        await tx.$executeRaw`DELETE FROM daily_payouts WHERE id = ${row!.id}`;
        expect(await payoutRollupDrift(tx, customerId)).toEqual([]);
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
    // A cache changed behind the triggers' back is reported.
    await t.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`UPDATE customer_payout_days SET net_base = net_base + 1 WHERE customer_id = ${customerId}::uuid AND coin = ${row!.coin}::asset AND day = ${row!.day}`;
      expect(await payoutRollupDrift(tx, customerId)).toEqual([
        { customerId, coin: row!.coin, day: row!.day.toISOString().slice(0, 10) },
      ]);
      await tx.$executeRaw`UPDATE customer_payout_days SET net_base = net_base - 1 WHERE customer_id = ${customerId}::uuid AND coin = ${row!.coin}::asset AND day = ${row!.day}`;
    });
    expect(await payoutRollupDrift(t.prisma)).toEqual([]);
  });
});

describe("payoutPage", () => {
  it("pages through every payout once, newest day first, with a stable order", async () => {
    const rows = await allPayoutRows();
    expect(rows.length).toBeGreaterThan(20);
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const chunk = await payoutPage(t.prisma, customerId, { page, pageSize: 7 });
      if (chunk.length === 0) break;
      expect(chunk.length).toBeLessThanOrEqual(7);
      seen.push(...chunk.map((r) => String(r.id)));
    }
    expect(seen).toEqual(rows.map((r) => String(r.id)));
    const [first] = await payoutPage(t.prisma, customerId, { page: 1 });
    const stored = rows[0]!;
    expect(first).toMatchObject({
      contractId: stored.contractId,
      netBase: decimalToBigInt(stored.netBase),
      grossBase: decimalToBigInt(stored.grossBase),
      poolFeeBase: decimalToBigInt(stored.poolFeeBase),
      maintenanceFeeBase: decimalToBigInt(stored.maintenanceFeeBase),
      underDeliveryCreditMicroUsd: stored.underDeliveryCreditMicroUsd,
      usdValueAtReceiptMicroUsd: stored.usdValueAtReceiptMicroUsd,
      curtailed: stored.curtailed,
      hashrateSource: stored.hashrateSource,
    });
  });

  it("filters by the customer's contract and never shows another customer's", async () => {
    const [contract] = await customerActiveContracts(t.prisma, customerId, TODAY);
    const page = await payoutPage(t.prisma, customerId, { contractId: contract!.id, page: 1, pageSize: 100 });
    expect(page.map((r) => String(r.id))).toEqual((await allPayoutRows(contract!.id)).map((r) => String(r.id)));
    const stranger = await createUser(t.prisma);
    expect(await payoutPage(t.prisma, stranger.id, { contractId: contract!.id, page: 1 })).toEqual([]);
    expect(await payoutPage(t.prisma, stranger.id, { page: 1 })).toEqual([]);
  });
});

describe("payout explanation", () => {
  it("recomputes every demo payout from its stored inputs and finds every figure equal", async () => {
    const rows = await allPayoutRows();
    for (const row of rows) {
      const loaded = await loadPayoutExplanation(t.prisma, customerId, row.id);
      expect(loaded, String(row.id)).not.toBeNull();
      const e = loaded!.explanation;
      expect(e.allMatch).toBe(true);
      expect(e.deliveredMatches).toBe(true);
      expect(e.allocations.length).toBeGreaterThan(0);
      if (row.coin !== "KAS") expect(e.networkFromDifficultyHs).toBe(decimalToBigInt(row.networkHashrateHs));
      expect(e.recomputed.netBase).toBe(decimalToBigInt(row.netBase));
    }
  });

  it("is not found for another customer, and flags a stored figure that does not recompute", async () => {
    const rows = await allPayoutRows();
    const stranger = await createUser(t.prisma);
    expect(await loadPayoutExplanation(t.prisma, stranger.id, rows[0]!.id)).toBeNull();
    const loaded = (await loadPayoutExplanation(t.prisma, customerId, rows[0]!.id))!;
    const tampered = explainPayout(
      { ...loaded.explanation.payout, netBase: loaded.explanation.payout.netBase + 1n },
      loaded.explanation.allocations,
      loaded.explanation.difficulty,
    );
    expect(tampered.allMatch).toBe(false);
    expect(tampered.matches.netBase).toBe(false);
    expect(tampered.matches.grossBase).toBe(true);
  });

  it("a curtailed or zero-delivery day recomputes too", async () => {
    const base = (await loadPayoutExplanation(t.prisma, customerId, (await allPayoutRows())[0]!.id))!.explanation
      .payout;
    const zero = explainPayout(
      {
        ...base,
        deliveredHashrateHs: 0n,
        grossBase: 0n,
        poolFeeBase: 0n,
        maintenanceFeeBase: 0n,
        netBase: 0n,
        curtailed: false,
        usdValueAtReceiptMicroUsd: 0n,
        underDeliveryCreditMicroUsd: base.dailyPriceMicroUsd,
      },
      [
        {
          rigLabel: "rig",
          allocHs: base.allocatedHashrateHs,
          nominalHs: base.allocatedHashrateHs,
          reportedHs: null,
          source: null,
          measured: false,
          acceptedShares: null,
          changedAfterSettlement: false,
        },
      ],
      null,
    );
    expect(zero.allMatch).toBe(true);
    expect(zero.deliveredMatches).toBe(true);
    const curtailed = explainPayout(
      {
        ...base,
        priceMicroUsd: 1n,
        grossBase: 0n,
        poolFeeBase: 0n,
        maintenanceFeeBase: 0n,
        netBase: 0n,
        curtailed: true,
        usdValueAtReceiptMicroUsd: 0n,
      },
      [],
      null,
    );
    expect(curtailed.curtailed).toBe(true);
    expect(curtailed.allMatch).toBe(true);
  });
});
