import type { Metadata } from "next";
import Link from "next/link";
import { forgotPasswordAction } from "@/app/account/actions";
import { AccountForm } from "@/components/account/account-form";
import { NarrowPage } from "@/components/account/narrow-page";

export const metadata: Metadata = { title: "Forgot your password" };

export default function ForgotPasswordPage() {
  return (
    <NarrowPage
      title="Forgot your password?"
      intro="Enter your account's email. We send a link to choose a new password."
    >
      <AccountForm
        action={forgotPasswordAction}
        fields={[{ name: "email", label: "Email", type: "email", autoComplete: "email" }]}
        submitLabel="Send reset link"
        pendingLabel="Sending…"
      />
      <p className="text-sm text-slate-600">
        Remembered it?{" "}
        <Link className="link" href="/login">
          Sign in
        </Link>
      </p>
    </NarrowPage>
  );
}
