import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache, type ReactNode } from "react";
import {
  formatAlgorithm,
  formatCoinMicroBase,
  formatDay,
  formatHashrate,
  formatInteger,
  formatUnitPricePerDay,
  sharePercent,
} from "@/components/format";
import { ContractTerms, FeeSummary, FeeTable } from "@/components/marketplace/fees-and-terms";
import { HashpriceChart, HashpriceTable } from "@/components/marketplace/hashprice";
import { ProfitabilityCalculator, type CalculatorListing } from "@/components/marketplace/profitability-calculator";
import { PurchasePanel } from "@/components/purchase/purchase-panel";
import { initialTerms } from "@/components/purchase/terms";
import { PurchaseTermsProvider } from "@/components/purchase/terms-context";
import type { ListingTermsText, PurchaseAccount, PurchasePanelListing } from "@/components/purchase/types";
import { CapacityBar, Section, StatCard } from "@/components/ui";
import { db } from "@/lib/db/client";
import {
  averageGrossMicroUsd,
  defaultHashpriceWindow,
  hashpriceHistory,
  type CoinHashprice,
} from "@/lib/marketplace/hashprice";
import { buyerContext, getMarketplaceListing, type MarketplaceListingDetail } from "@/lib/marketplace/listings";
import { isUsable, latestNetwork, type CoinNetwork } from "@/lib/marketplace/network";
import { cardPayments, cardPaymentsMode } from "@/lib/payments/config";
import { getViewer } from "../../_lib/viewer";

export const dynamic = "force-dynamic";

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// One read per request, shared by the metadata and the page.
const loadListing = cache((id: string) => getMarketplaceListing(db(), id));

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const listing = await loadListing((await params).id);
  return { title: listing ? listing.title : "Listing not found" };
}

export default async function ListingPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const [{ id }, search] = await Promise.all([params, searchParams]);
  const listing = await loadListing(id);
  if (!listing) notFound();
  const [network, [hashprice], viewer] = await Promise.all([
    latestNetwork(db(), listing.coin),
    hashpriceHistory(db(), { ...defaultHashpriceWindow(new Date()), coins: [listing.coin] }),
    getViewer(),
  ]);
  const buyer = viewer?.roles.includes("CUSTOMER") ? await buyerContext(db(), viewer.id, listing) : null;
  const account: PurchaseAccount | null = buyer && {
    usdAvailable: buyer.usdAvailableMicroUsd.toString(),
    coinAvailable: buyer.coinAvailableBase.toString(),
    coinDecimals: listing.coinDecimals,
    recent: buyer.recent.map((r) => ({
      hashrateHs: r.hashrateHs.toString(),
      days: r.days,
      createdAt: r.createdAt.toISOString(),
    })),
  };

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <Link href="/marketplace" className="link">
          Marketplace
        </Link>
        <span aria-hidden="true" className="px-2 text-slate-400">
          /
        </span>
        <span aria-current="page" className="text-slate-600">
          {listing.coin} listing
        </span>
      </nav>

      <header className="mb-8">
        <div className="flex flex-wrap items-center gap-2">
          <span className="rounded-md bg-slate-900 px-2 py-0.5 text-xs font-semibold tracking-wide text-white">
            {listing.coin}
          </span>
          <span className="text-sm font-medium text-slate-600">
            {listing.coinName} · {formatAlgorithm(listing.algorithm)}
          </span>
        </div>
        <h1 className="mt-3 text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">{listing.title}</h1>
        <p className="mt-2 text-slate-600">
          Operated by <span className="font-medium text-slate-800">{listing.operatorName}</span>
        </p>
      </header>

      {search.checkout === "cancelled" ? (
        <p role="status" className="mb-6 rounded-md border border-slate-300 bg-white p-4 text-sm text-slate-800">
          Checkout was cancelled and nothing was charged. The capacity held for it is released.
        </p>
      ) : null}

      <Section id="facts" title="The listing">
        <ListingFacts listing={listing} />
      </Section>

      <PurchaseTermsProvider initial={initialTerms(listingTerms(listing), search)}>
        <div className="grid gap-x-6 xl:grid-cols-[minmax(0,1fr)_26rem] xl:items-start">
          <div className="min-w-0">
            <Section
              id="calculator"
              title="Profitability calculator"
              description={
                network
                  ? `Estimates, not promises: they assume today's network data (the ${listing.coin} snapshot of ${formatDay(network.day)}) stays the same for the whole term, and the rigs deliver your full hashrate every day. Real payouts follow each day's network data.`
                  : undefined
              }
            >
              {network && isUsable(network.network) ? (
                <ProfitabilityCalculator
                  listing={calculatorListing(listing, network)}
                  snapshot={calculatorSnapshot(network)}
                />
              ) : (
                <p className="card p-5 text-sm text-slate-700">
                  There is no network data for {listing.coinName} yet, so no estimate can be made. The fees and terms
                  below apply.
                </p>
              )}
            </Section>
          </div>
          <section
            id="buy"
            aria-labelledby="buy-title"
            className="mb-10 scroll-mt-4 rounded-[var(--radius-card)] border-2 border-brand-200 bg-brand-50/40 p-5 sm:p-6 xl:sticky xl:top-4"
          >
            <h2 id="buy-title" className="text-lg font-semibold text-slate-900">
              Buy
            </h2>
            <p className="mt-1 mb-4 text-sm text-slate-600">
              The hashrate and days of the calculator, within the listing&apos;s limits; you review before you pay, and
              the price is fixed at purchase.
            </p>
            <FeeSummary listing={listing} />
            <PurchasePanel
              listing={purchasePanelListing(listing)}
              card={cardPaymentsMode(await cardPayments())}
              account={account}
              initialMethod={typeof search.pay === "string" ? search.pay : undefined}
            />
          </section>
        </div>
      </PurchaseTermsProvider>

      {hashprice ? (
        <Section
          id="hashprice"
          title="Price against hashprice"
          description={`Hashprice: what 1 ${listing.unitLabel} of ${listing.coin} hashrate earned per UTC day from that day's network data (block subsidy plus fees at the day's price, before the pool and maintenance fees; Luxor's Hashprice Index is the public reference). Past days, not a forecast.`}
        >
          <HashpriceVersusPrice listing={listing} history={hashprice} />
        </Section>
      ) : null}

      <Section
        id="fees"
        title="Fees and contract terms"
        description="Everything you pay and how payouts work, before you buy."
      >
        <div className="grid gap-6">
          <FeeTable listing={listing} />
          <ContractTerms listing={listing} />
        </div>
      </Section>
    </div>
  );
}

