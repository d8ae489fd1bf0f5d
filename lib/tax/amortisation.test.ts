import { describe, expect, it } from "vitest";
import { amortisedBetween, amortisedInYear, termDaysInYear } from "./amortisation";

const day = (text: string) => new Date(`${text}T00:00:00.000Z`);

describe("contract cost amortisation", () => {
  // 90 days from 2 December 2025: 30 days in 2025 (2-31 December), 60 in 2026.
  const contract = { totalPriceMicroUsd: 1_000_000_001n, startDay: day("2025-12-02"), days: 90 };

  it("splits a term across a year boundary by days, exactly", () => {
    expect(termDaysInYear(contract, 2025)).toBe(30);
    expect(termDaysInYear(contract, 2026)).toBe(60);
    // floor(30 x 1,000,000,001 / 90) = 333,333,333; the rest falls in 2026.
    expect(amortisedInYear(contract, 2025)).toBe(333_333_333n);
    expect(amortisedInYear(contract, 2026)).toBe(666_666_668n);
    expect(amortisedInYear(contract, 2025) + amortisedInYear(contract, 2026)).toBe(contract.totalPriceMicroUsd);
    expect(amortisedInYear(contract, 2024)).toBe(0n);
    expect(amortisedInYear(contract, 2027)).toBe(0n);
  });

  it("days one by one add up to the price and differ by at most one micro-dollar", () => {
    const pieces: bigint[] = [];
    for (let k = 0; k < contract.days; k += 1) {
      const from = new Date(contract.startDay.getTime() + k * 86_400_000);
      pieces.push(amortisedBetween(contract, from, new Date(from.getTime() + 86_400_000)));
    }
    expect(pieces.reduce((a, b) => a + b, 0n)).toBe(contract.totalPriceMicroUsd);
    const min = pieces.reduce((a, b) => (a < b ? a : b));
    const max = pieces.reduce((a, b) => (a > b ? a : b));
    expect(max - min <= 1n).toBe(true);
  });

  it("a range outside the term, or reversed, carries nothing", () => {
    expect(amortisedBetween(contract, day("2026-06-01"), day("2026-07-01"))).toBe(0n);
    expect(amortisedBetween(contract, day("2026-01-10"), day("2026-01-01"))).toBe(0n);
  });
});
