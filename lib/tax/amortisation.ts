import { DAY_MS, startOfUtcDay } from "../shared/days";

// A contract's price as a business expense, amortised evenly over its days (DESIGN.md "Tax
// ledger": the contract price amortised over its term). Computed at report time from the
// contract's terms (price, first day, days), which never change after purchase, so nothing is
// stored per day. Exact: day k of the term (0-based) carries floor((k+1) T / n) - floor(k T / n)
// micro-USD, so any run of days carries floor(end T / n) - floor(start T / n) and the whole term
// carries T exactly, whichever year boundaries it crosses.

export interface AmortisedContract {
  totalPriceMicroUsd: bigint;
  /** First UTC day of the term (a UTC midnight). */
  startDay: Date;
  days: number;
}

function daysFromStart(contract: AmortisedContract, day: Date): number {
  const elapsed = Math.floor((day.getTime() - contract.startDay.getTime()) / DAY_MS);
  return Math.min(Math.max(elapsed, 0), contract.days);
}

/** Price carried by the term's days in [from, toExclusive), micro-USD. */
export function amortisedBetween(contract: AmortisedContract, from: Date, toExclusive: Date): bigint {
  if (contract.days <= 0) return 0n;
  const n = BigInt(contract.days);
  const start = BigInt(daysFromStart(contract, from));
  const end = BigInt(daysFromStart(contract, toExclusive));
  if (end <= start) return 0n;
  return (end * contract.totalPriceMicroUsd) / n - (start * contract.totalPriceMicroUsd) / n;
}

/** [1 January, next 1 January) of a tax year, UTC. */
export function taxYearRange(year: number): { from: Date; toExclusive: Date } {
  return { from: new Date(Date.UTC(year, 0, 1)), toExclusive: new Date(Date.UTC(year + 1, 0, 1)) };
}

/** Price carried by the days of `year` (UTC), micro-USD. */
export function amortisedInYear(contract: AmortisedContract, year: number): bigint {
  const { from, toExclusive } = taxYearRange(year);
  return amortisedBetween(contract, from, toExclusive);
}

/** Days of the term that fall in `year`. */
export function termDaysInYear(contract: AmortisedContract, year: number): number {
  const { from, toExclusive } = taxYearRange(year);
  return daysFromStart(contract, toExclusive) - daysFromStart(contract, from);
}

/**
 * The end (exclusive) of the part of `year` that has happened at `now`: the start of today (UTC)
 * while the year runs — today has not ended, and no payout of it is settled yet — the next
 * 1 January once it is over, and 1 January itself for a year not yet begun.
 */
export function yearToDateEnd(year: number, now: Date): Date {
  const { from, toExclusive } = taxYearRange(year);
  const today = startOfUtcDay(now);
  return today < from ? from : today > toExclusive ? toExclusive : today;
}

/** Whether `year` still has days that have not ended at `now` (a year to date, not a whole year). */
export function yearIsRunning(year: number, now: Date): boolean {
  return yearToDateEnd(year, now) < taxYearRange(year).toExclusive;
}

/** Price carried by the days of `year` that have ended at `now`, micro-USD. */
export function amortisedInYearToDate(contract: AmortisedContract, year: number, now: Date): bigint {
  return amortisedBetween(contract, taxYearRange(year).from, yearToDateEnd(year, now));
}

/** Days of the term in `year` that have ended at `now`. */
export function termDaysInYearToDate(contract: AmortisedContract, year: number, now: Date): number {
  return daysFromStart(contract, yearToDateEnd(year, now)) - daysFromStart(contract, taxYearRange(year).from);
}
