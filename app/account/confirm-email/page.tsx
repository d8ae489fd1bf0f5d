import type { Metadata } from "next";
import type { SearchParams } from "@/app/_lib/search-params";
import { AccountForm } from "@/components/account/account-form";
import { NarrowPage } from "@/components/account/narrow-page";
import { confirmEmailChangeAction } from "../actions";
import { linkToken } from "../link-token";

export const metadata: Metadata = { title: "Confirm your new email" };

export default async function ConfirmEmailPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const token = await linkToken(searchParams);
  return (
    <NarrowPage title="Confirm your new email" intro="Your account moves to this address; the old one gets a notice.">
      {token ? (
        <AccountForm
          action={confirmEmailChangeAction}
          hidden={{ token }}
          submitLabel="Use this email"
          pendingLabel="Confirming…"
          doneReplacesForm
        />
      ) : (
        <p>Open the link from the confirmation email sent to your new address.</p>
      )}
    </NarrowPage>
  );
}
