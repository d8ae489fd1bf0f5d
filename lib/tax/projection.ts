// A running tax year, seen two ways (issue 24): the year to date — income, fees and credits of
// the days settled so far against the contract cost amortised over the days that have ended —
// and, separately and labelled as such, a projection of the whole year. Mixing the two (income
// to date against the cost of the whole year's days, the old summary) makes every profitable
// year look like a loss until December.
//
// The projection adds to the year to date each contract's days in the year not settled yet, at
// that contract's own figures per settled day so far: rest = floor(toDate * unsettled / settled)
// for income, each fee and the under-delivery credits (rounded down: an estimate, shown as one).
// A contract with no settled day in the year has no run rate: it projects no income, while its
// cost still counts (the price is known). The cost is the whole year's amortisation, exact.
// Capital gains are those of the disposals made so far: future disposals are not guessed.
import type { YearTotals } from "./summary";

/** One contract's year so far: its term days in the year, its settled days and their figures. */
export interface ContractYearRun {
  /** Days of the term that fall in the year (all of them, ended or not). */
  daysInYear: number;
  /** Payout days settled in the year (a curtailed day counts: it is a day of the term). */
  settledDays: number;
  incomeMicroUsd: bigint;
  poolFeesMicroUsd: bigint;
  maintenanceFeesMicroUsd: bigint;
  underDeliveryCreditsMicroUsd: bigint;
}

type Projected = "incomeMicroUsd" | "poolFeesMicroUsd" | "maintenanceFeesMicroUsd" | "underDeliveryCreditsMicroUsd";
const PROJECTED: readonly Projected[] = [
  "incomeMicroUsd",
  "poolFeesMicroUsd",
  "maintenanceFeesMicroUsd",
  "underDeliveryCreditsMicroUsd",
];

/** The year-to-date totals extended to the full year (see the header). */
export function projectFullYear(
  toDate: YearTotals,
  fullYearAmortisationMicroUsd: bigint,
  runs: readonly ContractYearRun[],
): YearTotals {
  const out: YearTotals = { ...toDate, contractAmortisationMicroUsd: fullYearAmortisationMicroUsd };
  for (const run of runs) {
    const unsettled = run.daysInYear - run.settledDays;
    if (run.settledDays <= 0 || unsettled <= 0) continue;
    for (const key of PROJECTED) {
      out[key] += (run[key] * BigInt(unsettled)) / BigInt(run.settledDays);
    }
  }
  return out;
}
