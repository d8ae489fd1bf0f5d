// The demo catalog and network generator without a database: shape, uniqueness, and the
// economics a visitor will see (listings neither curtailed nor absurdly priced).
import { describe, expect, it } from "vitest";
import { ListingStatus, Role } from "../generated/prisma/enums";
import {
  coinOf,
  DEMO_COINS,
  DEMO_FACILITIES,
  DEMO_LISTINGS,
  DEMO_RIGS,
  DEMO_USERS,
  facilityOf,
  listingAlgorithm,
  maintenanceFeeMicroUsdPerUnitDay,
} from "./catalog";
import { generateMissingRows, NETWORK_PROFILES, utcDayNumber, type SnapshotRow } from "./network";

const TODAY = utcDayNumber(new Date("2026-11-23T12:00:00Z"));

/** Gross coins per pricing unit per day after the pool fee, in micro-USD (DESIGN.md steps 2–3). */
function netRevenueMicroUsdPerUnitDay(coinAsset: (typeof DEMO_COINS)[number]["asset"], row: SnapshotRow): bigint {
  const coin = coinOf(coinAsset);
  const blockTimeMs = BigInt(row.blockTimeMs);
  const n = row.difficulty
    ? (BigInt(row.difficulty) * 4_294_967_296n * 1000n) / blockTimeMs
    : BigInt(row.networkHashrateHs!);
  const gross =
    (coin.hashrateUnitHs * 86_400n * 1000n * (BigInt(row.blockSubsidyBase) + BigInt(row.avgFeesPerBlockBase))) /
    (n * blockTimeMs);
  const poolFee = (gross * BigInt(coin.poolFeeBps) + 9_999n) / 10_000n;
  return ((gross - poolFee) * row.priceMicroUsd) / 10n ** BigInt(coin.decimals);
}

function anchorRow(coin: string): SnapshotRow {
  const profile = NETWORK_PROFILES.find((p) => p.coin === coin)!;
  const rows = generateMissingRows(profile, TODAY, TODAY, new Map());
  return { ...rows[0]!, avgFeesPerBlockBase: profile.medianFeesPerBlockBase.toString() };
}

describe("demo catalog", () => {
  it("has three operators with two facilities each, and the demo customer/operator/admin", () => {
    const operators = DEMO_USERS.filter((u) => u.roles.includes(Role.OPERATOR));
    expect(operators).toHaveLength(3);
    for (const op of operators) expect(DEMO_FACILITIES.filter((f) => f.operatorEmail === op.email)).toHaveLength(2);
    const byEmail = new Map(DEMO_USERS.map((u) => [u.email, u]));
    expect(byEmail.get("customer@hashlease.test")?.roles).toEqual([Role.CUSTOMER]);
    expect(byEmail.get("operator@hashlease.test")?.roles).toContain(Role.OPERATOR);
    expect(byEmail.get("admin@hashlease.test")?.roles).toEqual([Role.ADMIN]);
  });

  it("has unique rig serials and rigs whose algorithm matches the listing they back", () => {
    expect(DEMO_RIGS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(DEMO_RIGS.map((r) => `${r.model}|${r.serialNumber}`)).size).toBe(DEMO_RIGS.length);
    expect(new Set(DEMO_RIGS.map((r) => r.algorithm)).size).toBe(5);
    for (const rig of DEMO_RIGS) {
      if (!rig.listingKey) continue;
      const listing = DEMO_LISTINGS.find((l) => l.key === rig.listingKey)!;
      expect(rig.algorithm).toBe(listingAlgorithm(listing));
      expect(facilityOf(rig.facilityCode).operatorEmail).toBe(listing.operatorEmail);
    }
  });

  it("publishes 2–4 listings per operator, each backed by rigs", () => {
    for (const email of new Set(DEMO_FACILITIES.map((f) => f.operatorEmail))) {
      const published = DEMO_LISTINGS.filter((l) => l.operatorEmail === email && l.status === ListingStatus.PUBLISHED);
      expect(published.length).toBeGreaterThanOrEqual(2);
      expect(published.length).toBeLessThanOrEqual(4);
    }
    for (const listing of DEMO_LISTINGS) expect(DEMO_RIGS.some((r) => r.listingKey === listing.key)).toBe(true);
  });

  it("prices published listings a little under the coin's hashprice, above the power cost", () => {
    for (const listing of DEMO_LISTINGS.filter((l) => l.status === ListingStatus.PUBLISHED)) {
      const revenue = netRevenueMicroUsdPerUnitDay(listing.coin, anchorRow(listing.coin));
      const maintenance = maintenanceFeeMicroUsdPerUnitDay(listing);
      const allIn = listing.priceMicroUsdPerUnitDay + maintenance;
      // Not curtailed at today's network figures, and a buyer roughly breaks even.
      expect(maintenance, listing.title).toBeLessThan(revenue);
      expect(allIn * 100n, listing.title).toBeGreaterThan(revenue * 85n);
      expect(allIn, listing.title).toBeLessThan(revenue);
    }
  });
});

describe("demo network generator", () => {
  it("is deterministic, integer-valued and sets exactly one of difficulty / hashrate", () => {
    for (const profile of NETWORK_PROFILES) {
      const a = generateMissingRows(profile, TODAY - 89, TODAY, new Map());
      const b = generateMissingRows(profile, TODAY - 89, TODAY, new Map());
      expect(a).toEqual(b);
      expect(a).toHaveLength(90);
      expect(utcDayNumber(a[89]!.day)).toBe(TODAY);
      for (const row of a) {
        expect((row.difficulty === null) !== (row.networkHashrateHs === null)).toBe(true);
        expect(row.difficulty !== null).toBe(profile.measure === "difficulty");
        for (const value of [row.difficulty ?? row.networkHashrateHs, row.blockSubsidyBase, row.avgFeesPerBlockBase]) {
          expect(value).toMatch(/^[1-9][0-9]*$/);
        }
        expect(row.priceMicroUsd).toBeGreaterThan(0n);
      }
      // Today's row is the anchor: the seeded demo starts from realistic current levels.
      expect(a[89]!.priceMicroUsd).toBe(profile.anchorPriceMicroUsd);
    }
  });

  it("moves a few percent a day and stays near its anchor over years", () => {
    for (const profile of NETWORK_PROFILES) {
      const rows = generateMissingRows(profile, TODAY - 999, TODAY, new Map());
      const prices = rows.map((r) => r.priceMicroUsd);
      for (let i = 1; i < prices.length; i++) {
        const changePpm = ((prices[i]! - prices[i - 1]!) * 1_000_000n) / prices[i - 1]!;
        expect(changePpm < 300_000n && changePpm > -300_000n).toBe(true);
      }
      const anchor = profile.anchorPriceMicroUsd;
      for (const price of prices) expect(price > anchor / 4n && price < anchor * 4n).toBe(true);
    }
  });

  it("follows Kaspa's chromatic emission (≈1.94 KAS a block at 10 BPS in November 2026)", () => {
    const kas = NETWORK_PROFILES.find((p) => p.coin === "KAS")!;
    expect(kas.subsidyBase(TODAY)).toBe(194_454_364n);
    expect(kas.subsidyBase(TODAY + 366)).toBeLessThan(kas.subsidyBase(TODAY) / 2n + 1_000_000n);
  });
});
