import Link from "next/link";
import { unstable_rethrow } from "next/navigation";
import { Suspense } from "react";
import { formatInteger } from "@/components/format";
import { LinkButton } from "@/components/ui";
import { db } from "@/lib/db/client";
import { log } from "@/lib/observability/log";

// Live counts from the database: rendered per request, never at build time.
export const dynamic = "force-dynamic";

const STEPS = [
  {
    title: "Pick a listing",
    body: "Compare operators by price per unit of hashrate per day, maintenance fee, pool fee, free capacity and contract length.",
  },
  {
    title: "Rent the hashrate",
    body: "Your contract is allocated to specific rigs of that listing. Capacity is never oversold: every allocation is backed by a real machine.",
  },
  {
    title: "Get paid every day",
    body: "Each UTC day your delivered hashrate earns coins, net of pool and maintenance fees, credited to your balance. Withdraw to your own wallet.",
  },
];

const FEATURES = [
  {
    title: "No hardware to own",
    body: "Operators host, power and cool the rigs. You rent capacity for as few or as many days as the listing allows.",
  },
  {
    title: "Daily payouts, net of fees",
    body: "Every UTC day: the coins your share of the hashrate mined, minus the coin's pool fee and the listing's maintenance fee.",
  },
  {
    title: "A formula you can check",
    body: "Each payout stores its inputs — network hashrate, block reward, price, delivered hashrate — so any day can be recomputed.",
  },
  {
    title: "Paid for what was delivered",
    body: "If a rig under-delivers, you are credited the unused part of that day's price. If mining isn't worth the fee, the day is curtailed, not charged.",
  },
  {
    title: "Withdrawals behind 2FA",
    body: "Authenticator codes, address whitelisting with a 48-hour lock for new addresses, and review of large withdrawals.",
  },
  {
    title: "A tax ledger built in",
    body: "Every payout is recorded with its USD value at receipt. Keep hobby or business profiles per year and export a CSV.",
  },
];

const COINS = [
  { symbol: "BTC", name: "Bitcoin", algorithm: "SHA-256" },
  { symbol: "LTC", name: "Litecoin", algorithm: "Scrypt" },
  { symbol: "KAS", name: "Kaspa", algorithm: "kHeavyHash" },
  { symbol: "ETC", name: "Ethereum Classic", algorithm: "Etchash" },
  { symbol: "XMR", name: "Monero", algorithm: "RandomX" },
];

