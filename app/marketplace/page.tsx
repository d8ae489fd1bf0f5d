import type { Metadata } from "next";
import { formatInteger } from "@/components/format";
import { HashpriceChart, HashpriceIndex, HashpriceTable } from "@/components/marketplace/hashprice";
import { ListingCard } from "@/components/marketplace/listing-card";
import { filtersKey, isCustomized, MarketplaceFilters } from "@/components/marketplace/marketplace-filters";
import { Pager } from "@/components/pager";
import { EmptyState, PageHeader, Section } from "@/components/ui";
import { db } from "@/lib/db/client";
import { defaultHashpriceWindow, hashpriceHistory, type CoinHashprice } from "@/lib/marketplace/hashprice";
import { listMarketplace, listMarketplaceCoins } from "@/lib/marketplace/listings";
import { coinRevenues, latestNetworks } from "@/lib/marketplace/network";
import {
  hasFilters,
  MARKETPLACE_PAGE_SIZE,
  marketplaceHref,
  parseMarketplaceQuery,
  type MarketplaceQuery,
} from "@/lib/marketplace/query";

export const metadata: Metadata = { title: "Marketplace" };

// Reads listings and capacity at request time; the build never needs a database.
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function MarketplacePage({ searchParams }: { searchParams: SearchParams }) {
  const parsed = parseMarketplaceQuery(await searchParams);
  const { query } = parsed;
  const prisma = db();
  // Revenue per unit is worked out once per coin (a handful of rows); the listings query
  // then filters, sorts and pages by it in SQL.
  const [coins, networks, hashprices] = await Promise.all([
    listMarketplaceCoins(prisma),
    latestNetworks(prisma),
    hashpriceHistory(prisma, defaultHashpriceWindow(new Date())),
  ]);
  const result = await listMarketplace(prisma, {
    ...query,
    pageSize: MARKETPLACE_PAGE_SIZE,
    revenues: coinRevenues(networks),
  });
  const pageCount = Math.max(1, Math.ceil(result.total / MARKETPLACE_PAGE_SIZE));
  const firstShown = (query.page - 1) * MARKETPLACE_PAGE_SIZE + 1;
  const lastShown = firstShown + result.rows.length - 1;

  return (
    <div className="page">
      <PageHeader
        title="Marketplace"
        description={
          <>
            Hashrate on hosted rigs, priced per unit per day. Pool fees are set per coin; maintenance fees per listing.
            Open a listing for its full terms, a profitability calculator and checkout.
          </>
        }
      />

      {/* Keyed by what the URL asks for: the fields are uncontrolled, so a navigation that
          changes the query (Reset, back/forward) remounts them with the URL's values. */}
      <MarketplaceFilters
        key={filtersKey(parsed)}
        coins={coins}
        parsed={parsed}
        filtered={isCustomized(query, parsed)}
      />

      <p role="status" aria-live="polite" className="mb-4 text-sm text-slate-600">
        {result.rows.length > 0 ? (
          <>
            Showing {formatInteger(firstShown)}–{formatInteger(lastShown)} of {formatInteger(result.total)}{" "}
            {result.total === 1 ? "listing" : "listings"}
            {query.sort === "profit_desc" ? ", most profitable first" : null}.
          </>
        ) : result.total > 0 ? (
          <>
            {formatInteger(result.total)} {result.total === 1 ? "listing matches" : "listings match"}; this page is past
            the last one.
          </>
        ) : (
          <>No listings match.</>
        )}
        {Object.keys(parsed.errors).length > 0
          ? " Some filters were not applied; see the messages by the fields."
          : null}
      </p>
      {result.rows.length > 0 ? (
        <>
          <p className="mb-4 text-sm text-slate-600">
            Estimated net after price: what one unit of hashrate would earn a day at each coin&apos;s latest network
            data, after the pool fee, the maintenance fee and the listing&apos;s price. An estimate, not a promise.
            {query.coin
              ? null
              : " Each coin is priced in its own hashrate unit; choose a coin to compare like with like."}
          </p>
          <ul role="list" className="grid gap-5 md:grid-cols-2 xl:grid-cols-3">
            {result.rows.map((listing) => (
              <li key={listing.id} className="flex">
                <ListingCard listing={listing} />
              </li>
            ))}
          </ul>
          <Pager page={query.page} pageCount={pageCount} href={(page) => marketplaceHref({ ...query, page })} />
        </>
      ) : (
        <NoResults query={query} total={result.total} pageCount={pageCount} />
      )}

      <HashpriceSection histories={hashprices} coin={query.coin} />
    </div>
  );
}

/** Each coin's hashprice, and the chosen coin's (the filter's, else the first) per day. */
function HashpriceSection({ histories, coin }: { histories: CoinHashprice[]; coin?: string }) {
  const shown = histories.find((h) => h.coin === coin) ?? histories.find((h) => h.days.length > 0) ?? histories[0];
  return (
    <div className="mt-12">
      <Section
        id="hashprice"
        title="Hashprice"
        description="What one pricing unit of hashrate earned per UTC day, from each day's network data: block subsidy plus fees (FPPS) at the day's coin price, before maintenance fees — the figure to judge a listing's price per unit per day against (Luxor's Hashprice Index is the public reference). Past days, not a forecast."
      >
        <div className="grid gap-6">
          <HashpriceIndex histories={histories} />
          {shown ? (
            <>
              <HashpriceChart history={shown} />
              <HashpriceTable history={shown} />
            </>
          ) : null}
        </div>
      </Section>
    </div>
  );
}

function NoResults({ query, total, pageCount }: { query: MarketplaceQuery; total: number; pageCount: number }) {
  if (total > 0) {
    return (
      <EmptyState
        title="This page is past the last listing."
        action={{ href: marketplaceHref({ ...query, page: pageCount }), label: "Go to the last page" }}
      >
        There are {formatInteger(total)} matching listings on {formatInteger(pageCount)}{" "}
        {pageCount === 1 ? "page" : "pages"}.
      </EmptyState>
    );
  }
  if (hasFilters(query)) {
    return (
      <EmptyState
        title="No published listings match these filters."
        action={{ href: "/marketplace", label: "Show all listings" }}
      >
        Operators publish new capacity regularly. Try a wider price range, another duration or location, or check back
        later.
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No listings are published yet.">
      When operators publish capacity, it appears here with its price, fees and free hashrate.
    </EmptyState>
  );
}
