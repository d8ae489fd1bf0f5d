// The dashboard's queries for a customer with 100,000 payouts (100 contracts x 1,000 days)
// among other customers' payouts: timed, and the aggregates still equal the rows' sums
// computed by the database independently. The payout rows are written directly (a bulk
// INSERT ... SELECT): the figures only need to be consistent (gross = net + fees).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createListing, createUser } from "../testing/fixtures";
import { customerActiveContracts, customerBalances, payoutPage, payoutSummary, SUMMARY_DAYS } from "./queries";
import { payoutRollupDrift } from "./rollup";

const CONTRACTS = 100;
const DAYS = 1_000;
const OTHERS = 50;
let t: TestDatabase;
let customerId: string;
let contractIds: string[];

async function bulkContracts(listingId: string, customer: string, count: number): Promise<string[]> {
  const rows = await t.prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO contracts (customer_id, listing_id, coin, hashrate_hs, days, price_micro_usd_per_unit_day,
                           maintenance_fee_micro_usd_per_unit_day, unit_hs, pool_fee_bps, daily_price_micro_usd,
                           total_price_micro_usd, payment_method, status, activated_at, start_day, end_day)
    SELECT ${customer}::uuid, ${listingId}::uuid, 'BTC', 1000000000000, 1000, 19500, 16000, 1000000000000, 150, 19500, 19500000,
           'BALANCE_USD', 'ACTIVE', '2024-01-01', '2024-01-02', '2026-09-28'
      FROM generate_series(1, ${count})
    RETURNING id`;
  return rows.map((r) => r.id);
}

async function bulkPayouts(ids: string[], runId: string) {
  await t.prisma.$executeRaw`
    INSERT INTO daily_payouts (run_id, contract_id, day, coin, allocated_hashrate_hs, delivered_hashrate_hs, network_hashrate_hs,
      block_time_ms, block_subsidy_base, avg_fees_per_block_base, price_micro_usd, decimals, pool_fee_bps,
      maintenance_fee_micro_usd_per_unit_day, unit_hs, daily_price_micro_usd, gross_base, pool_fee_base,
      maintenance_fee_base, net_base, computed_gross_base, computed_pool_fee_base, computed_maintenance_fee_base,
      curtailed, hashrate_source, under_delivery_credit_micro_usd, usd_value_at_receipt_micro_usd)
    SELECT ${runId}::uuid, c.id, date '2024-01-02' + d::int, 'BTC', 1000000000000, 990000000000 + (d % 7) * 1000000000,
           1088000000000000000000, 600000, 312500000, 2500000, 95000000000, 8, 150, 16000, 1000000000000, 19500,
           420 + d % 13, 7, 170, 243 + d % 13, 420 + d % 13, 7, 170, false, 'TELEMETRY', d % 5, (243 + d % 13) * 950
      FROM unnest(${ids}::uuid[]) AS c(id) CROSS JOIN generate_series(0::bigint, ${DAYS - 1}::bigint) AS d`;
}

beforeAll(async () => {
  t = await createTestDatabase();
  const market = await createListing(t.prisma, { rigsTh: [100] });
  const customer = await createUser(t.prisma);
  customerId = customer.id;
  const run = await t.prisma.payoutRun.create({ data: { day: new Date("2024-01-02"), status: "COMPLETED" } });
  contractIds = await bulkContracts(market.listingId, customerId, CONTRACTS);
  await bulkPayouts(contractIds, run.id);
  // Other customers' payouts in the same table.
  for (let i = 0; i < OTHERS; i += 10) {
    const other = await createUser(t.prisma);
    await bulkPayouts(await bulkContracts(market.listingId, other.id, 10), run.id);
  }
  await t.prisma.$executeRawUnsafe("VACUUM ANALYZE daily_payouts");
  await t.prisma.$executeRawUnsafe("ANALYZE contracts");
  if (process.env.KEEP_SCALE_DB) console.log(`[dashboard scale] database ${t.url} customer ${customerId}`);
}, 600_000);
afterAll(() => (process.env.KEEP_SCALE_DB ? t?.prisma.$disconnect() : t?.drop()));

/** Runs `fn` and logs its median and p95 time. Timings are printed, never asserted: speed
 * targets belong in benchmark scripts, not in tests that a busy machine can fail. */
async function timed(label: string, runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const value = times[Math.ceil(runs * 0.95) - 1]!;
  console.log(
    `[dashboard scale] ${label}: p50 ${times[Math.floor(runs / 2)]!.toFixed(1)} ms, p95 ${value.toFixed(1)} ms`,
  );
  return times[Math.floor(runs / 2)]!;
}

describe("dashboard with 100,000 payouts", () => {
  it("aggregates in SQL: totals equal the database's own sums; the per-day sums table matches", async () => {
    expect(await payoutRollupDrift(t.prisma, customerId)).toEqual([]);
    const [btc] = await payoutSummary(t.prisma, customerId);
    const [check] = await t.prisma.$queryRaw<{ n: bigint; net: string; gross: string; credit: string }[]>`
      SELECT count(*) AS n, sum(net_base)::text AS net, sum(gross_base)::text AS gross, sum(under_delivery_credit_micro_usd)::text AS credit
        FROM daily_payouts WHERE contract_id = ANY(${contractIds}::uuid[])`;
    expect(btc!.totals.payouts).toBe(CONTRACTS * DAYS);
    expect(Number(check!.n)).toBe(CONTRACTS * DAYS);
    expect(btc!.totals.netBase).toBe(BigInt(check!.net));
    expect(btc!.totals.grossBase).toBe(BigInt(check!.gross));
    expect(btc!.totals.underDeliveryCreditMicroUsd).toBe(BigInt(check!.credit));
    expect(btc!.days).toHaveLength(SUMMARY_DAYS);
    expect(btc!.days[0]!.payouts).toBe(CONTRACTS);
    const windowNet = btc!.days.reduce((s, d) => s + d.netBase, 0n);
    expect(btc!.beforeWindow.netBase + windowNet).toBe(BigInt(check!.net));
  });

  it("deep pages return exactly the rows of a plain offset query (timings printed)", async () => {
    const results = {
      summary: await timed("payoutSummary (all contracts)", 20, () => payoutSummary(t.prisma, customerId)),
      summaryOne: await timed("payoutSummary (one contract)", 20, () =>
        payoutSummary(t.prisma, customerId, contractIds[3]!),
      ),
      first: await timed("payoutPage 1", 20, () => payoutPage(t.prisma, customerId, { page: 1 })),
      deep: await timed("payoutPage 2000 (offset 49,975)", 20, () => payoutPage(t.prisma, customerId, { page: 2000 })),
      filtered: await timed("payoutPage 30, one contract", 20, () =>
        payoutPage(t.prisma, customerId, { page: 30, contractId: contractIds[7]! }),
      ),
      contracts: await timed("customerActiveContracts", 20, () => customerActiveContracts(t.prisma, customerId)),
      balances: await timed("customerBalances", 20, () => customerBalances(t.prisma, customerId)),
    };
    const deepPage = await payoutPage(t.prisma, customerId, { page: 2000 });
    const plain = await t.prisma.$queryRaw<{ id: bigint }[]>`
      SELECT id FROM daily_payouts WHERE contract_id = ANY(${contractIds}::uuid[]) ORDER BY day DESC, contract_id OFFSET 49975 LIMIT 25`;
    expect(deepPage.map((r) => r.id)).toEqual(plain.map((r) => r.id));
    expect(await payoutPage(t.prisma, customerId, { page: 4001 })).toEqual([]);
    expect(Object.keys(results)).toHaveLength(7);
  });
});
