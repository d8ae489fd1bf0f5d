// Issue 24: mid-year, the summary set income to date against the cost of the whole year's
// contract days, so a profitable year read as a loss. A hand-computed 2 July 2026 example: the
// year to date (cost of the days that have ended) and the full-year projection, to the micro-dollar.
import { describe, expect, it } from "vitest";
import {
  amortisedInYear,
  amortisedInYearToDate,
  termDaysInYear,
  termDaysInYearToDate,
  yearIsRunning,
  yearToDateEnd,
} from "./amortisation";
import { projectFullYear, type ContractYearRun } from "./projection";
import { businessSummary, hobbySummary, type YearTotals } from "./summary";
import { PARAMETERS_2026 } from "./test-fixtures";

const day = (text: string) => new Date(`${text}T00:00:00.000Z`);
// 15:00 UTC on 2 July 2026: 1 January – 1 July have ended (182 days), 2 July has not.
const NOW = new Date("2026-07-02T15:00:00.000Z");

// A: $365.00 for the whole of 2026. B: $100.000001 for 50 days from 15 June (to 3 August).
const A = { totalPriceMicroUsd: 365_000_000n, startDay: day("2026-01-01"), days: 365 };
const B = { totalPriceMicroUsd: 100_000_001n, startDay: day("2026-06-15"), days: 50 };

describe("the year to date", () => {
  it("ends at the start of today while the year runs, at the next 1 January once it is over", () => {
    expect(yearToDateEnd(2026, NOW)).toEqual(day("2026-07-02"));
    expect(yearIsRunning(2026, NOW)).toBe(true);
    expect(yearToDateEnd(2025, NOW)).toEqual(day("2026-01-01"));
    expect(yearIsRunning(2025, NOW)).toBe(false);
    expect(yearToDateEnd(2027, NOW)).toEqual(day("2027-01-01"));
    expect(yearToDateEnd(2026, day("2026-01-01"))).toEqual(day("2026-01-01"));
    expect(yearIsRunning(2026, new Date("2026-12-31T23:59:59.999Z"))).toBe(true);
    expect(yearIsRunning(2026, day("2027-01-01"))).toBe(false);
  });

  it("amortises each contract over the days that have ended only", () => {
    expect(termDaysInYearToDate(A, 2026, NOW)).toBe(182);
    expect(amortisedInYearToDate(A, 2026, NOW)).toBe(182_000_000n);
    // B: 15 June – 1 July = 17 days; floor(17 x 100,000,001 / 50) = floor(34,000,000.34).
    expect(termDaysInYearToDate(B, 2026, NOW)).toBe(17);
    expect(amortisedInYearToDate(B, 2026, NOW)).toBe(34_000_000n);
    // The full year is unchanged: all 365 and 50 days.
    expect(termDaysInYear(A, 2026)).toBe(365);
    expect(amortisedInYear(B, 2026)).toBe(100_000_001n);
    // A year that is over: to date = the whole year.
    expect(amortisedInYearToDate(A, 2026, day("2027-03-01"))).toBe(365_000_000n);
  });
});

describe("year to date against the full-year projection (2 July 2026)", () => {
  // A settled 182 days (through 1 July); B 16 of its 17 ended days (1 July not yet run).
  const runs: ContractYearRun[] = [
    {
      daysInYear: 365,
      settledDays: 182,
      incomeMicroUsd: 300_000_000n,
      poolFeesMicroUsd: 3_000_000n,
      maintenanceFeesMicroUsd: 60_000_000n,
      underDeliveryCreditsMicroUsd: 0n,
    },
    {
      daysInYear: 50,
      settledDays: 16,
      incomeMicroUsd: 40_000_000n,
      poolFeesMicroUsd: 400_000n,
      maintenanceFeesMicroUsd: 8_000_000n,
      underDeliveryCreditsMicroUsd: 1_000_000n,
    },
  ];
  const toDate: YearTotals = {
    year: 2026,
    incomeMicroUsd: 340_000_000n,
    poolFeesMicroUsd: 3_400_000n,
    maintenanceFeesMicroUsd: 68_000_000n,
    contractAmortisationMicroUsd: amortisedInYearToDate(A, 2026, NOW) + amortisedInYearToDate(B, 2026, NOW),
    underDeliveryCreditsMicroUsd: 1_000_000n,
  };
  const fullYearCost = amortisedInYear(A, 2026) + amortisedInYear(B, 2026);

  it("the year to date is a profit: $340 - $3.40 - $68 - ($216 - $1) = $53.60", () => {
    expect(toDate.contractAmortisationMicroUsd).toBe(216_000_000n);
    expect(businessSummary(toDate, PARAMETERS_2026).netProfitMicroUsd).toBe(53_600_000n);
    // What the old summary showed: the same income against the whole year's cost, a loss.
    const old = { ...toDate, contractAmortisationMicroUsd: fullYearCost };
    expect(businessSummary(old, PARAMETERS_2026).netProfitMicroUsd).toBe(-195_400_001n);
  });

  it("the projection adds each contract's unsettled days at its own rate, rounded down, and the full cost", () => {
    const p = projectFullYear(toDate, fullYearCost, runs);
    // A: 183 more days at 182 settled: floor(300,000,000 x 183 / 182) = 301,648,351 (…351.648),
    //    floor(3,000,000 x 183 / 182) = 3,016,483 (…483.516), floor(60,000,000 x 183 / 182) = 60,329,670.
    // B: 34 more days at 16 settled: 85,000,000; 850,000; 17,000,000; credits 2,125,000.
    expect(p.incomeMicroUsd).toBe(340_000_000n + 301_648_351n + 85_000_000n);
    expect(p.poolFeesMicroUsd).toBe(3_400_000n + 3_016_483n + 850_000n);
    expect(p.maintenanceFeesMicroUsd).toBe(68_000_000n + 60_329_670n + 17_000_000n);
    expect(p.underDeliveryCreditsMicroUsd).toBe(3_125_000n);
    expect(p.contractAmortisationMicroUsd).toBe(465_000_001n);
    // 726,648,351 - 7,266,483 - 145,329,670 - (465,000,001 - 3,125,000) = 112,177,197.
    expect(businessSummary(p, PARAMETERS_2026).netProfitMicroUsd).toBe(112_177_197n);
    // The hobby's projected other income is the projected credited value.
    expect(hobbySummary(p).otherIncomeMicroUsd).toBe(726_648_351n - 7_266_483n - 145_329_670n);
    // The year to date is not changed by projecting it.
    expect(toDate.incomeMicroUsd).toBe(340_000_000n);
  });

  it("a contract with no settled day projects no income but its cost; a fully settled one adds nothing", () => {
    const notStarted: ContractYearRun = { ...runs[1]!, settledDays: 0 };
    const done: ContractYearRun = { ...runs[1]!, daysInYear: 16 };
    const p = projectFullYear(toDate, fullYearCost, [notStarted, done]);
    expect(p).toEqual({ ...toDate, contractAmortisationMicroUsd: fullYearCost });
  });
});
