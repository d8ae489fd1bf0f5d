// The hashrate and days a listing page starts with: what the URL carries (kept across a detour
// through sign-in, or a shared link), else ten pricing units (or the minimum order) for 30 days
// within the listing's limits. Plain functions, for the server page and the client calculator.
import { formatInUnit } from "@/lib/contracts/pricing";
import type { ListingTermsText } from "./types";

type Limits = Pick<ListingTermsText, "unitHs" | "minHashrateHs" | "minDays" | "maxDays">;

/** A starting hashrate: ten pricing units, or the minimum order if that is more. */
export function defaultHashrateText(listing: Pick<Limits, "unitHs" | "minHashrateHs">): string {
  const unitHs = BigInt(listing.unitHs);
  const minimum = BigInt(listing.minHashrateHs);
  return formatInUnit(minimum > 10n * unitHs ? minimum : 10n * unitHs, unitHs);
}

export function defaultDaysText(listing: Pick<Limits, "minDays" | "maxDays">): string {
  return String(Math.min(Math.max(30, listing.minDays), listing.maxDays));
}

/** The page's starting terms: ?hashrate= (a plain decimal) and ?days= (a whole number) where given. */
export function initialTerms(
  listing: Limits,
  search: { hashrate?: string | string[]; days?: string | string[] },
): { hashrate: string; days: string } {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
  const hashrate = one(search.hashrate);
  const days = one(search.days);
  return {
    hashrate: /^\d{1,12}(\.\d{1,12})?$/.test(hashrate) ? hashrate : defaultHashrateText(listing),
    days: /^\d{1,5}$/.test(days) ? days : defaultDaysText(listing),
  };
}
