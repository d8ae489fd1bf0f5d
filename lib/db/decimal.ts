import { Prisma } from "../generated/prisma/client";

/** numeric(40,0) column value -> bigint, exactly (Decimal.toFixed is decimal, not float). */
export function decimalToBigInt(value: Prisma.Decimal): bigint {
  if (!value.isInteger()) throw new Error(`expected an integer amount, got ${value.toString()}`);
  return BigInt(value.toFixed(0));
}

export function bigIntToDecimal(value: bigint): Prisma.Decimal {
  return new Prisma.Decimal(value.toString());
}
