// The marketplace's filter and sort form: a GET form (works without JavaScript) that
// next/form turns into a client-side navigation, so the page updates in place and the
// results count's live region announces the new count.
import Form from "next/form";
import { SelectField, TextField } from "@/components/form-fields";
import { formatAlgorithm } from "@/components/format";
import { Button, LinkButton } from "@/components/ui";
import type { Algorithm, Asset } from "@/lib/generated/prisma/enums";
import {
  LISTING_ALGORITHMS,
  MAX_FILTER_DAYS,
  type MarketplaceQuery,
  type ParsedMarketplaceQuery,
} from "@/lib/marketplace/query";

const legendClass = "mb-2 text-xs font-semibold uppercase tracking-wide text-slate-600";

export function MarketplaceFilters({
  coins,
  parsed,
  filtered,
}: {
  coins: { asset: Asset; name: string }[];
  parsed: ParsedMarketplaceQuery;
  /** True when anything differs from the defaults (shows a reset link). */
  filtered: boolean;
}) {
  const { query, typed, errors } = parsed;
  return (
    <Form action="/marketplace" className="card mb-6 p-4 sm:p-5" aria-label="Filter and sort listings">
      <div className="grid gap-x-8 gap-y-5 md:grid-cols-2">
        <fieldset>
          <legend className={legendClass}>Coin and algorithm</legend>
          <div className="grid grid-cols-2 gap-3">
            <SelectField
              id="filter-coin"
              name="coin"
              label="Coin"
              defaultValue={query.coin ?? ""}
              options={[
                { value: "", label: "All coins" },
                ...coins.map((coin) => ({ value: coin.asset, label: `${coin.name} (${coin.asset})` })),
              ]}
            />
            <SelectField
              id="filter-algorithm"
              name="algorithm"
              label="Algorithm"
              defaultValue={query.algorithm ?? ""}
              options={[
                { value: "", label: "All" },
                ...LISTING_ALGORITHMS.map((algorithm: Algorithm) => ({
                  value: algorithm,
                  label: formatAlgorithm(algorithm),
                })),
              ]}
            />
          </div>
        </fieldset>

        <fieldset aria-describedby="filter-price-unit">
          <legend className={legendClass}>Price (USD per unit per day)</legend>
          <p id="filter-price-unit" className="sr-only">
            Dollars per pricing unit of hashrate (for example per TH/s) per day, like 0.0195.
          </p>
          <div className="grid grid-cols-2 gap-3">
            <TextField
              id="filter-price-min"
              name="price_min"
              label="Min $"
              inputMode="decimal"
              autoComplete="off"
              placeholder="0.015"
              defaultValue={typed.price_min}
              error={errors.price_min}
            />
            <TextField
              id="filter-price-max"
              name="price_max"
              label="Max $"
              inputMode="decimal"
              autoComplete="off"
              placeholder="0.03"
              defaultValue={typed.price_max}
              error={errors.price_max}
            />
          </div>
        </fieldset>

        <fieldset>
          <legend className={legendClass}>Contract length and location</legend>
          <div className="grid grid-cols-2 gap-3">
            <TextField
              id="filter-days"
              name="days"
              label="Days"
              inputMode="numeric"
              autoComplete="off"
              placeholder="30"
              defaultValue={typed.days}
              error={errors.days}
              title={`A contract length the listing allows, 1 to ${MAX_FILTER_DAYS} days`}
            />
            <TextField
              id="filter-location"
              name="location"
              label="Location"
              autoComplete="off"
              placeholder="Texas, SE"
              defaultValue={typed.location}
              maxLength={100}
            />
          </div>
        </fieldset>

        <fieldset>
          <legend className={legendClass}>Order</legend>
          <SelectField
            id="filter-sort"
            name="sort"
            label="Sort by"
            defaultValue={query.sort}
            options={[
              { value: "price_asc", label: "Price: low to high" },
              { value: "price_desc", label: "Price: high to low" },
              { value: "profit_desc", label: "Profitability (estimated)" },
            ]}
          />
        </fieldset>
      </div>

      <div className="mt-5 flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4">
        <Button type="submit">Apply filters</Button>
        {filtered ? (
          <LinkButton href="/marketplace" variant="ghost">
            Reset
          </LinkButton>
        ) : null}
        <p className="text-sm text-slate-600">
          Days: a contract length the listing allows. Location: a place or a two-letter country code.
        </p>
      </div>
    </Form>
  );
}

/** True when the query differs from the unfiltered first page in price order. */
export function isCustomized(query: MarketplaceQuery, parsed: ParsedMarketplaceQuery): boolean {
  return (
    query.sort !== "price_asc" ||
    query.coin !== undefined ||
    query.algorithm !== undefined ||
    Object.values(parsed.typed).some((value) => value !== "")
  );
}

/** A key that changes whenever the form's initial values would. */
export function filtersKey({ query, typed }: ParsedMarketplaceQuery): string {
  return JSON.stringify([query.coin ?? "", query.algorithm ?? "", query.sort, typed]);
}
