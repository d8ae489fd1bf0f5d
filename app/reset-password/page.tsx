import type { Metadata } from "next";
import Link from "next/link";
import type { SearchParams } from "@/app/_lib/search-params";
import { resetPasswordAction } from "@/app/account/actions";
import { linkToken } from "@/app/account/link-token";
import { AccountForm } from "@/components/account/account-form";
import { NarrowPage } from "@/components/account/narrow-page";
import { resetLinkAccount } from "@/lib/auth/password-reset";
import { db } from "@/lib/db/client";

export const metadata: Metadata = { title: "Choose a new password" };
export const dynamic = "force-dynamic";

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const token = await linkToken(searchParams);
  const account = token ? await resetLinkAccount(db(), token) : null;
  return (
    <NarrowPage title="Choose a new password">
      {account ? (
        <>
          <p>
            For <span className="font-medium">{account.email}</span>. Every session is signed out; two-factor
            authentication, if on, still asks for your code at the next sign-in.
          </p>
          <AccountForm
            action={resetPasswordAction}
            hidden={{ token }}
            fields={[
              {
                name: "password",
                label: "New password",
                type: "password",
                autoComplete: "new-password",
                hint: "At least 12 characters. A few unrelated words make a strong one.",
              },
            ]}
            submitLabel="Set new password"
            pendingLabel="Saving…"
          />
        </>
      ) : (
        <p role="alert">
          This reset link is no longer valid: it was used already, it expired, or a newer one was sent.{" "}
          <Link className="link" href="/forgot-password">
            Ask for a new link
          </Link>
          .
        </p>
      )}
    </NarrowPage>
  );
}
