import type { Metadata } from "next";
import { firstParam, type SearchParams } from "@/app/_lib/search-params";
import { Notice } from "@/components/form-fields";
import { LoginForm } from "@/components/login-form";
import { homeForRoles } from "@/components/role-home";
import { LinkButton } from "@/components/ui";
import { getViewer } from "../_lib/viewer";
import { safeCallbackUrl } from "./callback-url";

export const metadata: Metadata = { title: "Log in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(firstParam(params.callbackUrl));
  const registered = firstParam(params.registered) === "1";
  const reset = firstParam(params.reset) === "1";
  const email = (firstParam(params.email) ?? "").slice(0, 254);
  const viewer = await getViewer();

  return (
    <div className="page flex justify-center">
      <div className="w-full max-w-md">
        <h1 className="text-2xl font-semibold tracking-tight">Log in to Hashlease</h1>
        <p className="mt-2 text-slate-600">Rent hashrate, follow your payouts, manage withdrawals.</p>
        <div className="card mt-6 p-6 sm:p-8">
          {viewer ? (
            <div className="space-y-4">
              <p>
                You are signed in as <span className="font-medium">{viewer.email}</span>.
              </p>
              <LinkButton href={callbackUrl ?? homeForRoles(viewer.roles)}>Continue</LinkButton>
            </div>
          ) : (
            <>
              {registered ? (
                <Notice>
                  Check your inbox: we sent a link to verify your address. Sign in meanwhile to look around; buying and
                  withdrawing start once the address is verified.
                </Notice>
              ) : null}
              {reset ? (
                <Notice>Password changed and every session signed out. Sign in with the new password.</Notice>
              ) : null}
              {callbackUrl && !registered && !reset ? (
                <p className="mb-5 text-sm text-slate-600">Sign in to continue to that page.</p>
              ) : null}
              <LoginForm callbackUrl={callbackUrl} initialEmail={email} />
            </>
          )}
        </div>
      </div>
    </div>
  );
}
