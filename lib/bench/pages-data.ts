// The data bench:pages and bench:floor serve, built with set-based SQL in seconds: 10,000
// listings (BTC and LTC, 9 in 10 published) of 40 operators in 80 facilities with ~12,900 rigs,
// one customer with 100 contracts and 100,000 payouts (100 contracts x 1,000 days, every day up
// to yesterday paid, so the app's payout job finds nothing to do), and 10 other customers with
// 100,000 more. The payouts are plain INSERT ... SELECT, so the statement triggers keep
// customer_payout_days as a payout run would; the rollup is checked against the rows.
import pg from "pg";
import { hashPassword } from "../auth/password";
import { payoutRollupDrift } from "../dashboard/rollup";
import { createPrismaClient } from "../db/client";
import { DAY_MS } from "../shared/days";
import { deposit, ensureBtc, ltcPrice } from "../testing/fixtures";

const LISTINGS = 10_000;
const OPERATORS = 40;
export const CONTRACTS = 100;
export const DAYS = 1_000;
const OTHER_CUSTOMERS = 10;
const OTHER_CONTRACTS = 10;
export const EMAIL = "bench-pages-customer@bench.test";
export const PASSWORD = "bench-password-123";

const LOCATIONS: [string, string][] = [
  ["Luleå, Norrbotten, Sweden", "SE"],
  ["Pecos, Texas, USA", "US"],
  ["Hernandarias, Paraguay", "PY"],
  ["Reykjanesbær, Iceland", "IS"],
  ["Calgary, Alberta, Canada", "CA"],
  ["Ekibastuz, Kazakhstan", "KZ"],
  ["Tbilisi, Georgia", "GE"],
  ["Rjukan, Norway", "NO"],
];

/** Contracts of `customerId` on the first `count` published BTC listings after `skip`, each with a live 1 TH/s allocation. */
async function bulkContracts(client: pg.Client, customerId: string, count: number, skip: number): Promise<void> {
  await client.query(
    `WITH picked AS (
       SELECT l.id AS listing_id, (SELECT r.id FROM rigs r WHERE r.listing_id = l.id AND r.serial_number LIKE 'A-%') AS rig_id
         FROM listings l WHERE l.status = 'PUBLISHED' AND l.coin = 'BTC' ORDER BY l.title OFFSET $3 LIMIT $2
     ), made AS (
       INSERT INTO contracts (customer_id, listing_id, coin, hashrate_hs, days, price_micro_usd_per_unit_day,
                              maintenance_fee_micro_usd_per_unit_day, unit_hs, pool_fee_bps, daily_price_micro_usd,
                              total_price_micro_usd, payment_method, status, activated_at, start_day, end_day)
       SELECT $1::uuid, p.listing_id, 'BTC', 1000000000000, 1095, 19500, 16000, 1000000000000, 150, 19500, 19500 * 1095,
              'BALANCE_USD', 'ACTIVE', (current_date - 1001)::timestamp AT TIME ZONE 'UTC' + interval '12 hours',
              current_date - 1000, current_date - 1000 + 1094
         FROM picked p
       RETURNING id, listing_id, activated_at
     )
     INSERT INTO allocations (contract_id, rig_id, hashrate_hs, status, created_at)
     SELECT m.id, p.rig_id, 1000000000000, 'LIVE', m.activated_at FROM made m JOIN picked p ON p.listing_id = m.listing_id`,
    [customerId, count, skip],
  );
}

/** One payout per contract of `customerId` per day from its start to yesterday (gross = net + fees). */
async function bulkPayouts(client: pg.Client, customerId: string, runId: string): Promise<void> {
  await client.query(
    `INSERT INTO daily_payouts (run_id, contract_id, day, coin, allocated_hashrate_hs, delivered_hashrate_hs, network_hashrate_hs,
       block_time_ms, block_subsidy_base, avg_fees_per_block_base, price_micro_usd, decimals, pool_fee_bps,
       maintenance_fee_micro_usd_per_unit_day, unit_hs, daily_price_micro_usd, gross_base, pool_fee_base,
       maintenance_fee_base, net_base, computed_gross_base, computed_pool_fee_base, computed_maintenance_fee_base,
      curtailed, hashrate_source, under_delivery_credit_micro_usd, usd_value_at_receipt_micro_usd)
     SELECT $2::uuid, c.id, c.start_day + d::int, 'BTC', 1000000000000, 990000000000 + (d % 7) * 1000000000,
            1088000000000000000000, 600000, 312500000, 2500000, 95000000000, 8, 150, 16000, 1000000000000, 19500,
            420 + d % 13, 7, 170, 243 + d % 13, 420 + d % 13, 7, 170, false, 'TELEMETRY', d % 5, (243 + d % 13) * 950
       FROM contracts c CROSS JOIN generate_series(0::bigint, $3::bigint - 1) AS d
      WHERE c.customer_id = $1::uuid`,
    [customerId, runId, DAYS],
  );
}

