"use client";

// The "Buy" form on a listing page: hashrate and days within the listing's limits (shared with
// the calculator above it), a price computed exactly as the server will (BigInt), the balance
// beside each way to pay, then a review step (what is paid, from where, what remains, a warning
// when the same contract was just bought) before anything is sent. One idempotency key per
// attempt, so a double click, a retry or a second tab cannot buy twice.
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { ErrorSummary, TextField } from "@/components/form-fields";
import { formatCoinAmount, formatHashrate } from "@/components/format";
import { Button } from "@/components/ui";
import { Usd } from "@/components/ui/money";
import { cardCharge, formatInUnit, parseHashrate, priceContract } from "@/lib/contracts/pricing";
import { isWholeCents, usdExact } from "@/lib/shared/usd";
import { useTerms } from "./terms-context";
import type { PurchaseAccount, PurchasePanelListing } from "./types";

export type Method = "CARD" | "BALANCE_USD" | "BALANCE_COIN";
const METHODS: readonly Method[] = ["CARD", "BALANCE_USD", "BALANCE_COIN"];
type Field = "hashrate" | "days" | "paymentMethod";

function newKey(): string {
  return crypto.randomUUID();
}

/** A purchase this customer made on this listing with the same terms within the last hour, if any. */
function sameRecentPurchase(account: PurchaseAccount | null, hs: bigint, days: number, now: number) {
  return account?.recent.find(
    (r) => BigInt(r.hashrateHs) === hs && r.days === days && now - Date.parse(r.createdAt) < 60 * 60_000,
  );
}

function minutesAgo(iso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  return minutes === 0 ? "less than a minute ago" : minutes === 1 ? "a minute ago" : `${minutes} minutes ago`;
}

/**
 * `card`: how this instance takes card payments (lib/payments/config.ts); "off" leaves the card
 * option out, so nobody reserves capacity for a payment that cannot happen.
 */
