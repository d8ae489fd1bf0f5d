"use client";

// The pools a facility's rigs mine for through the Stratum proxy (upstream mode): one per coin,
// saved with the pool's address, account and password (write-only: never shown again), and a
// remove button per pool. Without a pool the facility's rigs mine in pool mode.
import { useActionState } from "react";
import { TextField } from "../form-fields";
import { Button } from "../ui";
import { FormFeedback, SelectField } from "./fields";
import { fieldReaders, initialFormState, type OperatorFormState } from "./form-state";

type Action = (state: OperatorFormState, formData: FormData) => Promise<OperatorFormState>;

export interface UpstreamRow {
  coin: string;
  url: string;
  username: string;
  updated: string;
}

const FIELDS = [
  { name: "coin", label: "Coin" },
  { name: "url", label: "Pool address" },
  { name: "username", label: "Pool account" },
  { name: "password", label: "Pool password" },
];

function RemoveUpstream({ action, coin }: { action: Action; coin: string }) {
  const [state, formAction, pending] = useActionState(action, initialFormState);
  return (
    <form action={formAction}>
      <input type="hidden" name="coin" value={coin} />
      <Button type="submit" variant="secondary" disabled={pending} aria-label={`Remove the ${coin} upstream`}>
        {pending ? "Removing…" : "Remove"}
      </Button>
      {state.status === "error" ? (
        <p role="alert" className="mt-1 text-sm text-red-800">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}

export function UpstreamForm({
  save,
  remove,
  upstreams,
  coins,
}: {
  save: Action;
  remove: Action;
  upstreams: UpstreamRow[];
  coins: string[];
}) {
  const [state, formAction, pending] = useActionState(save, initialFormState);
  // Prefilled with the first saved pool, so changing it needs no retyping (the password stays empty: kept).
  const saved = upstreams[0];
  const initial = { coin: saved?.coin ?? coins[0] ?? "", url: saved?.url ?? "", username: saved?.username ?? "" };
  const { field } = fieldReaders(state, { ...initial, password: "" }, "upstream-");
  return (
    <div className="card p-6 sm:p-8">
      {upstreams.length > 0 ? (
        <ul className="mb-6 divide-y divide-slate-200" aria-label="Upstream pools">
          {upstreams.map((u) => (
            <li key={u.coin} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm">
              <span>
                <span className="font-semibold">{u.coin}</span> → <span className="font-mono break-all">{u.url}</span>{" "}
                as <span className="font-mono break-all">{u.username}</span>
                <span className="block text-slate-600">Saved {u.updated}</span>
              </span>
              <RemoveUpstream action={remove} coin={u.coin} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="mb-6 text-sm text-slate-700">
          No upstream pool: this facility&apos;s rigs mine in pool mode (measured by the proxy, not sent to a pool).
        </p>
      )}
      <form action={formAction} noValidate>
        <FormFeedback state={state} fields={FIELDS} prefix="upstream-" />
        <div className="grid gap-5 sm:grid-cols-2">
          <SelectField {...field("coin")} label="Coin" options={coins.map((c) => ({ value: c, label: c }))} />
          <TextField
            {...field("url")}
            label="Pool address"
            hint="stratum+tcp://host:port"
            required
            autoComplete="off"
            spellCheck={false}
          />
          <TextField {...field("username")} label="Pool account" hint="Often account.worker." required />
          <TextField
            {...field("password")}
            defaultValue=""
            type="password"
            label="Pool password"
            hint="Stored encrypted, never shown again. Leave empty to keep the saved one; many pools take x."
            autoComplete="new-password"
          />
        </div>
        <div className="mt-6">
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save upstream"}
          </Button>
        </div>
      </form>
    </div>
  );
}
