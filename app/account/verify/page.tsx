import type { Metadata } from "next";
import Link from "next/link";
import type { SearchParams } from "@/app/_lib/search-params";
import { AccountForm } from "@/components/account/account-form";
import { NarrowPage } from "@/components/account/narrow-page";
import { verifyEmailAction } from "../actions";
import { linkToken } from "../link-token";

export const metadata: Metadata = { title: "Verify your email" };

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const token = await linkToken(searchParams);
  return (
    <NarrowPage title="Verify your email" intro="One click proves the address is yours.">
      {token ? (
        <AccountForm
          action={verifyEmailAction}
          hidden={{ token }}
          submitLabel="Verify my email"
          pendingLabel="Verifying…"
          doneReplacesForm
        />
      ) : (
        <p>Open the link from your verification email. No email? Sign in and ask for a new one.</p>
      )}
      <p className="text-sm text-slate-600">
        <Link className="link" href="/dashboard">
          Go to your dashboard
        </Link>
      </p>
    </NarrowPage>
  );
}
