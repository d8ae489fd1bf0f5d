// The tax exports as CSV (csv-stringify: RFC 4180 quoting). Amounts are exact decimal strings
// from integers (money.ts), never floats.
//
// Lines: a universal crypto-tax import layout (the column names Koinly's universal format and
// the tools copying it read): one row per credited payout — received = gross coins mined,
// fee = pool + maintenance fees in the same coin, net worth = the income value in USD, label
// `mining` — and one row per withdrawal sent in the year, labelled nothing (a transfer to the
// user's own wallet is neither income nor a disposal) and described as such, with the basis
// the lots carried out — and one row per contract paid from a coin balance: sent = the coins,
// net worth = the proceeds (the contract's price), no label (in the universal format an
// unlabelled send is a disposal at its net worth, which is what spending coins on a service
// is; its `cost` label would also list the price as an expense, which the business summary
// already amortises), described with the contract, basis and gain per term. Dates are ISO 8601
// in UTC: a payout is dated the end of the UTC day it was mined (valued at that day's price),
// a withdrawal the instant it was sent, a coin payment the instant the contract was bought.
import { stringify } from "csv-stringify/sync";
import type { Asset } from "../generated/prisma/enums";
import { plainDecimal, usdText } from "./money";
import { capitalGains, type DisposalFigures } from "./summary";

export const LINES_CSV_HEADER = [
  "Date",
  "Sent Amount",
  "Sent Currency",
  "Received Amount",
  "Received Currency",
  "Fee Amount",
  "Fee Currency",
  "Net Worth Amount",
  "Net Worth Currency",
  "Label",
  "Description",
  "TxHash",
] as const;

export interface PayoutExportRow {
  payoutId: string;
  /** YYYY-MM-DD, the UTC day mined. */
  day: string;
  coin: Asset;
  decimals: number;
  grossBase: bigint;
  feesBase: bigint;
  incomeMicroUsd: bigint;
  contractId: string;
}

export interface WithdrawalExportRow {
  withdrawalId: string;
  sentAt: Date;
  coin: Asset;
  decimals: number;
  /** What reached the address. */
  netBase: bigint;
  networkFeeBase: bigint;
  /** Basis the lots carried out with the whole amount (net + fee). */
  basisMicroUsd: bigint;
  /** Part of the amount no lot accounted for (basis unknown). */
  uncoveredBase: bigint;
  txid: string | null;
  address: string;
}

/** The lot parts one coin-paid contract disposed of in one holding term, summed. */
export interface DisposalTermRow extends DisposalFigures {
  contractId: string;
  title: string;
  coin: Asset;
  decimals: number;
  disposedAt: Date;
  amountBase: bigint;
  /** Part of the amount no lot accounted for (basis 0, holding period unknown: short term). */
  uncoveredBase: bigint;
  /** The oldest and newest lot day of the parts (null: only coins without a lot). */
  firstAcquiredOn: string | null;
  lastAcquiredOn: string | null;
}

