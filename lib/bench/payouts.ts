// npm run bench:payouts -- --contracts N [--naive-sample S] [--keep]   (BENCH_DATABASE names the scratch database)
// The daily payout run against its two yardsticks, on real PostgreSQL (DATABASE_URL's server,
// default postgresql://postgres:postgres@127.0.0.1:5432/postgres):
//  1. builds a fresh database with N ACTIVE contracts (BTC and LTC, set-based SQL: customers,
//     operators, listings, rigs, allocations, telemetry, network snapshots, ledger accounts);
//  2. times settleDay (lib/payouts/run.ts) for one day;
//  3. times COPY FROM STDIN of exactly the rows the run wrote (its payout rows and posting rows,
//     read back first so shapes and widths are the same) into scratch tables built LIKE the real
//     ones: logged, same indexes and CHECKs, no triggers — what the hardware can ingest at
//     best; then again with the real tables' foreign keys, which every writer must pay;
//  4. times a naive per-contract loop of Prisma ORM calls (read contract, allocations,
//     telemetry, snapshot; formula.ts; create payout; postJournal) over a sample of contracts
//     for the next day, one transaction per contract;
//  5. checks the run: one payout per due contract, figures == formula.ts on a random sample,
//     journals balance, cached balances == postings, no negative balance, totals reconcile.
// Prints the three timings, the ratios against the targets (run <= 2x COPY; naive >= 50x the
// run per contract) and the machine's load. Exit code 1 when a check fails.
import os from "node:os";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { createPrismaClient, type PrismaClient } from "../db/client";
import { bigIntToDecimal, decimalToBigInt } from "../db/decimal";
import { migrate } from "../db/migrate";
import { postJournal, type PostingInput } from "../ledger/ledger";
import {
  deliveredHashrate,
  settleDay as formulaDay,
  payoutHashrateSource,
  rigDayHashrate,
  type NetworkInputs,
} from "../payouts/formula";
import { settleDay, type RunSummary } from "../payouts/run";
import { DAY_MS, dayText } from "../shared/days";
import { ensureBtc } from "../testing/fixtures";
import { dropDatabase, freshDatabase } from "../testing/scratch-database";
import { loadText, printResult, runBench } from "./server";

const DAY = new Date(Date.UTC(2025, 5, 1)); // the day the run settles
const NEXT_DAY = new Date(Date.UTC(2025, 5, 2)); // the day the naive loop settles for its sample
const DATABASE = process.env.BENCH_DATABASE ?? "hashlease_bench_payouts";
const CONTRACTS_PER_RIG = 8;
const CONTRACTS_PER_CUSTOMER = 4;
const CONTRACTS_PER_OPERATOR = 20_000;
const FORMULA_SAMPLE = 500;

interface Options {
  contracts: number;
  naiveSample: number;
  keep: boolean;
}

