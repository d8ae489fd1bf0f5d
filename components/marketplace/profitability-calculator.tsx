"use client";

// The listing page's profitability calculator. It runs in the browser (BigInt, the same pure
// lib/profitability code the tests check), so typing updates the figures at once with no
// round trip. Everything is an estimate from one network snapshot held constant.
import { useMemo, type ReactNode } from "react";
import { TextField } from "@/components/form-fields";
import { formatBps, formatCoinAmount, formatHashrate, formatInteger, formatUnitPricePerDay } from "@/components/format";
import { defaultDaysText, defaultHashrateText } from "@/components/purchase/terms";
import { useTerms } from "@/components/purchase/terms-context";
import { Usd } from "@/components/ui/money";
import { parseHashrate } from "@/lib/contracts/pricing";
import { networkHashrate, type NetworkInputs } from "@/lib/payouts/formula";
import {
  ceilToCentMicroUsd,
  cumulativeNetMicroUsd,
  estimate,
  type Figures,
  type ScenarioEstimate,
} from "@/lib/profitability/estimate";
import { parseWholeDays } from "@/lib/profitability/parse";
import { usdCents, usdRate } from "@/lib/shared/usd";
import type { ListingTermsText } from "../purchase/types";
import { CumulativeChart } from "./cumulative-chart";

/** The longest term the calculator estimates: ten years. */
const MAX_DAYS = 3_650;

/** Serialisable props: BigInts travel as decimal strings. */
export interface CalculatorListing extends ListingTermsText {
  coinName: string;
  decimals: number;
  difficultyBased: boolean;
  poolFeeBps: number;
}

export interface CalculatorSnapshot {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  networkHashrateHs: string | null;
  difficulty: string | null;
  blockTimeMs: string;
  blockSubsidyBase: string;
  avgFeesPerBlockBase: string;
  priceMicroUsd: string;
}

const big = (value: string | null) => (value === null ? null : BigInt(value));

function toNetwork(snapshot: CalculatorSnapshot): NetworkInputs {
  return {
    networkHashrateHs: big(snapshot.networkHashrateHs),
    difficulty: big(snapshot.difficulty),
    blockTimeMs: BigInt(snapshot.blockTimeMs),
    blockSubsidyBase: BigInt(snapshot.blockSubsidyBase),
    avgFeesPerBlockBase: BigInt(snapshot.avgFeesPerBlockBase),
    priceMicroUsd: BigInt(snapshot.priceMicroUsd),
  };
}

