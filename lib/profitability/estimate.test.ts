// Hand-checked cases: every expected figure below was worked out independently with exact
// integers (the arithmetic is in the comments), not by running this code.
import { describe, expect, it } from "vitest";
import { HAND_CHECKED_BTC } from "../testing/network-inputs";
import {
  breakEvenPrice,
  ceilToCentMicroUsd,
  cumulativeNetMicroUsd,
  estimate,
  estimatedNetMicroUsdPerUnitDay,
  revenueAfterPoolFeeMicroUsdPerUnitDay,
  stressInputs,
  type EstimateInputs,
} from "./estimate";

const TH = 10n ** 12n;
const btc = HAND_CHECKED_BTC;

const inputs: EstimateInputs = {
  network: btc,
  coin: { decimals: 8n, poolFeeBps: 150n, unitHs: TH },
  listing: { priceMicroUsdPerUnitDay: 19_500n, maintenanceFeeMicroUsdPerUnitDay: 16_000n }, // $0.0195 and $0.016 / TH/s / day
  hashrateHs: 100n * TH,
  days: 30n,
};

describe("estimate: 100 TH/s of BTC for 30 days", () => {
  const result = estimate(inputs);

  it("prices the contract as the purchase does: ceil(H * price / unit) a day, times days", () => {
    // 100 * 19,500 = 1,950,000 micro-USD a day; 30 days = 58,500,000 ($58.50)
    expect(result.contract.dailyPriceMicroUsd).toBe(1_950_000n);
    expect(result.contract.totalPriceMicroUsd).toBe(58_500_000n);
  });

  it("daily coins and USD match the payout formula's hand-computed day", () => {
    // gross floor(4325.06) = 4325 sat, pool ceil(64.875) = 65, maintenance ceil(1684.2) = 1685, net 2575
    expect(result.base.curtailed).toBe(false);
    expect(result.base.daily).toEqual({
      grossBase: 4325n,
      poolFeeBase: 65n,
      maintenanceFeeBase: 1685n,
      netBase: 2575n,
      grossMicroUsd: 4_108_750n, // 4325 * 950
      poolFeeMicroUsd: 61_750n, // 65 * 950
      maintenanceFeeMicroUsd: 1_600_750n, // 1685 * 950
      netMicroUsd: 2_446_250n, // 2575 * 950
    });
  });

  it("totals are 30 payout days, and the profit is net USD minus the contract price", () => {
    expect(result.base.term).toMatchObject({
      grossBase: 129_750n,
      poolFeeBase: 1_950n,
      maintenanceFeeBase: 50_550n,
      netBase: 77_250n,
    });
    expect(result.base.term.netMicroUsd).toBe(73_387_500n); // 30 * 2,446,250
    expect(result.base.netProfitMicroUsd).toBe(14_887_500n); // 73,387,500 - 58,500,000 = $14.8875
  });

  it("break-even coin price: the lowest price whose net USD covers the price", () => {
    // Need floor(net(P) * P / 1e8) >= 1,950,000 a day with net(P) = 4260 - ceil(1.6e14 / P):
    // (4260 P - 1.6e14) >= 1.95e14 -> P >= 3.55e14 / 4260 = 83,333,333,333.33...
    // P = 83,333,333,334: M = 1920, net 2340 sat, floor(2340 * 833.33...) = 1,950,000 (covers)
    // P = 83,333,333,333: M = ceil(1920.0000000077) = 1921, net 2339 -> 1,949,166 (short)
    expect(result.base.breakEvenPriceMicroUsd).toBe(83_333_333_334n);
  });

  it("stress: maintenance x1.2, price x0.7, difficulty x1.1, each rounded against the customer", () => {
    const stressed = stressInputs(inputs);
    expect(stressed.network.difficulty).toBe(165_000_000_000_000n);
    expect(stressed.network.priceMicroUsd).toBe(66_500_000_000n);
    expect(stressed.listing.maintenanceFeeMicroUsdPerUnitDay).toBe(19_200n);
    expect(
      stressInputs({ ...inputs, listing: { ...inputs.listing, maintenanceFeeMicroUsdPerUnitDay: 16_001n } }).listing
        .maintenanceFeeMicroUsdPerUnitDay,
    ).toBe(19_202n); // ceil(19,201.2)
    // N = 165e12 * 2^32 / 600 = 1.1811160064e21; gross floor(3931.87) = 3931; pool ceil(58.965) = 59;
    // maintenance ceil(19,200 * 1e14 * 1e8 / (1e12 * 66.5e9)) = ceil(2887.2) = 2888; net 984 sat;
    // 1 sat = 665 micro-USD at $66,500.
    expect(result.stress.daily).toEqual({
      grossBase: 3931n,
      poolFeeBase: 59n,
      maintenanceFeeBase: 2888n,
      netBase: 984n,
      grossMicroUsd: 2_614_115n,
      poolFeeMicroUsd: 39_235n,
      maintenanceFeeMicroUsd: 1_920_520n,
      netMicroUsd: 654_360n,
    });
    expect(result.stress.term.netMicroUsd).toBe(19_630_800n);
    expect(result.stress.netProfitMicroUsd).toBe(-38_869_200n); // 19,630,800 - 58,500,000
    // Break-even with the stressed difficulty and fee: net(P) = 3872 - ceil(1.92e14 / P) sat; the continuous
    // bound 3872 P - 1.92e14 >= 1.95e14 gives P >= 99,948,347,107.4, where the fee is ceil(1921.0...) = 1922.
    // With the fee at 1921 sat, net is 1951 sat: P = 99,948,744,234 gives floor(1,950,000.000005) (covers),
    // P - 1 gives floor(1,949,999.99998) = 1,949,999 (short).
    expect(result.stress.breakEvenPriceMicroUsd).toBe(99_948_744_234n);
    // The contract price is the same in both cases: it is fixed at purchase.
    expect(result.stress.breakEvenPriceMicroUsd! > result.base.breakEvenPriceMicroUsd!).toBe(true);
  });

  it("a hashrate-based coin's network hashrate is stressed instead of a difficulty", () => {
    const kas = stressInputs({
      ...inputs,
      network: { ...btc, difficulty: null, networkHashrateHs: 900_000_000_000_000_001n },
    });
    expect(kas.network.networkHashrateHs).toBe(990_000_000_000_000_002n); // ceil(990,000,000,000,000,001.1)
    expect(kas.network.difficulty).toBeNull();
  });
});

