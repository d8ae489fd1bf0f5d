"use client";

// The withdrawal form: coin, an address from the book, the amount with the network fee and
// the net shown before confirming, and the TOTP code that confirms. Every attempt carries an
// idempotency key kept in localStorage per terms (coin, address, amount) for ten minutes, so
// a double click, a retry after a network error, or the same withdrawal submitted from a
// second tab is one withdrawal. After this tab has seen a withdrawal go through, the same
// terms again are a new attempt with a new key.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState, useTransition } from "react";
import { ErrorSummary, TextField } from "@/components/form-fields";
import { formatCoinAmount } from "@/components/format";
import { Button } from "@/components/ui";
import { coinText, parseCoinAmount } from "@/lib/wallet/amounts";
import type {
  WithdrawalFormAddress,
  WithdrawalFormCoin,
  WithdrawalRequestAnswer,
  WithdrawalRequestInput,
} from "./withdrawal-types";

type Field = "coin" | "addressId" | "amount" | "totpCode";

const ATTEMPT_STORAGE = "hashlease.withdrawal-attempt";
const ATTEMPT_TTL_MS = 10 * 60 * 1000;

interface StoredAttempt {
  terms: string;
  key: string;
  at: number;
}

function readAttempt(): StoredAttempt | null {
  try {
    const raw = window.localStorage.getItem(ATTEMPT_STORAGE);
    return raw ? (JSON.parse(raw) as StoredAttempt) : null;
  } catch {
    return null;
  }
}

/** The key for these terms: the stored one if recent and not already used up in this tab. */
function attemptKey(terms: string, usedHere: Set<string>): string {
  const stored = readAttempt();
  if (stored && stored.terms === terms && Date.now() - stored.at < ATTEMPT_TTL_MS && !usedHere.has(stored.key))
    return stored.key;
  const fresh: StoredAttempt = { terms, key: crypto.randomUUID(), at: Date.now() };
  try {
    window.localStorage.setItem(ATTEMPT_STORAGE, JSON.stringify(fresh));
  } catch {
    // Storage unavailable (private mode): the key still covers retries from this tab.
  }
  return fresh.key;
}

