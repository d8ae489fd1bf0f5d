// Hashprice of hand-computed days: each expected figure below was worked out step by step from
// the inputs (the comments show the steps), not by calling the code under test.
import { describe, expect, it } from "vitest";
import { HAND_CHECKED_BTC } from "../testing/network-inputs";
import { revenueAfterPoolFeeMicroUsdPerUnitDay } from "./estimate";
import { hashprice } from "./hashprice";

const TH = 1_000_000_000_000n;

describe("hashprice", () => {
  it("BTC at 150 T difficulty, 3.125 + 0.1 BTC a block, $95,000: 43.25 sat and $0.041088 per TH/s per day", () => {
    // N = 150e12 * 2^32 / 600 s = 1.073741824e21 H/s. The network mines 144 blocks * 3.225 BTC
    // = 464.4 BTC = 4.644e10 sat a day; 1 TH/s is 1e12 / 1.073741824e21 of it:
    // 4.644e10 * 1e12 / 1.073741824e21 = 43.250620365... sat -> 43,250,620 millionths of a sat.
    // Pool fee 1.5 %: ceil(43,250,620 * 150 / 10,000) = ceil(648,759.3) = 648,760 -> 42,601,860.
    // USD: 43,250,620e-6 sat * 950 µUSD/sat = 41,088.089 µUSD -> $0.041088 (floor);
    //      42,601,860e-6 sat * 950 = 40,471.767 µUSD -> $0.040471.
    const day = hashprice(HAND_CHECKED_BTC, { decimals: 8n, poolFeeBps: 150n, unitHs: TH });
    expect(day).toEqual({
      grossMicroBase: 43_250_620n,
      afterPoolFeeMicroBase: 42_601_860n,
      grossMicroUsd: 41_088n,
      afterPoolFeeMicroUsd: 40_471n,
    });
  });

  it("a coin quoted by network hashrate: 7 EH/s, 1 s blocks of 100 coins, $12.345678, 2 % pool fee", () => {
    // The network mines 86,400 * 100 coins a day; 1 TH/s of 7e18 H/s earns 8,640,000 / 7e6
    // = 1.234285714285714... coins = 123,428,571.428571... base units -> 123,428,571,428,571
    // millionths (floor). Pool fee: ceil(123,428,571,428,571 * 200 / 10,000) = 2,468,571,428,572.
    // USD: 1.23428571428571 coins * $12.345678 = $15.238093988... -> 15,238,093 µUSD;
    // after the fee 1.20959999999999 * 12.345678 = 14.933332... -> 14,933,332 µUSD.
    const network = {
      networkHashrateHs: 7_000_000_000_000_000_000n,
      difficulty: null,
      blockTimeMs: 1_000n,
      blockSubsidyBase: 9_000_000_000n,
      avgFeesPerBlockBase: 1_000_000_000n,
      priceMicroUsd: 12_345_678n,
    };
    expect(hashprice(network, { decimals: 8n, poolFeeBps: 200n, unitHs: TH })).toEqual({
      grossMicroBase: 123_428_571_428_571n,
      afterPoolFeeMicroBase: 120_959_999_999_999n,
      grossMicroUsd: 15_238_093n,
      afterPoolFeeMicroUsd: 14_933_332n,
    });
  });

  it("is worth nothing in USD at a price of 0, and is what the marketplace's profitability sort uses", () => {
    const free = hashprice({ ...HAND_CHECKED_BTC, priceMicroUsd: 0n }, { decimals: 8n, poolFeeBps: 150n, unitHs: TH });
    expect(free.grossMicroBase).toBe(43_250_620n);
    expect(free.grossMicroUsd).toBe(0n);
    const terms = { decimals: 8n, poolFeeBps: 150n, unitHs: TH };
    expect(revenueAfterPoolFeeMicroUsdPerUnitDay(HAND_CHECKED_BTC, terms)).toBe(
      hashprice(HAND_CHECKED_BTC, terms).afterPoolFeeMicroUsd,
    );
  });
});
