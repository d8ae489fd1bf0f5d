// FIFO lots, in TypeScript: the same rule as the database function tax_lots_transfer
// (migration 20261125090000_tax_ledger), which moves the lots when a withdrawal is sent; the
// tests hold the two to the same answers. A lot of amount A and basis B holding r carries
// floor(r * B / A) of basis; a part p taken from it carries basis(r) - basis(r - p), so a
// lot's parts always add up to B exactly, however it is split.

export interface OpenLot {
  id: string;
  acquiredOn: Date;
  amountBase: bigint;
  basisMicroUsd: bigint;
  remainingBase: bigint;
}

export interface TransferPart {
  /** Null: coins no lot accounts for (basis unknown, carried as 0). */
  lotId: string | null;
  amountBase: bigint;
  basisMicroUsd: bigint;
}

export function remainingBasis(lot: Pick<OpenLot, "amountBase" | "basisMicroUsd">, remainingBase: bigint): bigint {
  return (remainingBase * lot.basisMicroUsd) / lot.amountBase;
}

function fifoOrder(a: OpenLot, b: OpenLot): number {
  const byDay = a.acquiredOn.getTime() - b.acquiredOn.getTime();
  if (byDay !== 0) return byDay;
  const [x, y] = [BigInt(a.id), BigInt(b.id)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Takes `amountBase` out of the lots, oldest first; returns the parts and the lots after. */
export function transferFifo(lots: readonly OpenLot[], amountBase: bigint): { parts: TransferPart[]; lots: OpenLot[] } {
  if (amountBase <= 0n) throw new RangeError("a transfer moves a positive amount");
  let left = amountBase;
  const parts: TransferPart[] = [];
  const after = lots.map((lot) => ({ ...lot }));
  for (const lot of [...after].sort(fifoOrder)) {
    if (left === 0n) break;
    if (lot.remainingBase <= 0n) continue;
    const part = lot.remainingBase < left ? lot.remainingBase : left;
    const basis = remainingBasis(lot, lot.remainingBase) - remainingBasis(lot, lot.remainingBase - part);
    parts.push({ lotId: lot.id, amountBase: part, basisMicroUsd: basis });
    lot.remainingBase -= part;
    left -= part;
  }
  if (left > 0n) parts.push({ lotId: null, amountBase: left, basisMicroUsd: 0n });
  return { parts, lots: after };
}