function isoUtc(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function payoutDate(day: string): string {
  return `${day}T23:59:59Z`;
}

/** One CSV record and the ISO 8601 instant it is ordered by. */
export interface CsvRecord {
  at: string;
  cells: string[];
}

export function payoutRecord(p: PayoutExportRow): CsvRecord {
  const at = payoutDate(p.day);
  return {
    at,
    cells: [
      at,
      "",
      "",
      plainDecimal(p.grossBase, p.decimals),
      p.coin,
      p.feesBase > 0n ? plainDecimal(p.feesBase, p.decimals) : "",
      p.feesBase > 0n ? p.coin : "",
      usdText(p.incomeMicroUsd),
      "USD",
      "mining",
      `Hashlease mining payout for ${p.day}, contract ${p.contractId} (fee = pool and maintenance fees)`,
      `hashlease-payout-${p.payoutId}`,
    ],
  };
}

export function withdrawalRecord(w: WithdrawalExportRow): CsvRecord {
  const at = isoUtc(w.sentAt);
  const uncovered =
    w.uncoveredBase > 0n
      ? ` ${plainDecimal(w.uncoveredBase, w.decimals)} ${w.coin} had no lot here (basis unknown).`
      : "";
  return {
    at,
    cells: [
      at,
      plainDecimal(w.netBase, w.decimals),
      w.coin,
      "",
      "",
      w.networkFeeBase > 0n ? plainDecimal(w.networkFeeBase, w.decimals) : "",
      w.networkFeeBase > 0n ? w.coin : "",
      "",
      "",
      "",
      `Transfer to own wallet ${w.address}: not income, not a disposal; cost basis ${usdText(w.basisMicroUsd)} USD carried out FIFO.${uncovered}`,
      w.txid ?? `hashlease-withdrawal-${w.withdrawalId}`,
    ],
  };
}

function signedUsd(microUsd: bigint): string {
  return `${usdText(microUsd)} USD`;
}

/** One record per contract paid in coin (its term rows, adjacent, merged), by instant. */
export function disposalRecords(rows: readonly DisposalTermRow[]): CsvRecord[] {
  const byContract = new Map<string, DisposalTermRow[]>();
  for (const row of rows) byContract.set(row.contractId, [...(byContract.get(row.contractId) ?? []), row]);
  return [...byContract.values()]
    .map((terms) => {
      const first = terms[0]!;
      const gains = capitalGains(terms);
      const amount = terms.reduce((sum, t) => sum + t.amountBase, 0n);
      const uncovered = terms.reduce((sum, t) => sum + t.uncoveredBase, 0n);
      const proceeds = gains.shortTerm.proceedsMicroUsd + gains.longTerm.proceedsMicroUsd;
      const basis = gains.shortTerm.basisMicroUsd + gains.longTerm.basisMicroUsd;
      const at = isoUtc(first.disposedAt);
      return {
        at,
        cells: [
          at,
          plainDecimal(amount, first.decimals),
          first.coin,
          "",
          "",
          "",
          "",
          usdText(proceeds),
          "USD",
          "",
          `Payment for Hashlease contract ${first.contractId} ("${first.title}") from the ${first.coin} balance: a disposal at the contract's price; ` +
            `proceeds ${signedUsd(proceeds)}, cost basis ${signedUsd(basis)} (FIFO), gain ${signedUsd(proceeds - basis)} ` +
            `(short-term ${signedUsd(gains.shortTerm.gainMicroUsd)}, long-term ${signedUsd(gains.longTerm.gainMicroUsd)}).` +
            (uncovered > 0n
              ? ` ${plainDecimal(uncovered, first.decimals)} ${first.coin} had no lot here (basis unknown, counted as 0, short-term).`
              : ""),
          `hashlease-contract-${first.contractId}`,
        ],
      };
    })
    .sort(byInstant);
}

function byInstant(a: CsvRecord, b: CsvRecord): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : 0;
}

function csvText(records: string[][]): string {
  return records.length === 0 ? "" : stringify(records, { record_delimiter: "\r\n" });
}

/**
 * Merges records sorted by instant (the many: payouts, lots acquired, in batches) with a few
 * others sorted the same way (withdrawals, transfers); on equal instants the main record first.
 */
class Merger {
  private next = 0;
  constructor(private readonly others: readonly CsvRecord[]) {}
  batch(main: readonly CsvRecord[]): string[][] {
    const out: string[][] = [];
    for (const record of main) {
      while (this.next < this.others.length && this.others[this.next]!.at < record.at)
        out.push(this.others[this.next++]!.cells);
      out.push(record.cells);
    }
    return out;
  }
  rest(): string[][] {
    return this.others.slice(this.next).map((r) => r.cells);
  }
}

function mergedCsv(header: readonly string[], main: CsvRecord[], others: CsvRecord[]): string {
  const merger = new Merger([...others].sort(byInstant));
  return csvText([[...header], ...merger.batch([...main].sort(byInstant)), ...merger.rest()]);
}

/**
 * The same CSV as text chunks, for a download of any size: `batches` yields the main records
 * already sorted by instant (the database pages through them), `others` is small.
 */
export async function* mergedCsvChunks(
  header: readonly string[],
  batches: AsyncIterable<CsvRecord[]>,
  others: CsvRecord[],
): AsyncGenerator<string> {
  const merger = new Merger([...others].sort(byInstant));
  yield csvText([[...header]]);
  for await (const batch of batches) {
    const text = csvText(merger.batch(batch));
    if (text) yield text;
  }
  const rest = csvText(merger.rest());
  if (rest) yield rest;
}

