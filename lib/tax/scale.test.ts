// The tax trigger's cost inside the payout run: the same fleet settled on alternate days with
// the tax trigger on and off (PostgreSQL with DATABASE_URL, else PGlite). Prints the times;
// asserts what the trigger wrote and that it stays set-based (statement-level, no per-row
// trigger or foreign-key check on the rows it inserts).
import { beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import { settleDay } from "../payouts/run";
import { bulkMarket, ensureBtc } from "../testing/fixtures";
import { withTestDatabase } from "../testing/test-database";

const CONTRACTS = 10_000;
const FLEET = { rigs: 50, rigTh: 4_000, customers: 2000, contracts: CONTRACTS, prefix: "tax-scale" };
const DAYS = 4;
const june = (d: number) => new Date(Date.UTC(2025, 5, d));

const big = withTestDatabase({ timeoutMs: 300_000 });
beforeAll(() => ensureBtc(big.prisma), 300_000);

describe("tax lines at scale", () => {
  it(`adds one set-based statement to a ${CONTRACTS}-contract run`, async () => {
    const p = big.prisma;
    const market = await bulkMarket(p, FLEET);
    await p.$executeRaw`
      INSERT INTO rig_telemetry (rig_id, day, reported_hashrate_hs, source, updated_at)
      SELECT r.id, d::date, 4000000000000000, 'SIMULATOR'::telemetry_source, now()
        FROM rigs r, generate_series('2025-06-01'::date, '2025-06-04'::date, interval '1 day') d
       WHERE r.listing_id = ${market.listingId}::uuid`;
    await p.$executeRaw`
      INSERT INTO network_snapshots (coin, day, difficulty, block_time_ms, block_subsidy_base, avg_fees_per_block_base, price_micro_usd, source)
      SELECT 'BTC', d::date, 150000000000000, 600000, 312500000, 10000000, 95000000000 + extract(day FROM d)::bigint * 1000000, 'test'
        FROM generate_series('2025-06-01'::date, '2025-06-04'::date, interval '1 day') d`;

    // PostgreSQL times the trigger function itself (track_functions, for sessions opened from now on).
    if (big.real) {
      const [database] = await p.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`;
      await p.$executeRawUnsafe(`ALTER DATABASE "${database!.name}" SET track_functions = 'pl'`);
    }
    const runner = createPrismaClient(big.url);
    const timings: { on: number[]; off: number[] } = { on: [], off: [] };
    try {
      for (let d = 1; d <= DAYS; d += 1) {
        const on = d % 2 === 1;
        if (!on) await p.$executeRawUnsafe(`ALTER TABLE daily_payouts DISABLE TRIGGER daily_payouts_tax_lines`);
        const run = await settleDay(runner, june(d));
        if (!on) await p.$executeRawUnsafe(`ALTER TABLE daily_payouts ENABLE TRIGGER daily_payouts_tax_lines`);
        expect(run.contractsSettled).toBe(CONTRACTS);
        (on ? timings.on : timings.off).push(run.durationMs);
      }
    } finally {
      await runner.$disconnect();
    }
    const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
    let triggerText = "";
    if (big.real) {
      // Backends report function statistics within a second of going idle.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const [stat] = await p.$queryRaw<{ calls: number; ms: number }[]>`
        SELECT calls::int AS calls, round(total_time)::int AS ms FROM pg_stat_user_functions WHERE funcname = 'tax_record_payouts'`;
      if (stat)
        triggerText = `; the tax trigger itself ${stat.ms} ms over ${stat.calls} calls (${Math.round(stat.ms / (timings.on.length || 1))} ms per run)`;
    }
    console.log(
      `[tax] ${CONTRACTS} contracts/day (${big.real ? "PostgreSQL" : "PGlite"}): run with tax lines ${timings.on.join(", ")} ms ` +
        `(mean ${mean(timings.on)}), without ${timings.off.join(", ")} ms (mean ${mean(timings.off)})${triggerText}`,
    );

    // Days with the trigger on: 3 lines and a lot per payout; days with it off: none.
    const [written] = await p.$queryRaw<{ lines_on: number; lots_on: number; lines_off: number; unmatched: number }[]>`
      SELECT (SELECT count(*)::int FROM tax_lines WHERE day IN ('2025-06-01', '2025-06-03')) AS lines_on,
             (SELECT count(*)::int FROM tax_lots WHERE acquired_on IN ('2025-06-01', '2025-06-03')) AS lots_on,
             (SELECT count(*)::int FROM tax_lines WHERE day IN ('2025-06-02', '2025-06-04')) AS lines_off,
             (SELECT count(*)::int FROM daily_payouts p JOIN tax_lots l ON l.payout_id = p.id
               WHERE l.basis_micro_usd <> p.usd_value_at_receipt_micro_usd) AS unmatched`;
    expect(written).toEqual({ lines_on: 2 * 3 * CONTRACTS, lots_on: 2 * CONTRACTS, lines_off: 0, unmatched: 0 });

    // Set-based: the payout trigger is per statement, and nothing fires per inserted row.
    const triggers = await p.$queryRaw<{ table: string; name: string; row_level: boolean; on_insert: boolean }[]>`
      SELECT c.relname::text AS table, t.tgname::text AS name, (t.tgtype & 1) = 1 AS row_level, (t.tgtype & 4) = 4 AS on_insert
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       WHERE c.relname IN ('tax_lines', 'tax_lots') OR t.tgname = 'daily_payouts_tax_lines'
       ORDER BY 1, 2`;
    expect(triggers.filter((t) => t.on_insert && (t.row_level || t.table !== "daily_payouts"))).toEqual([]);
    expect(triggers.find((t) => t.name === "daily_payouts_tax_lines")).toMatchObject({
      row_level: false,
      on_insert: true,
    });
  }, 600_000);
});
