import { describe, expect, it } from "vitest";
import { businessSummary, hobbySummary, yearSummary, type YearTotals } from "./summary";
import { PARAMETERS_2025, usd } from "./test-fixtures";

describe("hobby summary", () => {
  it("reports what was credited as other income; gross and fees for information, contract cost not deductible", () => {
    const totals: YearTotals = {
      year: 2025,
      incomeMicroUsd: usd("1234.567891"),
      poolFeesMicroUsd: usd("12.345678"),
      maintenanceFeesMicroUsd: usd("100.000001"),
      contractAmortisationMicroUsd: usd("500"),
      underDeliveryCreditsMicroUsd: 0n,
    };
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
    const totals: YearTotals = {
      year: 2025,
      incomeMicroUsd: usd("2199.79"),
      poolFeesMicroUsd: usd("33.00"),
      maintenanceFeesMicroUsd: usd("1016.36"),
      contractAmortisationMicroUsd: usd("900"),
      underDeliveryCreditsMicroUsd: 0n,
    };
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
    const s = businessSummary(
      {
        year: 2025,
        incomeMicroUsd: usd("30000"),
        poolFeesMicroUsd: usd("600"),
        maintenanceFeesMicroUsd: usd("3000"),
        contractAmortisationMicroUsd: usd("6000.50"),
        underDeliveryCreditsMicroUsd: usd("400.25"),
      },
      PARAMETERS_2025,
    );
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
    const s = businessSummary(
      {
        year: 2025,
        incomeMicroUsd: usd("1000"),
        poolFeesMicroUsd: usd("20"),
        maintenanceFeesMicroUsd: usd("300"),
        contractAmortisationMicroUsd: usd("2000"),
        underDeliveryCreditsMicroUsd: 0n,
      },
      PARAMETERS_2025,
    );
    expect(s.totalExpensesMicroUsd).toBe(usd("2320"));
    expect(s.netProfitMicroUsd).toBe(-usd("1320"));
    expect(s.seTax?.totalMicroUsd).toBe(0n);
    expect(s.seTax?.deductibleHalfMicroUsd).toBe(0n);
  });

  it("a year crossing the wage base caps the Social Security part", () => {
    const s = businessSummary(
      {
        year: 2025,
        incomeMicroUsd: usd("250000"),
        poolFeesMicroUsd: usd("5000"),
        maintenanceFeesMicroUsd: usd("30000"),
        contractAmortisationMicroUsd: usd("15000"),
        underDeliveryCreditsMicroUsd: 0n,
      },
      PARAMETERS_2025,
    );
    expect(s.netProfitMicroUsd).toBe(usd("200000"));
    expect(s.seTax?.socialSecurityBaseMicroUsd).toBe(usd("176100"));
    expect(s.seTax?.totalMicroUsd).toBe(usd("27192.70"));
  });

  it("without parameters for the year there is no SE estimate", () => {
    const s = businessSummary(
      {
        year: 2031,
        incomeMicroUsd: usd("10"),
        poolFeesMicroUsd: 0n,
        maintenanceFeesMicroUsd: 0n,
        contractAmortisationMicroUsd: 0n,
        underDeliveryCreditsMicroUsd: 0n,
      },
      null,
    );
    expect(s.netProfitMicroUsd).toBe(usd("10"));
    expect(s.seTax).toBeNull();
  });
});
