"use client";
// "Verify chain": seals what is waiting, walks the whole chain and says ok, or names the first
// broken line with a link to it.
import Link from "next/link";
import { useActionState } from "react";
import { initialVerifyChainState, type VerifyChainState } from "./verify-chain-state";
import { Button } from "@/components/ui";

export function VerifyChainForm({ action }: { action: (state: VerifyChainState) => Promise<VerifyChainState> }) {
  const [state, formAction, pending] = useActionState(action, initialVerifyChainState);
  return (
    <form action={formAction} className="space-y-3">
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Verifying…" : "Verify chain"}
      </Button>
      {state.status === "ok" ? (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm font-medium text-emerald-800">
          Chain verified: {state.lines} lines, unbroken{state.sealedNow > 0 ? ` (${state.sealedNow} sealed just now)` : ""}.
        </p>
      ) : null}
      {state.status === "broken" ? (
        <p role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm font-medium text-red-800">
          Chain BROKEN at line {state.brokenAtSeq}
          {state.brokenAtId ? (
            <>
              {" "}
              (<Link className="link" href={`/admin/audit?line=${state.brokenAtId}#lines`}>id {state.brokenAtId}</Link>)
            </>
          ) : null}
          : {state.reason}. {state.lines} lines verified before it.
        </p>
      ) : null}
      {state.status === "error" ? (
        <p role="alert" className="field-error">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
