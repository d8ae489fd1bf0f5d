import { describe, expect, it } from "vitest";
import { businessSummary, hobbySummary, yearSummary, type YearTotals } from "./summary";
import { PARAMETERS_2025, usd } from "./test-fixtures";

/** A year's totals from dollar amounts: income (gross value), pool fees, maintenance fees, amortisation, credits. */
function dollars(
  income: string,
  poolFees: string,
  maintenanceFees: string,
  amortisation: string,
  credits = "0",
  year = 2025,
): YearTotals {
  return {
    year,
    incomeMicroUsd: usd(income),
    poolFeesMicroUsd: usd(poolFees),
    maintenanceFeesMicroUsd: usd(maintenanceFees),
    contractAmortisationMicroUsd: usd(amortisation),
    underDeliveryCreditsMicroUsd: usd(credits),
  };
}

describe("hobby summary", () => {
  it("reports what was credited as other income; gross and fees for information, contract cost not deductible", () => {
    const totals = dollars("1234.567891", "12.345678", "100.000001", "500");
    const s = hobbySummary(totals);
    // Income = gross value - pool fees - maintenance fees: the coins the customer received.
    expect(s.otherIncomeMicroUsd).toBe(usd("1122.222212"));
    expect(s.netCreditedMicroUsd).toBe(usd("1122.222212"));
    expect(s.grossMinedMicroUsd).toBe(usd("1234.567891"));
    expect(s.feesWithheld.map((e) => [e.category, e.microUsd])).toEqual([
      ["MAINTENANCE", usd("100.000001")],
      ["POOL_AND_PLATFORM_FEES", usd("12.345678")],
    ]);
    expect(s.notDeductible.map((e) => [e.category, e.microUsd])).toEqual([["CONTRACT_COST", usd("500")]]);
    expect(yearSummary("HOBBY", totals, PARAMETERS_2025)).toEqual(s);
  });

  it("an audited year: gross $2,199.79, fees $1,049.36 — the other income is the $1,150.43 credited, not the gross", () => {
    const totals = dollars("2199.79", "33.00", "1016.36", "900");
    const hobby = hobbySummary(totals);
    expect(hobby.otherIncomeMicroUsd).toBe(usd("1150.43"));
    expect(hobby.grossMinedMicroUsd).toBe(usd("2199.79"));
    // The business summary is unchanged: gross receipts are the gross value, fees deducted.
    const business = businessSummary(totals, PARAMETERS_2025);
    expect(business.grossReceiptsMicroUsd).toBe(usd("2199.79"));
    expect(business.netProfitMicroUsd).toBe(usd("1150.43") - usd("900"));
  });
});

describe("business summary (Schedule C style)", () => {
  it("a profitable year: expenses by category, net profit, SE tax and its deductible half", () => {
    const s = businessSummary(dollars("30000", "600", "3000", "6000.50", "400.25"), PARAMETERS_2025);
    expect(s.grossReceiptsMicroUsd).toBe(usd("30000"));
    expect(s.expenses.find((e) => e.category === "CONTRACT_COST")?.microUsd).toBe(usd("5600.25"));
    expect(s.totalExpensesMicroUsd).toBe(usd("9200.25"));
    expect(s.netProfitMicroUsd).toBe(usd("20799.75"));
    // 20,799.75 x 92.35 % = 19,208.569125 -> 19,208.57; x 12.4 % = 2,381.86; x 2.9 % = 557.05.
    expect(s.seTax?.netEarningsMicroUsd).toBe(usd("19208.57"));
    expect(s.seTax?.socialSecurityTaxMicroUsd).toBe(usd("2381.86"));
    expect(s.seTax?.medicareTaxMicroUsd).toBe(usd("557.05"));
    expect(s.seTax?.totalMicroUsd).toBe(usd("2938.91"));
    expect(s.seTax?.deductibleHalfMicroUsd).toBe(usd("1469.46"));
  });

  it("a loss year: negative net profit, zero SE tax", () => {
    const s = businessSummary(dollars("1000", "20", "300", "2000"), PARAMETERS_2025);
    expect(s.totalExpensesMicroUsd).toBe(usd("2320"));
    expect(s.netProfitMicroUsd).toBe(-usd("1320"));
    expect(s.seTax?.totalMicroUsd).toBe(0n);
    expect(s.seTax?.deductibleHalfMicroUsd).toBe(0n);
  });

  it("a year crossing the wage base caps the Social Security part", () => {
    const s = businessSummary(dollars("250000", "5000", "30000", "15000"), PARAMETERS_2025);
    expect(s.netProfitMicroUsd).toBe(usd("200000"));
    expect(s.seTax?.socialSecurityBaseMicroUsd).toBe(usd("176100"));
    expect(s.seTax?.totalMicroUsd).toBe(usd("27192.70"));
  });

  it("without parameters for the year there is no SE estimate", () => {
    const s = businessSummary(dollars("10", "0", "0", "0", "0", 2031), null);
    expect(s.netProfitMicroUsd).toBe(usd("10"));
    expect(s.seTax).toBeNull();
  });
});
