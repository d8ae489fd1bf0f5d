// A tax year's summary on /tax and the printable page. A year that is over has one summary. A
// running year has two, each labelled: the year to date (what was settled, against the contract
// cost of the days that have ended) and the projection of the whole year (lib/tax/projection.ts),
// so income to date is never set against the cost of days that have not happened.
import type { TaxProfileKind } from "@/lib/generated/prisma/enums";
import { DAY_MS } from "@/lib/shared/days";
import type { SeParameters } from "@/lib/tax/se-tax";
import { yearSummary, type YearTotals } from "@/lib/tax/summary";
import { formatDay } from "../format";
import { SummaryView } from "./summary-view";

export function YearSummaries({
  kind,
  totals,
  projection,
  toDateEnd,
  parameters,
  headingLevel = 3,
}: {
  kind: TaxProfileKind;
  totals: YearTotals;
  projection: YearTotals | null;
  toDateEnd: Date;
  parameters: SeParameters | null;
  /** 3 under a section's h2 (/tax), 2 under the page's h1 (the printable summary). */
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const toDate = yearSummary(kind, totals, parameters);
  if (!projection) return <SummaryView summary={toDate} />;
  const year = totals.year;
  const lastEnded = new Date(toDateEnd.getTime() - DAY_MS);
  const someDayEnded = lastEnded.getUTCFullYear() === year;
  return (
    <div className="space-y-8">
      <section aria-labelledby="summary-ytd-heading" data-testid="summary-ytd">
        <Heading id="summary-ytd-heading" className="text-base font-semibold text-slate-900">
          Year to date{someDayEnded ? `: 1 January – ${formatDay(lastEnded)} (UTC)` : ""}
        </Heading>
        <p className="hint mb-3">
          {someDayEnded
            ? `The payouts settled so far and the contract cost of the days that have ended, up to ${formatDay(lastEnded)}; today and the rest of ${year} are not counted.`
            : `No day of ${year} has ended yet.`}
        </p>
        <SummaryView summary={toDate} period="year to date" />
      </section>
      <section aria-labelledby="summary-projection-heading" data-testid="summary-projection">
        <Heading id="summary-projection-heading" className="text-base font-semibold text-slate-900">
          Projection for the full year {year} (estimate)
        </Heading>
        <p className="hint mb-3">
          Not a result: the year to date plus, for each contract, its remaining days in {year} at its own income, fees
          and credits per settled day so far (a contract with no settled day yet projects no income), and the contract
          cost of all its days in {year}. Coins disposed of are those so far.
        </p>
        <SummaryView
          summary={yearSummary(kind, projection, parameters)}
          period="projected full year"
          idPrefix="projection-"
        />
      </section>
    </div>
  );
}
