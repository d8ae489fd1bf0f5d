// Hand-computed cases (independently worked out with exact integers) for DESIGN.md's formula.
import { describe, expect, it } from "vitest";
import { HAND_CHECKED_BTC } from "../testing/network-inputs";
import {
  ceilDiv,
  deliveredHashrate,
  floorDiv,
  grossCoins,
  maintenanceFeeCoins,
  networkHashrate,
  poolFee,
  settleDay,
  underDeliveryCredit,
  usdValue,
  type NetworkInputs,
} from "./formula";

const TH = 10n ** 12n;
const btc = HAND_CHECKED_BTC;

describe("rounding helpers", () => {
  it("floor and ceil for positive and negative numerators", () => {
    expect(floorDiv(7n, 2n)).toBe(3n);
    expect(floorDiv(-7n, 2n)).toBe(-4n);
    expect(ceilDiv(7n, 2n)).toBe(4n);
    expect(ceilDiv(-7n, 2n)).toBe(-3n);
    expect(ceilDiv(8n, 2n)).toBe(4n);
    expect(() => floorDiv(1n, 0n)).toThrow(RangeError);
  });
});

function dayOf(deliveredHs: bigint) {
  return {
    contractedHs: deliveredHs,
    deliveredHs,
    network: btc,
    decimals: 8n,
    poolFeeBps: 150n,
    maintenanceFeeMicroUsdPerUnitDay: 0n,
    unitHs: TH,
    dailyPriceMicroUsd: 0n,
  };
}

