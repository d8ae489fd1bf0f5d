// The yearly summaries per profile (DESIGN.md "Tax ledger"), from the year's totals. Pure:
// lib/tax/queries.ts gathers the totals, the pages and the printable summary render these.
// Estimates, not advice.
//
// The mining income lines value the gross coins mined at the day's price; the pool and
// maintenance fees were paid out of those coins, so income - fees = the net value credited
// (the sum of the payouts' usd_value_at_receipt = floor(net * P / 10^d), the lots' basis).
//  - Hobby: the other income (Form 1040 Schedule 1, digital assets received as ordinary
//    income) is what was CREDITED — income less pool and maintenance fees — since a hobby
//    received only the net coins and cannot deduct the fees (DESIGN.md "Tax": the credited
//    payout's value at receipt). Gross and fees are shown for information; the contract cost
//    is listed, not deductible (lib/tax/README.md).
//  - Business (Schedule C style): gross receipts = income; expenses by category
//    (maintenance/electricity = maintenance fees; pool and platform fees = pool fees; contract
//    cost = the contracts' price amortised over the year's days of their terms, less the
//    under-delivery credits refunded in the year); net profit; SE tax (se-tax.ts).
//  - Both: capital gains from coins disposed of in the year (contracts paid from a coin
//    balance; tax_disposals), short-term (held one year or less) and long-term (disposed more
//    than one year after the lot's day), proceeds - basis per term (Form 8949 / Schedule D).
//    They are not mining income: no self-employment tax, not in the business's net profit.
import type { TaxProfileKind } from "../generated/prisma/enums";
import { selfEmploymentTax, type SeParameters, type SeTax } from "./se-tax";

export interface YearTotals {
  year: number;
  /** Mining income (gross coins at the day's price), micro-USD. */
  incomeMicroUsd: bigint;
  poolFeesMicroUsd: bigint;
  maintenanceFeesMicroUsd: bigint;
  /** Contracts' price amortised over the year's days of their terms. */
  contractAmortisationMicroUsd: bigint;
  /** Under-delivery credits received in the year (refunds of contract price). */
  underDeliveryCreditsMicroUsd: bigint;
  /** Coins disposed of in the year, per holding term; none when absent. */
  capitalGains?: CapitalGains;
}

/** Short-term: held one year or less (or no lot: holding period unknown); long-term: more. */
export type HoldingTerm = "SHORT" | "LONG";

export interface TermTotals {
  /** Disposal parts (lot parts) counted. */
  parts: number;
  proceedsMicroUsd: bigint;
  basisMicroUsd: bigint;
  /** proceeds - basis; negative: a loss. */
  gainMicroUsd: bigint;
}

export interface CapitalGains {
  shortTerm: TermTotals;
  longTerm: TermTotals;
  /** Sum of both terms' gains (a net loss when negative). */
  netGainMicroUsd: bigint;
}

/** Something with a term, a part count, proceeds and basis (a row of disposals). */
export interface DisposalFigures {
  term: HoldingTerm;
  parts: number;
  proceedsMicroUsd: bigint;
  basisMicroUsd: bigint;
}

const NO_TERM: TermTotals = { parts: 0, proceedsMicroUsd: 0n, basisMicroUsd: 0n, gainMicroUsd: 0n };

/** The year's capital gains per term from its disposal rows, exactly. */
export function capitalGains(rows: readonly DisposalFigures[]): CapitalGains {
  const add = (term: HoldingTerm): TermTotals =>
    rows
      .filter((r) => r.term === term)
      .reduce(
        (t, r) => ({
          parts: t.parts + r.parts,
          proceedsMicroUsd: t.proceedsMicroUsd + r.proceedsMicroUsd,
          basisMicroUsd: t.basisMicroUsd + r.basisMicroUsd,
          gainMicroUsd: t.gainMicroUsd + r.proceedsMicroUsd - r.basisMicroUsd,
        }),
        NO_TERM,
      );
  const shortTerm = add("SHORT");
  const longTerm = add("LONG");
  return { shortTerm, longTerm, netGainMicroUsd: shortTerm.gainMicroUsd + longTerm.gainMicroUsd };
}

