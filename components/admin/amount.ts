// An amount of any ledger asset in its base units: USD in micro-dollars, coins with their
// decimals and symbol. Exact (BigInt), rounded toward zero for display only.
import { formatCoinAmount, formatMicroUsd } from "../format";

export function formatAssetAmount(asset: string, amount: bigint, decimals: number): string {
  if (asset === "USD") return formatMicroUsd(amount, { maxDecimals: 6 });
  return `${formatCoinAmount(amount, decimals, { maxDecimals: decimals })} ${asset}`;
}
