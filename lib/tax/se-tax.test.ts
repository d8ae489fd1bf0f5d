import { describe, expect, it } from "vitest";
import { roundHalfUpToCent } from "./money";
import { selfEmploymentTax } from "./se-tax";
import { PARAMETERS_2025, PARAMETERS_2026, usd } from "./test-fixtures";

describe("roundHalfUpToCent", () => {
  it("rounds half a cent up and less than half down", () => {
    expect(roundHalfUpToCent(5_000n, 1n)).toBe(10_000n);
    expect(roundHalfUpToCent(4_999n, 1n)).toBe(0n);
    expect(roundHalfUpToCent(usd("267.815"), 1n)).toBe(usd("267.82"));
    expect(roundHalfUpToCent(usd("1469.455") * 2n, 2n)).toBe(usd("1469.46"));
  });
  it("refuses a negative fraction", () => {
    expect(() => roundHalfUpToCent(-1n, 1n)).toThrow(RangeError);
  });
});

describe("selfEmploymentTax (Schedule SE, hand-checked)", () => {
  it("$10,000 net profit: 9,235.00 earnings, 1,145.14 + 267.82 = 1,412.96, half 706.48", () => {
    const se = selfEmploymentTax(usd("10000"), PARAMETERS_2025);
    expect(se.netEarningsMicroUsd).toBe(usd("9235"));
    expect(se.socialSecurityTaxMicroUsd).toBe(usd("1145.14"));
    expect(se.medicareTaxMicroUsd).toBe(usd("267.82"));
    expect(se.totalMicroUsd).toBe(usd("1412.96"));
    expect(se.deductibleHalfMicroUsd).toBe(usd("706.48"));
    expect(se.aboveWageBaseMicroUsd).toBe(0n);
  });

  it("a year crossing the 2025 wage base: Social Security only on $176,100, Medicare on all", () => {
    const se = selfEmploymentTax(usd("200000"), PARAMETERS_2025);
    expect(se.netEarningsMicroUsd).toBe(usd("184700"));
    expect(se.socialSecurityBaseMicroUsd).toBe(usd("176100"));
    expect(se.aboveWageBaseMicroUsd).toBe(usd("8600"));
    expect(se.socialSecurityTaxMicroUsd).toBe(usd("21836.40"));
    expect(se.medicareTaxMicroUsd).toBe(usd("5356.30"));
    expect(se.totalMicroUsd).toBe(usd("27192.70"));
    expect(se.deductibleHalfMicroUsd).toBe(usd("13596.35"));
  });

  it("the same profit in 2026 stays under its $184,500 base", () => {
    const se = selfEmploymentTax(usd("200000"), PARAMETERS_2026);
    expect(se.socialSecurityBaseMicroUsd).toBe(usd("184500"));
    expect(se.socialSecurityTaxMicroUsd).toBe(usd("22878.00"));
    expect(se.totalMicroUsd).toBe(usd("28234.30"));
    expect(se.deductibleHalfMicroUsd).toBe(usd("14117.15"));
  });

  it("a loss year owes no SE tax", () => {
    const se = selfEmploymentTax(-usd("1320"), PARAMETERS_2025);
    expect(se).toMatchObject({
      netEarningsMicroUsd: 0n,
      totalMicroUsd: 0n,
      deductibleHalfMicroUsd: 0n,
      belowMinimum: true,
    });
    expect(selfEmploymentTax(0n, PARAMETERS_2025).totalMicroUsd).toBe(0n);
  });

  it("net earnings under $400 owe nothing; from $400 the whole amount is taxed", () => {
    const below = selfEmploymentTax(usd("400"), PARAMETERS_2025);
    expect(below.netEarningsMicroUsd).toBe(usd("369.40"));
    expect(below.belowMinimum).toBe(true);
    expect(below.totalMicroUsd).toBe(0n);
    const at = selfEmploymentTax(usd("433.14"), PARAMETERS_2025);
    expect(at.netEarningsMicroUsd).toBe(usd("400.00"));
    expect(at.belowMinimum).toBe(false);
    expect(at.socialSecurityTaxMicroUsd).toBe(usd("49.60"));
    expect(at.medicareTaxMicroUsd).toBe(usd("11.60"));
    expect(at.totalMicroUsd).toBe(usd("61.20"));
    expect(at.deductibleHalfMicroUsd).toBe(usd("30.60"));
  });
});
