"use server";

// Run the ledger reconciliation now (the scheduled job also runs it hourly), as formAction
// (app/_lib/form-action.ts): admin only; the run and its audit line name the admin.
import { z } from "zod";
import { doneState, formAction, revalidate } from "@/app/_lib/form-action";
import type { RowActionState } from "@/components/wallet/withdrawal-types";
import { db } from "@/lib/db/client";
import { reconcileLedgerAsAdmin } from "@/lib/ledger/reconciliation";

export const reconcileNowAction = formAction({
  role: "ADMIN",
  path: "/admin/ledger",
  schema: z.object({}),
  run: ({ user, ip }) => reconcileLedgerAsAdmin(db(), { adminId: user.id, ip }),
  done: ({ run }): RowActionState => {
    revalidate("/admin/ledger", "/admin");
    return run.mismatchCount === 0
      ? doneState(`Reconciled: ${run.accountsChecked} accounts, every cached balance equals the sum of its postings.`)
      : {
          status: "error",
          message: `${run.mismatchCount} account(s) do not match their postings; see the list below.`,
          fieldErrors: {},
          values: {},
        };
  },
});