export function PurchasePanel({
  listing,
  card,
  account = null,
  initialMethod,
}: {
  listing: PurchasePanelListing;
  card: "stripe" | "test" | "off";
  /** The signed-in customer's balances and recent purchases here; null for a visitor. */
  account?: PurchaseAccount | null;
  /** The way to pay chosen before a detour through sign-in (?pay=). */
  initialMethod?: string;
}) {
  const router = useRouter();
  const { hashrate, days, setHashrate, setDays } = useTerms({ hashrate: "", days: String(listing.minDays) });
  const offered = METHODS.filter((m) => m !== "CARD" || card !== "off");
  const [method, setMethod] = useState<Method>(
    offered.find((m) => m === initialMethod) ?? (card === "off" ? "BALANCE_USD" : "CARD"),
  );
  const [errors, setErrors] = useState<{ field?: Field; message: string }[]>([]);
  const [pending, setPending] = useState(false);
  // The review step: shown for the terms it was opened with; any change closes it.
  const termsKey = `${hashrate.trim()}|${days.trim()}|${method}`;
  const [reviewed, setReviewed] = useState<string | null>(null);
  const reviewing = reviewed === termsKey;
  const reviewRef = useRef<HTMLDivElement>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (reviewing) reviewRef.current?.focus();
  }, [reviewing]);
  // A new attempt (changed terms) gets a new key; resubmitting the same terms reuses it.
  const attempt = useRef({ terms: "", key: newKey() });

  const unitHs = BigInt(listing.unitHs);
  const quote = useMemo(() => {
    const hs = parseHashrate(hashrate, unitHs);
    const d = Number(days);
    if (hs === null || hs <= 0n || !Number.isInteger(d) || d < 1) return null;
    const price = priceContract(hs, BigInt(d), BigInt(listing.priceMicroUsdPerUnitDay), unitHs);
    return { ...price, cents: cardCharge(price.totalPriceMicroUsd).cents };
  }, [hashrate, days, unitHs, listing.priceMicroUsdPerUnitDay]);

  const signInHref = () => {
    const query = new URLSearchParams({ hashrate: hashrate.trim(), days: days.trim(), pay: method });
    return `/login?callbackUrl=${encodeURIComponent(`${window.location.pathname}?${query.toString()}#buy`)}`;
  };

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (!reviewing) {
      // The server checks everything again; here only what must be there to show a review.
      if (!quote) {
        setErrors([
          { field: "hashrate", message: `Enter a hashrate in ${listing.unitLabel} and a whole number of days.` },
        ]);
        return;
      }
      setErrors([]);
      setNow(Date.now());
      setReviewed(termsKey);
      return;
    }
    const body = { listingId: listing.listingId, hashrate: hashrate.trim(), days: Number(days), paymentMethod: method };
    const terms = JSON.stringify(body);
    if (attempt.current.terms !== terms) attempt.current = { terms, key: newKey() };
    setPending(true);
    setErrors([]);
    try {
      const response = await fetch("/api/contracts", {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": attempt.current.key },
        body: terms,
      });
      if (response.status === 401) {
        // Back to these same terms after signing in.
        router.push(signInHref());
        return;
      }
      const result = (await response.json()) as
        | { contractId: string; status: string; checkoutUrl: string | null }
        | { error: { code: string; message: string; field?: Field | null } };
      if ("error" in result) {
        // The reservation this key made has closed: the next press is a new purchase.
        if (result.error.code === "RESERVATION_CLOSED") attempt.current = { terms: "", key: "" };
        setErrors([{ field: result.error.field ?? undefined, message: result.error.message }]);
        setReviewed(null);
        return;
      }
      if (result.checkoutUrl) window.location.assign(result.checkoutUrl);
      else router.push(`/dashboard?purchased=${result.contractId}`);
    } catch {
      setErrors([
        {
          message:
            "The purchase could not be sent. Check your connection and try again — you will not be charged twice.",
        },
      ]);
    } finally {
      setPending(false);
    }
  }

  const fieldError = (field: Field) => errors.find((e) => e.field === field)?.message;
  return (
    <form onSubmit={submit} className="space-y-5" noValidate aria-describedby="purchase-terms">
      <ErrorSummary
        items={errors.map((e) => ({ fieldId: e.field ? `purchase-${e.field}` : undefined, message: e.message }))}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          id="purchase-hashrate"
          name="hashrate"
          label={`Hashrate (${listing.unitLabel})`}
          inputMode="decimal"
          autoComplete="off"
          required
          value={hashrate}
          onChange={(e) => setHashrate(e.target.value)}
          error={fieldError("hashrate")}
          hint={`Free now: ${formatInUnit(BigInt(listing.freeHs), unitHs)} ${listing.unitLabel}`}
        />
        <TextField
          id="purchase-days"
          name="days"
          label="Days"
          type="number"
          inputMode="numeric"
          min={listing.minDays}
          max={listing.maxDays}
          step={1}
          required
          value={days}
          onChange={(e) => setDays(e.target.value)}
          error={fieldError("days")}
          hint={`${listing.minDays} to ${listing.maxDays} days`}
        />
      </div>
      <fieldset aria-describedby={fieldError("paymentMethod") ? "purchase-paymentMethod-error" : undefined}>
        <legend className="label">Pay with</legend>
        <div id="purchase-paymentMethod" className="mt-2 grid gap-2 sm:grid-cols-3">
          {(
            [
              ["CARD", "Card", "Stripe Checkout; capacity held 30 minutes"],
              ["BALANCE_USD", "USD balance", "Activates at once"],
              ["BALANCE_COIN", `${listing.coin} balance`, "Reinvest earnings at today's price"],
            ] as const
          )
            .filter(([value]) => offered.includes(value))
            .map(([value, label, hint]) => (
              <label
                key={value}
                className="flex cursor-pointer items-start gap-2 rounded-lg border border-slate-200 p-3 has-[:checked]:border-indigo-600"
              >
                <input
                  type="radio"
                  name="paymentMethod"
                  value={value}
                  checked={method === value}
                  onChange={() => setMethod(value)}
                  className="mt-1"
                />
                <span>
                  <span className="block font-medium">{label}</span>
                  <span className="block text-sm text-slate-600">{hint}</span>
                  {account && value !== "CARD" ? (
                    <span className="block text-sm font-medium text-slate-800" data-testid={`balance-${value}`}>
                      {value === "BALANCE_USD" ? (
                        <>
                          <Usd micro={BigInt(account.usdAvailable)} /> available
                        </>
                      ) : (
                        `${formatCoinAmount(BigInt(account.coinAvailable), account.coinDecimals)} ${listing.coin} available`
                      )}
                      {value === "BALANCE_USD" && quote && BigInt(account.usdAvailable) < quote.totalPriceMicroUsd ? (
                        <span className="block text-xs font-normal text-red-700">Not enough for this contract</span>
                      ) : null}
                    </span>
                  ) : null}
                </span>
              </label>
            ))}
        </div>
        {card === "off" ? (
          <p className="mt-2 text-sm text-slate-600" data-testid="card-unavailable">
            Card payments are not available on this platform right now: pay from your USD or coin balance.
          </p>
        ) : null}
        {fieldError("paymentMethod") ? (
          <p id="purchase-paymentMethod-error" className="field-error">
            {fieldError("paymentMethod")}
          </p>
        ) : null}
      </fieldset>
      <dl className="grid grid-cols-2 gap-2 rounded-lg bg-slate-50 p-4 text-sm" aria-live="polite">
        <dt className="text-slate-600">Price per day</dt>
        <dd className="text-right font-medium">{quote ? <Usd micro={quote.dailyPriceMicroUsd} rate /> : "—"}</dd>
        <dt className="text-slate-600">Contract price</dt>
        <dd className="text-right font-semibold" data-testid="purchase-total">
          {quote ? <Usd micro={quote.totalPriceMicroUsd} /> : "—"}
        </dd>
        {method === "CARD" && quote ? (
          <>
            <dt className="text-slate-600">Charged by card</dt>
            <dd className="text-right">
              <Usd micro={quote.cents * 10_000n} />
            </dd>
          </>
        ) : null}
      </dl>
      <p id="purchase-terms" className="text-sm text-slate-600">
        Payouts start the UTC day after activation and are paid daily in {listing.coin}, net of the pool and maintenance
        fees shown above. Days the rigs are not worth running are curtailed; hashrate the operator fails to deliver is
        credited back in USD.
      </p>
      {reviewing && quote ? (
        <Review
          reviewRef={reviewRef}
          listing={listing}
          account={account}
          method={method}
          quote={quote}
          hashrateHs={parseHashrate(hashrate, unitHs)!}
          days={Number(days)}
          now={now}
        />
      ) : null}
      {reviewing ? (
        <div className="flex flex-col gap-2 sm:flex-row-reverse">
          <Button type="submit" className="w-full sm:flex-1" disabled={pending} aria-busy={pending}>
            {pending ? "Processing…" : method === "CARD" ? "Confirm and continue to payment" : "Confirm purchase"}
          </Button>
          <Button type="button" variant="secondary" className="w-full sm:w-auto" onClick={() => setReviewed(null)}>
            Change
          </Button>
        </div>
      ) : (
        <Button type="submit" className="w-full" disabled={pending}>
          Review purchase
        </Button>
      )}
    </form>
  );
}

