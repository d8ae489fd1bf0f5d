// /help — how payouts, curtailment, credits and withdrawals work, in words (lib/legal/documents.ts FAQ).
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui";
import { FAQ } from "@/lib/legal/documents";

export const metadata: Metadata = { title: "Help" };

export default function HelpPage() {
  return (
    <div className="page max-w-3xl">
      <PageHeader
        title="How Hashlease works"
        description="Answers to what customers ask first. Every payout page shows its own figures and recomputes them."
      />
      <div className="space-y-3">
        {FAQ.map((entry) => (
          <details key={entry.question} className="card group p-4">
            <summary className="cursor-pointer font-medium text-slate-900">{entry.question}</summary>
            {entry.answer.map((p) => (
              <p key={p.slice(0, 40)} className="mt-3 leading-relaxed text-slate-700">
                {p}
              </p>
            ))}
          </details>
        ))}
      </div>
      <p className="mt-8 text-sm text-slate-600">
        Not answered here?{" "}
        <Link className="link" href="/support">
          Contact support
        </Link>
        . Read the{" "}
        <Link className="link" href="/terms">
          terms of service
        </Link>{" "}
        and the{" "}
        <Link className="link" href="/risk">
          risk disclosure
        </Link>
        .
      </p>
    </div>
  );
}
