// Query-string helpers for the admin's read pages (filters and pagination in the URL).
import type { SearchParams } from "@/app/_lib/search-params";

export type { SearchParams };

/** The props of a detail page: its route's parameter (e.g. `contractId`) and the query string. */
export type DetailPageProps<Param extends string> = {
  params: Promise<Record<Param, string>>;
  searchParams: Promise<SearchParams>;
};

export function textParam(params: SearchParams, name: string, maxLength = 200): string {
  const value = params[name];
  return typeof value === "string" ? value.trim().slice(0, maxLength) : "";
}

export function pageParam(params: SearchParams, name = "page"): number {
  const n = Math.floor(Number(textParam(params, name, 12)) || 1);
  return Math.min(Math.max(1, n), 1_000_000);
}

/** One of `allowed`, or undefined (an unknown filter value is ignored, not an error page). */
export function enumParam<T extends string>(params: SearchParams, name: string, allowed: readonly T[]): T | undefined {
  const value = textParam(params, name, 40).toUpperCase();
  return (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** `base?query` with empty values left out and page 1 omitted. */
export function hrefWith(base: string, query: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === "" || (key === "page" && value === 1)) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${base}?${text}` : base;
}