export default function HomePage() {
  return (
    <>
      <section
        aria-labelledby="hero-title"
        className="border-b border-slate-200 bg-gradient-to-b from-white to-slate-50"
      >
        <div className="mx-auto grid w-full max-w-6xl gap-10 px-4 py-16 sm:px-6 lg:grid-cols-[1.3fr_1fr] lg:px-8 lg:py-24">
          <div>
            <p className="text-sm font-semibold tracking-wider text-brand-700 uppercase">Cloud mining marketplace</p>
            <h1 id="hero-title" className="mt-3 text-4xl font-semibold tracking-tight text-slate-900 sm:text-5xl">
              Rent hashrate. Get paid in coins, every day.
            </h1>
            <p className="mt-5 max-w-xl text-lg text-slate-600">
              Hashlease connects you with operators of professionally hosted mining rigs. Rent their capacity without
              owning hardware and receive daily payouts net of pool and maintenance fees.
            </p>
            <div className="mt-8 flex flex-wrap gap-3">
              <LinkButton href="/marketplace" size="lg">
                Browse the marketplace
              </LinkButton>
              <LinkButton href="/register" variant="secondary" size="lg">
                Create an account
              </LinkButton>
            </div>
          </div>
          <Suspense fallback={<LiveStatsFallback />}>
            <LiveStats />
          </Suspense>
        </div>
      </section>

      <section aria-labelledby="steps-title" className="page">
        <h2 id="steps-title" className="text-2xl font-semibold tracking-tight">
          How it works
        </h2>
        <ol className="mt-6 grid gap-6 md:grid-cols-3">
          {STEPS.map((step, index) => (
            <li key={step.title} className="card p-6">
              <span
                aria-hidden="true"
                className="flex h-9 w-9 items-center justify-center rounded-full bg-brand-600 font-semibold text-white"
              >
                {index + 1}
              </span>
              <h3 className="mt-4 font-semibold text-slate-900">
                <span className="sr-only">Step {index + 1}: </span>
                {step.title}
              </h3>
              <p className="mt-2 text-sm text-slate-600">{step.body}</p>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="features-title" className="border-y border-slate-200 bg-white">
        <div className="page">
          <h2 id="features-title" className="text-2xl font-semibold tracking-tight">
            Built like a ledger, not a black box
          </h2>
          <ul className="mt-6 grid gap-x-8 gap-y-6 sm:grid-cols-2 lg:grid-cols-3">
            {FEATURES.map((feature) => (
              <li key={feature.title}>
                <h3 className="font-semibold text-slate-900">{feature.title}</h3>
                <p className="mt-1 text-sm text-slate-600">{feature.body}</p>
              </li>
            ))}
          </ul>
          <div className="mt-10 rounded-lg border border-slate-200 bg-slate-50 p-5">
            <h3 className="font-semibold text-slate-900">The daily payout, in one line</h3>
            <p className="mt-2 text-sm text-slate-700">
              <span className="font-mono">net = gross − pool fee − maintenance fee</span>, where gross is your delivered
              share of the coins the whole network mined that day (block subsidy plus fees), the pool fee is a
              percentage of gross, and the maintenance fee is the listing&apos;s USD fee per unit of hashrate converted
              at the day&apos;s price. All amounts are integers in the coin&apos;s smallest unit; amounts paid to you
              round down.
            </p>
          </div>
        </div>
      </section>

      <section aria-labelledby="coins-title" className="page">
        <h2 id="coins-title" className="text-2xl font-semibold tracking-tight">
          Supported coins
        </h2>
        <ul className="mt-6 grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-5">
          {COINS.map((coin) => (
            <li key={coin.symbol} className="card p-4">
              <p className="text-lg font-semibold text-slate-900">{coin.symbol}</p>
              <p className="text-sm text-slate-700">{coin.name}</p>
              <p className="mt-2 text-xs text-slate-600">{coin.algorithm}</p>
            </li>
          ))}
        </ul>
        <div className="card mt-12 flex flex-col items-start gap-4 bg-brand-950 p-8 text-white sm:flex-row sm:items-center sm:justify-between">
          <div>
            <h2 className="text-xl font-semibold">Ready to compare listings?</h2>
            <p className="mt-1 text-brand-100">Browse without an account; sign up when you want to rent.</p>
          </div>
          <div className="flex flex-wrap gap-3">
            <Link href="/marketplace" className="btn bg-white text-brand-900 hover:bg-brand-50">
              Open the marketplace
            </Link>
            <Link href="/register" className="btn border border-brand-300 text-white hover:bg-brand-900">
              Register
            </Link>
          </div>
        </div>
      </section>
    </>
  );
}

async function LiveStats() {
  let counts: { listings: number; rigs: number; facilities: number } | null = null;
  try {
    const prisma = db();
    const [listings, rigs, facilities] = await Promise.all([
      prisma.listing.count({ where: { status: "PUBLISHED" } }),
      prisma.rig.count({ where: { status: "ACTIVE" } }),
      prisma.facility.count(),
    ]);
    counts = { listings, rigs, facilities };
  } catch (error) {
    // The landing page stays up without its live figures.
    unstable_rethrow(error);
    log.error({ err: error }, "home: live counts unavailable");
  }
  return (
    <div className="card self-center p-6">
      <h2 className="text-sm font-semibold tracking-wider text-slate-600 uppercase">Right now on Hashlease</h2>
      {counts ? (
        <dl className="mt-4 grid grid-cols-3 gap-4 lg:grid-cols-1">
          <LiveStat label="Published listings" value={counts.listings} />
          <LiveStat label="Active rigs" value={counts.rigs} />
          <LiveStat label="Hosting facilities" value={counts.facilities} />
        </dl>
      ) : (
        <p className="mt-4 text-sm text-slate-600">Live figures are unavailable at the moment.</p>
      )}
    </div>
  );
}

function LiveStat({ label, value }: { label: string; value: number }) {
  return (
    <div className="flex flex-col-reverse lg:flex-row lg:items-baseline lg:justify-between lg:gap-6">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="text-3xl font-semibold text-slate-900 tabular-nums">{formatInteger(value)}</dd>
    </div>
  );
}

function LiveStatsFallback() {
  return (
    <div className="card self-center p-6" aria-busy="true">
      <p className="text-sm font-semibold tracking-wider text-slate-600 uppercase">Right now on Hashlease</p>
      <p className="mt-4 text-sm text-slate-600">Loading live figures…</p>
    </div>
  );
}