function HashpriceVersusPrice({ listing, history }: { listing: MarketplaceListingDetail; history: CoinHashprice }) {
  const latest = history.days.at(-1);
  const average = averageGrossMicroUsd(history.days, 30);
  const unit = listing.unitLabel;
  return (
    <div className="grid gap-6">
      <dl className="grid gap-4 sm:grid-cols-3" data-testid="hashprice-versus-price">
        <StatCard
          label="This listing's price"
          value={formatUnitPricePerDay(listing.priceMicroUsdPerUnitDay, unit)}
          detail={`plus a maintenance fee of ${formatUnitPricePerDay(listing.maintenanceFeeMicroUsdPerUnitDay, unit)}`}
        />
        <StatCard
          label={latest ? `Hashprice on ${formatDay(latest.day)}` : "Hashprice"}
          value={latest ? formatUnitPricePerDay(latest.grossMicroUsd, unit) : "No data yet"}
          detail={
            latest
              ? `${formatCoinMicroBase(latest.grossMicroBase, history.decimals)} ${listing.coin} per ${unit}`
              : null
          }
        />
        <StatCard
          label={
            history.days.length > 0
              ? `Average, last ${formatInteger(Math.min(30, history.days.length))} days`
              : "Average"
          }
          value={average !== null ? formatUnitPricePerDay(average, unit) : "No data yet"}
        />
      </dl>
      <HashpriceChart history={history} priceMicroUsdPerUnitDay={listing.priceMicroUsdPerUnitDay} />
      <HashpriceTable history={history} />
    </div>
  );
}

