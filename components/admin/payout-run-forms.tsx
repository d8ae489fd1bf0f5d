"use client";

import Link from "next/link";
import { useActionState } from "react";
import { TwoFactorNote, useTwoFactorGate } from "@/components/auth/two-factor-gate";
import { Button } from "@/components/ui";
import { ErrorSummary, TextField } from "../form-fields";
import { initialAdminFormState, type AdminFormState } from "./form-state";
import { OutcomeLines } from "./outcome-lines";

type Action = (state: AdminFormState, formData: FormData) => Promise<AdminFormState>;

function Outcome({ state, id }: { state: AdminFormState; id: string }) {
  if (state.status !== "done") return null;
  return (
    <div
      role="status"
      aria-labelledby={`${id}-title`}
      className="mt-4 rounded-md border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950"
    >
      <p id={`${id}-title`} className="font-semibold">
        {state.message}
      </p>
      <OutcomeLines lines={state.lines} />
      {state.links?.length ? (
        <p className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
          {state.links.map((link) => (
            <Link key={link.href} href={link.href} className="link">
              {link.label}
            </Link>
          ))}
        </p>
      ) : null}
    </div>
  );
}

/** Re-run one day, and settle every unsettled day up to yesterday. */
export function PayoutRunForms({ rerun, catchUp, yesterday }: { rerun: Action; catchUp: Action; yesterday: string }) {
  const [rerunState, rerunAction, rerunPending] = useActionState(rerun, initialAdminFormState);
  const [catchUpState, catchUpAction, catchUpPending] = useActionState(catchUp, initialAdminFormState);
  const gate = useTwoFactorGate();
  const dayError = rerunState.status === "error" ? (rerunState.fieldErrors.day ?? rerunState.message) : undefined;
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <form action={rerunAction} noValidate className="card p-6">
        <h3 className="text-base font-semibold text-slate-900">Re-run a day</h3>
        <p className="mt-1 text-sm text-slate-600">
          Settles the contracts of a past UTC day that have no payout yet. A contract-day is paid once: re-running a
          settled day pays nothing twice.
        </p>
        {dayError ? (
          <ErrorSummary title="The day cannot be settled" items={[{ fieldId: "rerun-day", message: dayError }]} />
        ) : null}
        <TextField
          id="rerun-day"
          name="day"
          label="Day (UTC)"
          hint="YYYY-MM-DD; yesterday at the latest."
          required
          autoComplete="off"
          defaultValue={rerunState.status === "error" ? String(rerunState.values.day ?? yesterday) : yesterday}
          error={dayError}
          className="mt-4"
        />
        <Button
          type="submit"
          className="mt-4"
          disabled={rerunPending || gate.blocked}
          aria-describedby={gate.describedBy}
        >
          {rerunPending ? "Settling…" : "Re-run day"}
        </Button>
        <TwoFactorNote />
        <Outcome state={rerunState} id="rerun-outcome" />
      </form>

      <form action={catchUpAction} className="card p-6">
        <h3 className="text-base font-semibold text-slate-900">Settle all unsettled days</h3>
        <p className="mt-1 text-sm text-slate-600">
          Runs every day up to yesterday ({yesterday}) that may still have unpaid contract-days, oldest first, one run
          per day; stops at the first failing day.
        </p>
        {catchUpState.status === "error" && catchUpState.message ? (
          <ErrorSummary title="Not every day was settled" items={[{ message: catchUpState.message }]} />
        ) : null}
        <Button
          type="submit"
          variant="secondary"
          className="mt-4"
          disabled={catchUpPending || gate.blocked}
          aria-describedby={gate.describedBy}
        >
          {catchUpPending ? "Settling…" : "Settle all unsettled days up to yesterday"}
        </Button>
        <TwoFactorNote />
        <Outcome state={catchUpState} id="catch-up-outcome" />
        {catchUpState.status === "error" && catchUpState.lines?.length ? (
          <Outcome
            state={{ ...catchUpState, status: "done", message: "Settled before the failure:" }}
            id="catch-up-partial"
          />
        ) : null}
      </form>
    </div>
  );
}
