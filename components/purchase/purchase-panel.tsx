"use client";

// The "Buy" form on a listing page: hashrate and days within the listing's limits, a price
// computed exactly as the server will (BigInt), and one idempotency key per attempt so a
// double click, a retry or a second tab cannot buy twice.
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState } from "react";
import { ErrorSummary, TextField } from "@/components/form-fields";
import { formatMicroUsd } from "@/components/format";
import { Button } from "@/components/ui";
import { cardCharge, formatInUnit, parseHashrate, priceContract } from "@/lib/contracts/pricing";
import type { PurchasePanelListing } from "./types";

type Method = "CARD" | "BALANCE_USD" | "BALANCE_COIN";
type Field = "hashrate" | "days" | "paymentMethod";

function newKey(): string {
  return crypto.randomUUID();
}

/**
 * `card`: how this instance takes card payments (lib/payments/config.ts); "off" leaves the card
 * option out, so nobody reserves capacity for a payment that cannot happen.
 */
export function PurchasePanel({ listing, card }: { listing: PurchasePanelListing; card: "stripe" | "test" | "off" }) {
  const router = useRouter();
  const [hashrate, setHashrate] = useState("");
  const [days, setDays] = useState(String(listing.minDays));
  const [method, setMethod] = useState<Method>(card === "off" ? "BALANCE_USD" : "CARD");
  const [errors, setErrors] = useState<{ field?: Field; message: string }[]>([]);
  const [pending, setPending] = useState(false);
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

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
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
        router.push(`/login?callbackUrl=${encodeURIComponent(window.location.pathname)}`);
        return;
      }
      const result = (await response.json()) as
        | { contractId: string; status: string; checkoutUrl: string | null }
        | { error: { code: string; message: string; field?: Field | null } };
      if ("error" in result) {
        // The reservation this key made has closed: the next press is a new purchase.
        if (result.error.code === "RESERVATION_CLOSED") attempt.current = { terms: "", key: "" };
        setErrors([{ field: result.error.field ?? undefined, message: result.error.message }]);
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
            .filter(([value]) => value !== "CARD" || card !== "off")
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
        <dd className="text-right font-medium">{quote ? formatMicroUsd(quote.dailyPriceMicroUsd) : "—"}</dd>
        <dt className="text-slate-600">Contract price</dt>
        <dd className="text-right font-semibold" data-testid="purchase-total">
          {quote ? formatMicroUsd(quote.totalPriceMicroUsd) : "—"}
        </dd>
        {method === "CARD" && quote ? (
          <>
            <dt className="text-slate-600">Charged by card</dt>
            <dd className="text-right">{formatMicroUsd(quote.cents * 10_000n)}</dd>
          </>
        ) : null}
      </dl>
      <p id="purchase-terms" className="text-sm text-slate-600">
        Payouts start the UTC day after activation and are paid daily in {listing.coin}, net of the pool and maintenance
        fees shown above. Days the rigs are not worth running are curtailed; hashrate the operator fails to deliver is
        credited back in USD.
      </p>
      <Button type="submit" className="w-full" disabled={pending} aria-busy={pending}>
        {pending ? "Processing…" : method === "CARD" ? "Continue to payment" : "Buy contract"}
      </Button>
    </form>
  );
}
