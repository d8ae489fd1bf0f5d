// The printable yearly summary of the signed-in user's profile (hobby or business): the same
// figures as /tax, laid out for paper (print CSS hides the site chrome and the buttons).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { formatInstantUtc } from "@/components/format";
import { PrintButton } from "@/components/tax/print-button";
import { YearSummaries } from "@/components/tax/year-summaries";
import { DataTable, LinkButton, Usd } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { FIRST_TAX_YEAR, operatorRentalMonths, seParameters, taxProfile, yearInputs } from "@/lib/tax/queries";
import "./print.css";

export const metadata: Metadata = { title: "Tax summary" };
export const dynamic = "force-dynamic";

export default async function TaxSummaryPage({ params }: { params: Promise<{ year: string }> }) {
  const { year: yearText } = await params;
  const user = await requireUser(`/tax/${yearText}/summary`);
  const now = new Date();
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
  if (!(year >= FIRST_TAX_YEAR && year <= now.getUTCFullYear())) notFound();
  const prisma = db();
  const [profile, inputs, parameters, rental] = await Promise.all([
    taxProfile(prisma, user.id, year),
    yearInputs(prisma, user.id, year, now),
    seParameters(prisma, year),
    user.roles.includes("OPERATOR") ? operatorRentalMonths(prisma, user.id, year) : Promise.resolve([]),
  ]);

  return (
    <div className="page print-sheet max-w-3xl" data-print-page>
      <div className="no-print mb-6 flex flex-wrap gap-3">
        <LinkButton href={`/tax?year=${year}`} variant="secondary">
          Back to the tax ledger
        </LinkButton>
        <PrintButton />
      </div>
      <header className="mb-6 border-b border-slate-200 pb-4">
        <h1 className="text-2xl font-semibold text-slate-900">
          Tax summary {year} — {profile.kind === "BUSINESS" ? "business (Schedule C style)" : "hobby"}
        </h1>
        <p className="mt-1 text-sm text-slate-700">
          {user.name} ({user.email}) · prepared {formatInstantUtc(now)} by Hashlease
          {profile.lockedAt ? ` · profile locked ${formatInstantUtc(profile.lockedAt)}` : " · profile not locked"}
        </p>
        <p className="mt-2 text-sm font-medium text-slate-900">
          Estimate under US rules, not tax advice. Days and prices are UTC.
        </p>
      </header>
      <YearSummaries
        kind={profile.kind}
        totals={inputs.totals}
        projection={inputs.projection}
        toDateEnd={inputs.toDateEnd}
        parameters={parameters}
        headingLevel={2}
      />
      {rental.length > 0 ? (
        <section className="mt-8">
          <h2 className="mb-2 text-lg font-semibold text-slate-900">Operator rental revenue {year}</h2>
          <DataTable
            label={`Operator rental revenue ${year}`}
            rows={rental}
            rowKey={(m) => m.month}
            columns={[
              { header: "Month", rowHeader: true, cell: (m) => m.month },
              { header: "Rental", numeric: true, cell: (m) => <Usd micro={m.rentalMicroUsd} /> },
              { header: "Credits", numeric: true, cell: (m) => <Usd micro={-m.creditsMicroUsd} /> },
              { header: "Net", numeric: true, cell: (m) => <Usd micro={m.netMicroUsd} /> },
            ]}
          />
        </section>
      ) : null}
      <p className="mt-8 text-xs text-slate-600">
        Mining income is valued at each UTC day&apos;s price when received (IRS Notice 2014-21); each payout&apos;s net
        coins are a lot with that value as cost basis. Withdrawals to your own wallets are transfers, not disposals.
        Contract prices are spread evenly over their days.
      </p>
    </div>
  );
}
