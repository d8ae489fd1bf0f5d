// /support — how to reach a person: the support address (SUPPORT_EMAIL), what to put in the
// message so it can be answered at once, and what support will never ask for.
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui";
import { supportEmail } from "@/lib/legal/documents";

export const metadata: Metadata = { title: "Support" };
// SUPPORT_EMAIL is read at request time, so one build serves any deployment.
export const dynamic = "force-dynamic";

export default function SupportPage() {
  const email = supportEmail();
  return (
    <div className="page max-w-3xl">
      <PageHeader
        title="Contact support"
        description="A person answers every message, usually within one working day; withdrawals held for review first."
      />
      <div className="card space-y-4 p-6">
        <p>
          Write to{" "}
          <a className="link font-medium" href={`mailto:${email}`}>
            {email}
          </a>{" "}
          from the address your account uses.
        </p>
        <div>
          <h2 className="font-medium text-slate-900">Put in your message</h2>
          <ul className="mt-2 list-inside list-disc space-y-1 text-slate-700">
            <li>the page you were on and what you expected to happen;</li>
            <li>the contract, payout or withdrawal id it is about (each page shows it);</li>
            <li>for a refused page (403), the address in your browser&apos;s address bar.</li>
          </ul>
        </div>
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          Support never asks for your password, a two-factor code, your recovery codes or an API secret. Anyone who does
          is not us: do not answer, and report it to {email}.
        </p>
      </div>
      <p className="mt-6 text-sm text-slate-600">
        Many questions are answered on{" "}
        <Link className="link" href="/help">
          how Hashlease works
        </Link>
        .
      </p>
    </div>
  );
}