export interface PagesData {
  customerId: string;
  contractIds: string[];
  published: number;
}

/** Builds the data set in the (migrated, empty) database at `url` and checks it is what the figures claim. */
export async function buildPagesData(url: string): Promise<PagesData> {
  const prisma = createPrismaClient(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await ensureBtc(prisma);
    await ltcPrice(prisma, new Date(Date.UTC(2020, 0, 1)), 90_000_000n);
    await client.query(
      `INSERT INTO users (email, name, password_hash, roles)
       SELECT 'bench-op-' || g || '@bench.test', 'Operator ' || g, 'x', ARRAY['OPERATOR']::role[] FROM generate_series(1, $1::int) g`,
      [OPERATORS],
    );
    await client.query(
      `INSERT INTO facilities (operator_id, name, location, country_code, power_price_micro_usd_per_kwh)
       SELECT u.id, 'Site ' || s, ($1::text[])[1 + (u.n * 2 + s) % 8], ($2::text[])[1 + (u.n * 2 + s) % 8], 30000 + s * 1000
         FROM (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users WHERE email LIKE 'bench-op-%') u
        CROSS JOIN generate_series(1, 2) s`,
      [LOCATIONS.map((l) => l[0]), LOCATIONS.map((l) => l[1])],
    );
    // Odd i mine BTC, even i LTC; prices with ties, fees, durations and statuses spread over i.
    await client.query(
      `INSERT INTO listings (operator_id, coin, algorithm, title, price_micro_usd_per_unit_day,
                             maintenance_fee_micro_usd_per_unit_day, min_days, max_days, min_hashrate_hs, status)
       SELECT o.id,
              CASE WHEN i % 2 = 1 THEN 'BTC' ELSE 'LTC' END::asset,
              CASE WHEN i % 2 = 1 THEN 'SHA256' ELSE 'SCRYPT' END::algorithm,
              'Bench listing ' || lpad(i::text, 5, '0'),
              CASE WHEN i % 2 = 1 THEN 15000 + ((i * 7919) % 5000) * 5 ELSE 1500 + ((i * 7919) % 1000) * 2 END,
              CASE WHEN i % 2 = 1 THEN 5000 + (i * 104729) % 20000 ELSE 500 + (i * 104729) % 2000 END,
              (ARRAY[1, 7, 14, 30, 90])[1 + i % 5],
              (ARRAY[1, 7, 14, 30, 90])[1 + i % 5] + (ARRAY[0, 30, 180, 335])[1 + (i / 5) % 4],
              CASE WHEN i % 2 = 1 THEN 1000000000000 ELSE 1000000000 END,
              (CASE WHEN i % 10 = 0 THEN 'DRAFT' WHEN i % 37 = 0 THEN 'UNPUBLISHED' ELSE 'PUBLISHED' END)::listing_status
         FROM generate_series(1, $1::int) AS i
         JOIN (SELECT id, row_number() OVER (ORDER BY email) - 1 AS n FROM users WHERE email LIKE 'bench-op-%') o ON o.n = i % $2::int`,
      [LISTINGS, OPERATORS],
    );
    // A rig of 100 units per listing in one of its operator's two sites, a second one in the
    // other site for every 5th, and a retired third for every 11th.
    await client.query(`
      WITH l AS (SELECT l.*, row_number() OVER (ORDER BY l.title) AS n,
                        CASE WHEN l.coin = 'BTC' THEN 1000000000000 ELSE 1000000000 END AS unit_hs FROM listings l)
      INSERT INTO rigs (facility_id, listing_id, model, serial_number, algorithm, nominal_hashrate_hs, power_draw_w, status)
      SELECT f.id, l.id, CASE WHEN l.coin = 'BTC' THEN 'Antminer S21' ELSE 'Antminer L9' END, 'A-' || l.title, l.algorithm, 100 * l.unit_hs, 3500, 'ACTIVE'::rig_status
        FROM l JOIN facilities f ON f.operator_id = l.operator_id AND f.name = 'Site ' || (1 + l.n % 2)
      UNION ALL
      SELECT f.id, l.id, CASE WHEN l.coin = 'BTC' THEN 'Antminer S21' ELSE 'Antminer L9' END, 'B-' || l.title, l.algorithm, 50 * l.unit_hs, 3500, 'ACTIVE'::rig_status
        FROM l JOIN facilities f ON f.operator_id = l.operator_id AND f.name = 'Site ' || (1 + (l.n + 1) % 2) WHERE l.n % 5 = 0
      UNION ALL
      SELECT f.id, l.id, CASE WHEN l.coin = 'BTC' THEN 'Antminer S21' ELSE 'Antminer L9' END, 'C-' || l.title, l.algorithm, 50 * l.unit_hs, 3500, 'RETIRED'::rig_status
        FROM l JOIN facilities f ON f.operator_id = l.operator_id AND f.name = 'Site 1' WHERE l.n % 11 = 0`);

    const customer = await prisma.user.create({
      data: {
        email: EMAIL,
        name: "Bench Customer",
        passwordHash: await hashPassword(PASSWORD),
        roles: ["CUSTOMER"],
        emailVerifiedAt: new Date(),
      },
      select: { id: true },
    });
    await deposit(prisma, customer.id, "USD", 250_000_000n);
    const run = await prisma.payoutRun.create({
      data: { day: new Date(Date.now() - DAY_MS), status: "COMPLETED", finishedAt: new Date() },
      select: { id: true },
    });
    await bulkContracts(client, customer.id, CONTRACTS, 0);
    await bulkPayouts(client, customer.id, run.id);
    for (let i = 0; i < OTHER_CUSTOMERS; i++) {
      const other = await prisma.user.create({
        data: { email: `bench-other-${i}@bench.test`, name: `Other ${i}`, passwordHash: "x" },
        select: { id: true },
      });
      await bulkContracts(client, other.id, OTHER_CONTRACTS, CONTRACTS + i * OTHER_CONTRACTS);
      await bulkPayouts(client, other.id, run.id);
    }
    await client.query("VACUUM ANALYZE");

    // The data is what the figures claim: 100,000 payouts for the customer, the rollup equal
    // to the rows (the triggers ran), and the listing count.
    const counts = (
      await client.query<{ payouts: string; contracts: string; listings: string; published: string; rigs: string }>(
        `SELECT (SELECT count(*) FROM daily_payouts p JOIN contracts c ON c.id = p.contract_id WHERE c.customer_id = $1)::text AS payouts,
                (SELECT count(*) FROM contracts WHERE customer_id = $1)::text AS contracts,
                (SELECT count(*) FROM listings)::text AS listings,
                (SELECT count(*) FROM listings WHERE status = 'PUBLISHED')::text AS published,
                (SELECT count(*) FROM rigs)::text AS rigs`,
        [customer.id],
      )
    ).rows[0]!;
    if (
      counts.payouts !== String(CONTRACTS * DAYS) ||
      counts.contracts !== String(CONTRACTS) ||
      counts.listings !== String(LISTINGS)
    ) {
      throw new Error(`bench data is off: ${JSON.stringify(counts)}`);
    }
    const drift = await payoutRollupDrift(prisma, customer.id);
    if (drift.length > 0) throw new Error(`customer_payout_days differs from the payouts on ${drift.length} days`);
    console.log(
      `data: ${counts.listings} listings (${counts.published} published), ${counts.rigs} rigs; customer with ${counts.contracts} contracts and ${counts.payouts} payouts (+${OTHER_CUSTOMERS * OTHER_CONTRACTS * DAYS} of others)`,
    );
    const contractIds = (
      await client.query<{ id: string }>("SELECT id FROM contracts WHERE customer_id = $1 ORDER BY id", [customer.id])
    ).rows.map((r) => r.id);
    return { customerId: customer.id, contractIds, published: Number(counts.published) };
  } finally {
    await client.end();
    await prisma.$disconnect();
  }
}