/** The listing's facts, each a term and its value. */
function listingFacts(listing: MarketplaceListingDetail): { term: string; value: ReactNode; numeric?: boolean }[] {
  const rigs = listing.rigModels.reduce((sum, model) => sum + model.rigs, 0);
  return [
    { term: "Coin", value: `${listing.coinName} (${listing.coin})` },
    { term: "Algorithm", value: formatAlgorithm(listing.algorithm) },
    { term: "Operator", value: listing.operatorName },
    {
      term: listing.facilities.length === 1 ? "Facility" : "Facilities",
      value:
        listing.facilities.length === 0 ? (
          "Not stated"
        ) : (
          <ul>
            {listing.facilities.map((facility) => (
              <li key={facility.name}>
                {facility.name} — {facility.location} ({facility.countryCode})
              </li>
            ))}
          </ul>
        ),
    },
    {
      term: "Rigs",
      value: (
        <>
          {formatInteger(rigs)} {rigs === 1 ? "rig" : "rigs"}, {formatInteger(listing.activeRigs)} active
          <ul className="mt-1 font-normal text-slate-700">
            {listing.rigModels.map((model) => (
              <li key={model.model}>
                {model.model} × {formatInteger(model.rigs)} ({formatHashrate(model.nominalHashrateHs)} each)
              </li>
            ))}
          </ul>
        </>
      ),
    },
    { term: "Minimum order", value: formatHashrate(listing.minHashrateHs), numeric: true },
    { term: "Contract length", value: `${formatInteger(listing.minDays)} to ${formatInteger(listing.maxDays)} days` },
    { term: "Pricing unit", value: listing.unitLabel },
  ];
}

function ListingFacts({ listing }: { listing: MarketplaceListingDetail }) {
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <dl className="card grid gap-x-6 gap-y-4 p-5 text-sm sm:grid-cols-2 lg:col-span-2">
        {listingFacts(listing).map((fact) => (
          <div key={fact.term}>
            <dt className="text-slate-600">{fact.term}</dt>
            <dd className={fact.numeric ? "font-medium text-slate-900 tabular-nums" : "font-medium text-slate-900"}>
              {fact.value}
            </dd>
          </div>
        ))}
      </dl>

      <div className="card p-5 text-sm">
        <h3 className="font-semibold text-slate-900">Capacity</h3>
        <p className="mt-3 text-2xl font-semibold text-slate-900 tabular-nums" data-testid="free-capacity">
          {formatHashrate(listing.freeHs)} <span className="text-sm font-normal text-slate-600">free</span>
        </p>
        <p className="mb-3 text-slate-600">
          of {formatHashrate(listing.totalHs)} on {formatInteger(listing.activeRigs)} active{" "}
          {listing.activeRigs === 1 ? "rig" : "rigs"} ({sharePercent(listing.freeHs, listing.totalHs)}% free)
        </p>
        <CapacityBar freeHs={listing.freeHs} totalHs={listing.totalHs} />
        <p className="mt-3 text-xs text-slate-600">
          Free capacity is what no live contract or pending checkout holds. It can change at any moment.
        </p>
      </div>
    </div>
  );
}

/** The listing's pricing and limits as text, for the calculator and the purchase panel. */
function listingTerms(listing: MarketplaceListingDetail): ListingTermsText {
  return {
    coin: listing.coin,
    unitLabel: listing.unitLabel,
    unitHs: listing.unitHs.toString(),
    priceMicroUsdPerUnitDay: listing.priceMicroUsdPerUnitDay.toString(),
    maintenanceFeeMicroUsdPerUnitDay: listing.maintenanceFeeMicroUsdPerUnitDay.toString(),
    minDays: listing.minDays,
    maxDays: listing.maxDays,
    minHashrateHs: listing.minHashrateHs.toString(),
    freeHs: listing.freeHs.toString(),
  };
}

function calculatorListing(listing: MarketplaceListingDetail, network: CoinNetwork): CalculatorListing {
  return {
    ...listingTerms(listing),
    coinName: listing.coinName,
    decimals: listing.coinDecimals,
    difficultyBased: network.network.difficulty !== null,
    poolFeeBps: listing.poolFeeBps,
  };
}

function calculatorSnapshot({ day, network }: CoinNetwork) {
  const text = (value: bigint | null) => (value === null ? null : value.toString());
  return {
    day: formatDay(day),
    networkHashrateHs: text(network.networkHashrateHs),
    difficulty: text(network.difficulty),
    blockTimeMs: network.blockTimeMs.toString(),
    blockSubsidyBase: network.blockSubsidyBase.toString(),
    avgFeesPerBlockBase: network.avgFeesPerBlockBase.toString(),
    priceMicroUsd: network.priceMicroUsd.toString(),
  };
}

function purchasePanelListing(listing: MarketplaceListingDetail): PurchasePanelListing {
  return { ...listingTerms(listing), listingId: listing.id, title: listing.title };
}
