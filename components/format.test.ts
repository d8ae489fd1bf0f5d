import { describe, expect, it } from "vitest";
import {
  formatAlgorithm,
  formatBps,
  formatCoinAmount,
  formatDay,
  formatDayRange,
  formatHashrate,
  formatInstantUtc,
  formatInteger,
  formatMicroUsd,
  formatUnitPricePerDay,
  sharePercent,
} from "./format";

describe("formatMicroUsd", () => {
  it("formats zero with two decimals", () => {
    expect(formatMicroUsd(0n)).toBe("$0.00");
  });

  it("keeps significant micro-dollar digits and trims trailing zeros to two decimals", () => {
    expect(formatMicroUsd(65_000n)).toBe("$0.065");
    expect(formatMicroUsd(1n)).toBe("$0.000001");
    expect(formatMicroUsd(1_500_000n)).toBe("$1.50");
    expect(formatMicroUsd(1_000_000n)).toBe("$1.00");
    expect(formatMicroUsd(123_456_789n)).toBe("$123.456789");
  });

  it("groups thousands in large values without losing precision", () => {
    expect(formatMicroUsd(1_234_567_890_000n)).toBe("$1,234,567.89");
    // Far beyond Number.MAX_SAFE_INTEGER.
    expect(formatMicroUsd(9_223_372_036_854_775_807n)).toBe("$9,223,372,036,854.775807");
  });

  it("rounds down (truncates) when fewer decimals are asked for", () => {
    expect(formatMicroUsd(1_999_999n, { maxDecimals: 2 })).toBe("$1.99");
    expect(formatMicroUsd(65_900n, { maxDecimals: 4 })).toBe("$0.0659");
    expect(formatMicroUsd(9_999n, { maxDecimals: 2 })).toBe("$0.00");
  });

  it("pads to minDecimals", () => {
    expect(formatMicroUsd(65_000n, { minDecimals: 4 })).toBe("$0.0650");
    expect(formatMicroUsd(2_000_000n, { minDecimals: 0 })).toBe("$2");
  });

  it("puts the minus sign before the dollar sign and rounds the magnitude down", () => {
    expect(formatMicroUsd(-1_500_000n)).toBe("-$1.50");
    expect(formatMicroUsd(-1_999_999n, { maxDecimals: 2 })).toBe("-$1.99");
    expect(formatMicroUsd(-1_234_567_000_000n)).toBe("-$1,234,567.00");
  });

  it("never shows a negative zero", () => {
    expect(formatMicroUsd(-1n, { maxDecimals: 2 })).toBe("$0.00");
  });
});

describe("formatUnitPricePerDay", () => {
  it("names the unit and the day", () => {
    expect(formatUnitPricePerDay(65_000n, "TH/s")).toBe("$0.065 / TH/s / day");
  });
});

describe("formatCoinAmount", () => {
  it("formats base units with the coin's decimals", () => {
    expect(formatCoinAmount(0n, 8)).toBe("0");
    expect(formatCoinAmount(150_000_000n, 8)).toBe("1.5");
    expect(formatCoinAmount(1n, 8)).toBe("0.00000001");
    expect(formatCoinAmount(2_100_000_000_000_000n, 8)).toBe("21,000,000");
  });

  it("truncates 18-decimal coins to 8 decimals by default, rounding down", () => {
    expect(formatCoinAmount(1_999_999_999_999_999_999n, 18)).toBe("1.99999999");
    expect(formatCoinAmount(1n, 18)).toBe("0");
    expect(formatCoinAmount(1n, 18, { maxDecimals: 18 })).toBe("0.000000000000000001");
  });

  it("handles negative amounts", () => {
    expect(formatCoinAmount(-250_000_000n, 8)).toBe("-2.5");
    expect(formatCoinAmount(-1n, 18)).toBe("0");
  });
});

describe("formatHashrate", () => {
  it("formats zero and tiny values in H/s", () => {
    expect(formatHashrate(0n)).toBe("0 H/s");
    expect(formatHashrate(999n)).toBe("999 H/s");
  });

  it("switches prefix at each power of 1000", () => {
    expect(formatHashrate(1_000n)).toBe("1 kH/s");
    expect(formatHashrate(15_000_000n)).toBe("15 MH/s");
    expect(formatHashrate(2_500_000_000n)).toBe("2.5 GH/s");
    expect(formatHashrate(1_500_000_000_000n)).toBe("1.5 TH/s");
    expect(formatHashrate(200_000_000_000_000n)).toBe("200 TH/s");
    expect(formatHashrate(1_000_000_000_000_000n)).toBe("1 PH/s");
    expect(formatHashrate(7_000_000_000_000_000_000n)).toBe("7 EH/s");
  });

  it("rounds down, never up to the next unit", () => {
    expect(formatHashrate(999_999_999_999n)).toBe("999.99 GH/s");
    expect(formatHashrate(1_239_000_000_000n)).toBe("1.23 TH/s");
    expect(formatHashrate(1_239_000_000_000n, { maxDecimals: 0 })).toBe("1 TH/s");
  });

  it("caps the prefix at EH/s for very large (network) values", () => {
    expect(formatHashrate(750_000_000_000_000_000_000n)).toBe("750 EH/s");
    expect(formatHashrate(1_234_000_000_000_000_000_000n)).toBe("1,234 EH/s");
  });

  it("keeps the sign of a negative difference", () => {
    expect(formatHashrate(-1_500_000_000_000n)).toBe("-1.5 TH/s");
  });
});

describe("small formatters", () => {
  it("formats basis points", () => {
    expect(formatBps(0)).toBe("0%");
    expect(formatBps(150)).toBe("1.5%");
    expect(formatBps(200)).toBe("2%");
    expect(formatBps(5)).toBe("0.05%");
    expect(formatBps(10_000)).toBe("100%");
  });

  it("names algorithms as people write them", () => {
    expect(formatAlgorithm("SHA256")).toBe("SHA-256");
    expect(formatAlgorithm("KHEAVYHASH")).toBe("kHeavyHash");
    expect(formatAlgorithm("UNKNOWN")).toBe("UNKNOWN");
  });

  it("formats integers", () => {
    expect(formatInteger(0)).toBe("0");
    expect(formatInteger(1_234_567)).toBe("1,234,567");
    expect(formatInteger(-1_000n)).toBe("-1,000");
  });

  it("formats days, instants and ranges in UTC", () => {
    expect(formatDay(new Date("2026-11-23T00:00:00Z"))).toBe("2026-11-23");
    expect(formatInstantUtc(new Date("2026-11-23T14:05:59Z"))).toBe("2026-11-23 14:05 UTC");
    expect(formatDayRange(30, 365)).toBe("30–365 days");
    expect(formatDayRange(30, 30)).toBe("30 days");
  });

  it("computes bar shares, clamped and safe for empty totals", () => {
    expect(sharePercent(0n, 0n)).toBe(0);
    expect(sharePercent(5n, 0n)).toBe(0);
    expect(sharePercent(1n, 3n)).toBe(33.33);
    expect(sharePercent(3n, 3n)).toBe(100);
    expect(sharePercent(4n, 3n)).toBe(100);
    expect(sharePercent(-1n, 3n)).toBe(0);
  });
});
