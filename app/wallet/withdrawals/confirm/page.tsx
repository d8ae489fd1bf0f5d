// The emailed link of a withdrawal (lib/wallet/withdrawal-confirmation.ts): shows what the click
// confirms, read without using the link (mail scanners prefetch links, so GET changes nothing),
// and a POST button that confirms. No sign-in needed: the link is the proof.
import type { Metadata } from "next";
import Link from "next/link";
import type { SearchParams } from "@/app/_lib/search-params";
import { linkToken } from "@/app/account/link-token";
import { AccountForm } from "@/components/account/account-form";
import { NarrowPage } from "@/components/account/narrow-page";
import { db } from "@/lib/db/client";
import { withdrawalToConfirm } from "@/lib/wallet/withdrawal-confirmation";
import { confirmWithdrawalAction } from "../../actions";

export const metadata: Metadata = { title: "Confirm your withdrawal" };
export const dynamic = "force-dynamic";

export default async function ConfirmWithdrawalPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const token = await linkToken(searchParams);
  const found = token ? await withdrawalToConfirm(db(), token) : null;
  return (
    <NarrowPage title="Confirm your withdrawal" intro="Nothing is sent until you confirm it here.">
      {!found ? (
        <p>Open the link from the confirmation email we sent when you requested the withdrawal.</p>
      ) : !found.ok ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
          {found.message}
        </p>
      ) : (
        <>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm" aria-label="The withdrawal to confirm">
            <dt className="text-slate-600">Amount</dt>
            <dd className="font-medium" data-testid="confirm-amount">
              {found.withdrawal.amount} {found.withdrawal.coin}
            </dd>
            <dt className="text-slate-600">Network fee</dt>
            <dd data-testid="confirm-fee">
              {found.withdrawal.fee} {found.withdrawal.coin}
            </dd>
            <dt className="text-slate-600">Arrives</dt>
            <dd>
              {found.withdrawal.net} {found.withdrawal.coin}
            </dd>
            <dt className="text-slate-600">To address</dt>
            <dd>
              <code className="text-xs break-all" data-testid="confirm-address">
                {found.withdrawal.address}
              </code>
            </dd>
          </dl>
          <p className="text-sm text-slate-600">
            {found.withdrawal.reviewRequired
              ? "After you confirm, our team reviews it before it is sent."
              : "After you confirm, it is approved and sent shortly."}{" "}
            If you did not request it, do not confirm: change your password and contact support.
          </p>
          <AccountForm
            action={confirmWithdrawalAction}
            hidden={{ token }}
            submitLabel="Confirm withdrawal"
            pendingLabel="Confirming…"
            doneReplacesForm
          />
        </>
      )}
      <p className="text-sm text-slate-600">
        <Link className="link" href="/wallet">
          Go to your wallet
        </Link>
      </p>
    </NarrowPage>
  );
}