export function ProfitabilityCalculator({
  listing,
  snapshot,
}: {
  listing: CalculatorListing;
  snapshot: CalculatorSnapshot;
}) {
  // The listing page shares these with its purchase panel (components/purchase/terms-context.tsx).
  const terms = useTerms({ hashrate: defaultHashrateText(listing), days: defaultDaysText(listing) });
  const { hashrate: hashrateText, days: daysText, setHashrate: setHashrateText, setDays: setDaysText } = terms;

  const unitHs = BigInt(listing.unitHs);
  const network = useMemo(() => toNetwork(snapshot), [snapshot]);
  const hashrateHs = parseHashrate(hashrateText, unitHs);
  const days = parseWholeDays(daysText, MAX_DAYS);
  const hashrateError =
    hashrateHs === null
      ? `Enter a hashrate in ${listing.unitLabel} as a plain number, like 10 or 2.5.`
      : hashrateHs <= 0n
        ? "Enter a hashrate above 0."
        : undefined;
  const daysError = days === null ? `Enter a whole number of days from 1 to ${formatInteger(MAX_DAYS)}.` : undefined;

  const result = useMemo(() => {
    if (hashrateHs === null || hashrateHs <= 0n || days === null) return null;
    return estimate({
      network,
      coin: { decimals: BigInt(listing.decimals), poolFeeBps: BigInt(listing.poolFeeBps), unitHs },
      listing: {
        priceMicroUsdPerUnitDay: BigInt(listing.priceMicroUsdPerUnitDay),
        maintenanceFeeMicroUsdPerUnitDay: BigInt(listing.maintenanceFeeMicroUsdPerUnitDay),
      },
      hashrateHs,
      days: BigInt(days),
    });
  }, [network, listing, unitHs, hashrateHs, days]);

  const minimum = BigInt(listing.minHashrateHs);
  const free = BigInt(listing.freeHs);
  const outsideListing: string[] = [];
  if (hashrateHs !== null && hashrateHs > 0n && hashrateHs < minimum)
    outsideListing.push(`the minimum order is ${formatHashrate(minimum)}`);
  if (hashrateHs !== null && hashrateHs > free) outsideListing.push(`${formatHashrate(free)} is free right now`);
  if (days !== null && (days < listing.minDays || days > listing.maxDays)) {
    outsideListing.push(`contracts run ${formatInteger(listing.minDays)} to ${formatInteger(listing.maxDays)} days`);
  }

  const coinAmount = (base: bigint) => `${formatCoinAmount(base, listing.decimals)} ${listing.coin}`;

  return (
    <div className="space-y-6">
      <form
        className="card grid gap-4 p-5 sm:grid-cols-2"
        onSubmit={(event) => event.preventDefault()}
        aria-label="Calculator inputs"
        noValidate
      >
        <TextField
          id="calc-hashrate"
          name="hashrate"
          label={`Hashrate (${listing.unitLabel})`}
          inputMode="decimal"
          autoComplete="off"
          value={hashrateText}
          onChange={(event) => setHashrateText(event.target.value)}
          error={hashrateError}
          hint={`Minimum order ${formatHashrate(minimum)}; ${formatHashrate(free)} free now.`}
        />
        <TextField
          id="calc-days"
          name="days"
          label="Days"
          inputMode="numeric"
          autoComplete="off"
          value={daysText}
          onChange={(event) => setDaysText(event.target.value)}
          error={daysError}
          hint={`This listing: ${formatInteger(listing.minDays)} to ${formatInteger(listing.maxDays)} days.`}
        />
        {outsideListing.length > 0 ? (
          <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-600/25 ring-inset sm:col-span-2">
            Estimate only: {outsideListing.join("; ")}, so a purchase with these figures would be refused.
          </p>
        ) : null}
      </form>

      <p role="status" aria-live="polite" className="text-base font-medium text-slate-900" data-testid="calc-summary">
        {result && days !== null ? (
          <>
            Estimated net profit over {formatInteger(days)} {days === 1 ? "day" : "days"}:{" "}
            <Usd micro={result.base.netProfitMicroUsd} plus /> with today&apos;s network data;{" "}
            <Usd micro={result.stress.netProfitMicroUsd} plus /> in the stress case.
          </>
        ) : (
          <>Enter a hashrate and a number of days to see the estimates.</>
        )}
      </p>

      {result && days !== null && hashrateHs !== null ? (
        <>
          <div className="grid gap-6">
            <ScenarioTable
              id="calc-base"
              title="With today's network data"
              scenario={result.base}
              days={days}
              coinAmount={coinAmount}
              poolFeeBps={listing.poolFeeBps}
              unitLabel={listing.unitLabel}
              coin={listing.coin}
            />
            <ScenarioTable
              id="calc-stress"
              title="Stress case"
              scenario={result.stress}
              days={days}
              coinAmount={coinAmount}
              poolFeeBps={listing.poolFeeBps}
              unitLabel={listing.unitLabel}
              coin={listing.coin}
            />
          </div>

          <div className="card overflow-x-auto" role="region" aria-label="Outcome over the term" tabIndex={0}>
            <table className="data-table" data-testid="calc-outcome">
              <caption className="px-4 pt-3 text-left text-sm font-semibold text-slate-900">
                Outcome over {formatInteger(days)} {days === 1 ? "day" : "days"} for {formatHashrate(hashrateHs)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Figure</th>
                  <th scope="col" className="num">
                    Today&apos;s network data
                  </th>
                  <th scope="col" className="num">
                    Stress case
                  </th>
                </tr>
              </thead>
              <tbody>
                <OutcomeRow
                  label={`${listing.coin} price assumed (per ${listing.coin})`}
                  base={<Usd micro={result.base.network.priceMicroUsd} rate />}
                  stress={<Usd micro={result.stress.network.priceMicroUsd} rate />}
                />
                <OutcomeRow
                  label={listing.difficultyBased ? "Network difficulty assumed" : "Network hashrate assumed"}
                  base={networkText(result.base.network, listing.difficultyBased)}
                  stress={networkText(result.stress.network, listing.difficultyBased)}
                />
                <OutcomeRow
                  label="Maintenance fee (electricity and hosting)"
                  base={formatUnitPricePerDay(result.base.maintenanceFeeMicroUsdPerUnitDay, listing.unitLabel)}
                  stress={formatUnitPricePerDay(result.stress.maintenanceFeeMicroUsdPerUnitDay, listing.unitLabel)}
                />
                <OutcomeRow
                  label="Net mined, valued in USD"
                  base={<Usd micro={result.base.term.netMicroUsd} />}
                  stress={<Usd micro={result.stress.term.netMicroUsd} />}
                />
                <OutcomeRow
                  label={`Contract price (${usdRate(result.contract.dailyPriceMicroUsd)} a day × ${formatInteger(days)})`}
                  base={<Usd micro={result.contract.totalPriceMicroUsd} />}
                  stress={<Usd micro={result.contract.totalPriceMicroUsd} />}
                  testId="calc-contract-price"
                />
                <OutcomeRow
                  label="Net profit (net mined − contract price)"
                  base={<Usd micro={result.base.netProfitMicroUsd} plus />}
                  stress={<Usd micro={result.stress.netProfitMicroUsd} plus />}
                  testId="calc-net-profit"
                  strong
                />
                <OutcomeRow
                  label={`Break-even ${listing.coin} price`}
                  base={breakEvenText(result.base, listing.coin)}
                  stress={breakEvenText(result.stress, listing.coin)}
                  testId="calc-break-even"
                />
              </tbody>
            </table>
            <p className="px-4 pb-3 text-xs text-slate-600">
              Break-even: the lowest {listing.coin} price at which the net mined over the term pays the contract price,
              with the column&apos;s difficulty and maintenance fee. Stress case: maintenance fee +20 % (electricity),{" "}
              {listing.coin} price −30 %,
              {listing.difficultyBased ? " difficulty" : " network hashrate"} +10 %, each rounded against you.
            </p>
          </div>

          <CumulativeChart
            base={cumulativeNetMicroUsd(result.base.daily.netMicroUsd, BigInt(days))}
            stress={cumulativeNetMicroUsd(result.stress.daily.netMicroUsd, BigInt(days))}
            contractPriceMicroUsd={result.contract.totalPriceMicroUsd}
            days={days}
          />
        </>
      ) : null}
    </div>
  );
}

function networkText(network: NetworkInputs, difficultyBased: boolean): string {
  const hashrate = formatHashrate(networkHashrate(network));
  return difficultyBased && network.difficulty !== null
    ? `${formatInteger(network.difficulty)} (${hashrate})`
    : hashrate;
}

function breakEvenText(scenario: ScenarioEstimate, coin: string): string {
  if (scenario.breakEvenPriceMicroUsd === null) return "None: too little hashrate to pay back";
  // Shown in cents, rounded up: at the shown price the contract does pay back.
  return `${usdCents(ceilToCentMicroUsd(scenario.breakEvenPriceMicroUsd))} per ${coin}`;
}

function OutcomeRow({
  label,
  base,
  stress,
  testId,
  strong,
}: {
  label: string;
  base: ReactNode;
  stress: ReactNode;
  testId?: string;
  strong?: boolean;
}) {
  return (
    <tr data-testid={testId}>
      <th scope="row">{label}</th>
      <td className={`num ${strong ? "font-semibold text-slate-900" : ""}`}>{base}</td>
      <td className={`num ${strong ? "font-semibold text-slate-900" : ""}`}>{stress}</td>
    </tr>
  );
}

function ScenarioTable({
  id,
  title,
  scenario,
  days,
  coinAmount,
  poolFeeBps,
  unitLabel,
  coin,
}: {
  id: string;
  title: string;
  scenario: ScenarioEstimate;
  days: number;
  coinAmount: (base: bigint) => string;
  poolFeeBps: number;
  unitLabel: string;
  coin: string;
}) {
  const rows: { label: string; pick: (f: Figures) => [bigint, bigint]; minus?: boolean; strong?: boolean }[] = [
    { label: "Mined (FPPS: block subsidy + fees)", pick: (f) => [f.grossBase, f.grossMicroUsd] },
    { label: `Pool fee (${formatBps(poolFeeBps)})`, pick: (f) => [f.poolFeeBase, f.poolFeeMicroUsd], minus: true },
    {
      label: `Maintenance fee (${formatUnitPricePerDay(scenario.maintenanceFeeMicroUsdPerUnitDay, unitLabel)}, paid in ${coin})`,
      pick: (f) => [f.maintenanceFeeBase, f.maintenanceFeeMicroUsd],
      minus: true,
    },
    { label: "Net paid to you", pick: (f) => [f.netBase, f.netMicroUsd], strong: true },
  ];
  const sign = (minus: boolean | undefined, value: bigint) => (minus && value > 0n ? "−" : "");
  return (
    <section aria-labelledby={`${id}-title`} className="card overflow-hidden" data-testid={id}>
      <h3 id={`${id}-title`} className="px-4 pt-3 text-sm font-semibold text-slate-900">
        {title}
        <span className="font-normal text-slate-600"> — estimated coins and USD</span>
      </h3>
      {scenario.curtailed ? (
        <p className="mx-4 mt-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-600/25 ring-inset">
          Curtailed every day: what a day would mine after the pool fee,{" "}
          {coinAmount(scenario.minedAfterPoolFeeIfRunBase)}, does not cover its maintenance fee of{" "}
          {coinAmount(scenario.maintenanceIfRunBase)}. The rigs are not worth running, so the payout is 0 and no pool or
          maintenance fee is charged; the days still count toward the term.
        </p>
      ) : null}
      <div
        className="overflow-x-auto"
        role="region"
        aria-label={`${title}: coins and USD per day and over the term`}
        tabIndex={0}
      >
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Figure</th>
              <th scope="col" className="num">
                Per day ({coin})
              </th>
              <th scope="col" className="num">
                Per day (USD)
              </th>
              <th scope="col" className="num">
                {formatInteger(days)} days ({coin})
              </th>
              <th scope="col" className="num">
                {formatInteger(days)} days (USD)
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const [dailyCoin, dailyUsd] = row.pick(scenario.daily);
              const [termCoin, termUsd] = row.pick(scenario.term);
              const cell = `num ${row.strong ? "font-semibold text-slate-900" : ""}`;
              return (
                <tr key={row.label}>
                  <th scope="row">{row.label}</th>
                  <td className={cell}>
                    {sign(row.minus, dailyCoin)}
                    {coinAmount(dailyCoin)}
                  </td>
                  <td className={cell}>
                    {sign(row.minus, dailyUsd)}
                    {/* A day's figure is a rate (per day); the term's an amount. */}
                    <Usd micro={dailyUsd} rate />
                  </td>
                  <td className={cell}>
                    {sign(row.minus, termCoin)}
                    {coinAmount(termCoin)}
                  </td>
                  <td className={cell}>
                    {sign(row.minus, termUsd)}
                    <Usd micro={termUsd} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
