"use server";

// Verify the audit chain end to end (as `npm run audit:verify`), as formAction
// (app/_lib/form-action.ts): admin only, the verification and its outcome are themselves an
// audit line.
import { z } from "zod";
import { doneState, formAction, revalidate } from "@/app/_lib/form-action";
import type { VerifyChainState } from "@/components/admin/verify-chain-state";
import { verifyChainAsAdmin } from "@/lib/admin/audit-log";
import { CHAIN_PROBLEM_LABELS } from "@/lib/audit/audit";
import { db } from "@/lib/db/client";

export const verifyChainAction = formAction({
  role: "ADMIN",
  path: "/admin/audit",
  schema: z.object({}),
  run: ({ user, ip }) => verifyChainAsAdmin(db(), { adminId: user.id, ip }),
  done: ({ result, sealed }): VerifyChainState => {
    revalidate("/admin/audit", "/admin");
    const lines = result.lines.toString();
    return doneState(undefined, {
      chain: result.ok
        ? {
            intact: true,
            lines,
            sealedNow: sealed,
            checkpoints: result.checkpoints,
            sinceCheckpoint: result.sinceCheckpoint,
          }
        : {
            intact: false,
            problem: CHAIN_PROBLEM_LABELS[result.problem],
            lines,
            brokenAtSeq: result.brokenAtSeq.toString(),
            brokenAtId: result.brokenAtId === null ? null : result.brokenAtId.toString(),
            reason: result.reason,
          },
    });
  },
});
