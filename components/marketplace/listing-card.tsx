// One listing in the marketplace grid. The title links to the listing's page; the link's
// box is stretched over the card so the whole card is a click target, while keyboard and
// screen-reader users meet one link per card.
import Link from "next/link";
import {
  formatAlgorithm,
  formatBps,
  formatDayRange,
  formatHashrate,
  formatInteger,
  formatUnitPricePerDay,
} from "@/components/format";
import { CapacityBar, Usd } from "@/components/ui";
import type { MarketplaceListing } from "@/lib/marketplace/listings";

export function listingHref(id: string): string {
  return `/marketplace/${id}`;
}

export function ListingCard({ listing }: { listing: MarketplaceListing }) {
  const titleId = `listing-${listing.id}`;
  const availability =
    listing.totalHs === 0n
      ? "No active rigs right now"
      : listing.freeHs === 0n
        ? "Sold out"
        : `${formatHashrate(listing.freeHs)} available`;
  const estimate = listing.estimatedNetMicroUsdPerUnitDay;
  return (
    <article
      aria-labelledby={titleId}
      className="card relative flex w-full flex-col p-5 transition-shadow focus-within:shadow-md hover:shadow-md"
    >
      <div className="flex items-start justify-between gap-3">
        <div className="flex items-center gap-2">
          <span
            className="rounded-md bg-slate-900 px-2 py-0.5 text-xs font-semibold tracking-wide text-white"
            data-testid="coin-badge"
          >
            {listing.coin}
          </span>
          <span className="text-xs font-medium text-slate-600">{formatAlgorithm(listing.algorithm)}</span>
        </div>
        <span className="text-xs text-slate-600">{listing.coinName}</span>
      </div>
      <h2 id={titleId} className="mt-3 text-base leading-snug font-semibold text-slate-900">
        <Link
          href={listingHref(listing.id)}
          className="rounded-sm after:absolute after:inset-0 after:content-[''] hover:text-brand-700"
        >
          {listing.title}
        </Link>
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        by <span className="font-medium text-slate-800">{listing.operatorName}</span>
      </p>

      <p className="mt-4">
        <span className="text-2xl font-semibold text-slate-900 tabular-nums">
          <Usd micro={listing.priceMicroUsdPerUnitDay} rate />
        </span>
        <span className="text-sm text-slate-600"> / {listing.unitLabel} / day</span>
      </p>

      <dl className="mt-4 grid grid-cols-2 gap-x-4 gap-y-3 text-sm">
        <div className="col-span-2">
          <dt className="text-slate-600">Estimated net after price</dt>
          <dd className="font-medium tabular-nums">
            {estimate === null ? (
              <span className="text-slate-600">No network data yet</span>
            ) : (
              <span className={estimate >= 0n ? "text-emerald-800" : "text-red-700"} data-testid="estimated-net">
                {estimate > 0n ? "+" : ""}
                {formatUnitPricePerDay(estimate, listing.unitLabel)}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-slate-600">Maintenance fee</dt>
          <dd className="font-medium text-slate-900 tabular-nums">
            {formatUnitPricePerDay(listing.maintenanceFeeMicroUsdPerUnitDay, listing.unitLabel)}
          </dd>
        </div>
        <div>
          <dt className="text-slate-600">Pool fee</dt>
          <dd className="font-medium text-slate-900 tabular-nums">{formatBps(listing.poolFeeBps)} of mined coins</dd>
        </div>
        <div>
          <dt className="text-slate-600">Duration</dt>
          <dd className="font-medium text-slate-900">{formatDayRange(listing.minDays, listing.maxDays)}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Minimum order</dt>
          <dd className="font-medium text-slate-900 tabular-nums">{formatHashrate(listing.minHashrateHs)}</dd>
        </div>
        <div className="col-span-2">
          <dt className="text-slate-600">{listing.locations.length > 1 ? "Locations" : "Location"}</dt>
          <dd className="font-medium text-slate-900" data-testid="listing-locations">
            {listing.locations.length > 0 ? listing.locations.join(" · ") : "Not stated"}
          </dd>
        </div>
      </dl>

      <div className="mt-auto pt-5">
        <div className="mb-1.5 flex items-baseline justify-between gap-2 text-sm">
          <span className="font-medium text-slate-900">{availability}</span>
          <span className="text-slate-600">of {formatHashrate(listing.totalHs)}</span>
        </div>
        <CapacityBar freeHs={listing.freeHs} totalHs={listing.totalHs} />
        <p className="mt-1.5 text-xs text-slate-600">
          On {formatInteger(listing.activeRigs)} active {listing.activeRigs === 1 ? "rig" : "rigs"}
        </p>
      </div>
    </article>
  );
}
