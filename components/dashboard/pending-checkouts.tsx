// Card checkouts the customer started and has not paid, apart from the running contracts: what
// is held, until when, and the two things to do about it (pay, or give it up).
import { formatHashrate, formatInstantUtc } from "@/components/format";
import { ActionButton } from "@/components/forms/action-button";
import type { FormState } from "@/components/forms/form-state";
import { Usd } from "@/components/ui";
import type { ContractProgress } from "@/lib/dashboard/queries";

type Action = (state: FormState, formData: FormData) => Promise<FormState>;

function minutesLeft(until: Date, now: Date): string {
  const minutes = Math.ceil((until.getTime() - now.getTime()) / 60_000);
  return minutes <= 0 ? "expiring now" : minutes === 1 ? "1 minute left" : `${minutes} minutes left`;
}

export function PendingCheckoutList({
  checkouts,
  resume,
  cancel,
  now = new Date(),
}: {
  checkouts: ContractProgress[];
  resume: Action;
  cancel: Action;
  now?: Date;
}) {
  return (
    <ul className="grid gap-4 md:grid-cols-2" aria-label="Checkouts waiting for payment">
      {checkouts.map((c) => (
        <li key={c.id} className="card flex flex-col gap-3 border-amber-300 p-4" data-testid="checkout-card">
          <div>
            <p className="font-medium text-slate-900">{c.listingTitle}</p>
            <p className="text-xs text-slate-600">
              {formatHashrate(c.hashrateHs)} of {c.coin} for {c.days} days · contract {c.id.slice(0, 8)}
            </p>
          </div>
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">To pay by card</dt>
            <dd className="text-right tabular-nums">
              <Usd micro={c.chargedCents !== null ? c.chargedCents * 10_000n : c.totalPriceMicroUsd} />
            </dd>
            <dt className="text-slate-600">Capacity held until</dt>
            <dd className="text-right tabular-nums">
              {c.reservedUntil ? (
                <>
                  {formatInstantUtc(c.reservedUntil)}
                  <span className="block text-xs text-slate-600">{minutesLeft(c.reservedUntil, now)}</span>
                </>
              ) : (
                "—"
              )}
            </dd>
          </dl>
          <p className="text-xs text-slate-600">
            Not charged yet. Unpaid, the hold is released when it expires and nothing is charged.
          </p>
          <div className="flex flex-wrap gap-3">
            <ActionButton
              action={resume}
              hidden={{ contractId: c.id }}
              variant="primary"
              pendingLabel="Opening…"
              label={`Resume payment for contract ${c.id.slice(0, 8)}`}
            >
              Resume payment
            </ActionButton>
            <ActionButton
              action={cancel}
              hidden={{ contractId: c.id }}
              pendingLabel="Cancelling…"
              label={`Cancel checkout for contract ${c.id.slice(0, 8)}`}
            >
              Cancel checkout
            </ActionButton>
          </div>
        </li>
      ))}
    </ul>
  );
}
