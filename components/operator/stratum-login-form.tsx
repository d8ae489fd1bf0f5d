"use client";

// Issues or rotates the rig's Stratum login and shows the secret exactly once, inside the
// miner configuration to paste (cgminer/bmminer/cpuminer conventions: URL, user, password).
import { useActionState } from "react";
import type { StratumLoginExtras } from "@/app/operator/actions";
import { initialFormState, type FormState } from "@/components/forms/form-state";
import { Button } from "@/components/ui";

type State = FormState<StratumLoginExtras>;
type Action = (state: State, formData: FormData) => Promise<State>;

export function StratumLoginForm({
  action,
  url,
  workerName,
}: {
  action: Action;
  url: string;
  workerName: string | null;
}) {
  const [state, formAction, pending] = useActionState(action, initialFormState<StratumLoginExtras>());
  const login = state.status === "done" ? state.login : undefined;
  const worker = login?.workerName ?? workerName;
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold text-slate-900">Miner configuration</h3>
      <dl className="mb-4 grid grid-cols-[8rem_1fr] gap-x-4 gap-y-1 text-sm" aria-label="Miner configuration">
        <dt className="text-slate-600">URL</dt>
        <dd className="font-mono break-all" data-testid="stratum-url">
          {url}
        </dd>
        <dt className="text-slate-600">User (worker)</dt>
        <dd className="font-mono break-all" data-testid="stratum-worker">
          {worker ?? "— issue a login first"}
        </dd>
        <dt className="text-slate-600">Password</dt>
        <dd className="font-mono break-all" data-testid="stratum-password">
          {login ? login.secret : worker ? "shown once when issued; rotate to get a new one" : "—"}
        </dd>
      </dl>
      {login ? (
        <p role="status" className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          {state.message}
        </p>
      ) : null}
      {state.status === "error" ? (
        <p role="alert" className="mb-3 text-sm text-red-800">
          {state.message}
        </p>
      ) : null}
      <form action={formAction}>
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Issuing…" : worker ? "Rotate secret" : "Issue Stratum login"}
        </Button>
      </form>
    </div>
  );
}
