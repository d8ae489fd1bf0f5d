// A listing's fees and contract terms, shown before any purchase, in the words of DESIGN.md
// ("Daily payout", "Capacity and contracts").
import { formatBps, formatDayRange, formatHashrate, formatUnitPricePerDay } from "@/components/format";

export interface TermsListing {
  coin: string;
  coinName: string;
  unitLabel: string;
  priceMicroUsdPerUnitDay: bigint;
  maintenanceFeeMicroUsdPerUnitDay: bigint;
  poolFeeBps: number;
  minDays: number;
  maxDays: number;
  minHashrateHs: bigint;
}

export function FeeTable({ listing }: { listing: TermsListing }) {
  return (
    <div className="card overflow-x-auto" role="region" aria-label="Fees" tabIndex={0}>
      <table className="data-table" data-testid="fee-table">
        <caption className="sr-only">Fees of this listing</caption>
        <thead>
          <tr>
            <th scope="col">Fee</th>
            <th scope="col">Amount</th>
            <th scope="col">How it is charged</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Contract price</th>
            <td className="whitespace-nowrap tabular-nums">
              {formatUnitPricePerDay(listing.priceMicroUsdPerUnitDay, listing.unitLabel)}
            </td>
            <td>
              Paid once, up front, for the whole term. A day costs your hashrate × the price, rounded up to a whole
              micro-dollar; the contract costs that times its days. Card payments are charged in cents, rounded half up
              once at checkout.
            </td>
          </tr>
          <tr>
            <th scope="row">Maintenance fee</th>
            <td className="whitespace-nowrap tabular-nums">
              {formatUnitPricePerDay(listing.maintenanceFeeMicroUsdPerUnitDay, listing.unitLabel)}
            </td>
            <td>
              Electricity and hosting, per unit of delivered hashrate. Taken each day from the mined {listing.coin},
              converted at that day&apos;s {listing.coin} price and rounded up to a whole base unit.
            </td>
          </tr>
          <tr>
            <th scope="row">Pool fee</th>
            <td className="whitespace-nowrap tabular-nums">{formatBps(listing.poolFeeBps)} of mined coins</td>
            <td>
              The mining pool&apos;s fee for {listing.coinName}, taken from each day&apos;s mined coins and rounded up.
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

export function ContractTerms({ listing }: { listing: TermsListing }) {
  return (
    <div className="card p-5 text-sm leading-6 text-slate-700">
      <dl className="mb-4 grid gap-x-6 gap-y-2 sm:grid-cols-2">
        <div>
          <dt className="font-medium text-slate-900">Duration</dt>
          <dd>{formatDayRange(listing.minDays, listing.maxDays)}, chosen at purchase; the term counts UTC days.</dd>
        </div>
        <div>
          <dt className="font-medium text-slate-900">Minimum order</dt>
          <dd>{formatHashrate(listing.minHashrateHs)}, up to the free capacity.</dd>
        </div>
      </dl>
      <h3 className="font-semibold text-slate-900">How payouts work</h3>
      <ul className="mt-2 list-disc space-y-2 pl-5">
        <li>
          <strong className="font-semibold text-slate-900">Paid daily in {listing.coin} (FPPS).</strong> For every UTC
          day, your delivered hashrate earns its share of the network&apos;s block subsidy plus fees (full pay per
          share: no pool luck), minus the pool fee and the maintenance fee. The net is credited to your {listing.coin}{" "}
          balance; amounts paid to you round down.
        </li>
        <li>
          <strong className="font-semibold text-slate-900">Curtailed days.</strong> When a day&apos;s mined coins after
          the pool fee do not cover the maintenance fee, the rigs are not worth running: that day pays 0, charges no
          pool or maintenance fee, and still counts toward the term.
        </li>
        <li>
          <strong className="font-semibold text-slate-900">Under-delivery credits.</strong> You prepay for your full
          hashrate. On a day the rigs deliver less (downtime, or no telemetry, which counts as 0), the undelivered share
          of that day&apos;s price is credited back to you in USD from the operator&apos;s payable: (contracted −
          delivered) ÷ contracted × the daily price, rounded down.
        </li>
        <li>
          <strong className="font-semibold text-slate-900">Rigs going offline or retiring.</strong> Your allocation
          moves to free capacity of this listing where there is some; otherwise the shortfall is credited as above.
        </li>
        <li>
          <strong className="font-semibold text-slate-900">Auditable.</strong> Every payout stores its inputs (network
          data, delivered hashrate, price) and every figure, so it can be recomputed.
        </li>
      </ul>
    </div>
  );
}

/** The three fees in one line each, where the buyer chooses (the Buy panel); the table above has the detail. */
export function FeeSummary({ listing }: { listing: TermsListing }) {
  return (
    <dl className="mb-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="fee-summary">
      <dt className="text-slate-600">Contract price</dt>
      <dd className="text-right tabular-nums">
        {formatUnitPricePerDay(listing.priceMicroUsdPerUnitDay, listing.unitLabel)}, paid up front
      </dd>
      <dt className="text-slate-600">Maintenance fee</dt>
      <dd className="text-right tabular-nums">
        {formatUnitPricePerDay(listing.maintenanceFeeMicroUsdPerUnitDay, listing.unitLabel)}, from mined {listing.coin}
      </dd>
      <dt className="text-slate-600">Pool fee</dt>
      <dd className="text-right tabular-nums">{formatBps(listing.poolFeeBps)} of mined coins</dd>
      <dd className="col-span-2 text-right">
        <a className="link" href="#fees">
          All fees and contract terms
        </a>
      </dd>
    </dl>
  );
}
