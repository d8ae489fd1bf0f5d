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
  formatUnitPricePerDay,
  sharePercent,
} from "./format";

describe("formatUnitPricePerDay", () => {
  it("names the unit and the day", () => {
    expect(formatUnitPricePerDay(65_000n, "TH/s")).toBe("$0.065 / TH/s / day");
  });

  it("is a rate: four significant digits (lib/shared/usd.ts), not cents", () => {
    expect(formatUnitPricePerDay(19_500n, "TH/s")).toBe("$0.0195 / TH/s / day");
    expect(formatUnitPricePerDay(19_512n, "TH/s")).toBe("$0.01951 / TH/s / day");
    expect(formatUnitPricePerDay(12_345_678n, "kH/s")).toBe("$12.35 / kH/s / day");
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
