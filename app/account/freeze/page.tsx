// The "this wasn't me" link of a new-address notice: says what the click does and acts on the
// POST button only (opening the link, or a mail scanner prefetching it, changes nothing). No
// sign-in: the person may not be able to sign in any more.
import type { Metadata } from "next";
import type { SearchParams } from "@/app/_lib/search-params";
import { AccountForm } from "@/components/account/account-form";
import { NarrowPage } from "@/components/account/narrow-page";
import { db } from "@/lib/db/client";
import { alreadyFrozenMessage, FREEZE_LINK_INVALID, freezeLinkState } from "@/lib/wallet/withdrawal-freeze";
import { freezeWithdrawalsAction } from "../actions";
import { linkToken } from "../link-token";

export const metadata: Metadata = { title: "Freeze withdrawals" };
export const dynamic = "force-dynamic";

export default async function FreezeWithdrawalsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const token = await linkToken(searchParams);
  const link = token ? await freezeLinkState(db(), token) : null;
  return (
    <NarrowPage title="Freeze withdrawals" intro="For a withdrawal address you did not add.">
      {link?.state === "ready" ? (
        <>
          <dl className="space-y-1 text-sm">
            <div>
              <dt className="inline font-semibold">Coin: </dt>
              <dd className="inline">{link.coin}</dd>
            </div>
            <div>
              <dt className="inline font-semibold">Label: </dt>
              <dd className="inline">{link.label}</dd>
            </div>
            <div>
              <dt className="inline font-semibold">Address: </dt>
              <dd className="inline font-mono break-all">{link.address}</dd>
            </div>
          </dl>
          <p className="text-sm text-slate-700">Freezing withdrawals at once:</p>
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
            <li>removes this address from your address book,</li>
            <li>cancels every withdrawal not sent yet and returns its funds to your available balance,</li>
            <li>signs out every session of your account,</li>
            <li>refuses new withdrawals until an admin has looked at your account and lifted the freeze.</li>
          </ul>
          <p className="text-sm text-slate-700">
            You can still sign in. Change your password afterwards, and contact support if you need help.
          </p>
          <AccountForm
            action={freezeWithdrawalsAction}
            hidden={{ token }}
            submitLabel="Freeze withdrawals"
            pendingLabel="Freezing…"
            doneReplacesForm
          />
        </>
      ) : link?.state === "frozen" ? (
        <p role="status">{alreadyFrozenMessage(link.since)}</p>
      ) : token ? (
        <p>{FREEZE_LINK_INVALID}</p>
      ) : (
        <p>Open the link from the new withdrawal address email.</p>
      )}
    </NarrowPage>
  );
}
