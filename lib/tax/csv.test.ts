import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  LINES_CSV_HEADER,
  linesCsv,
  LOTS_CSV_HEADER,
  lotsCsv,
  mergedCsvChunks,
  payoutRecord,
  recordBatches,
  withdrawalRecord,
  type PayoutExportRow,
  type WithdrawalExportRow,
} from "./csv";
import { plainDecimal, usdText } from "./money";

describe("exact decimals", () => {
  it("writes integers in base units and micro-USD as exact decimal strings", () => {
    expect(plainDecimal(123_456_789n, 8)).toBe("1.23456789");
    expect(plainDecimal(1n, 18)).toBe("0.000000000000000001");
    expect(plainDecimal(100_000_000n, 8)).toBe("1");
    expect(plainDecimal(-1_500n, 3)).toBe("-1.5");
    expect(usdText(12_500_000n)).toBe("12.50");
    expect(usdText(1n)).toBe("0.000001");
    // Beyond 2^53: no float on the way.
    expect(plainDecimal(123_456_789_012_345_678_901n, 18)).toBe("123.456789012345678901");
  });
});

describe("lines CSV", () => {
  it("has the universal import header, one mining row per payout and a transfer row per withdrawal, by date", () => {
    const text = linesCsv(
      [
        {
          payoutId: "42",
          day: "2025-03-02",
          coin: "BTC",
          decimals: 8,
          grossBase: 12_345n,
          feesBase: 345n,
          incomeMicroUsd: 10_500_123n,
          contractId: "c-1",
        },
        {
          payoutId: "41",
          day: "2025-03-01",
          coin: "BTC",
          decimals: 8,
          grossBase: 100_000_000n,
          feesBase: 0n,
          incomeMicroUsd: 85_000_000_000n,
          contractId: "c-1",
        },
      ],
      [
        {
          withdrawalId: "w-1",
          sentAt: new Date("2025-03-02T10:00:00.123Z"),
          coin: "BTC",
          decimals: 8,
          netBase: 90_000n,
          networkFeeBase: 10_000n,
          basisMicroUsd: 70_000_000n,
          uncoveredBase: 0n,
          txid: "ab".repeat(32),
          address: "bc1qexample, with a comma",
        },
      ],
    );
    expect(text.endsWith("\r\n")).toBe(true);
    const rows = parse(text) as string[][];
    expect(rows[0]).toEqual([...LINES_CSV_HEADER]);
    expect(rows.slice(1).map((r) => r[0])).toEqual([
      "2025-03-01T23:59:59Z",
      "2025-03-02T10:00:00Z",
      "2025-03-02T23:59:59Z",
    ]);
    expect(rows[3]).toEqual([
      "2025-03-02T23:59:59Z",
      "",
      "",
      "0.00012345",
      "BTC",
      "0.00000345",
      "BTC",
      "10.500123",
      "USD",
      "mining",
      "Hashlease mining payout for 2025-03-02, contract c-1 (fee = pool and maintenance fees)",
      "hashlease-payout-42",
    ]);
    expect(rows[1]?.slice(3, 10)).toEqual(["1", "BTC", "", "", "85000.00", "USD", "mining"]);
    expect(rows[2]?.slice(0, 10)).toEqual([
      "2025-03-02T10:00:00Z",
      "0.0009",
      "BTC",
      "",
      "",
      "0.0001",
      "BTC",
      "",
      "",
      "",
    ]);
    expect(rows[2]?.[10]).toBe(
      "Transfer to own wallet bc1qexample, with a comma: not income, not a disposal; cost basis 70.00 USD carried out FIFO.",
    );
  });
});

describe("lots CSV", () => {
  it("lists acquisitions and transfers out with their basis", () => {
    const rows = parse(
      lotsCsv(
        [
          {
            lotId: "7",
            acquiredOn: "2025-03-01",
            coin: "LTC",
            decimals: 8,
            amountBase: 250_000_000n,
            basisMicroUsd: 210_000_001n,
            payoutId: "9",
          },
        ],
        [
          {
            lotId: "7",
            acquiredOn: "2025-03-01",
            transferredAt: new Date("2025-04-01T08:00:00Z"),
            coin: "LTC",
            decimals: 8,
            amountBase: 100_000_000n,
            basisMicroUsd: 84_000_000n,
            withdrawalId: "w",
            txid: null,
          },
          {
            lotId: null,
            acquiredOn: null,
            transferredAt: new Date("2025-04-01T08:00:00Z"),
            coin: "LTC",
            decimals: 8,
            amountBase: 5n,
            basisMicroUsd: 0n,
            withdrawalId: "w",
            txid: null,
          },
        ],
      ),
    ) as string[][];
    expect(rows[0]).toEqual([...LOTS_CSV_HEADER]);
    expect(rows[1]?.slice(0, 8)).toEqual([
      "2025-03-01T23:59:59Z",
      "acquired",
      "7",
      "LTC",
      "2.5",
      "210.000001",
      "2025-03-01",
      "hashlease-payout-9",
    ]);
    expect(rows[2]?.slice(0, 8)).toEqual([
      "2025-04-01T08:00:00Z",
      "transferred out",
      "7",
      "LTC",
      "1",
      "84.00",
      "2025-03-01",
      "hashlease-withdrawal-w",
    ]);
    expect(rows[2]?.[9]).toContain("not a disposal");
    expect(rows[3]?.[5]).toBe("");
    expect(rows[3]?.[9]).toContain("basis unknown");
  });
});

describe("streamed CSV", () => {
  it("gives the same text as the whole-file CSV, however the rows are batched", async () => {
    const payouts: PayoutExportRow[] = [1, 2, 3, 4, 5].map((d) => ({
      payoutId: String(d),
      day: `2025-05-0${d}`,
      coin: "LTC",
      decimals: 8,
      grossBase: BigInt(d) * 1_000_000n,
      feesBase: 12_345n,
      incomeMicroUsd: BigInt(d) * 900_001n,
      contractId: "c",
    }));
    const withdrawals: WithdrawalExportRow[] = [
      "2025-05-03T23:59:59Z",
      "2025-05-01T08:00:00Z",
      "2025-06-01T00:00:00Z",
    ].map((at, i) => ({
      withdrawalId: `w${i}`,
      sentAt: new Date(at),
      coin: "LTC",
      decimals: 8,
      netBase: 1_000_000n,
      networkFeeBase: 1_000n,
      basisMicroUsd: 5n,
      uncoveredBase: 0n,
      txid: null,
      address: "ltc1q",
    }));
    const whole = linesCsv(payouts, withdrawals);
    for (const size of [1, 2, 5]) {
      async function* batches() {
        for (let i = 0; i < payouts.length; i += size) yield payouts.slice(i, i + size);
      }
      let text = "";
      for await (const chunk of mergedCsvChunks(
        LINES_CSV_HEADER,
        recordBatches(batches(), payoutRecord),
        withdrawals.map(withdrawalRecord),
      ))
        text += chunk;
      expect(text).toBe(whole);
    }
    // A withdrawal at the very instant of a payout comes after it; the last one after every payout.
    const rows = parse(whole) as string[][];
    expect(rows.map((r) => r[11])).toEqual([
      "TxHash",
      "hashlease-withdrawal-w1",
      "hashlease-payout-1",
      "hashlease-payout-2",
      "hashlease-payout-3",
      "hashlease-withdrawal-w0",
      "hashlease-payout-4",
      "hashlease-payout-5",
      "hashlease-withdrawal-w2",
    ]);
  });
});
