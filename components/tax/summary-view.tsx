// The year's summary per profile (hobby or business), shared by /tax and the printable page.
// Server-safe; every figure is exact micro-USD shown to the cent with the exact figure on hover
// (lib/shared/usd.ts); the CSV exports carry the exact figures. Where the rounded lines of a sum
// do not add up to its rounded total, the summary says why.
import { centsAddUp, usdCents } from "@/lib/shared/usd";
import type { CapitalGains, YearSummary } from "@/lib/tax/summary";
import { Usd } from "../ui/money";

function RoundingNote({ show }: { show: boolean }) {
  return show ? (
    <p className="text-xs text-slate-600" data-testid="summary-rounding-note">
      Each figure is its exact value rounded to the cent (half to even), so the lines above can differ from their total
      by a cent; hover a figure for its exact value, or download the CSV.
    </p>
  ) : null;
}

function Row({
  label,
  value,
  strong,
  testId,
  note,
}: {
  label: string;
  value: bigint;
  strong?: boolean;
  testId?: string;
  note?: string;
}) {
  return (
    <tr>
      <th scope="row" className={strong ? "font-semibold" : "font-normal"}>
        {label}
        {note ? <span className="block text-xs font-normal text-slate-600">{note}</span> : null}
      </th>
      <td className={`num ${strong ? "font-semibold" : ""}`} data-testid={testId}>
        <Usd micro={value} />
      </td>
    </tr>
  );
}

/** Capital gains of coins disposed of (contracts paid in coin), for either profile. */
function CapitalGainsTable({ year, gains, idPrefix }: { year: number; gains: CapitalGains; idPrefix: string }) {
  const none = gains.shortTerm.parts === 0 && gains.longTerm.parts === 0;
  return (
    <table className="data-table" data-testid={`${idPrefix}summary-capital-gains`}>
      <caption className="px-4 pb-2 text-left text-sm font-medium text-slate-800">
        Capital gains (Form 8949 / Schedule D) — coins spent on contracts; not mining income, no self-employment tax
      </caption>
      <tbody>
        {none ? (
          <tr>
            <td colSpan={2} className="text-sm text-slate-700">
              No coins disposed of in {year}: contracts paid from a coin balance would appear here.
            </td>
          </tr>
        ) : (
          <>
            <Row
              label="Short-term gain or loss (held one year or less)"
              note={`proceeds ${usdCents(gains.shortTerm.proceedsMicroUsd)}, cost basis ${usdCents(gains.shortTerm.basisMicroUsd)}`}
              value={gains.shortTerm.gainMicroUsd}
              testId={`${idPrefix}summary-short-term-gain`}
            />
            <Row
              label="Long-term gain or loss (held more than one year)"
              note={`proceeds ${usdCents(gains.longTerm.proceedsMicroUsd)}, cost basis ${usdCents(gains.longTerm.basisMicroUsd)}`}
              value={gains.longTerm.gainMicroUsd}
              testId={`${idPrefix}summary-long-term-gain`}
            />
            <Row
              label={gains.netGainMicroUsd < 0n ? "Net capital loss" : "Net capital gain"}
              value={gains.netGainMicroUsd}
              strong
              testId={`${idPrefix}summary-net-capital-gain`}
            />
          </>
        )}
      </tbody>
    </table>
  );
}

/**
 * `period` names what the figures cover in the tables' captions ("year to date", "projected
 * full year"); `idPrefix` keeps the test ids of a second summary on the same page apart.
 */
