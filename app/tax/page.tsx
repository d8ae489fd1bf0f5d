import type { Metadata } from "next";
import Link from "next/link";
import { formatCoinAmount, formatDay, formatInstantUtc, formatInteger } from "@/components/format";
import { Pager } from "@/components/pager";
import { LockYearForm, ProfileKindForm } from "@/components/tax/profile-forms";
import { YearSummaries } from "@/components/tax/year-summaries";
import {
  Button,
  buttonClass,
  DataTable,
  EmptyState,
  LinkButton,
  PageHeader,
  Section,
  StatCard,
  Usd,
  type Column,
} from "@/components/ui";
import { FIGURE_COLUMN } from "@/components/ui/figure-column";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import {
  lineCoins,
  linePage,
  LINES_PAGE_SIZE,
  lineTotals,
  lotHoldings,
  operatorRentalMonths,
  seParameters,
  TAX_LINE_KINDS,
  TAX_LINE_LABELS,
  taxProfile,
  taxYears,
  yearInputs,
  type ContractCost,
  type LineFilters,
  type RentalMonth,
} from "@/lib/tax/queries";
import { lockYearAction, setProfileKindAction } from "./actions";
import { parseFilters, parseYear, taxHref, type SearchParams } from "./params";

export const metadata: Metadata = { title: "Tax ledger" };
export const dynamic = "force-dynamic";

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

type LineFilterSpec = { name: string; label: string; anyLabel: string; value: string; options: Option[] };
type Option = { value: string; label: string };

/** The lines filters: kind, coin and month, each with its "all" choice. */
function lineFilters(filters: LineFilters, coins: readonly string[]): LineFilterSpec[] {
  const kinds = TAX_LINE_KINDS.map((k) => ({ value: k, label: TAX_LINE_LABELS[k] }));
  const months = MONTHS.map((m, i) => ({ value: String(i + 1), label: m }));
  const coinOptions = coins.map((c) => ({ value: c, label: c }));
  const month = filters.month ? String(filters.month) : "";
  return [
    { name: "kind", label: "Kind", anyLabel: "All kinds", value: filters.kind ?? "", options: kinds },
    { name: "coin", label: "Coin", anyLabel: "All coins", value: filters.coin ?? "", options: coinOptions },
    { name: "month", label: "Month", anyLabel: "Whole year", value: month, options: months },
  ];
}