function methodLabel(method: Method, coin: string): string {
  if (method === "CARD") return "Card (Stripe Checkout)";
  return method === "BALANCE_USD" ? "Your USD balance" : `Your ${coin} balance, at today's price`;
}

/** What will happen if the customer confirms: the terms, the money and where it comes from. */
function Review({
  reviewRef,
  listing,
  account,
  method,
  quote,
  hashrateHs,
  days,
  now,
}: {
  reviewRef: React.RefObject<HTMLDivElement | null>;
  listing: PurchasePanelListing;
  account: PurchaseAccount | null;
  method: Method;
  quote: { dailyPriceMicroUsd: bigint; totalPriceMicroUsd: bigint; cents: bigint };
  hashrateHs: bigint;
  days: number;
  now: number;
}) {
  const repeat = sameRecentPurchase(account, hashrateHs, days, now);
  const usd = account ? BigInt(account.usdAvailable) : null;
  const pay = method === "CARD" ? quote.cents * 10_000n : quote.totalPriceMicroUsd;
  // A balance is debited to the micro-dollar: say so when the cents shown are not the whole story.
  const inexact =
    method === "BALANCE_USD" && usd !== null && !(isWholeCents(pay) && isWholeCents(usd)) ? usdExact(pay) : null;
  return (
    <div
      ref={reviewRef}
      tabIndex={-1}
      role="group"
      aria-labelledby="purchase-review-title"
      className="space-y-3 rounded-lg border border-slate-300 bg-white p-4 outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
    >
      <h3 id="purchase-review-title" className="font-semibold text-slate-900">
        Review your purchase
      </h3>
      {repeat ? (
        <p role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          You bought this same contract ({formatHashrate(hashrateHs)} for {days} days){" "}
          {minutesAgo(repeat.createdAt, now)}. Confirm only if you want a second one.
        </p>
      ) : null}
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">Contract</dt>
        <dd className="text-right">
          {formatHashrate(hashrateHs)} of {listing.coin} for {days} days
        </dd>
        <dt className="text-slate-600">You pay</dt>
        <dd className="text-right font-semibold" data-testid="review-pay">
          <Usd micro={pay} />
        </dd>
        <dt className="text-slate-600">With</dt>
        <dd className="text-right">{methodLabel(method, listing.coin)}</dd>
        {method === "BALANCE_USD" && usd !== null ? (
          <>
            <dt className="text-slate-600">USD balance after</dt>
            <dd className="text-right" data-testid="review-remaining">
              {usd >= quote.totalPriceMicroUsd ? <Usd micro={usd - quote.totalPriceMicroUsd} /> : "not enough balance"}
            </dd>
          </>
        ) : null}
        {method === "BALANCE_COIN" && account ? (
          <>
            <dt className="text-slate-600">{listing.coin} available now</dt>
            <dd className="text-right">
              {formatCoinAmount(BigInt(account.coinAvailable), account.coinDecimals)} {listing.coin}
            </dd>
          </>
        ) : null}
        <dt className="text-slate-600">Payouts</dt>
        <dd className="text-right">daily in {listing.coin}, from the UTC day after activation</dd>
      </dl>
      {inexact ? (
        <p className="text-xs text-slate-600" data-testid="review-exact">
          Amounts are rounded to the cent; the exact debit is {inexact}.
        </p>
      ) : null}
      <p className="text-xs text-slate-600">
        The price is fixed now and is not refunded if mining earns less than it; see the{" "}
        <a className="link" href="#fees">
          fees and terms
        </a>{" "}
        and the{" "}
        <a className="link" href="/risk" target="_blank">
          risk disclosure
        </a>
        .
      </p>
    </div>
  );
}