export function WithdrawalForm({
  coins,
  addresses,
  totpEnabled,
  action,
}: {
  coins: WithdrawalFormCoin[];
  addresses: WithdrawalFormAddress[];
  totpEnabled: boolean;
  action: (input: WithdrawalRequestInput) => Promise<WithdrawalRequestAnswer>;
}) {
  const router = useRouter();
  const initialCoin = coins.find((c) => BigInt(c.availableBase) > 0n)?.asset ?? coins[0]?.asset ?? "";
  const [coin, setCoin] = useState(initialCoin);
  const [addressId, setAddressId] = useState("");
  const [amount, setAmount] = useState("");
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<{ field?: Field; message: string }[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const usedHere = useRef(new Set<string>());
  const inFlight = useRef(false);

  const terms = coins.find((c) => c.asset === coin);
  const coinAddresses = addresses.filter((a) => a.coin === coin);
  const usable = coinAddresses.filter((a) => a.usable);
  const chosen = usable.find((a) => a.id === addressId) ?? usable[0];

  const quote = useMemo(() => {
    if (!terms || amount.trim() === "") return null;
    const parsed = parseCoinAmount(amount, terms.decimals);
    if (!parsed.ok) return { ok: false as const, error: parsed.message };
    const fee = BigInt(terms.feeBase);
    return {
      ok: true as const,
      amountBase: parsed.value,
      netBase: parsed.value - fee,
      review: parsed.value >= BigInt(terms.reviewThresholdBase),
    };
  }, [amount, terms]);

  if (!terms) return <p className="text-sm text-slate-600">No coin can be withdrawn right now.</p>;
  const decimals = terms.decimals;
  const show = (base: bigint | string) =>
    `${formatCoinAmount(BigInt(base), decimals, { maxDecimals: decimals })} ${coin}`;
  const maxBase =
    BigInt(terms.availableBase) < BigInt(terms.limitLeftBase)
      ? BigInt(terms.availableBase)
      : BigInt(terms.limitLeftBase);

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current || !chosen) return;
    const body = { coin, addressId: chosen.id, amount: amount.trim() };
    const key = attemptKey(JSON.stringify(body), usedHere.current);
    inFlight.current = true;
    setErrors([]);
    setDone(null);
    startTransition(async () => {
      try {
        const answer = await action({ ...body, totpCode: code, idempotencyKey: key });
        if (answer.status === "done") {
          usedHere.current.add(key);
          setDone(answer.message ?? "");
          setAmount("");
          setCode("");
          router.refresh();
        } else {
          const field = Object.keys(answer.fieldErrors)[0] as Field | undefined;
          setErrors([{ field, message: answer.message ?? "" }]);
          if (field === "totpCode") setCode("");
        }
      } catch {
        setErrors([
          {
            message:
              "The withdrawal could not be sent. Check your connection and submit again — it will not be made twice.",
          },
        ]);
      } finally {
        inFlight.current = false;
      }
    });
  }

  const fieldError = (field: Field) => errors.find((e) => e.field === field)?.message;
  return (
    <form onSubmit={submit} className="space-y-5" noValidate>
      <ErrorSummary
        items={errors.map((e) => ({ fieldId: e.field ? `withdraw-${e.field}` : undefined, message: e.message }))}
      />
      {done ? (
        <div
          role="status"
          className="rounded-md border border-emerald-300 bg-emerald-50 p-4 text-sm font-medium text-emerald-900"
        >
          {done}
        </div>
      ) : null}
      {!totpEnabled ? (
        <p className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
          Withdrawals need two-factor authentication.{" "}
          <Link href="/settings/security" className="font-medium underline underline-offset-2">
            Turn it on in security settings
          </Link>
          .
        </p>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="withdraw-coin" className="label">
            Coin
          </label>
          <select
            id="withdraw-coin"
            name="coin"
            className="input mt-1.5"
            value={coin}
            onChange={(e) => {
              setCoin(e.target.value);
              setAddressId("");
              setAmount("");
            }}
          >
            {coins.map((c) => (
              <option key={c.asset} value={c.asset}>
                {c.asset} — {c.name} (available{" "}
                {formatCoinAmount(BigInt(c.availableBase), c.decimals, { maxDecimals: c.decimals })})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="withdraw-addressId" className="label">
            To address
          </label>
          {usable.length > 0 ? (
            <select
              id="withdraw-addressId"
              name="addressId"
              className="input mt-1.5"
              value={chosen?.id ?? ""}
              onChange={(e) => setAddressId(e.target.value)}
              aria-invalid={fieldError("addressId") ? true : undefined}
              aria-describedby="withdraw-addressId-hint"
            >
              {coinAddresses.map((a) => (
                <option key={a.id} value={a.id} disabled={!a.usable}>
                  {a.label} — {a.address.length > 24 ? `${a.address.slice(0, 12)}…${a.address.slice(-8)}` : a.address}
                  {a.usable ? "" : ` (usable from ${a.usableFrom})`}
                </option>
              ))}
            </select>
          ) : (
            <p
              id="withdraw-addressId"
              className="mt-1.5 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700"
            >
              {coinAddresses.length > 0
                ? `Your ${coin} addresses are still in their 48-hour lock (first usable ${coinAddresses[0]!.usableFrom}).`
                : `No ${coin} address in your book yet.`}
            </p>
          )}
          <p id="withdraw-addressId-hint" className="hint mt-1">
            <Link href="/wallet/addresses" className="underline underline-offset-2">
              Manage your address book
            </Link>{" "}
            — new addresses are usable 48 hours after adding.
          </p>
          {fieldError("addressId") ? <p className="field-error">{fieldError("addressId")}</p> : null}
        </div>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <TextField
            id="withdraw-amount"
            name="amount"
            label={`Amount (${coin})`}
            inputMode="decimal"
            autoComplete="off"
            required
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            error={fieldError("amount") ?? (quote && !quote.ok ? quote.error : undefined)}
            hint={`Available ${show(terms.availableBase)} · minimum ${show(terms.minimumBase)} · ${show(terms.limitLeftBase)} left in your 24-hour limit`}
          />
          {maxBase >= BigInt(terms.minimumBase) ? (
            <Button
              type="button"
              variant="ghost"
              className="mt-1 px-2 py-1 text-sm"
              onClick={() => setAmount(coinText(maxBase, decimals))}
            >
              Use the most allowed ({show(maxBase)})
            </Button>
          ) : null}
        </div>
        <TextField
          id="withdraw-totpCode"
          name="totpCode"
          label="Authenticator code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={9}
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={fieldError("totpCode")}
          hint="The 6-digit code from your authenticator app confirms the withdrawal."
        />
      </div>
      <dl
        className="grid grid-cols-2 gap-2 rounded-lg bg-slate-50 p-4 text-sm"
        aria-live="polite"
        aria-label="Withdrawal summary"
      >
        <dt className="text-slate-600">Taken from your balance</dt>
        <dd className="text-right font-medium" data-testid="withdraw-amount-total">
          {quote?.ok ? show(quote.amountBase) : "—"}
        </dd>
        <dt className="text-slate-600">Network fee (paid from the amount)</dt>
        <dd className="text-right" data-testid="withdraw-fee">
          {show(terms.feeBase)}
        </dd>
        <dt className="font-medium text-slate-800">Arrives at the address</dt>
        <dd className="text-right font-semibold" data-testid="withdraw-net">
          {quote?.ok ? (quote.netBase > 0n ? show(quote.netBase) : "less than the fee") : "—"}
        </dd>
      </dl>
      {quote?.ok && quote.review ? (
        <p className="text-sm text-slate-700">
          Withdrawals of {show(terms.reviewThresholdBase)} or more are checked by our team before they are sent; you can
          cancel until then.
        </p>
      ) : null}
      <Button
        type="submit"
        className="w-full sm:w-auto"
        disabled={pending || !chosen || !totpEnabled}
        aria-busy={pending}
      >
        {pending ? "Requesting…" : "Withdraw"}
      </Button>
    </form>
  );
}
