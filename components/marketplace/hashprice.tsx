// Hashprice on the marketplace and a listing page: what one pricing unit of hashrate earned per
// UTC day (lib/marketplace/hashprice.ts), as a chart and as a table of every day — the figure a
// listing's price per unit per day is judged against. Every USD figure here is a rate (per unit
// per day, or a coin's price): four significant digits (lib/shared/usd.ts). Server components: no client JavaScript
// beyond the chart's focusable points.
import Link from "next/link";
import { yFraction } from "@/components/dashboard/day-chart";
import { formatCoinMicroBase, formatDay, formatUnitPricePerDay } from "@/components/format";
import { Chart, type ChartPoint } from "@/components/ui/chart";
import { DataTable } from "@/components/ui/data-table";
import { Usd } from "@/components/ui/money";
import { averageGrossMicroUsd, type CoinHashprice } from "@/lib/marketplace/hashprice";
import { usdRate } from "@/lib/shared/usd";

const perUnit = (microUsd: bigint, unitLabel: string) => formatUnitPricePerDay(microUsd, unitLabel);

/** A coin's hashprice per day as a chart; `priceMicroUsdPerUnitDay` draws a listing's price beside it. */
export function HashpriceChart({
  history,
  priceMicroUsdPerUnitDay,
}: {
  history: CoinHashprice;
  priceMicroUsdPerUnitDay?: bigint;
}) {
  const { coin, days, unitLabel } = history;
  let max = priceMicroUsdPerUnitDay ?? 1n;
  for (const d of days) if (d.grossMicroUsd > max) max = d.grossMicroUsd;
  if (max <= 0n) max = 1n;
  const n = Math.max(days.length, 1);
  const x = (i: number) => (i + 0.5) / n;
  const points: ChartPoint[] = days.map((d, i) => ({
    x: x(i),
    title: formatDay(d.day),
    values: { gross: yFraction(d.grossMicroUsd, max), net: yFraction(d.afterPoolFeeMicroUsd, max) },
    texts: {
      gross: `${usdRate(d.grossMicroUsd)} (${formatCoinMicroBase(d.grossMicroBase, history.decimals)} ${coin})`,
      net: usdRate(d.afterPoolFeeMicroUsd),
    },
  }));
  // No days stored yet: no ticks (index 0 would name a day that is not there).
  const xTicks = [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])].filter(
    (i) => i >= 0 && i < days.length,
  );
  const latest = days.at(-1);
  const average = averageGrossMicroUsd(days, 30);
  const summary = latest
    ? `${coin} hashprice on ${formatDay(latest.day)}: ${perUnit(latest.grossMicroUsd, unitLabel)} (${formatCoinMicroBase(latest.grossMicroBase, history.decimals)} ${coin})` +
      `${average !== null ? `; ${perUnit(average, unitLabel)} on average over the last ${Math.min(30, days.length)} days` : ""}` +
      `${priceMicroUsdPerUnitDay !== undefined ? `; this listing costs ${perUnit(priceMicroUsdPerUnitDay, unitLabel)}` : ""}.`
    : `No ${coin} network data is stored for these days yet.`;
  return (
    <Chart
      id={`hashprice-chart-${coin.toLowerCase()}`}
      title={`${coin} hashprice: what 1 ${unitLabel} earned per day`}
      series={[
        { key: "gross", label: "Hashprice (subsidy + fees)", kind: "line", tone: "brand" },
        { key: "net", label: "After the pool fee", kind: "line", tone: "emerald", dashed: true },
      ]}
      points={points}
      yTicks={[0n, max / 2n, max].map((v) => ({ y: yFraction(v, max), text: usdRate(v), zero: v === 0n }))}
      xTicks={xTicks.map((i) => ({ x: x(i), text: formatDay(days[i]!.day) }))}
      yUnit={`USD per ${unitLabel} per day`}
      xUnit="UTC day"
      references={
        priceMicroUsdPerUnitDay === undefined
          ? []
          : [
              {
                y: yFraction(priceMicroUsdPerUnitDay, max),
                label: `listing price ${usdRate(priceMicroUsdPerUnitDay)}`,
              },
            ]
      }
      empty={days.length === 0 ? `No ${coin} hashprice yet: no network data is stored for these days.` : undefined}
      summary={summary}
    />
  );
}

/** Every day of a coin's hashprice, newest first, in a box that scrolls. */
export function HashpriceTable({ history }: { history: CoinHashprice }) {
  const { coin, unitLabel, decimals } = history;
  if (history.days.length === 0) return null;
  return (
    <DataTable
      label={`${coin} hashprice per day`}
      scrollerClassName="card max-h-96 overflow-y-auto"
      testId={`hashprice-table-${coin.toLowerCase()}`}
      caption={`${coin} hashprice per day, per ${unitLabel}`}
      rows={[...history.days].reverse()}
      rowKey={(d) => String(d.day.getTime())}
      rowProps={(d) => ({ "data-testid": "hashprice-row", "data-day": formatDay(d.day) })}
      columns={[
        { header: "UTC day", rowHeader: true, cell: (d) => formatDay(d.day) },
        {
          header: `USD / ${unitLabel} / day`,
          numeric: true,
          cell: (d) => <Usd micro={d.grossMicroUsd} rate />,
        },
        {
          header: `${coin} / ${unitLabel} / day`,
          numeric: true,
          cell: (d) => formatCoinMicroBase(d.grossMicroBase, decimals),
        },
        { header: "After pool fee (USD)", numeric: true, cell: (d) => <Usd micro={d.afterPoolFeeMicroUsd} rate /> },
        { header: `${coin} price`, numeric: true, cell: (d) => <Usd micro={d.priceMicroUsd} rate /> },
      ]}
    />
  );
}

/** The marketplace's index: each coin's latest hashprice and averages, linking to its listings. */
export function HashpriceIndex({ histories }: { histories: CoinHashprice[] }) {
  const rows = histories.map((h) => ({
    h,
    latest: h.days.at(-1),
    avg7: averageGrossMicroUsd(h.days, 7),
    avg30: averageGrossMicroUsd(h.days, 30),
  }));
  const average = (v: bigint | null) => (v !== null ? <Usd micro={v} rate /> : "—");
  return (
    <DataTable
      label="Hashprice by coin"
      testId="hashprice-index"
      caption="Hashprice by coin: what one pricing unit earned on the latest day with network data"
      rows={rows}
      rowKey={(r) => r.h.coin}
      rowProps={(r) => ({ "data-testid": "hashprice-index-row", "data-coin": r.h.coin })}
      columns={[
        {
          header: "Coin",
          rowHeader: true,
          cell: ({ h }) => (
            <>
              <Link href={`/marketplace?coin=${h.coin}#hashprice`} className="link">
                {h.coin}
              </Link>{" "}
              <span className="font-normal text-slate-600">per {h.unitLabel}</span>
            </>
          ),
        },
        { header: "Latest day", cell: ({ latest }) => (latest ? formatDay(latest.day) : "No data yet") },
        {
          header: "USD per unit per day",
          numeric: true,
          cell: ({ latest }) => (latest ? <Usd micro={latest.grossMicroUsd} rate /> : "—"),
        },
        {
          header: "Coin per unit per day",
          numeric: true,
          cell: ({ h, latest }) =>
            latest ? `${formatCoinMicroBase(latest.grossMicroBase, h.decimals)} ${h.coin}` : "—",
        },
        { header: "7-day average (USD)", numeric: true, cell: ({ avg7 }) => average(avg7) },
        { header: "30-day average (USD)", numeric: true, cell: ({ avg30 }) => average(avg30) },
      ]}
    />
  );
}
