// Hand-checked inputs shared by the unit tests and the database tests of lib/tax.
import { MICRO_USD_DECIMALS, parseDecimal } from "../shared/decimal";
import type { OpenLot } from "./lots";
import type { SeParameters } from "./se-tax";

/** Dollars as micro-USD, exactly: usd("12.34") -> 12_340_000n. */
export function usd(dollars: string): bigint {
  const negative = dollars.startsWith("-");
  const parsed = parseDecimal(negative ? dollars.slice(1) : dollars, MICRO_USD_DECIMALS);
  if (!parsed.ok) throw new Error(`not an amount of dollars: ${dollars}`);
  return negative ? -parsed.value : parsed.value;
}

const day = (text: string) => new Date(`${text}T00:00:00.000Z`);

// The rows of migration 20261125090000_tax_ledger (the database test checks they match).
export const PARAMETERS_2025: SeParameters = {
  year: 2025,
  socialSecurityWageBaseMicroUsd: usd("176100"),
  seEarningsFactorBps: 9235,
  socialSecurityRateBps: 1240,
  medicareRateBps: 290,
  seMinimumMicroUsd: usd("400"),
};
export const PARAMETERS_2026: SeParameters = {
  ...PARAMETERS_2025,
  year: 2026,
  socialSecurityWageBaseMicroUsd: usd("184500"),
};

// Three lots (amount in base units, basis in micro-USD), the first two on purpose out of order;
// amounts above the BTC withdrawal minimum so the database test can send them for real.
export const FIFO_LOTS: OpenLot[] = [
  { id: "2", acquiredOn: day("2025-01-02"), amountBase: 500_000n, basisMicroUsd: 1_000_001n, remainingBase: 500_000n },
  {
    id: "1",
    acquiredOn: day("2025-01-01"),
    amountBase: 1_000_000n,
    basisMicroUsd: 3_000_000n,
    remainingBase: 1_000_000n,
  },
  { id: "3", acquiredOn: day("2025-01-03"), amountBase: 700_000n, basisMicroUsd: 2_100_000n, remainingBase: 700_000n },
];
/** Three withdrawals after each other and the parts each takes (hand-checked). */
export const FIFO_WITHDRAWALS: {
  amountBase: bigint;
  parts: { lotId: string | null; amountBase: bigint; basisMicroUsd: bigint }[];
}[] = [
  // 300,000 of lot 1: basis(1,000,000) - basis(700,000) = 3,000,000 - 2,100,000.
  { amountBase: 300_000n, parts: [{ lotId: "1", amountBase: 300_000n, basisMicroUsd: 900_000n }] },
  // The rest of lot 1, then 300,000 of lot 2: 1,000,001 - floor(200,000 x 1,000,001 / 500,000) = 600,001.
  {
    amountBase: 1_000_000n,
    parts: [
      { lotId: "1", amountBase: 700_000n, basisMicroUsd: 2_100_000n },
      { lotId: "2", amountBase: 300_000n, basisMicroUsd: 600_001n },
    ],
  },
  // The rest of lot 2 (400,000 of basis: its parts add up to 1,000,001), all of lot 3, and
  // 100,000 no lot accounts for.
  {
    amountBase: 1_000_000n,
    parts: [
      { lotId: "2", amountBase: 200_000n, basisMicroUsd: 400_000n },
      { lotId: "3", amountBase: 700_000n, basisMicroUsd: 2_100_000n },
      { lotId: null, amountBase: 100_000n, basisMicroUsd: 0n },
    ],
  },
];