describe("payout formula", () => {
  it("derives N from difficulty: D * 2^32 / T", () => {
    // 150e12 * 4294967296 / 600 = 1.073741824e21 exactly
    expect(networkHashrate(btc)).toBe(1_073_741_824_000_000_000_000n);
    expect(networkHashrate({ networkHashrateHs: 5n, difficulty: null, blockTimeMs: 1n })).toBe(5n);
  });

  it("delivered hashrate caps reports at nominal and counts missing telemetry as zero", () => {
    expect(
      deliveredHashrate([
        { allocHs: 60n * TH, nominalHs: 200n * TH, reportedHs: 180n * TH }, // 60 * 0.9 = 54
        { allocHs: 40n * TH, nominalHs: 100n * TH, reportedHs: 120n * TH }, // over-report capped: 40
        { allocHs: 20n * TH, nominalHs: 100n * TH, reportedHs: null }, // no telemetry: 0
        { allocHs: 7n, nominalHs: 3n, reportedHs: 2n }, // floor(14 / 3) = 4
      ]),
    ).toBe(94n * TH + 4n);
  });

  it("a normal BTC day for 100 TH/s: gross, pool fee, maintenance, net, USD value", () => {
    const hd = 100n * TH;
    // floor(1e14 * 86400 * 322,500,000 * 1000 / (1.073741824e21 * 600,000)) = floor(4325.06...) = 4325 sat
    expect(grossCoins(hd, btc)).toBe(4325n);
    expect(poolFee(4325n, 150n)).toBe(65n); // ceil(64.875)
    // ceil(16,000 * 1e14 * 1e8 / (1e12 * 95e9)) = ceil(1684.2) = 1685 sat
    expect(maintenanceFeeCoins(16_000n, hd, 8n, TH, btc.priceMicroUsd)).toBe(1685n);
    const day = settleDay({
      contractedHs: 120n * TH,
      deliveredHs: hd,
      network: btc,
      decimals: 8n,
      poolFeeBps: 150n,
      maintenanceFeeMicroUsdPerUnitDay: 16_000n,
      unitHs: TH,
      dailyPriceMicroUsd: 2_340_000n, // 120 TH at $0.0195
    });
    expect(day).toEqual({
      computedGrossBase: 4325n,
      computedPoolFeeBase: 65n,
      computedMaintenanceFeeBase: 1685n,
      grossBase: 4325n,
      poolFeeBase: 65n,
      maintenanceFeeBase: 1685n,
      netBase: 2575n,
      curtailed: false,
      underDeliveryCreditMicroUsd: 390_000n, // floor(20/120 * 2.34 $)
      usdValueAtReceiptMicroUsd: 2_446_250n, // floor(2575 * 95e9 / 1e8)
    });
    expect(day.netBase + day.poolFeeBase + day.maintenanceFeeBase).toBe(day.grossBase);
  });

  it("Kaspa's 100 ms blocks stay exact", () => {
    const kas: NetworkInputs = {
      networkHashrateHs: 900_000_000_000_000_000n,
      difficulty: null,
      blockTimeMs: 100n,
      blockSubsidyBase: 194_450_000n,
      avgFeesPerBlockBase: 0n,
      priceMicroUsd: 90_000n,
    };
    // 15 TH/s of 900 PH/s, 864,000 blocks a day of 1.9445 KAS = 28.0008 KAS
    expect(grossCoins(15n * TH, kas)).toBe(2_800_080_000n);
  });

  it("an 18-decimal coin beyond bigint range stays exact", () => {
    const etc: NetworkInputs = {
      networkHashrateHs: 220_000_000_000_000n,
      difficulty: null,
      blockTimeMs: 13_000n,
      blockSubsidyBase: 1_638_400_000_000_000_000n,
      avgFeesPerBlockBase: 0n,
      priceMicroUsd: 18_000_000n,
    };
    // 2 GH/s of 220 TH/s for a day of 1.6384 ETC blocks every 13 s
    const g = grossCoins(2_000_000_000n, etc);
    expect(g).toBe((2_000_000_000n * 86_400n * 1_638_400_000_000_000_000n * 1000n) / (220_000_000_000_000n * 13_000n));
    expect(g > 9_223_372_036_854_775_807n / 1000n).toBe(true);
    expect(usdValue(10n ** 18n, etc.priceMicroUsd, 18n)).toBe(18_000_000n);
  });

  it("a curtailed day pays nothing and charges no fees, but still credits under-delivery", () => {
    const day = settleDay({
      contractedHs: 100n * TH,
      deliveredHs: 50n * TH,
      network: { ...btc, priceMicroUsd: 30_000_000_000n }, // price crash: $30,000
      decimals: 8n,
      poolFeeBps: 150n,
      maintenanceFeeMicroUsdPerUnitDay: 45_000n,
      unitHs: TH,
      dailyPriceMicroUsd: 2_000_000n,
    });
    // gross 2162 sat - fee 33 = 2129 < maintenance ceil(45,000 * 5e13 * 1e8 / (1e12 * 3e10)) = 7500:
    // those computed figures are kept (why it was curtailed), nothing is posted.
    expect(day).toEqual({
      computedGrossBase: 2162n,
      computedPoolFeeBase: 33n,
      computedMaintenanceFeeBase: 7500n,
      grossBase: 0n,
      poolFeeBase: 0n,
      maintenanceFeeBase: 0n,
      netBase: 0n,
      curtailed: true,
      underDeliveryCreditMicroUsd: 1_000_000n,
      usdValueAtReceiptMicroUsd: 0n,
    });
  });

  it("rounding dust: a 1 TH/s day keeps every satoshi accounted for", () => {
    const day = settleDay({
      contractedHs: TH,
      deliveredHs: TH,
      network: btc,
      decimals: 8n,
      poolFeeBps: 150n,
      maintenanceFeeMicroUsdPerUnitDay: 20_000n, // $0.02 per TH/s per day
      unitHs: TH,
      dailyPriceMicroUsd: 19_500n,
    });
    // gross floor(4325.06 / 100) = 43 sat; pool fee ceil(43 * 150 / 10,000) = ceil(0.645) = 1;
    // maintenance ceil(20,000 * 1e12 * 1e8 / (1e12 * 95e9)) = ceil(21.05) = 22; net 43 - 1 - 22 = 20
    expect(day).toEqual({
      computedGrossBase: 43n,
      computedPoolFeeBase: 1n,
      computedMaintenanceFeeBase: 22n,
      grossBase: 43n,
      poolFeeBase: 1n,
      maintenanceFeeBase: 22n,
      netBase: 20n,
      curtailed: false,
      underDeliveryCreditMicroUsd: 0n,
      usdValueAtReceiptMicroUsd: 19_000n, // floor(20 * 95e9 / 1e8)
    });
    expect(day.netBase + day.poolFeeBase + day.maintenanceFeeBase).toBe(day.grossBase);
    // Below one satoshi a day nothing is mined, and a fee-bearing contract is curtailed.
    expect(grossCoins(20_000_000_000n, btc)).toBe(0n); // 0.02 TH/s: floor(0.865)
    expect(settleDay({ ...dayOf(20_000_000_000n), maintenanceFeeMicroUsdPerUnitDay: 1n }).curtailed).toBe(true);
  });

  it("zero delivery: nothing mined, full price credited back", () => {
    expect(underDeliveryCredit(100n, 0n, 777n)).toBe(777n);
    expect(underDeliveryCredit(100n, 100n, 777n)).toBe(0n);
    expect(underDeliveryCredit(3n, 1n, 100n)).toBe(66n); // floor(200/3): the customer's share rounds down
    expect(grossCoins(0n, btc)).toBe(0n);
  });
});
