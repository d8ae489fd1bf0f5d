// Operator and customer notices that no single request causes: set-based jobs
// (lib/jobs/worker.ts) find the events in the data and send each notice exactly once per event.
// Every notice is written by notify() in the same transaction as the marker that says it was
// sent, so a crash loses none and repeats none, and any number of workers may run each job at
// once: rows are claimed with FOR UPDATE SKIP LOCKED, or a marker's primary key is inserted with
// ON CONFLICT DO NOTHING and only the rows actually inserted are notified. The purchase (the
// SQL function purchase_contract) is untouched: these jobs read what it wrote.
//
// The rules (migration 20261208030000_operator_customer_notices holds the markers):
//  - Contract bought: the listing's operator hears of every contract that became ACTIVE, at
//    activation (balance purchases at once, card purchases when the payment arrives), with its
//    hashrate in the coin's unit, days and listing title. Marker contracts.operator_notified_at.
//    A contract activated more than CONTRACT_BOUGHT_MAX_AGE_MS ago (demo history, a job stopped
//    for days) is marked without a notice: it is no longer news.
//  - Listing sold out: a PUBLISHED listing whose free capacity on its ACTIVE rigs (nominal less
//    RESERVED and LIVE allocations, as the marketplace counts it) is below its minimum purchase,
//    while some of it is sold. Marker: a listing_sold_out_notices row, deleted as soon as free
//    capacity reaches the minimum again, so the next sell-out notifies again. Checked every
//    minute: capacity that comes back and sells out again between two checks is one sell-out.
//  - Rig offline: an ACTIVE rig carrying LIVE allocations of contracts in their term today. Its
//    last sign of life is the latest of: its last accepted share (rig_share_days.last_share_at),
//    the end of the latest UTC day it reported telemetry above 0 H/s, and the start of its
//    contracts' term (a rig is not late before it owes anything). It is offline when that is
//    older than OFFLINE_AFTER_MS for a rig that mines through the Stratum proxy (it has a
//    Stratum login), or TELEMETRY_OFFLINE_AFTER_MS for one that only reports telemetry (one
//    figure per ended day, due by the end of the next, so a day and a half is not yet an
//    outage). Marker: a rig_offline_notices row per outage (since = that last sign); a share or
//    telemetry newer than it ends the outage and deletes it, so the next outage notifies again
//    (as does the rig owing nothing any more: a contract sold on it later is news). The demo's
//    rigs report telemetry for the day in progress (lib/demo/live.ts), so they are never late.
//  - Contract ending: the customer hears once per contract, on the UTC day before its last day
//    (it still mines that day and the next), or on the last day itself when the job missed the
//    day before. Contracts of one day get none: their day before is the day they were bought,
//    and the purchase already said when they end. Marker contracts.ending_notified_at.
//  - Payout digest: after a payout run for a day COMPLETED, every customer with a payout that
//    day gets one digest: net per coin (the day's customer_payout_days, every run of the day
//    so far) and the number of contracts paid. Once per (customer, day): the payout_digests
//    primary key, so a second run of the day or a second worker adds none. Marker of the run:
//    payout_runs.digested_at. Days older than DIGEST_MAX_AGE_DAYS (demo history, a catch-up
//    after an outage) are marked without digests. The kind's email is off by default; the
//    in-app notice is always written.
import type { PrismaClient, Tx } from "../db/client";
import type { Asset } from "../generated/prisma/enums";
import { DAY_MS, dayText, formatInstantUtc, startOfUtcDay } from "../shared/days";
import { decimalText, powerOfTenDecimals } from "../shared/decimal";
import { notify } from "./notify";

/** Rows claimed per transaction: each transaction stays short whatever the backlog. */
export const NOTICE_BATCH = 200;
export const CONTRACT_BOUGHT_MAX_AGE_MS = DAY_MS;
/** No accepted share for this long: a rig that mines through the Stratum proxy is offline. */
export const OFFLINE_AFTER_MS = 30 * 60_000;
/** A telemetry-only rig: the report of a day is due by the end of the next one. */
export const TELEMETRY_OFFLINE_AFTER_MS = 2 * DAY_MS + OFFLINE_AFTER_MS;
export const DIGEST_MAX_AGE_DAYS = 2;

/** "2.5 TH/s": H/s in the coin's pricing unit (a power of ten), exactly. */
function hashrateWithUnit(hs: bigint, unitHs: bigint, unitLabel: string): string {
  return `${decimalText(hs, powerOfTenDecimals(unitHs), { group: true })} ${unitLabel}`;
}