export function linesCsv(
  payouts: readonly PayoutExportRow[],
  withdrawals: readonly WithdrawalExportRow[],
  disposals: readonly DisposalTermRow[] = [],
): string {
  return mergedCsv(LINES_CSV_HEADER, payouts.map(payoutRecord), [
    ...withdrawals.map(withdrawalRecord),
    ...disposalRecords(disposals),
  ]);
}

export const LOTS_CSV_HEADER = [
  "Date",
  "Event",
  "Lot",
  "Coin",
  "Amount",
  "Cost Basis USD",
  "Acquired On",
  "Reference",
  "TxHash",
  "Note",
] as const;

export interface LotAcquiredRow {
  lotId: string;
  acquiredOn: string;
  coin: Asset;
  decimals: number;
  amountBase: bigint;
  basisMicroUsd: bigint;
  payoutId: string;
}

export interface LotTransferRow {
  lotId: string | null;
  acquiredOn: string | null;
  transferredAt: Date;
  coin: Asset;
  decimals: number;
  amountBase: bigint;
  basisMicroUsd: bigint;
  withdrawalId: string;
  txid: string | null;
}

export function lotAcquiredRecord(lot: LotAcquiredRow): CsvRecord {
  const at = payoutDate(lot.acquiredOn);
  return {
    at,
    cells: [
      at,
      "acquired",
      lot.lotId,
      lot.coin,
      plainDecimal(lot.amountBase, lot.decimals),
      usdText(lot.basisMicroUsd),
      lot.acquiredOn,
      `hashlease-payout-${lot.payoutId}`,
      "",
      "Mining income received; cost basis = its income value",
    ],
  };
}

export function lotTransferRecord(t: LotTransferRow): CsvRecord {
  const at = isoUtc(t.transferredAt);
  return {
    at,
    cells: [
      at,
      "transferred out",
      t.lotId ?? "",
      t.coin,
      plainDecimal(t.amountBase, t.decimals),
      t.lotId ? usdText(t.basisMicroUsd) : "",
      t.acquiredOn ?? "",
      `hashlease-withdrawal-${t.withdrawalId}`,
      t.txid ?? "",
      t.lotId
        ? "Withdrawal to own wallet: a transfer, not a disposal; the lot's basis goes with it (FIFO)"
        : "Withdrawal to own wallet: a transfer, not a disposal; no lot here for these coins (basis unknown)",
    ],
  };
}

/** A lot part disposed of by paying a contract from a coin balance (tax_disposals row). */
export interface LotDisposalRow {
  lotId: string | null;
  acquiredOn: string | null;
  disposedAt: Date;
  coin: Asset;
  decimals: number;
  amountBase: bigint;
  basisMicroUsd: bigint;
  proceedsMicroUsd: bigint;
  contractId: string;
}

export function lotDisposalRecord(d: LotDisposalRow): CsvRecord {
  const at = isoUtc(d.disposedAt);
  const gain = `proceeds ${usdText(d.proceedsMicroUsd)} USD, gain ${usdText(d.proceedsMicroUsd - d.basisMicroUsd)} USD`;
  return {
    at,
    cells: [
      at,
      "disposed",
      d.lotId ?? "",
      d.coin,
      plainDecimal(d.amountBase, d.decimals),
      d.lotId ? usdText(d.basisMicroUsd) : "",
      d.acquiredOn ?? "",
      `hashlease-contract-${d.contractId}`,
      "",
      d.lotId
        ? `Paid for a contract from the coin balance: a disposal (FIFO); ${gain}`
        : `Paid for a contract from the coin balance: a disposal; no lot here for these coins (basis unknown, counted as 0); ${gain}`,
    ],
  };
}

export function lotsCsv(
  acquired: readonly LotAcquiredRow[],
  transfers: readonly LotTransferRow[],
  disposals: readonly LotDisposalRow[] = [],
): string {
  return mergedCsv(LOTS_CSV_HEADER, acquired.map(lotAcquiredRecord), [
    ...transfers.map(lotTransferRecord),
    ...disposals.map(lotDisposalRecord),
  ]);
}

/** Turns batches of rows into batches of CSV records, lazily. */
export async function* recordBatches<T>(
  batches: AsyncIterable<T[]>,
  toRecord: (row: T) => CsvRecord,
): AsyncGenerator<CsvRecord[]> {
  for await (const batch of batches) yield batch.map(toRecord);
}