/** A select of the lines filter (id `filter-${name}`), posting "" for its "all" choice. */
function LineFilter({ name, label, anyLabel, value, options }: LineFilterSpec) {
  return (
    <div>
      <label htmlFor={`filter-${name}`} className="label">
        {label}
      </label>
      <select id={`filter-${name}`} name={name} defaultValue={value} className="input mt-1">
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

type RentalRow = Omit<RentalMonth, "month"> & { key: string; name: string | undefined; total: boolean };

/** The months of rental revenue, then the year's total row (in the body, in bold). */
function rentalRows(months: RentalMonth[], year: number): RentalRow[] {
  if (months.length === 0) return [];
  return [
    ...months.map(({ month, ...m }) => ({ ...m, key: month, name: MONTHS[Number(month.slice(5)) - 1], total: false })),
    {
      key: "total",
      name: String(year),
      total: true,
      contractDays: months.reduce((s, m) => s + m.contractDays, 0),
      rentalMicroUsd: months.reduce((s, m) => s + m.rentalMicroUsd, 0n),
      creditsMicroUsd: months.reduce((s, m) => s + m.creditsMicroUsd, 0n),
      netMicroUsd: months.reduce((s, m) => s + m.netMicroUsd, 0n),
    },
  ];
}

const bold = (r: RentalRow) => ({ className: r.total ? "font-semibold" : undefined });

const RENTAL_COLUMNS: Column<RentalRow>[] = [
  { header: "Month", rowHeader: true, cellProps: bold, cell: (r) => r.name },
  { header: "Contract-days", numeric: true, cellProps: bold, cell: (r) => formatInteger(r.contractDays) },
  { header: "Rental", numeric: true, cellProps: bold, cell: (r) => <Usd micro={r.rentalMicroUsd} /> },
  {
    header: "Under-delivery credits",
    numeric: true,
    cellProps: bold,
    cell: (r) => <Usd micro={-r.creditsMicroUsd} />,
  },
  { header: "Net rental revenue", numeric: true, cellProps: bold, cell: (r) => <Usd micro={r.netMicroUsd} /> },
];

export default async function TaxPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser("/tax");
  const prisma = db();
  const params = await searchParams;
  const years = await taxYears(prisma, user.id);
  const year = parseYear(params.year, years);
  const coins = await lineCoins(prisma, user.id, year);
  const filters = parseFilters(params, coins);
  const isOperator = user.roles.includes("OPERATOR");

  // Every query is scoped to the signed-in user.
  const [profile, inputs, parameters, filteredTotals, holdings, rental] = await Promise.all([
    taxProfile(prisma, user.id, year),
    yearInputs(prisma, user.id, year),
    seParameters(prisma, year),
    lineTotals(prisma, user.id, year, filters),
    lotHoldings(prisma, user.id),
    isOperator ? operatorRentalMonths(prisma, user.id, year) : Promise.resolve([]),
  ]);
  const lineCount = filteredTotals.reduce((sum, k) => sum + k.lines, 0);
  const pageCount = Math.max(1, Math.ceil(lineCount / LINES_PAGE_SIZE));
  const page = Math.min(filters.page, pageCount);
  const lines = lineCount > 0 ? await linePage(prisma, user.id, year, filters, page) : [];
  const yearLines = inputs.kinds.reduce((sum, k) => sum + k.lines, 0);
  const filtered = !!(filters.kind || filters.coin || filters.month);
  const decimalsOf = new Map(holdings.map((h) => [h.coin as string, h.decimals]));
  for (const l of lines) decimalsOf.set(l.coin, l.decimals);
  const coinText = (amount: bigint, coin: string) =>
    `${formatCoinAmount(amount, decimalsOf.get(coin) ?? 8, { maxDecimals: decimalsOf.get(coin) ?? 8 })} ${coin}`;

  return (
    <div className="page max-w-6xl">
      <PageHeader
        title="Tax ledger"
        description={
          <>
            Your mining income, fees, contract costs and coin lots per tax year under US rules. Every figure here is an{" "}
            <strong>estimate, not tax advice</strong>: check it with a tax professional.
          </>
        }
      />

      <nav aria-label="Tax years" className="mb-8 flex flex-wrap gap-2">
        {years.map((y) => (
          <LinkButton
            key={y}
            href={taxHref(y)}
            aria-current={y === year ? "page" : undefined}
            variant={y === year ? "primary" : "secondary"}
          >
            {y}
          </LinkButton>
        ))}
      </nav>

      <Section
        id="profile"
        title={`Profile for ${year}`}
        description={
          profile.lockedAt
            ? undefined
            : "Choose how you report mining: as a hobby or as a business. You can change it until you lock the year."
        }
      >
        <div className="card p-5 sm:p-6" data-testid="tax-profile" data-kind={profile.kind}>
          {profile.lockedAt ? (
            <p className="text-slate-800">
              {year} is reported as <strong>{profile.kind === "BUSINESS" ? "business" : "hobby"}</strong>, locked on{" "}
              {formatInstantUtc(profile.lockedAt)}.
            </p>
          ) : (
            <div className="space-y-6">
              <ProfileKindForm key={year} action={setProfileKindAction} year={year} kind={profile.kind} />
              {!profile.chosen ? <p className="hint">No profile chosen for {year} yet: it counts as hobby.</p> : null}
              <LockYearForm key={`lock-${year}`} action={lockYearAction} year={year} kind={profile.kind} />
            </div>
          )}
        </div>
      </Section>

      <Section
        id="summary"
        title={`${year} summary — ${profile.kind === "BUSINESS" ? "business (Schedule C style)" : "hobby"}`}
        description="Estimates from your payouts (income at each day's price), fees, contracts and coins spent on contracts."
        actions={
          <div className="flex flex-wrap gap-2">
            <a href={`/tax/${year}/lines.csv`} className={buttonClass({ variant: "secondary" })} download>
              Lines CSV
            </a>
            <a href={`/tax/${year}/lots.csv`} className={buttonClass({ variant: "secondary" })} download>
              Lots CSV
            </a>
            <LinkButton href={`/tax/${year}/summary`} variant="secondary">
              Printable summary
            </LinkButton>
          </div>
        }
      >
        {yearLines === 0 && inputs.contracts.length === 0 && inputs.disposals.length === 0 ? (
          <EmptyState
            title={`Nothing to report for ${year} yet.`}
            action={{ href: "/marketplace", label: "Browse hashrate" }}
          >
            Tax lines appear here as your contracts&apos; daily payouts are credited.
          </EmptyState>
        ) : (
          <div className="card p-2 sm:p-4">
            <YearSummaries
              kind={profile.kind}
              totals={inputs.totals}
              projection={inputs.projection}
              toDateEnd={inputs.toDateEnd}
              parameters={parameters}
            />
          </div>
        )}
      </Section>

      <Section
        id="lines"
        title="Lines"
        description="One line per payout for the income and for each fee, valued at the day's price (UTC days)."
      >
        <form method="get" action="/tax" className="card mb-4 grid gap-3 p-4 sm:grid-cols-4 sm:items-end">
          <input type="hidden" name="year" value={year} />
          {lineFilters(filters, coins).map((filter) => (
            <LineFilter key={filter.name} {...filter} />
          ))}
          <div className="flex gap-2">
            <Button type="submit">Apply</Button>
            {filtered ? (
              <LinkButton href={taxHref(year)} variant="ghost">
                Clear
              </LinkButton>
            ) : null}
          </div>
        </form>

        <div className="mb-4" aria-label={filtered ? "Totals of the filtered lines" : `Totals of ${year}`} role="group">
          <dl className="grid gap-3 sm:grid-cols-3">
            {filteredTotals.map((k) => (
              <StatCard
                key={k.kind}
                label={TAX_LINE_LABELS[k.kind]}
                value={<Usd micro={k.valueMicroUsd} srExact data-testid={`total-${k.kind}`} />}
                detail={`${formatInteger(k.lines)} line${k.lines === 1 ? "" : "s"}${k.kind === "MINING_INCOME" ? "" : profile.kind === "HOBBY" ? " · not deductible (hobby)" : " · deductible expense"}`}
              />
            ))}
          </dl>
        </div>

        {lines.length === 0 ? (
          <EmptyState title={filtered ? "No lines match these filters." : `No tax lines in ${year}.`}>
            {filtered
              ? "Try another kind, coin or month."
              : "Each credited payout writes its income and fee lines here."}
          </EmptyState>
        ) : (
          <>
            <DataTable
              label="Tax lines"
              caption={
                <>
                  Tax lines of {year}, newest first, page {page} of {pageCount}
                </>
              }
              rows={lines}
              rowKey={(l) => l.id}
              rowProps={(l) => ({ "data-testid": "tax-line", "data-kind": l.kind })}
              columns={[
                { header: "Day (UTC)", className: "whitespace-nowrap", cell: (l) => l.day },
                {
                  header: "Kind",
                  cell: (l) => (
                    <>
                      {TAX_LINE_LABELS[l.kind]}
                      {l.kind !== "MINING_INCOME" && profile.kind === "HOBBY" ? (
                        <span className="block text-xs text-slate-600">not deductible</span>
                      ) : null}
                    </>
                  ),
                },
                { header: "Amount", ...FIGURE_COLUMN, cell: (l) => coinText(l.amountBase, l.coin) },
                { header: "Price", ...FIGURE_COLUMN, cell: (l) => <Usd micro={l.priceMicroUsd} rate /> },
                { header: "Value", ...FIGURE_COLUMN, cell: (l) => <Usd micro={l.valueMicroUsd} /> },
                {
                  header: "Payout",
                  cell: (l) => (
                    <Link href={`/dashboard/payouts/${l.payoutId}`} className="link">
                      #{l.payoutId}
                    </Link>
                  ),
                },
              ]}
            />
            <Pager page={page} pageCount={pageCount} href={(p) => taxHref(year, { ...filters, page: p })} />
          </>
        )}
      </Section>

      <Section
        id="contracts"
        title="Contract costs"
        description={`Each contract's price spread evenly over the days of its term; the days falling in this year are a business expense (not deductible for a hobby).${inputs.projection ? " The year to date counts the days that have ended; the projection counts all of them." : ""}`}
      >
        <DataTable
          label="Contract costs"
          caption={<>Contract price amortised over {year}</>}
          rows={inputs.contracts}
          empty={<EmptyState title={`No contract ran in ${year}.`} />}
          rowKey={(c) => c.contractId}
          columns={[
            {
              header: "Contract",
              rowHeader: true,
              cell: (c) => (
                <>
                  {c.title} <span className="font-normal text-slate-600">({c.coin})</span>
                </>
              ),
            },
            {
              header: "Term",
              className: "whitespace-nowrap",
              cell: (c) => (
                <>
                  {formatDay(c.startDay)}, {formatInteger(c.days)} days
                </>
              ),
            },
            { header: "Price", numeric: true, cell: (c) => <Usd micro={c.totalPriceMicroUsd} /> },
            ...(inputs.projection
              ? [
                  {
                    header: "Days ended",
                    key: "days-ended",
                    numeric: true,
                    cell: (c: ContractCost) => formatInteger(c.daysToDate),
                  },
                  {
                    header: "Amortised to date",
                    key: "amortised-to-date",
                    numeric: true,
                    cell: (c: ContractCost) => <Usd micro={c.amortisedToDateMicroUsd} />,
                  },
                ]
              : []),
            {
              header: inputs.projection ? <>All days in {year}</> : <>Days in {year}</>,
              key: "days-in",
              numeric: true,
              cell: (c) => formatInteger(c.daysInYear),
            },
            {
              header: inputs.projection ? <>Amortised in full year {year}</> : <>Amortised in {year}</>,
              key: "amortised-in",
              numeric: true,
              cell: (c) => <Usd micro={c.amortisedInYearMicroUsd} />,
            },
          ]}
        />
        {inputs.totals.underDeliveryCreditsMicroUsd > 0n ? (
          <p className="hint">
            Under-delivery credits for days of {year} (<Usd micro={inputs.totals.underDeliveryCreditsMicroUsd} />)
            refund part of these prices and reduce the contract cost.
          </p>
        ) : null}
      </Section>

      <Section
        id="disposals"
        title={`Coins disposed of in ${year}`}
        description="Paying for a contract from a coin balance sells those coins at the contract's price: a capital gain or loss (proceeds less the cost basis of the lots spent, first in, first out), separate from mining income. Long-term when spent more than one year after the lot's day."
      >
        <DataTable
          label="Coins disposed of"
          caption={<>Coins spent on contracts in {year}, per contract and holding term, oldest first</>}
          rows={inputs.disposals}
          empty={
            <EmptyState title={`No coins disposed of in ${year}.`}>
              Contracts you pay from a coin balance appear here with their gain or loss; paying in USD or by card
              disposes of no coins.
            </EmptyState>
          }
          rowKey={(d) => `${d.contractId}:${d.term}`}
          rowProps={(d) => ({ "data-testid": "tax-disposal", "data-term": d.term })}
          columns={[
            {
              header: "Contract",
              rowHeader: true,
              cell: (d) => (
                <>
                  {d.title}
                  <span className="block text-xs font-normal text-slate-600">contract {d.contractId.slice(0, 8)}</span>
                </>
              ),
            },
            { header: "Disposed (UTC)", className: "whitespace-nowrap", cell: (d) => formatInstantUtc(d.disposedAt) },
            {
              header: "Acquired",
              className: "whitespace-nowrap",
              cell: (d) => (
                <>
                  {d.firstAcquiredOn === null
                    ? "no lot"
                    : d.firstAcquiredOn === d.lastAcquiredOn
                      ? d.firstAcquiredOn
                      : `${d.firstAcquiredOn} – ${d.lastAcquiredOn}`}
                  {d.uncoveredBase > 0n && d.firstAcquiredOn !== null ? (
                    <span className="block text-xs text-slate-600">partly no lot</span>
                  ) : null}
                </>
              ),
            },
            { header: "Term", cell: (d) => (d.term === "LONG" ? "Long-term" : "Short-term") },
            {
              header: "Amount",
              ...FIGURE_COLUMN,
              cell: (d) => (
                <>
                  {formatCoinAmount(d.amountBase, d.decimals, { maxDecimals: d.decimals })} {d.coin}
                </>
              ),
            },
            { header: "Proceeds", ...FIGURE_COLUMN, cell: (d) => <Usd micro={d.proceedsMicroUsd} /> },
            { header: "Cost basis", ...FIGURE_COLUMN, cell: (d) => <Usd micro={d.basisMicroUsd} /> },
            {
              header: "Gain or loss",
              ...FIGURE_COLUMN,
              cell: (d) => <Usd micro={d.proceedsMicroUsd - d.basisMicroUsd} />,
            },
          ]}
        />
        {inputs.disposals.some((d) => d.uncoveredBase > 0n) ? (
          <p className="hint">
            Coins with no lot here (not received as payouts) count with a cost basis of $0 and as short-term: the gain
            shown is the most it can be.
          </p>
        ) : null}
      </Section>

      <Section
        id="lots"
        title="Coin lots on the platform"
        description="Each payout's net coins are a lot whose cost basis is their income value. Withdrawals to your own wallets are transfers, not disposals: lots leave first in, first out, with their basis, when a withdrawal is sent. Paying for a contract in coin takes lots the same way, as a disposal."
      >
        <DataTable
          label="Coin lots"
          caption="Open coin lots per coin, now"
          rows={holdings}
          empty={<EmptyState title="No coin lots held here." />}
          rowKey={(h) => h.coin}
          columns={[
            { header: "Coin", rowHeader: true, cell: (h) => h.coin },
            { header: "Open lots", numeric: true, cell: (h) => formatInteger(h.lots) },
            { header: "Amount", numeric: true, cell: (h) => coinText(h.remainingBase, h.coin) },
            { header: "Cost basis", numeric: true, cell: (h) => <Usd micro={h.remainingBasisMicroUsd} /> },
          ]}
        />
      </Section>

      {isOperator ? (
        <Section
          id="rental"
          title={`Rental revenue ${year} (operator)`}
          description="Business income in USD: each contract-day settled on your listings at the contract's daily price, less the under-delivery credits paid back for it."
        >
          <DataTable
            label="Rental revenue per month"
            caption={<>Rental revenue per month of {year}</>}
            rows={rentalRows(rental, year)}
            empty={<EmptyState title={`No rental revenue in ${year}.`} />}
            rowKey={(r) => r.key}
            columns={RENTAL_COLUMNS}
          />
          <p className="hint">
            The platform&apos;s fee on contract sales is kept from your payable at purchase; see Operator › Performance.
          </p>
        </Section>
      ) : null}
    </div>
  );
}