export const NO_CAPITAL_GAINS: CapitalGains = capitalGains([]);

export type ExpenseCategory = "MAINTENANCE" | "POOL_AND_PLATFORM_FEES" | "CONTRACT_COST";

export interface ExpenseLine {
  category: ExpenseCategory;
  label: string;
  microUsd: bigint;
  detail?: string;
}

export interface HobbySummary {
  kind: "HOBBY";
  year: number;
  /** What was credited: the payouts' value at receipt (gross value - pool fees - maintenance fees). */
  otherIncomeMicroUsd: bigint;
  /** For information: the gross coins mined at the day's price (the business's gross receipts). */
  grossMinedMicroUsd: bigint;
  /** For information: the fees paid out of the mined coins, never received, so not income. */
  feesWithheld: ExpenseLine[];
  /** Listed for the record; not deductible for a hobby (the contract cost). */
  notDeductible: ExpenseLine[];
  /** Income - fees: the value actually credited to the balance (= otherIncomeMicroUsd). */
  netCreditedMicroUsd: bigint;
  capitalGains: CapitalGains;
}

export interface BusinessSummary {
  kind: "BUSINESS";
  year: number;
  grossReceiptsMicroUsd: bigint;
  expenses: ExpenseLine[];
  totalExpensesMicroUsd: bigint;
  /** Negative: a loss year. */
  netProfitMicroUsd: bigint;
  /** Null when the year has no SE parameters on file. */
  seTax: SeTax | null;
  seParameters: SeParameters | null;
  /** Separate from the business's profit: no self-employment tax on them. */
  capitalGains: CapitalGains;
}

export type YearSummary = HobbySummary | BusinessSummary;

function expenseLines(totals: YearTotals): ExpenseLine[] {
  return [
    { category: "MAINTENANCE", label: "Maintenance and electricity fees", microUsd: totals.maintenanceFeesMicroUsd },
    { category: "POOL_AND_PLATFORM_FEES", label: "Pool and platform fees", microUsd: totals.poolFeesMicroUsd },
    {
      category: "CONTRACT_COST",
      label: "Contract cost (amortised over each term)",
      microUsd: totals.contractAmortisationMicroUsd - totals.underDeliveryCreditsMicroUsd,
      detail:
        totals.underDeliveryCreditsMicroUsd > 0n
          ? `amortised price less under-delivery credits refunded in ${totals.year}`
          : undefined,
    },
  ];
}

export function hobbySummary(totals: YearTotals): HobbySummary {
  const lines = expenseLines(totals);
  const credited = totals.incomeMicroUsd - totals.poolFeesMicroUsd - totals.maintenanceFeesMicroUsd;
  return {
    kind: "HOBBY",
    year: totals.year,
    otherIncomeMicroUsd: credited,
    grossMinedMicroUsd: totals.incomeMicroUsd,
    feesWithheld: lines.filter((e) => e.category !== "CONTRACT_COST"),
    notDeductible: lines.filter((e) => e.category === "CONTRACT_COST"),
    netCreditedMicroUsd: credited,
    capitalGains: totals.capitalGains ?? NO_CAPITAL_GAINS,
  };
}

export function businessSummary(totals: YearTotals, parameters: SeParameters | null): BusinessSummary {
  const expenses = expenseLines(totals);
  const totalExpenses = expenses.reduce((sum, e) => sum + e.microUsd, 0n);
  const netProfit = totals.incomeMicroUsd - totalExpenses;
  return {
    kind: "BUSINESS",
    year: totals.year,
    grossReceiptsMicroUsd: totals.incomeMicroUsd,
    expenses,
    totalExpensesMicroUsd: totalExpenses,
    netProfitMicroUsd: netProfit,
    seTax: parameters ? selfEmploymentTax(netProfit, parameters) : null,
    seParameters: parameters,
    capitalGains: totals.capitalGains ?? NO_CAPITAL_GAINS,
  };
}

export function yearSummary(kind: TaxProfileKind, totals: YearTotals, parameters: SeParameters | null): YearSummary {
  return kind === "BUSINESS" ? businessSummary(totals, parameters) : hobbySummary(totals);
}
