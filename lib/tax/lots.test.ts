import { describe, expect, it } from "vitest";
import { remainingBasis, transferFifo } from "./lots";
import { FIFO_LOTS, FIFO_WITHDRAWALS } from "./test-fixtures";

describe("FIFO lots after partial withdrawals", () => {
  it("takes the oldest lot first, splits lots and carries basis that adds up per lot", () => {
    let lots = FIFO_LOTS;
    for (const withdrawal of FIFO_WITHDRAWALS) {
      const result = transferFifo(lots, withdrawal.amountBase);
      expect(result.parts).toEqual(withdrawal.parts);
      lots = result.lots;
    }
    expect(lots.map((l) => l.remainingBase)).toEqual([0n, 0n, 0n]);
    const basisOut = new Map<string, bigint>();
    for (const part of FIFO_WITHDRAWALS.flatMap((w) => w.parts)) {
      if (part.lotId) basisOut.set(part.lotId, (basisOut.get(part.lotId) ?? 0n) + part.basisMicroUsd);
    }
    for (const lot of FIFO_LOTS) expect(basisOut.get(lot.id)).toBe(lot.basisMicroUsd);
  });

  it("leaves the lots it was given unchanged and keeps the basis of what remains", () => {
    const { lots } = transferFifo(FIFO_LOTS, 300_000n);
    expect(FIFO_LOTS.find((l) => l.id === "1")?.remainingBase).toBe(1_000_000n);
    const first = lots.find((l) => l.id === "1")!;
    expect(first.remainingBase).toBe(700_000n);
    expect(remainingBasis(first, first.remainingBase)).toBe(2_100_000n);
  });

  it("refuses a transfer of nothing", () => {
    expect(() => transferFifo(FIFO_LOTS, 0n)).toThrow(RangeError);
  });
});