describe("curtailed: the maintenance fee exceeds what the coins are worth", () => {
  // 50 TH/s at $30,000: gross 2162 sat - pool 33 = 2129 < maintenance ceil(45,000 * 5e13 * 1e8 / (1e12 * 3e10)) = 7500
  const curtailed: EstimateInputs = {
    ...inputs,
    network: { ...btc, priceMicroUsd: 30_000_000_000n },
    listing: { priceMicroUsdPerUnitDay: 19_500n, maintenanceFeeMicroUsdPerUnitDay: 45_000n },
    hashrateHs: 50n * TH,
    days: 10n,
  };
  const result = estimate(curtailed);

  it("pays nothing, charges no pool or maintenance fee, and the price is still owed", () => {
    expect(result.base.curtailed).toBe(true);
    expect(result.base.daily).toEqual({
      grossBase: 0n,
      poolFeeBase: 0n,
      maintenanceFeeBase: 0n,
      netBase: 0n,
      grossMicroUsd: 0n,
      poolFeeMicroUsd: 0n,
      maintenanceFeeMicroUsd: 0n,
      netMicroUsd: 0n,
    });
    expect(result.base.minedAfterPoolFeeIfRunBase).toBe(2129n); // 2162 - 33
    expect(result.base.maintenanceIfRunBase).toBe(7500n);
    expect(result.contract.totalPriceMicroUsd).toBe(9_750_000n); // 50 * 19,500 * 10 days
    expect(result.base.netProfitMicroUsd).toBe(-9_750_000n);
    expect(result.stress.curtailed).toBe(true);
    expect(cumulativeNetMicroUsd(result.base.daily.netMicroUsd, 10n).every((v) => v === 0n)).toBe(true);
  });

  it("still has a break-even price: the one where mining pays the fee and the contract", () => {
    // net(P) = 2129 - ceil(2.25e14 / P); need floor(net * P / 1e8) >= 975,000 a day:
    // 2129 P - 2.25e14 >= 9.75e13 -> P >= 3.225e14 / 2129 = 151,479,567,872...; the per-day
    // ceil of the fee pushes the first covering whole price to 151,515,151,516 (M = 1485, net 644 sat).
    expect(result.base.breakEvenPriceMicroUsd).toBe(151_515_151_516n);
  });
});

