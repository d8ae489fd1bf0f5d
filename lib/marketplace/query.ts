// The marketplace's search parameters (filters, sort, page). A bad or unknown value never
// fails the page: URLs are typed by people and shared around, and a stale link should still
// show listings. Enumerations and the page fall back to their defaults silently; a price or
// a duration someone typed is kept as typed and explained next to its field instead.
import { z } from "zod";
import { Algorithm, type Asset } from "../generated/prisma/enums";
import { parseMicroUsd, parseWholeDays } from "../profitability/parse";
import { microUsdText } from "../shared/decimal";

export const MARKETPLACE_PAGE_SIZE = 24;

/** Coins a listing can be for: every ledger asset except USD. */
export const LISTING_COINS = ["BTC", "LTC", "DOGE", "BCH", "KAS", "ETC", "XMR"] as const satisfies readonly Asset[];
export type ListingCoin = (typeof LISTING_COINS)[number];

export const LISTING_ALGORITHMS = Object.values(Algorithm) as [Algorithm, ...Algorithm[]];

export const MARKETPLACE_SORTS = ["price_asc", "price_desc", "profit_desc"] as const;
export type MarketplaceSort = (typeof MARKETPLACE_SORTS)[number];

/** The longest contract a duration filter can ask for: ten years. */
export const MAX_FILTER_DAYS = 3_650;
const MAX_LOCATION_LENGTH = 100;

export interface MarketplaceFilters {
  coin?: ListingCoin;
  algorithm?: Algorithm;
  /** Price bounds, micro-USD per pricing unit per day, inclusive. */
  minPriceMicroUsd?: bigint;
  maxPriceMicroUsd?: bigint;
  /** A contract length the listing must allow: min_days <= days <= max_days. */
  days?: number;
  /** Text found in a facility's location, or its two-letter country code. */
  location?: string;
}

export interface MarketplaceQuery extends MarketplaceFilters {
  sort: MarketplaceSort;
  /** 1-based. */
  page: number;
}

export type FilterField = "price_min" | "price_max" | "days";

export interface ParsedMarketplaceQuery {
  query: MarketplaceQuery;
  /** What was typed into the free-text fields, to show again in the form. */
  typed: Record<FilterField | "location", string>;
  /** Fields whose typed value was not used, with what to do about it. */
  errors: Partial<Record<FilterField, string>>;
}

/** A search param's single value: the first when repeated (`?coin=BTC&coin=LTC`). */
const single = z.preprocess((value) => (Array.isArray(value) ? value[0] : value), z.unknown());
const text = single.pipe(z.string().max(200)).catch("");

const querySchema = z.object({
  coin: single.pipe(z.enum(LISTING_COINS).optional()).catch(undefined),
  algorithm: single.pipe(z.enum(LISTING_ALGORITHMS).optional()).catch(undefined),
  sort: single.pipe(z.enum(MARKETPLACE_SORTS)).catch("price_asc"),
  // Pages past 10^6 are nonsense and would only make OFFSET expensive.
  page: single.pipe(z.coerce.number().int().min(1).max(1_000_000)).catch(1),
  price_min: text,
  price_max: text,
  days: text,
  location: text,
});

export type RawSearchParams = Record<string, string | string[] | undefined>;

const PRICE_HINT = "Enter dollars per unit per day, like 0.0195.";

export function parseMarketplaceQuery(raw: RawSearchParams): ParsedMarketplaceQuery {
  const parsed = querySchema.parse(raw);
  const typed = {
    price_min: parsed.price_min.trim(),
    price_max: parsed.price_max.trim(),
    days: parsed.days.trim(),
    location: parsed.location.trim().slice(0, MAX_LOCATION_LENGTH),
  };
  const errors: ParsedMarketplaceQuery["errors"] = {};
  const query: MarketplaceQuery = {
    coin: parsed.coin,
    algorithm: parsed.algorithm,
    sort: parsed.sort,
    page: parsed.page,
  };

  if (typed.price_min) {
    const value = parseMicroUsd(typed.price_min);
    if (value === null) errors.price_min = PRICE_HINT;
    else query.minPriceMicroUsd = value;
  }
  if (typed.price_max) {
    const value = parseMicroUsd(typed.price_max);
    if (value === null) errors.price_max = PRICE_HINT;
    else if (query.minPriceMicroUsd !== undefined && value < query.minPriceMicroUsd) {
      errors.price_max = "The maximum price is below the minimum; it was not applied.";
    } else query.maxPriceMicroUsd = value;
  }
  if (typed.days) {
    const value = parseWholeDays(typed.days, MAX_FILTER_DAYS);
    if (value === null) errors.days = `Enter a whole number of days from 1 to ${MAX_FILTER_DAYS}.`;
    else query.days = value;
  }
  if (typed.location) query.location = typed.location;
  return { query, typed, errors };
}

/** True when any filter narrows the listings. */
export function hasFilters(query: MarketplaceFilters): boolean {
  return (
    query.coin !== undefined ||
    query.algorithm !== undefined ||
    query.minPriceMicroUsd !== undefined ||
    query.maxPriceMicroUsd !== undefined ||
    query.days !== undefined ||
    query.location !== undefined
  );
}

/** The URL of a marketplace page, leaving defaults out so URLs stay short. */
export function marketplaceHref(query: MarketplaceQuery): string {
  const params = new URLSearchParams();
  if (query.coin) params.set("coin", query.coin);
  if (query.algorithm) params.set("algorithm", query.algorithm);
  if (query.minPriceMicroUsd !== undefined) params.set("price_min", microUsdText(query.minPriceMicroUsd));
  if (query.maxPriceMicroUsd !== undefined) params.set("price_max", microUsdText(query.maxPriceMicroUsd));
  if (query.days !== undefined) params.set("days", String(query.days));
  if (query.location) params.set("location", query.location);
  if (query.sort !== "price_asc") params.set("sort", query.sort);
  if (query.page > 1) params.set("page", String(query.page));
  const search = params.toString();
  return search ? `/marketplace?${search}` : "/marketplace";
}
