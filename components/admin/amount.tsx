// An amount of any ledger asset in its base units. `formatAssetAmount` writes it exactly: USD in
// micro-dollars (all six decimals, lib/shared/usd.ts), coins with all their decimals and symbol; for
// the ledger's statements, reconciliation and postings, where a person checks figures to the last
// unit. `AssetAmount` is the overviews' form: USD to the cent with the exact figure on hover.
import { Usd } from "@/components/ui/money";
import { usdExact } from "@/lib/shared/usd";
import { formatCoinAmount } from "../format";

export function formatAssetAmount(asset: string, amount: bigint, decimals: number): string {
  if (asset === "USD") return usdExact(amount);
  return `${formatCoinAmount(amount, decimals, { maxDecimals: decimals })} ${asset}`;
}

export function AssetAmount({ asset, amount, decimals }: { asset: string; amount: bigint; decimals: number }) {
  return asset === "USD" ? <Usd micro={amount} /> : <>{formatAssetAmount(asset, amount, decimals)}</>;
}