describe("break-even edge cases", () => {
  it("is null when the hashrate mines too little to ever pay back", () => {
    // 1 H/s mines 0 sat a day at any price.
    expect(estimate({ ...inputs, hashrateHs: 1n }).base.breakEvenPriceMicroUsd).toBeNull();
  });

  it("is the lowest price when the contract costs nothing", () => {
    expect(breakEvenPrice(inputs, 0n)).toBe(1n);
  });

  it("rejects a zero hashrate, zero days or a zero price", () => {
    expect(() => estimate({ ...inputs, hashrateHs: 0n })).toThrow(RangeError);
    expect(() => estimate({ ...inputs, days: 0n })).toThrow(RangeError);
    expect(() => estimate({ ...inputs, network: { ...btc, priceMicroUsd: 0n } })).toThrow(RangeError);
  });
});

describe("cumulative net USD", () => {
  it("adds the day's net for each day of the term, from day 0", () => {
    expect(cumulativeNetMicroUsd(2_446_250n, 3n)).toEqual([0n, 2_446_250n, 4_892_500n, 7_338_750n]);
  });
});

describe("profitability per pricing unit (the marketplace sort key)", () => {
  it("revenue after the pool fee of one unit-day, from a million units through the formula", () => {
    // 1e6 TH/s mines floor(43,250,620.1...) = 43,250,620 sat; pool ceil(648,759.3) = 648,760;
    // 42,601,860 sat * 950 micro-USD = 40,471,767,000 micro-USD / 1e6 = 40,471 (rounded down)
    expect(revenueAfterPoolFeeMicroUsdPerUnitDay(btc, inputs.coin)).toBe(40_471n);
  });

  it("net per unit: revenue - maintenance, never below 0 (curtailed), minus the price", () => {
    expect(
      estimatedNetMicroUsdPerUnitDay(40_471n, {
        priceMicroUsdPerUnitDay: 19_500n,
        maintenanceFeeMicroUsdPerUnitDay: 16_000n,
      }),
    ).toBe(4_971n);
    expect(
      estimatedNetMicroUsdPerUnitDay(40_471n, {
        priceMicroUsdPerUnitDay: 30_000n,
        maintenanceFeeMicroUsdPerUnitDay: 16_000n,
      }),
    ).toBe(-5_529n);
    // Curtailed: a fee above the revenue costs nothing more than the price.
    expect(
      estimatedNetMicroUsdPerUnitDay(40_471n, {
        priceMicroUsdPerUnitDay: 10_000n,
        maintenanceFeeMicroUsdPerUnitDay: 50_000n,
      }),
    ).toBe(-10_000n);
  });
});

describe("ceilToCentMicroUsd", () => {
  it("rounds a break-even price up to a whole cent", () => {
    expect(ceilToCentMicroUsd(83_333_333_334n)).toBe(83_333_340_000n); // $83,333.333334 -> $83,333.34
    expect(ceilToCentMicroUsd(83_333_330_000n)).toBe(83_333_330_000n);
    expect(ceilToCentMicroUsd(1n)).toBe(10_000n);
  });
});
