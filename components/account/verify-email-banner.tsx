// Under the header while the signed-in account's address is unproven: what waits for it, and a
// button for a fresh link (rate-limited in lib/auth/register.ts).
import { resendVerificationAction } from "@/app/account/actions";
import { AccountForm } from "./account-form";

export function VerifyEmailBanner({ email }: { email: string }) {
  return (
    <div className="border-b border-amber-200 bg-amber-50">
      <div className="mx-auto flex w-full max-w-6xl flex-col gap-3 px-4 py-3 text-sm text-amber-900 sm:flex-row sm:items-center sm:justify-between sm:px-6 lg:px-8">
        <p>
          <span className="font-semibold">Verify your email address.</span> Open the link we sent to {email} to buy
          hashrate and withdraw.
        </p>
        <AccountForm
          action={resendVerificationAction}
          submitLabel="Send a new link"
          pendingLabel="Sending…"
          variant="secondary"
        />
      </div>
    </div>
  );
}