/** Runs `claim` in its own transactions until a batch comes back short; returns the notices written. */
async function inBatches(prisma: PrismaClient, claim: (tx: Tx) => Promise<{ claimed: number; notified: number }>) {
  let notified = 0;
  for (;;) {
    const batch = await prisma.$transaction(claim);
    notified += batch.notified;
    if (batch.claimed < NOTICE_BATCH) return notified;
  }
}

// ---------------------------------------------------------------------------------------------
// Contract bought

interface BoughtRow {
  id: string;
  listing_id: string;
  operator_id: string;
  title: string;
  hashrate_hs: bigint;
  unit_hs: bigint;
  unit_label: string;
  days: number;
  activated_at: Date | null;
}

export async function notifyContractsBought(prisma: PrismaClient, now: Date = new Date()): Promise<number> {
  return inBatches(prisma, async (tx) => {
    const rows = await tx.$queryRaw<BoughtRow[]>`
      SELECT c.id::text, c.listing_id::text, l.operator_id::text, l.title, c.hashrate_hs, c.unit_hs,
             k.hashrate_unit_label AS unit_label, c.days, c.activated_at
        FROM contracts c
        JOIN listings l ON l.id = c.listing_id
        JOIN coins k ON k.asset = c.coin
       WHERE c.status = 'ACTIVE' AND c.operator_notified_at IS NULL
       ORDER BY c.activated_at
       LIMIT ${NOTICE_BATCH}
         FOR UPDATE OF c SKIP LOCKED`;
    if (rows.length === 0) return { claimed: 0, notified: 0 };
    await tx.$executeRaw`
      UPDATE contracts SET operator_notified_at = ${now} WHERE id = ANY(${rows.map((r) => r.id)}::uuid[])`;
    let notified = 0;
    for (const row of rows) {
      if (!row.activated_at || row.activated_at.getTime() < now.getTime() - CONTRACT_BOUGHT_MAX_AGE_MS) continue;
      await notify(tx, {
        userId: row.operator_id,
        kind: "operator.contract_bought",
        params: {
          contractId: row.id,
          listingId: row.listing_id,
          title: row.title,
          hashrate: hashrateWithUnit(BigInt(row.hashrate_hs), BigInt(row.unit_hs), row.unit_label),
          days: row.days,
        },
      });
      notified += 1;
    }
    return { claimed: rows.length, notified };
  });
}

// ---------------------------------------------------------------------------------------------
// Listing sold out

/** Free capacity of listing `l` on its ACTIVE rigs, H/s (the marketplace's count). */
const LISTING_FREE_HS = `(
  SELECT COALESCE(sum(GREATEST(r.nominal_hashrate_hs - COALESCE(used.hs, 0), 0)), 0)
    FROM rigs r
    LEFT JOIN LATERAL (SELECT sum(a.hashrate_hs) AS hs FROM allocations a
                        WHERE a.rig_id = r.id AND a.status IN ('RESERVED', 'LIVE')) used ON true
   WHERE r.listing_id = l.id AND r.status = 'ACTIVE')`;

/** Sold (RESERVED + LIVE) on listing `l`'s ACTIVE rigs, H/s. */
const LISTING_SOLD_HS = `(
  SELECT COALESCE(sum(a.hashrate_hs), 0)
    FROM rigs r JOIN allocations a ON a.rig_id = r.id AND a.status IN ('RESERVED', 'LIVE')
   WHERE r.listing_id = l.id AND r.status = 'ACTIVE')`;

export async function notifyListingsSoldOut(prisma: PrismaClient): Promise<number> {
  // Capacity came back: the next sell-out is news again.
  await prisma.$executeRawUnsafe(`
    DELETE FROM listing_sold_out_notices n USING listings l
     WHERE l.id = n.listing_id AND ${LISTING_FREE_HS} >= l.min_hashrate_hs`);
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRawUnsafe<{ listing_id: string; operator_id: string; title: string }[]>(`
      WITH sold_out AS (
        INSERT INTO listing_sold_out_notices (listing_id)
        SELECT l.id FROM listings l
         WHERE l.status = 'PUBLISHED'
           AND NOT EXISTS (SELECT 1 FROM listing_sold_out_notices n WHERE n.listing_id = l.id)
           AND ${LISTING_FREE_HS} < l.min_hashrate_hs
           AND ${LISTING_SOLD_HS} > 0
        ON CONFLICT (listing_id) DO NOTHING
        RETURNING listing_id
      )
      SELECT l.id::text AS listing_id, l.operator_id::text, l.title
        FROM sold_out s JOIN listings l ON l.id = s.listing_id`);
    for (const row of rows) {
      await notify(tx, {
        userId: row.operator_id,
        kind: "operator.listing_sold_out",
        params: { listingId: row.listing_id, title: row.title },
      });
    }
    return rows.length;
  });
}