export function SummaryView({
  summary,
  period,
  idPrefix = "",
}: {
  summary: YearSummary;
  period?: string;
  idPrefix?: string;
}) {
  const of = period ? `, ${period}` : "";
  if (summary.kind === "HOBBY") {
    return (
      <div className="space-y-4" data-testid={`${idPrefix}tax-summary`} data-kind="HOBBY">
        <table className="data-table">
          <caption className="sr-only">
            Hobby summary for {summary.year}
            {of}
          </caption>
          <tbody>
            <Row
              label="Other income: digital assets received as ordinary income"
              note="Form 1040 Schedule 1: the payouts credited to your balance, each at its value when received"
              value={summary.otherIncomeMicroUsd}
              strong
              testId={`${idPrefix}summary-other-income`}
            />
          </tbody>
        </table>
        <table className="data-table">
          <caption className="px-4 pb-2 text-left text-sm font-medium text-slate-800">
            For information — mined, and the fees paid out of it (never received, so not income)
          </caption>
          <tbody>
            <Row
              label="Gross coins mined, at each day's price"
              value={summary.grossMinedMicroUsd}
              testId={`${idPrefix}summary-gross-mined`}
            />
            {summary.feesWithheld.map((e) => (
              <Row key={e.category} label={`Less ${e.label.toLowerCase()}`} note={e.detail} value={e.microUsd} />
            ))}
            <Row label="Net value credited to your balance (the other income)" value={summary.netCreditedMicroUsd} />
          </tbody>
        </table>
        <RoundingNote
          show={
            !centsAddUp(summary.netCreditedMicroUsd, [
              summary.grossMinedMicroUsd,
              ...summary.feesWithheld.map((e) => -e.microUsd),
            ])
          }
        />
        <table className="data-table">
          <caption className="px-4 pb-2 text-left text-sm font-medium text-slate-800">
            Listed for the record — not deductible for a hobby
          </caption>
          <tbody>
            {summary.notDeductible.map((e) => (
              <Row key={e.category} label={`${e.label} (not deductible)`} note={e.detail} value={e.microUsd} />
            ))}
          </tbody>
        </table>
        <CapitalGainsTable year={summary.year} gains={summary.capitalGains} idPrefix={idPrefix} />
      </div>
    );
  }
  const se = summary.seTax;
  return (
    <div className="space-y-4" data-testid={`${idPrefix}tax-summary`} data-kind="BUSINESS">
      <table className="data-table">
        <caption className="sr-only">
          Business summary for {summary.year}, Schedule C style{of}
        </caption>
        <tbody>
          <Row
            label="Gross receipts (mining income)"
            value={summary.grossReceiptsMicroUsd}
            strong
            testId={`${idPrefix}summary-gross-receipts`}
          />
          {summary.expenses.map((e) => (
            <Row key={e.category} label={e.label} note={e.detail} value={e.microUsd} />
          ))}
          <Row label="Total expenses" value={summary.totalExpensesMicroUsd} />
          <Row
            label={summary.netProfitMicroUsd < 0n ? "Net loss" : "Net profit"}
            value={summary.netProfitMicroUsd}
            strong
            testId={`${idPrefix}summary-net-profit`}
          />
        </tbody>
      </table>
      <RoundingNote
        show={
          !centsAddUp(
            summary.totalExpensesMicroUsd,
            summary.expenses.map((e) => e.microUsd),
          ) || !centsAddUp(summary.netProfitMicroUsd, [summary.grossReceiptsMicroUsd, -summary.totalExpensesMicroUsd])
        }
      />
      {se ? (
        <table className="data-table">
          <caption className="px-4 pb-2 text-left text-sm font-medium text-slate-800">
            Self-employment tax estimate (Schedule SE)
          </caption>
          <tbody>
            <Row label="Net earnings from self-employment (92.35 % of net profit)" value={se.netEarningsMicroUsd} />
            {se.belowMinimum ? (
              <tr>
                <td colSpan={2} className="text-sm text-slate-700">
                  Net earnings are below {usdCents(summary.seParameters!.seMinimumMicroUsd)}: no self-employment tax is
                  due.
                </td>
              </tr>
            ) : (
              <>
                <Row
                  label="Social Security part (12.4 %)"
                  note={`on ${usdCents(se.socialSecurityBaseMicroUsd)}, up to the ${summary.year} wage base of ${usdCents(summary.seParameters!.socialSecurityWageBaseMicroUsd)}`}
                  value={se.socialSecurityTaxMicroUsd}
                />
                <Row label="Medicare part (2.9 %)" value={se.medicareTaxMicroUsd} />
              </>
            )}
            <Row label="Self-employment tax" value={se.totalMicroUsd} strong testId={`${idPrefix}summary-se-tax`} />
            <Row
              label="Deductible half (Schedule 1)"
              value={se.deductibleHalfMicroUsd}
              testId={`${idPrefix}summary-se-deduction`}
            />
          </tbody>
        </table>
      ) : (
        <p className="text-sm text-slate-700">
          No self-employment tax parameters are on file for {summary.year} yet, so no estimate is shown.
        </p>
      )}
      <CapitalGainsTable year={summary.year} gains={summary.capitalGains} idPrefix={idPrefix} />
      <p className="text-xs text-slate-600">
        Each Schedule SE figure is rounded half up to the cent. Assumes no wages or other self-employment income in{" "}
        {summary.year} (they would use up part of the wage base) and leaves out the Additional Medicare Tax.
      </p>
    </div>
  );
}
