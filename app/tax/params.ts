// The /tax page's query string: year, line filters and page, each checked; anything else is
// ignored (a filter that does not parse is simply not applied).
import { firstParam, type SearchParams } from "@/app/_lib/search-params";
import type { Asset, TaxLineKind } from "@/lib/generated/prisma/enums";
import { TAX_LINE_KINDS, type LineFilters } from "@/lib/tax/queries";

export type { SearchParams };

export function parseYear(value: string | string[] | undefined, years: readonly number[]): number {
  const text = firstParam(value);
  const year = text && /^\d{4}$/.test(text) ? Number(text) : NaN;
  return years.includes(year) ? year : years[0]!;
}

export function parseFilters(params: SearchParams, coins: readonly Asset[]): LineFilters & { page: number } {
  const kind = firstParam(params.kind);
  const coin = firstParam(params.coin);
  const month = Number(firstParam(params.month));
  const page = Number(firstParam(params.page) ?? "1");
  return {
    kind: TAX_LINE_KINDS.includes(kind as TaxLineKind) ? (kind as TaxLineKind) : null,
    coin: coins.includes(coin as Asset) ? (coin as Asset) : null,
    month: Number.isInteger(month) && month >= 1 && month <= 12 ? month : null,
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

export function taxHref(year: number, filters: LineFilters & { page?: number } = {}): string {
  const query = new URLSearchParams({ year: String(year) });
  if (filters.kind) query.set("kind", filters.kind);
  if (filters.coin) query.set("coin", filters.coin);
  if (filters.month) query.set("month", String(filters.month));
  if (filters.page && filters.page > 1) query.set("page", String(filters.page));
  return `/tax?${query.toString()}`;
}