// ---------------------------------------------------------------------------------------------
// Rig offline

/** Rig `r`'s last sign of life from its shares and telemetry (null: none ever). */
const RIG_LAST_DATA = `GREATEST(
  (SELECT d.last_share_at FROM rig_share_days d
    WHERE d.rig_id = r.id AND d.last_share_at IS NOT NULL ORDER BY d.day DESC LIMIT 1),
  (SELECT (t.day + 1)::timestamp AT TIME ZONE 'UTC' FROM rig_telemetry t
    WHERE t.rig_id = r.id AND t.reported_hashrate_hs > 0 ORDER BY t.day DESC LIMIT 1))`;

/** The start (UTC midnight) of the term of rig `r`'s contracts in force on day `$1` (null: none). */
const RIG_IN_FORCE_FROM = `(
  SELECT min(c.start_day)::timestamp AT TIME ZONE 'UTC'
    FROM allocations a JOIN contracts c ON c.id = a.contract_id
   WHERE a.rig_id = r.id AND a.status = 'LIVE'
     AND c.status = 'ACTIVE' AND c.start_day <= $1::date AND c.end_day >= $1::date)`;

export async function notifyRigsOffline(prisma: PrismaClient, now: Date = new Date()): Promise<number> {
  const today = dayText(startOfUtcDay(now));
  // Shares or telemetry newer than the outage's last sign end it; so does owing nothing any more.
  await prisma.$executeRawUnsafe(
    `DELETE FROM rig_offline_notices n USING rigs r
      WHERE r.id = n.rig_id AND (${RIG_LAST_DATA} > n.since OR ${RIG_IN_FORCE_FROM} IS NULL)`,
    today,
  );
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRawUnsafe<
      { rig_id: string; since: Date; serial_number: string; model: string; operator_id: string }[]
    >(
      `WITH owing AS (
         SELECT r.id, ${RIG_IN_FORCE_FROM} AS in_force_from, ${RIG_LAST_DATA} AS last_data,
                EXISTS (SELECT 1 FROM rig_stratum_credentials s WHERE s.rig_id = r.id) AS via_proxy
           FROM rigs r
          WHERE r.status = 'ACTIVE'
            AND NOT EXISTS (SELECT 1 FROM rig_offline_notices n WHERE n.rig_id = r.id)
            AND EXISTS (SELECT 1 FROM allocations a JOIN contracts c ON c.id = a.contract_id
                         WHERE a.rig_id = r.id AND a.status = 'LIVE' AND c.status = 'ACTIVE'
                           AND c.start_day <= $1::date AND c.end_day >= $1::date)
       ), offline AS (
         INSERT INTO rig_offline_notices (rig_id, since, notified_at)
         SELECT id, GREATEST(last_data, in_force_from), $2::timestamptz FROM owing
          WHERE GREATEST(last_data, in_force_from) <
                $2::timestamptz - make_interval(secs => CASE WHEN via_proxy THEN $3::float8 ELSE $4::float8 END)
         ON CONFLICT (rig_id) DO NOTHING
         RETURNING rig_id, since
       )
       SELECT o.rig_id::text, o.since, r.serial_number, r.model, f.operator_id::text
         FROM offline o JOIN rigs r ON r.id = o.rig_id JOIN facilities f ON f.id = r.facility_id`,
      today,
      now,
      OFFLINE_AFTER_MS / 1000,
      TELEMETRY_OFFLINE_AFTER_MS / 1000,
    );
    for (const row of rows) {
      await notify(tx, {
        userId: row.operator_id,
        kind: "operator.rig_offline",
        params: { rigId: row.rig_id, serial: row.serial_number, model: row.model, since: formatInstantUtc(row.since) },
      });
    }
    return rows.length;
  });
}

// ---------------------------------------------------------------------------------------------
// Contract ending

interface EndingRow {
  id: string;
  customer_id: string;
  title: string;
  hashrate_hs: bigint;
  unit_hs: bigint;
  unit_label: string;
  end_day: Date;
}