function usage(message: string): never {
  console.error(`${message}\nusage: npm run bench:payouts -- --contracts N [--naive-sample S] [--keep]`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const options: Options = { contracts: 100_000, naiveSample: 10_000, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    if (flag === "--keep") {
      options.keep = true;
      continue;
    }
    if (flag !== "--contracts" && flag !== "--naive-sample") usage(`unknown argument: ${arg}`);
    const text = inline ?? argv[++i];
    const value = Number(text?.replaceAll("_", ""));
    if (!Number.isSafeInteger(value) || value < 1) usage(`${flag} needs a positive integer, got "${text}"`);
    if (flag === "--contracts") options.contracts = value;
    else options.naiveSample = value;
  }
  return options;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
// The fleet, set-based. Per contract: one allocation (every 10th is split over two rigs of its
// listing), CONTRACTS_PER_RIG contracts per rig, CONTRACTS_PER_CUSTOMER per customer; 4 in 5
// mine BTC, 1 in 5 LTC; 1 in 20 pays a maintenance fee above what it mines (curtailed); 1 in
// 100 ends on the settled day (completes). Rigs: 1 in 100 sends no telemetry, 1 in 5 reports
// 87 % of nominal, 1 in 10 above nominal (capped by the formula). Ledger accounts exist, as on
// any day after a contract's first. Foreign keys and the per-row capacity trigger are skipped
// while loading (session_replication_role = replica); oversell is checked right after.
async function buildFleet(client: pg.Client, contracts: number): Promise<void> {
  const rigs = Math.ceil(contracts / CONTRACTS_PER_RIG);
  const customers = Math.ceil(contracts / CONTRACTS_PER_CUSTOMER);
  const operators = Math.ceil(contracts / CONTRACTS_PER_OPERATOR);
  const listings = operators * 2; // one BTC and one LTC listing per operator
  const day = dayText(DAY);
  await client.query("BEGIN");
  await client.query("SET LOCAL session_replication_role = replica");
  await client.query(`
    INSERT INTO coins (asset, name, algorithm, decimals, difficulty_based, pool_fee_bps, hashrate_unit_hs, hashrate_unit_label,
                       withdrawal_min_base, withdrawal_fee_base, review_threshold_base, daily_limit_base)
    VALUES ('LTC', 'Litecoin', 'SCRYPT', 8, true, 100, 1000000000, 'GH/s', 1000000, 100000, 10000000000, 100000000000)
    ON CONFLICT (asset) DO NOTHING`);
  await client.query(
    `
    INSERT INTO users (id, email, name, password_hash, roles)
    SELECT gen_random_uuid(), 'operator-' || g || '@bench.test', 'Operator ' || g, 'x', ARRAY['OPERATOR']::role[]
      FROM generate_series(1, $1::int) g`,
    [operators],
  );
  await client.query(
    `
    INSERT INTO users (id, email, name, password_hash)
    SELECT gen_random_uuid(), 'customer-' || g || '@bench.test', 'Customer ' || g, 'x' FROM generate_series(1, $1::int) g`,
    [customers],
  );
  await client.query(`
    CREATE TEMP TABLE bench_operators AS
    SELECT id, substring(email FROM 'operator-(\\d+)@')::int AS n FROM users WHERE email LIKE 'operator-%@bench.test'`);
  await client.query(`
    CREATE TEMP TABLE bench_customers AS
    SELECT id, substring(email FROM 'customer-(\\d+)@')::int AS n FROM users WHERE email LIKE 'customer-%@bench.test'`);
  await client.query("CREATE UNIQUE INDEX ON bench_customers (n)");
  await client.query(`
    INSERT INTO facilities (operator_id, name, location, country_code, power_price_micro_usd_per_kwh)
    SELECT id, 'Bench site ' || n, 'Luleå, Sweden', 'SE', 35000 FROM bench_operators`);
  // Listing n (1-based) belongs to operator ceil(n / 2); odd n mine BTC, even n LTC.
  await client.query(
    `
    CREATE TEMP TABLE bench_listings AS
    SELECT gen_random_uuid() AS id, g AS n, o.id AS operator_id, f.id AS facility_id,
           CASE WHEN g % 2 = 1 THEN 'BTC' ELSE 'LTC' END::asset AS coin,
           CASE WHEN g % 2 = 1 THEN 'SHA256' ELSE 'SCRYPT' END::algorithm AS algorithm,
           CASE WHEN g % 2 = 1 THEN 1000000000000 ELSE 1000000000 END::bigint AS unit_hs,
           CASE WHEN g % 2 = 1 THEN 19500 ELSE 2500 END::bigint AS price,
           CASE WHEN g % 2 = 1 THEN 16000 ELSE 1500 END::bigint AS fee,
           CASE WHEN g % 2 = 1 THEN 150 ELSE 100 END AS pool_fee_bps
      FROM generate_series(1, $1::int) g
      JOIN bench_operators o ON o.n = (g + 1) / 2
      JOIN facilities f ON f.operator_id = o.id`,
    [listings],
  );
  await client.query(`
    INSERT INTO listings (id, operator_id, coin, algorithm, title, price_micro_usd_per_unit_day, maintenance_fee_micro_usd_per_unit_day,
                          min_days, max_days, min_hashrate_hs, status)
    SELECT id, operator_id, coin, algorithm, 'Bench fleet ' || n, price, fee, 1, 365, unit_hs, 'PUBLISHED' FROM bench_listings`);
  // Rigs in groups of five, four BTC and one LTC, group k at operator k % operators + 1; rig
  // r + 5 * operators is in the same listing. 2,000 units nominal: at most 8 contracts of <= 100
  // units plus 8 halves of split ones.
  await client.query(
    `
    CREATE TEMP TABLE bench_rigs AS
    SELECT gen_random_uuid() AS id, r, l.id AS listing_id, l.facility_id, l.coin, l.algorithm, l.unit_hs,
           l.price, l.fee, l.pool_fee_bps, 2000 * l.unit_hs AS nominal
      FROM generate_series(0, $1::int - 1) r
      JOIN bench_listings l ON l.n = 2 * ((r / 5) % $2::int) + CASE WHEN r % 5 = 4 THEN 2 ELSE 1 END`,
    [rigs, operators],
  );
  await client.query("CREATE UNIQUE INDEX ON bench_rigs (r)");
  await client.query(`
    INSERT INTO rigs (id, facility_id, listing_id, model, serial_number, algorithm, nominal_hashrate_hs, power_draw_w)
    SELECT id, facility_id, listing_id, CASE WHEN coin = 'BTC' THEN 'Antminer S21' ELSE 'Antminer L9' END, 'bench-' || r, algorithm, nominal, 3500
      FROM bench_rigs`);
  // Contract g (1-based) runs on rig (g - 1) % rigs; every 10th is split half and half with
  // the partner rig r + 5 * operators of the same listing (when there is one).
  await client.query(
    `
    CREATE TEMP TABLE bench_contracts AS
    SELECT gen_random_uuid() AS id, g, c.id AS customer_id, r.listing_id, r.coin, r.unit_hs, r.pool_fee_bps, r.price,
           r.id AS rig_id, CASE WHEN g % 10 = 0 THEN partner.id END AS partner_rig_id,
           (5 + (g::bigint * 7919) % 96) AS units,
           CASE WHEN g % 20 = 7 THEN CASE WHEN r.coin = 'BTC' THEN 60000 ELSE 600000 END ELSE r.fee END::bigint AS fee,
           CASE WHEN g % 100 = 3 THEN $3::date - 29 ELSE $3::date - 17 END AS start_day,
           CASE WHEN g % 100 = 3 THEN 30 ELSE 90 END AS days
      FROM generate_series(1, $1::int) g
      JOIN bench_rigs r ON r.r = (g - 1) % $2::int
      LEFT JOIN bench_rigs partner ON partner.r = (r.r + 5 * $5::int) % $2::int AND partner.listing_id = r.listing_id AND partner.r <> r.r
      JOIN bench_customers c ON c.n = (g - 1) % $4::int + 1`,
    [contracts, rigs, day, customers, operators],
  );
  await client.query(`
    INSERT INTO contracts (id, customer_id, listing_id, coin, hashrate_hs, days, price_micro_usd_per_unit_day,
                           maintenance_fee_micro_usd_per_unit_day, unit_hs, pool_fee_bps, daily_price_micro_usd, total_price_micro_usd,
                           payment_method, status, activated_at, start_day, end_day)
    SELECT id, customer_id, listing_id, coin, units * unit_hs, days, price, fee, unit_hs, pool_fee_bps, units * price, units * price * days,
           'BALANCE_USD', 'ACTIVE', (start_day - 1)::timestamp AT TIME ZONE 'UTC' + interval '12 hours', start_day, start_day + days - 1
      FROM bench_contracts`);
  await client.query(`
    INSERT INTO allocations (contract_id, rig_id, hashrate_hs, status, created_at)
    SELECT c.id, a.rig_id, a.hashrate_hs, 'LIVE', (c.start_day - 1)::timestamp AT TIME ZONE 'UTC' + interval '12 hours'
      FROM bench_contracts c
     CROSS JOIN LATERAL (VALUES
       (c.rig_id, CASE WHEN c.partner_rig_id IS NULL THEN c.units * c.unit_hs ELSE c.units * c.unit_hs / 2 END),
       (c.partner_rig_id, c.units * c.unit_hs - c.units * c.unit_hs / 2)
     ) a(rig_id, hashrate_hs)
     WHERE a.rig_id IS NOT NULL`);
  for (const d of [DAY, NEXT_DAY]) {
    await client.query(
      `
      INSERT INTO rig_telemetry (rig_id, day, reported_hashrate_hs, uptime_bps, source)
      SELECT id, $1::date,
             CASE WHEN r % 5 = 1 THEN nominal * 87 / 100 WHEN r % 10 = 2 THEN nominal * 103 / 100 ELSE nominal END,
             CASE WHEN r % 5 = 1 THEN 8700 ELSE 10000 END, 'SIMULATOR'
        FROM bench_rigs WHERE r % 100 <> 50`,
      [dayText(d)],
    );
    await client.query(
      `
      INSERT INTO network_snapshots (coin, day, difficulty, block_time_ms, block_subsidy_base, avg_fees_per_block_base, price_micro_usd, source)
      VALUES ('BTC', $1::date, 150000000000000, 600000, 312500000, 10000000, 95000000000, 'bench'),
             ('LTC', $1::date, 30000000, 150000, 625000000, 1000000, 100000000, 'bench')`,
      [dayText(d)],
    );
  }
  await client.query(`
    INSERT INTO ledger_accounts (type, asset, user_id)
    SELECT 'USER_AVAILABLE'::account_type, a.asset, c.id FROM bench_customers c CROSS JOIN (VALUES ('USD'::asset), ('BTC'::asset), ('LTC'::asset)) a(asset)
    UNION ALL
    SELECT 'OPERATOR_PAYABLE'::account_type, a.asset, o.id FROM bench_operators o CROSS JOIN (VALUES ('USD'::asset), ('BTC'::asset), ('LTC'::asset)) a(asset)
    UNION ALL
    SELECT t.type, a.asset, NULL::uuid FROM (VALUES ('MINING_CLEARING'::account_type), ('POOL_FEES'::account_type), ('PLATFORM_FEES'::account_type)) t(type)
     CROSS JOIN (VALUES ('BTC'::asset), ('LTC'::asset)) a(asset)
    ON CONFLICT DO NOTHING`);
  await client.query("COMMIT");
  const { rows } = await client.query<{ n: string }>(`
    SELECT count(*)::text AS n FROM (
      SELECT r.id FROM rigs r JOIN allocations a ON a.rig_id = r.id AND a.status IN ('RESERVED', 'LIVE')
       GROUP BY r.id, r.nominal_hashrate_hs HAVING sum(a.hashrate_hs) > r.nominal_hashrate_hs) o`);
  if (rows[0]!.n !== "0") throw new Error(`the bench fleet oversells ${rows[0]!.n} rigs`);
  await client.query("VACUUM ANALYZE");
}

// --- (a) COPY of the run's own rows --------------------------------------------------------

const PAYOUT_COLUMNS = [
  "run_id",
  "contract_id",
  "day",
  "coin",
  "allocated_hashrate_hs",
  "delivered_hashrate_hs",
  "network_hashrate_hs",
  "block_time_ms",
  "block_subsidy_base",
  "avg_fees_per_block_base",
  "price_micro_usd",
  "decimals",
  "pool_fee_bps",
  "maintenance_fee_micro_usd_per_unit_day",
  "unit_hs",
  "daily_price_micro_usd",
  "gross_base",
  "pool_fee_base",
  "maintenance_fee_base",
  "net_base",
  "computed_gross_base",
  "computed_pool_fee_base",
  "computed_maintenance_fee_base",
  "curtailed",
  "hashrate_source",
  "under_delivery_credit_micro_usd",
  "usd_value_at_receipt_micro_usd",
  "journal_id",
  "credit_journal_id",
].join(", ");
const POSTING_COLUMNS = "journal_id, account_id, asset, amount";
const JOURNAL_COLUMNS = "id, kind, description, reference_type, reference_id";

async function copyOut(client: pg.Client, sql: string): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  const stream = client.query(copyTo(`COPY (${sql}) TO STDOUT`));
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks;
}

async function copyIn(client: pg.Client, table: string, columns: string, chunks: Buffer[]): Promise<number> {
  const started = performance.now();
  await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`)));
  return performance.now() - started;
}

interface CopyTiming {
  /** payouts + postings, in one transaction with its commit. */
  ms: number;
  payoutMs: number;
  postingMs: number;
}

interface CopyResult {
  payoutRows: number;
  postingRows: number;
  journalRows: number;
  /** Into tables LIKE the real ones: logged, same indexes and CHECKs, no foreign keys or triggers. */
  plain: CopyTiming;
  /** The same plus the real tables' foreign keys (to the real runs, contracts, journals, accounts). */
  withForeignKeys: CopyTiming;
  /** The journal rows (plain), not part of the target's definition; shown for reference. */
  journalMs: number;
}

const FOREIGN_KEYS: Record<string, string[]> = {
  daily_payouts: ["(run_id) REFERENCES payout_runs (id)", "(contract_id) REFERENCES contracts (id)"],
  postings: ["(journal_id) REFERENCES journal_transactions (id)", "(account_id) REFERENCES ledger_accounts (id)"],
};

async function scratchTable(client: pg.Client, table: string, like: string, foreignKeys: boolean): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.query(`CREATE TABLE ${table} (LIKE ${like} INCLUDING ALL)`);
  if (foreignKeys)
    for (const fk of FOREIGN_KEYS[like] ?? []) await client.query(`ALTER TABLE ${table} ADD FOREIGN KEY ${fk}`);
}

async function timeCopyPair(
  client: pg.Client,
  payouts: Buffer[],
  postings: Buffer[],
  foreignKeys: boolean,
): Promise<CopyTiming> {
  const suffix = foreignKeys ? "_fk" : "";
  await scratchTable(client, `bench_copy_payouts${suffix}`, "daily_payouts", foreignKeys);
  await scratchTable(client, `bench_copy_postings${suffix}`, "postings", foreignKeys);
  await client.query("CHECKPOINT");
  const started = performance.now();
  await client.query("BEGIN");
  const payoutMs = await copyIn(client, `bench_copy_payouts${suffix}`, PAYOUT_COLUMNS, payouts);
  const postingMs = await copyIn(client, `bench_copy_postings${suffix}`, POSTING_COLUMNS, postings);
  await client.query("COMMIT");
  return { ms: performance.now() - started, payoutMs, postingMs };
}

async function timeCopy(client: pg.Client, runId: string): Promise<CopyResult> {
  // Exactly the run's rows; id and created_at are left to their defaults, as the run leaves them.
  const payouts = await copyOut(client, `SELECT ${PAYOUT_COLUMNS} FROM daily_payouts WHERE run_id = '${runId}'`);
  const postings = await copyOut(
    client,
    `SELECT ${POSTING_COLUMNS} FROM postings p WHERE p.journal_id IN (
       SELECT journal_id FROM daily_payouts WHERE run_id = '${runId}' AND journal_id IS NOT NULL
       UNION ALL SELECT credit_journal_id FROM daily_payouts WHERE run_id = '${runId}' AND credit_journal_id IS NOT NULL)`,
  );
  const journals = await copyOut(
    client,
    `SELECT ${JOURNAL_COLUMNS} FROM journal_transactions WHERE reference_type = 'daily_payout'
        AND reference_id IN (SELECT id::text FROM daily_payouts WHERE run_id = '${runId}')`,
  );
  const lines = (chunks: Buffer[]) =>
    chunks.reduce((n, c) => n + c.reduce((k, byte) => k + (byte === 10 ? 1 : 0), 0), 0);
  const plain = await timeCopyPair(client, payouts, postings, false);
  const withForeignKeys = await timeCopyPair(client, payouts, postings, true);
  await scratchTable(client, "bench_copy_journals", "journal_transactions", false);
  await client.query("CHECKPOINT");
  const journalStarted = performance.now();
  await client.query("BEGIN");
  await copyIn(client, "bench_copy_journals", JOURNAL_COLUMNS, journals);
  await client.query("COMMIT");
  const journalMs = performance.now() - journalStarted;
  return {
    payoutRows: lines(payouts),
    postingRows: lines(postings),
    journalRows: lines(journals),
    plain,
    withForeignKeys,
    journalMs,
  };
}

// --- (b) the naive loop: one ORM transaction per contract ------------------------------------

async function naiveSettle(prisma: PrismaClient, runId: string, contractId: string, day: Date): Promise<void> {
  const dayEnd = new Date(day.getTime() + DAY_MS);
  await prisma.$transaction(async (tx) => {
    const contract = await tx.contract.findUniqueOrThrow({
      where: { id: contractId },
      include: { listing: { select: { operatorId: true } } },
    });
    const allocations = await tx.allocation.findMany({
      where: {
        contractId,
        createdAt: { lt: dayEnd },
        OR: [
          { status: "LIVE", releasedAt: null },
          { status: "RELEASED", releasedAt: { gte: dayEnd } },
        ],
      },
      include: { rig: { select: { nominalHashrateHs: true } } },
    });
    const telemetry = await tx.rigTelemetry.findMany({
      where: { rigId: { in: allocations.map((a) => a.rigId) }, day },
    });
    const snapshot = await tx.networkSnapshot.findUniqueOrThrow({ where: { coin_day: { coin: contract.coin, day } } });
    const coin = await tx.coin.findUniqueOrThrow({ where: { asset: contract.coin } });
    const shareDays = await tx.rigShareDay.findMany({
      where: { rigId: { in: allocations.map((a) => a.rigId) }, day },
    });
    const reported = new Map(telemetry.map((t) => [t.rigId, t.reportedHashrateHs]));
    const measured = new Map(shareDays.map((m) => [m.rigId, decimalToBigInt(m.acceptedWork)]));
    const rigDays = allocations.map((a) =>
      rigDayHashrate(measured.get(a.rigId) ?? null, reported.get(a.rigId) ?? null),
    );
    const allocated = allocations.reduce((s, a) => s + a.hashrateHs, 0n);
    const delivered = deliveredHashrate(
      allocations.map((a, i) => ({
        allocHs: a.hashrateHs,
        nominalHs: a.rig.nominalHashrateHs,
        reportedHs: rigDays[i]!.hs,
      })),
    );
    const network: NetworkInputs = {
      networkHashrateHs: snapshot.networkHashrateHs === null ? null : decimalToBigInt(snapshot.networkHashrateHs),
      difficulty: snapshot.difficulty === null ? null : decimalToBigInt(snapshot.difficulty),
      blockTimeMs: BigInt(snapshot.blockTimeMs),
      blockSubsidyBase: decimalToBigInt(snapshot.blockSubsidyBase),
      avgFeesPerBlockBase: decimalToBigInt(snapshot.avgFeesPerBlockBase),
      priceMicroUsd: snapshot.priceMicroUsd,
    };
    const f = formulaDay({
      contractedHs: allocated,
      deliveredHs: delivered,
      network,
      decimals: BigInt(coin.decimals),
      poolFeeBps: BigInt(contract.poolFeeBps),
      maintenanceFeeMicroUsdPerUnitDay: contract.maintenanceFeeMicroUsdPerUnitDay,
      unitHs: contract.unitHs,
      dailyPriceMicroUsd: contract.dailyPriceMicroUsd,
    });
    const payout = await tx.dailyPayout.create({
      data: {
        runId,
        contractId,
        day,
        coin: contract.coin,
        allocatedHashrateHs: allocated,
        deliveredHashrateHs: delivered,
        networkHashrateHs: bigIntToDecimal(snapshot.networkHashrateHs === null ? 0n : network.networkHashrateHs!),
        blockTimeMs: snapshot.blockTimeMs,
        blockSubsidyBase: snapshot.blockSubsidyBase,
        avgFeesPerBlockBase: snapshot.avgFeesPerBlockBase,
        priceMicroUsd: snapshot.priceMicroUsd,
        decimals: coin.decimals,
        poolFeeBps: contract.poolFeeBps,
        maintenanceFeeMicroUsdPerUnitDay: contract.maintenanceFeeMicroUsdPerUnitDay,
        unitHs: contract.unitHs,
        dailyPriceMicroUsd: contract.dailyPriceMicroUsd,
        computedGrossBase: bigIntToDecimal(f.computedGrossBase),
        computedPoolFeeBase: bigIntToDecimal(f.computedPoolFeeBase),
        computedMaintenanceFeeBase: bigIntToDecimal(f.computedMaintenanceFeeBase),
        grossBase: bigIntToDecimal(f.grossBase),
        poolFeeBase: bigIntToDecimal(f.poolFeeBase),
        maintenanceFeeBase: bigIntToDecimal(f.maintenanceFeeBase),
        netBase: bigIntToDecimal(f.netBase),
        curtailed: f.curtailed,
        hashrateSource: payoutHashrateSource(rigDays.map((r) => r.source)),
        underDeliveryCreditMicroUsd: f.underDeliveryCreditMicroUsd,
        usdValueAtReceiptMicroUsd: f.usdValueAtReceiptMicroUsd,
      },
      select: { id: true },
    });
    await tx.dailyPayoutAllocation.createMany({
      data: allocations.map((a, i) => {
        const rigDay = rigDays[i]!;
        const telemetryHs = reported.get(a.rigId) ?? null;
        return {
          payoutId: payout.id,
          allocationId: a.id,
          rigId: a.rigId,
          allocatedHashrateHs: a.hashrateHs,
          nominalHashrateHs: a.rig.nominalHashrateHs,
          reportedHashrateHs: rigDay.hs,
          telemetryHashrateHs: telemetryHs,
          acceptedWork: rigDay.source === "SHARES" ? bigIntToDecimal(measured.get(a.rigId)!) : null,
          source: rigDay.source,
          deliveredHashrateHs: deliveredHashrate([
            { allocHs: a.hashrateHs, nominalHs: a.rig.nominalHashrateHs, reportedHs: rigDay.hs },
          ]),
        };
      }),
    });
    let journalId: string | null = null;
    let creditJournalId: string | null = null;
    if (f.grossBase > 0n) {
      const postings: PostingInput[] = [
        { account: { type: "MINING_CLEARING", asset: contract.coin, userId: null }, amount: -f.grossBase },
        { account: { type: "USER_AVAILABLE", asset: contract.coin, userId: contract.customerId }, amount: f.netBase },
        { account: { type: "POOL_FEES", asset: contract.coin, userId: null }, amount: f.poolFeeBase },
        {
          account: { type: "OPERATOR_PAYABLE", asset: contract.coin, userId: contract.listing.operatorId },
          amount: f.maintenanceFeeBase,
        },
      ];
      journalId = await postJournal(tx, {
        kind: "PAYOUT",
        description: `Payout for ${dayText(day)}, contract ${contractId}`,
        referenceType: "daily_payout",
        referenceId: payout.id.toString(),
        postings: postings.filter((p) => p.amount !== 0n),
      });
    }
    if (f.underDeliveryCreditMicroUsd > 0n) {
      creditJournalId = await postJournal(tx, {
        kind: "UNDER_DELIVERY_CREDIT",
        description: `Under-delivery credit for ${dayText(day)}, contract ${contractId}`,
        referenceType: "daily_payout",
        referenceId: payout.id.toString(),
        postings: [
          {
            account: { type: "OPERATOR_PAYABLE", asset: "USD", userId: contract.listing.operatorId },
            amount: -f.underDeliveryCreditMicroUsd,
          },
          {
            account: { type: "USER_AVAILABLE", asset: "USD", userId: contract.customerId },
            amount: f.underDeliveryCreditMicroUsd,
          },
        ],
      });
    }
    if (journalId || creditJournalId)
      await tx.dailyPayout.update({ where: { id: payout.id }, data: { journalId, creditJournalId } });
  });
}

async function timeNaive(prisma: PrismaClient, sample: number): Promise<{ contracts: number; ms: number }> {
  const day = dayText(NEXT_DAY);
  const ids = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM contracts WHERE status = 'ACTIVE' AND start_day <= ${day}::date AND end_day >= ${day}::date ORDER BY id LIMIT ${sample}`;
  const run = await prisma.payoutRun.create({ data: { day: NEXT_DAY, status: "RUNNING" }, select: { id: true } });
  const started = performance.now();
  for (const { id } of ids) await naiveSettle(prisma, run.id, id, NEXT_DAY);
  const ms = performance.now() - started;
  await prisma.payoutRun.update({
    where: { id: run.id },
    data: { status: "COMPLETED", contractsSettled: ids.length, finishedAt: new Date() },
  });
  return { contracts: ids.length, ms };
}

// --- correctness of the run -----------------------------------------------------------------

async function checkRun(client: pg.Client, summary: RunSummary, contracts: number): Promise<string[]> {
  const failures: string[] = [];
  await client.query("SET work_mem = '256MB'");
  // The run just wrote millions of rows: without fresh statistics the planner picks nested
  // loops for the checks' joins and they run for hours (seen at 1,000,000 contracts).
  await client.query("ANALYZE daily_payouts, postings, journal_transactions, ledger_accounts");
  const one = async (sql: string, params: unknown[] = []) =>
    (await client.query<Record<string, string>>(sql, params)).rows[0]!;
  const day = dayText(DAY);

  if (summary.contractsSettled !== contracts)
    failures.push(`run settled ${summary.contractsSettled} of ${contracts} contracts`);
  if (summary.contractsUnsettled !== 0) failures.push(`run left ${summary.contractsUnsettled} contracts unsettled`);
  const payouts = await one(
    `SELECT count(*)::text AS n, count(DISTINCT contract_id)::text AS contracts,
            (SELECT count(*) FROM contracts c WHERE c.start_day <= $1::date AND c.end_day >= $1::date
                AND NOT EXISTS (SELECT 1 FROM daily_payouts p WHERE p.contract_id = c.id AND p.day = $1::date))::text AS missing
       FROM daily_payouts WHERE day = $1::date`,
    [day],
  );
  if (payouts.n !== String(contracts) || payouts.contracts !== String(contracts) || payouts.missing !== "0") {
    failures.push(
      `payouts for ${day}: ${payouts.n} rows, ${payouts.contracts} contracts, ${payouts.missing} due contracts without one`,
    );
  }
  // A journal exactly where the figures call for one, each balanced, with the payout's amounts.
  // Set-based (hash joins), so the check stays minutes-free at a million payouts.
  const journals = await one(
    `WITH customer_legs AS (
       SELECT x.journal_id, sum(x.amount) AS amount FROM postings x JOIN ledger_accounts a ON a.id = x.account_id
        WHERE a.type = 'USER_AVAILABLE' GROUP BY x.journal_id)
     SELECT count(*) FILTER (WHERE (p.gross_base > 0) <> (p.journal_id IS NOT NULL))::text AS payout_mismatch,
            count(*) FILTER (WHERE (p.under_delivery_credit_micro_usd > 0) <> (p.credit_journal_id IS NOT NULL))::text AS credit_mismatch,
            count(*) FILTER (WHERE p.journal_id IS NOT NULL AND j.id IS NULL)::text AS orphan,
            count(*) FILTER (WHERE p.journal_id IS NOT NULL AND p.net_base <> COALESCE(c.amount, 0))::text AS net_mismatch
       FROM daily_payouts p
       LEFT JOIN journal_transactions j ON j.id = p.journal_id AND j.kind = 'PAYOUT' AND j.reference_id = p.id::text
       LEFT JOIN customer_legs c ON c.journal_id = p.journal_id
      WHERE p.run_id = $1::uuid`,
    [summary.runId],
  );
  for (const [key, value] of Object.entries(journals))
    if (value !== "0") failures.push(`journals: ${value} payouts with ${key}`);
  const unbalanced = await one(
    `SELECT count(*)::text AS n FROM (SELECT 1 FROM postings GROUP BY journal_id, asset HAVING sum(amount) <> 0) u`,
  );
  if (unbalanced.n !== "0") failures.push(`${unbalanced.n} journals do not balance`);
  const balances = await one(
    `SELECT count(*) FILTER (WHERE a.balance <> COALESCE(s.total, 0))::text AS drift,
            count(*) FILTER (WHERE a.type IN ('USER_AVAILABLE', 'USER_HELD') AND a.balance < 0)::text AS negative
       FROM ledger_accounts a LEFT JOIN (SELECT account_id, sum(amount) AS total FROM postings GROUP BY account_id) s ON s.account_id = a.id`,
  );
  if (balances.drift !== "0") failures.push(`${balances.drift} cached balances differ from their postings`);
  if (balances.negative !== "0") failures.push(`${balances.negative} user balances are negative`);
  // Run totals == the payouts' sums == the clearing accounts' movement; rounding 0.
  for (const total of summary.totals) {
    const sums = await one(
      `SELECT sum(gross_base)::text AS mined, sum(net_base)::text AS net, sum(pool_fee_base)::text AS pool,
              sum(maintenance_fee_base)::text AS maintenance, sum(under_delivery_credit_micro_usd)::text AS credit,
              (SELECT -sum(x.amount) FROM postings x JOIN ledger_accounts a ON a.id = x.account_id
                 JOIN daily_payouts p ON p.journal_id = x.journal_id AND p.run_id = $1::uuid
                WHERE a.type = 'MINING_CLEARING' AND a.asset = $2::asset)::text AS cleared,
              (SELECT mined_base::text FROM payout_run_totals WHERE run_id = $1::uuid AND coin = $2::asset) AS stored
         FROM daily_payouts WHERE run_id = $1::uuid AND coin = $2::asset`,
      [summary.runId, total.coin],
    );
    const mined = String(total.minedBase);
    if (sums.mined !== mined || sums.cleared !== mined || sums.stored !== mined)
      failures.push(
        `${total.coin}: mined ${mined}, payouts ${sums.mined}, cleared ${sums.cleared}, stored ${sums.stored}`,
      );
    if (
      sums.net !== String(total.customerNetBase) ||
      sums.pool !== String(total.poolFeesBase) ||
      sums.maintenance !== String(total.maintenanceFeesBase)
    ) {
      failures.push(`${total.coin}: run totals differ from the payouts' sums`);
    }
    if (
      total.roundingBase !== 0n ||
      total.minedBase !== total.customerNetBase + total.poolFeesBase + total.maintenanceFeesBase
    ) {
      failures.push(`${total.coin}: mined != net + pool fees + maintenance fees + rounding(0)`);
    }
  }
  // Figures == formula.ts on a random sample, from the raw inputs.
  const sample = await client.query<Record<string, string | null>>(
    `SELECT p.*, p.gross_base::text AS gross, p.pool_fee_base::text AS pool, p.maintenance_fee_base::text AS maint, p.net_base::text AS net,
            s.network_hashrate_hs::text AS s_network, s.difficulty::text AS s_difficulty, s.block_time_ms::text AS s_block_time,
            s.block_subsidy_base::text AS s_subsidy, s.avg_fees_per_block_base::text AS s_fees, s.price_micro_usd::text AS s_price,
            k.decimals::text AS k_decimals, c.hashrate_hs::text AS c_hashrate, c.pool_fee_bps::text AS c_bps,
            c.maintenance_fee_micro_usd_per_unit_day::text AS c_fee, c.unit_hs::text AS c_unit, c.daily_price_micro_usd::text AS c_daily,
            (SELECT json_agg(json_build_object('alloc', a.hashrate_hs::text, 'nominal', r.nominal_hashrate_hs::text, 'reported', t.reported_hashrate_hs::text))
               FROM allocations a JOIN rigs r ON r.id = a.rig_id LEFT JOIN rig_telemetry t ON t.rig_id = a.rig_id AND t.day = p.day
              WHERE a.contract_id = p.contract_id)::text AS allocs
       FROM daily_payouts p JOIN contracts c ON c.id = p.contract_id
       JOIN network_snapshots s ON s.coin = p.coin AND s.day = p.day JOIN coins k ON k.asset = p.coin
      WHERE p.run_id = $1::uuid ORDER BY random() LIMIT ${FORMULA_SAMPLE}`,
    [summary.runId],
  );
  let wrong = 0;
  for (const row of sample.rows) {
    const allocs = JSON.parse(row.allocs!) as { alloc: string; nominal: string; reported: string | null }[];
    const delivered = deliveredHashrate(
      allocs.map((a) => ({
        allocHs: BigInt(a.alloc),
        nominalHs: BigInt(a.nominal),
        reportedHs: a.reported === null ? null : BigInt(a.reported),
      })),
    );
    const f = formulaDay({
      contractedHs: BigInt(row.c_hashrate!),
      deliveredHs: delivered,
      network: {
        networkHashrateHs: row.s_network == null ? null : BigInt(row.s_network!),
        difficulty: row.s_difficulty == null ? null : BigInt(row.s_difficulty!),
        blockTimeMs: BigInt(row.s_block_time!),
        blockSubsidyBase: BigInt(row.s_subsidy!),
        avgFeesPerBlockBase: BigInt(row.s_fees!),
        priceMicroUsd: BigInt(row.s_price!),
      },
      decimals: BigInt(row.k_decimals!),
      poolFeeBps: BigInt(row.c_bps!),
      maintenanceFeeMicroUsdPerUnitDay: BigInt(row.c_fee!),
      unitHs: BigInt(row.c_unit!),
      dailyPriceMicroUsd: BigInt(row.c_daily!),
    });
    const expected = [
      delivered,
      f.grossBase,
      f.poolFeeBase,
      f.maintenanceFeeBase,
      f.netBase,
      f.curtailed,
      f.underDeliveryCreditMicroUsd,
      f.usdValueAtReceiptMicroUsd,
    ].map(String);
    const actual = [
      row.delivered_hashrate_hs,
      row.gross,
      row.pool,
      row.maint,
      row.net,
      row.curtailed,
      row.under_delivery_credit_micro_usd,
      row.usd_value_at_receipt_micro_usd,
    ].map(String);
    if (expected.join() !== actual.join()) wrong++;
  }
  if (wrong > 0) failures.push(`${wrong} of ${sample.rows.length} sampled payouts differ from formula.ts`);
  await client.query("RESET work_mem");
  return failures;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const serverUrl = process.env.DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:5432/postgres";
  const loadBefore = loadText();
  const url = await freshDatabase(serverUrl, DATABASE);
  await migrate(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const prisma = createPrismaClient(url);
  let failed = false;
  try {
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
    await ensureBtc(prisma);
    const buildStarted = performance.now();
    await buildFleet(client, options.contracts);
    const buildMs = performance.now() - buildStarted;
    console.log(
      `built ${options.contracts} contracts in ${seconds(buildMs)} (incl. VACUUM ANALYZE); load ${loadText()}`,
    );

    await client.query("CHECKPOINT");
    const loadRun = loadText();
    const summary = await settleDay(prisma, DAY, { now: new Date() });
    const runMs = summary.durationMs;
    console.log(
      `payout run: ${summary.contractsSettled} settled (${summary.contractsCurtailed} curtailed, ${summary.contractsCompleted} completed) in ${seconds(runMs)}`,
    );

    const failures = await checkRun(client, summary, options.contracts);
    const copy = await timeCopy(client, summary.runId);
    console.log(
      `COPY: ${copy.payoutRows} payout + ${copy.postingRows} posting rows in ${seconds(copy.plain.ms)}, ${seconds(copy.withForeignKeys.ms)} with foreign keys`,
    );
    const naive = await timeNaive(prisma, Math.min(options.naiveSample, options.contracts));
    const loadAfter = loadText();

    const runPerContract = runMs / options.contracts;
    const naivePerContract = naive.ms / naive.contracts;
    const copyRatio = runMs / copy.plain.ms;
    const speedup = naivePerContract / runPerContract;
    const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
    const rows: [string, string, string][] = [
      [
        "contracts",
        String(options.contracts),
        `${summary.contractsCurtailed} curtailed, ${summary.contractsCompleted} completed`,
      ],
      ["payout run", seconds(runMs), `${(runPerContract * 1000).toFixed(1)} µs/contract (settleDay, one transaction)`],
      [
        "COPY payouts+postings",
        seconds(copy.plain.ms),
        `${copy.payoutRows} + ${copy.postingRows} rows (payouts ${seconds(copy.plain.payoutMs)}, postings ${seconds(copy.plain.postingMs)})`,
      ],
      [
        "  + foreign keys",
        seconds(copy.withForeignKeys.ms),
        `the same rows with the real tables' 4 foreign keys checked (payouts ${seconds(copy.withForeignKeys.payoutMs)}, postings ${seconds(copy.withForeignKeys.postingMs)})`,
      ],
      ["COPY journals (ref.)", seconds(copy.journalMs), `${copy.journalRows} rows; the run writes these too`],
      ["naive ORM loop", seconds(naive.ms), `${naive.contracts} contracts, ${naivePerContract.toFixed(2)} ms/contract`],
      ["run / COPY", `${copyRatio.toFixed(2)}x`, `target <= 2x: ${verdict(copyRatio <= 2)}`],
      [
        "run / COPY with FKs",
        `${(runMs / copy.withForeignKeys.ms).toFixed(2)}x`,
        "for reference: the floor for any writer into these tables",
      ],
      ["run / (COPY+journals)", `${(runMs / (copy.plain.ms + copy.journalMs)).toFixed(2)}x`, "for reference"],
      ["naive / run", `${speedup.toFixed(0)}x`, `per contract; target >= 50x: ${verdict(speedup >= 50)}`],
      [
        "checks",
        failures.length === 0 ? "ok" : "FAILED",
        failures.length === 0
          ? "one payout each, figures == formula.ts, balanced, balances == postings, totals reconcile"
          : failures.join("; "),
      ],
    ];
    console.log(
      `\nbench:payouts — PostgreSQL ${version}, ${os.cpus().length} CPUs, load avg (1/5/15 min) before ${loadBefore}, at run ${loadRun}, after ${loadAfter}`,
    );
    console.log(
      "COPY targets: logged tables LIKE the real ones (same indexes and CHECKs; no triggers; foreign keys only in the '+ foreign keys' line), rows pre-read into memory, timed with commit, after a CHECKPOINT.",
    );
    console.log(rows.map(([k, v, note]) => `${k.padEnd(22)} ${v.padStart(12)}   ${note}`).join("\n"));
    failed = failures.length > 0;
    printResult({
      bench: "payouts",
      metrics: [
        {
          name: "payout run",
          value: runMs / 1000,
          unit: "s",
          note: `${options.contracts} contracts, ${(runPerContract * 1000).toFixed(1)} µs/contract`,
        },
        {
          name: "COPY payouts+postings",
          value: copy.plain.ms / 1000,
          unit: "s",
          note: `with foreign keys ${seconds(copy.withForeignKeys.ms)}`,
        },
        {
          name: "run / COPY",
          value: copyRatio,
          unit: "x",
          target: "<= 2x",
          met: copyRatio <= 2,
          note: `run / COPY with FKs ${(runMs / copy.withForeignKeys.ms).toFixed(2)}x`,
        },
        {
          name: "naive / run per contract",
          value: speedup,
          unit: "x",
          target: ">= 50x",
          met: speedup >= 50,
          note: `naive sample ${naive.contracts}, ${naivePerContract.toFixed(2)} ms/contract`,
        },
        {
          name: "payout checks",
          value: failures.length,
          unit: "failures",
          target: "0",
          met: failures.length === 0,
          note: failures.join("; ") || undefined,
        },
      ],
      load: { before: loadRun, after: loadAfter },
      ok: !failed,
    });
  } finally {
    await prisma.$disconnect();
    await client.end();
    if (!options.keep) await dropDatabase(serverUrl, DATABASE);
  }
  if (failed) process.exitCode = 1;
}

runBench(main);
