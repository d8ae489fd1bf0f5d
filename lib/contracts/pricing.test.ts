import { describe, expect, it } from "vitest";
import { cardCharge, coinAmountForUsd, formatInUnit, parseHashrate, priceContract } from "./pricing";

const TH = 10n ** 12n;

describe("contract pricing", () => {
  it("prices a day with one upward rounding and splits fee and operator share exactly", () => {
    // 150 TH/s at $0.0195 / TH/s / day for 30 days
    expect(priceContract(150n * TH, 30n, 19_500n, TH)).toEqual({
      dailyPriceMicroUsd: 2_925_000n,
      totalPriceMicroUsd: 87_750_000n,
      platformFeeMicroUsd: 2_632_500n,
      operatorShareMicroUsd: 85_117_500n,
    });
    // 1.5 H/s of a TH/s unit at 1 micro-USD: 1.5e-12 micro-USD a day rounds up to 1
    const tiny = priceContract(1n, 7n, 1n, TH);
    expect(tiny.dailyPriceMicroUsd).toBe(1n);
    expect(tiny.platformFeeMicroUsd + tiny.operatorShareMicroUsd).toBe(tiny.totalPriceMicroUsd);
    expect(() => priceContract(0n, 1n, 1n, TH)).toThrow(RangeError);
  });

  it("charges cards in cents, half up, recording the rounding", () => {
    expect(cardCharge(87_750_000n)).toEqual({ cents: 8_775n, roundingMicroUsd: 0n });
    expect(cardCharge(12_349_999n)).toEqual({ cents: 1_235n, roundingMicroUsd: 1n });
    expect(cardCharge(12_345_000n)).toEqual({ cents: 1_235n, roundingMicroUsd: 5_000n }); // exactly half: up
    expect(cardCharge(12_344_999n)).toEqual({ cents: 1_234n, roundingMicroUsd: -4_999n });
  });

  it("converts a USD price to coin at the day's price, rounding against the payer", () => {
    // $87.75 at $95,000 / BTC = 92,368.42... sat -> 92,369
    expect(coinAmountForUsd(87_750_000n, 95_000_000_000n, 8n)).toBe(92_369n);
  });

  it("parses hashrate exactly in the listing's unit", () => {
    expect(parseHashrate("234.5", TH)).toBe(234_500_000_000_000n);
    expect(parseHashrate(" 1 ", TH)).toBe(TH);
    expect(parseHashrate("0.000000000001", TH)).toBe(1n);
    expect(parseHashrate("0.0000000000001", TH)).toBeNull(); // below 1 H/s
    expect(formatInUnit(234_500_000_000_000n, TH)).toBe("234.5");
    expect(formatInUnit(1n, TH)).toBe("0.000000000001");
    expect(formatInUnit(5n * TH, TH)).toBe("5");
    for (const bad of ["", "1e3", "-1", "1,5", "abc", "1.", ".5", "0x10"]) expect(parseHashrate(bad, TH)).toBeNull();
  });
});