export async function notifyContractsEnding(prisma: PrismaClient, now: Date = new Date()): Promise<number> {
  const today = startOfUtcDay(now);
  const tomorrow = new Date(today.getTime() + DAY_MS);
  return inBatches(prisma, async (tx) => {
    const rows = await tx.$queryRaw<EndingRow[]>`
      SELECT c.id::text, c.customer_id::text, l.title, c.hashrate_hs, c.unit_hs,
             k.hashrate_unit_label AS unit_label, c.end_day
        FROM contracts c
        JOIN listings l ON l.id = c.listing_id
        JOIN coins k ON k.asset = c.coin
       WHERE c.status = 'ACTIVE' AND c.ending_notified_at IS NULL AND c.days >= 2
         AND c.end_day >= ${today}::date AND c.end_day <= ${tomorrow}::date
       ORDER BY c.end_day, c.id
       LIMIT ${NOTICE_BATCH}
         FOR UPDATE OF c SKIP LOCKED`;
    if (rows.length === 0) return { claimed: 0, notified: 0 };
    await tx.$executeRaw`
      UPDATE contracts SET ending_notified_at = ${now} WHERE id = ANY(${rows.map((r) => r.id)}::uuid[])`;
    for (const row of rows) {
      await notify(tx, {
        userId: row.customer_id,
        kind: "customer.contract_ending",
        params: {
          contractId: row.id,
          title: row.title,
          hashrate: hashrateWithUnit(BigInt(row.hashrate_hs), BigInt(row.unit_hs), row.unit_label),
          endsOn: dayText(row.end_day),
        },
      });
    }
    return { claimed: rows.length, notified: rows.length };
  });
}

// ---------------------------------------------------------------------------------------------
// Payout digest

interface DigestLine {
  customer_id: string;
  coin: Asset;
  decimals: number;
  net_base: string;
  payouts: number;
}

/** "0.00012345 BTC, 1.5 LTC": the day's net per coin, in the asset order. */
function amountsText(lines: DigestLine[]): string {
  return lines.map((l) => `${decimalText(BigInt(l.net_base), l.decimals, { group: true })} ${l.coin}`).join(", ");
}

export async function notifyPayoutDigests(prisma: PrismaClient, now: Date = new Date()): Promise<number> {
  const oldestDay = new Date(startOfUtcDay(now).getTime() - DIGEST_MAX_AGE_DAYS * DAY_MS);
  let notified = 0;
  for (;;) {
    const batch = await prisma.$transaction(async (tx) => {
      const [run] = await tx.$queryRaw<{ id: string; day: Date }[]>`
        SELECT id::text, day FROM payout_runs
         WHERE status = 'COMPLETED' AND digested_at IS NULL
         ORDER BY finished_at, id
         LIMIT 1
           FOR UPDATE SKIP LOCKED`;
      if (!run) return null;
      const markDone = () => tx.$executeRaw`UPDATE payout_runs SET digested_at = ${now} WHERE id = ${run.id}::uuid`;
      if (run.day.getTime() < oldestDay.getTime()) {
        await markDone();
        return 0;
      }
      // The run's customers without a digest of the day yet; the primary key has the last word
      // against a concurrent run of the same day.
      const customers = await tx.$queryRaw<{ customer_id: string }[]>`
        WITH due AS (
          SELECT DISTINCT c.customer_id FROM daily_payouts p JOIN contracts c ON c.id = p.contract_id
           WHERE p.run_id = ${run.id}::uuid
             AND NOT EXISTS (SELECT 1 FROM payout_digests g WHERE g.customer_id = c.customer_id AND g.day = ${run.day}::date)
           ORDER BY c.customer_id
           LIMIT ${NOTICE_BATCH}
        )
        INSERT INTO payout_digests (customer_id, day)
        SELECT customer_id, ${run.day}::date FROM due
        ON CONFLICT (customer_id, day) DO NOTHING
        RETURNING customer_id::text`;
      if (customers.length < NOTICE_BATCH) await markDone();
      if (customers.length === 0) return 0;
      const lines = await tx.$queryRaw<DigestLine[]>`
        SELECT d.customer_id::text, d.coin, k.decimals, d.net_base::text, d.payouts
          FROM customer_payout_days d JOIN coins k ON k.asset = d.coin
         WHERE d.customer_id = ANY(${customers.map((c) => c.customer_id)}::uuid[]) AND d.day = ${run.day}::date
         ORDER BY d.customer_id, d.coin`;
      const day = dayText(run.day);
      for (const { customer_id } of customers) {
        const mine = lines.filter((l) => l.customer_id === customer_id);
        const contracts = mine.reduce((sum, l) => sum + Number(l.payouts), 0);
        await notify(tx, {
          userId: customer_id,
          kind: "customer.payout_digest",
          params: { day, amounts: amountsText(mine), contracts },
        });
      }
      return customers.length;
    });
    if (batch === null) return notified;
    notified += batch;
  }
}
