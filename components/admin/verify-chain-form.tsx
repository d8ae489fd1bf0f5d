"use client";

// "Verify chain": seals what is waiting, checks the signed checkpoints, walks the whole chain
// and says ok, or names what broke it (rewritten, truncated, checkpoint missing or forged) and
// the first broken line with a link to it.
import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui";
import { initialVerifyChainState, type VerifyChainState } from "./verify-chain-state";

export function VerifyChainForm({
  action,
}: {
  action: (state: VerifyChainState, formData: FormData) => Promise<VerifyChainState>;
}) {
  const [state, formAction, pending] = useActionState(action, initialVerifyChainState);
  const chain = state.status === "done" ? state.chain : undefined;
  return (
    <form action={formAction} className="space-y-3">
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Verifying…" : "Verify chain"}
      </Button>
      {chain?.intact === true ? (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm font-medium text-emerald-800">
          Chain verified: {chain.lines} lines, unbroken
          {chain.sealedNow > 0 ? ` (${chain.sealedNow} sealed just now)` : ""}; {chain.checkpoints} signed{" "}
          {chain.checkpoints === 1 ? "checkpoint agrees" : "checkpoints agree"}, {chain.sinceCheckpoint} lines since the
          last one.
        </p>
      ) : null}
      {chain?.intact === false ? (
        <p role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm font-medium text-red-800">
          Chain BROKEN ({chain.problem}) at line {chain.brokenAtSeq}
          {chain.brokenAtId ? (
            <>
              {" "}
              (
              <Link className="link" href={`/admin/audit?line=${chain.brokenAtId}#lines`}>
                id {chain.brokenAtId}
              </Link>
              )
            </>
          ) : null}
          : {chain.reason}. {chain.lines} lines verified before it.
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
