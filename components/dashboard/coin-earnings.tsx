// One coin's payouts on the dashboard: totals, delivered vs contracted hashrate per day, daily
// net earnings and cumulative earnings (coin and USD value at receipt), over the last
// CHART_DAYS days with payouts. Cumulative figures start from everything paid before the
// window, so the last point is the all-time total.
import { formatCoinAmount, formatHashrate, formatInteger } from "@/components/format";
import { Usd } from "@/components/ui";
import { SUMMARY_DAYS, type CoinSummary } from "@/lib/dashboard/queries";
import { DAY_MS } from "@/lib/shared/days";
import { decimalText } from "@/lib/shared/decimal";
import { usdCents } from "@/lib/shared/usd";
import { DayChart } from "./day-chart";

export const CHART_DAYS = SUMMARY_DAYS;

function chartWindow(summary: CoinSummary) {
  const last = summary.days.at(-1)!.day.getTime();
  const first = Math.max(summary.days[0]!.day.getTime(), last - (CHART_DAYS - 1) * DAY_MS);
  const byDay = new Map(summary.days.map((d) => [d.day.getTime(), d]));
  const days: Date[] = [];
  for (let t = first; t <= last; t += DAY_MS) days.push(new Date(t));
  let cumulativeNet = summary.beforeWindow.netBase;
  let cumulativeUsd = summary.beforeWindow.usdValueMicroUsd;
  // Days of the summary before `first` (none when the summary's window is CHART_DAYS).
  for (const d of summary.days) {
    if (d.day.getTime() >= first) break;
    cumulativeNet += d.netBase;
    cumulativeUsd += d.usdValueMicroUsd;
  }
  const rows = days.map((day) => {
    const d = byDay.get(day.getTime());
    cumulativeNet += d?.netBase ?? 0n;
    cumulativeUsd += d?.usdValueMicroUsd ?? 0n;
    return { day, d, cumulativeNet, cumulativeUsd };
  });
  return { days, rows };
}

export function CoinEarnings({ summary, unitLabel }: { summary: CoinSummary; unitLabel: string }) {
  const { coin, decimals, totals } = summary;
  const coinText = (base: bigint) => `${formatCoinAmount(base, decimals)} ${coin}`;
  const { days, rows } = chartWindow(summary);
  const id = `earnings-${coin.toLowerCase()}`;
  const lastRow = rows.at(-1)!;
  const deliveredShare = totals.allocatedHs > 0n ? (totals.deliveredHs * 10_000n) / totals.allocatedHs : 0n;
  const shareText = `${decimalText(deliveredShare, 2, { minDecimals: 2, group: true })}%`;

  return (
    <section aria-labelledby={`${id}-title`} className="mb-8" data-testid={id}>
      <h3 id={`${id}-title`} className="mb-3 text-base font-semibold text-slate-900">
        {coin} earnings <span className="font-normal text-slate-600">(pricing unit {unitLabel})</span>
      </h3>
      <dl className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {[
          ["Net credited", coinText(totals.netBase)],
          ["USD value at receipt", <Usd key="usd" micro={totals.usdValueMicroUsd} srExact />],
          ["Gross mined", coinText(totals.grossBase)],
          ["Pool + maintenance fees", coinText(totals.poolFeeBase + totals.maintenanceFeeBase)],
          ["Under-delivery credits", <Usd key="credits" micro={totals.underDeliveryCreditMicroUsd} srExact />],
          [
            "Payouts",
            `${formatInteger(totals.payouts)}${totals.curtailed ? ` (${formatInteger(totals.curtailed)} curtailed)` : ""}`,
          ],
        ].map(([label, value]) => (
          <div key={String(label)} className="card px-4 py-3">
            <dt className="text-xs font-medium text-slate-600">{label}</dt>
            <dd className="mt-1 font-semibold text-slate-900 tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="grid gap-4 lg:grid-cols-3">
        <DayChart
          id={`${id}-hashrate`}
          title="Delivered vs contracted hashrate"
          days={days}
          formatValue={(v) => formatHashrate(v)}
          yUnit="Hashrate"
          series={[
            {
              key: "contracted",
              label: "Contracted",
              values: rows.map((r) => r.d?.allocatedHs ?? 0n),
              kind: "line",
              tone: "slate",
              dashed: true,
            },
            {
              key: "delivered",
              label: "Delivered",
              values: rows.map((r) => r.d?.deliveredHs ?? 0n),
              kind: "line",
              tone: "brand",
            },
          ]}
          summary={`Over all ${formatInteger(totals.payouts)} payouts your rigs delivered ${shareText} of the contracted hashrate; shortfalls are credited back in USD.`}
        />
        <DayChart
          id={`${id}-daily`}
          title={`Daily net earnings (${coin})`}
          days={days}
          formatValue={(v) => formatCoinAmount(v, decimals)}
          pointText={coinText}
          yUnit={coin}
          series={[
            {
              key: "net",
              label: "Net per day",
              values: rows.map((r) => r.d?.netBase ?? 0n),
              kind: "bar",
              tone: "emerald",
            },
          ]}
          summary={`Last day shown (${lastRow.day.toISOString().slice(0, 10)}): ${coinText(lastRow.d?.netBase ?? 0n)} net.`}
        />
        <DayChart
          id={`${id}-cumulative`}
          title={`Cumulative earnings (${coin})`}
          days={days}
          formatValue={(v) => formatCoinAmount(v, decimals)}
          pointText={coinText}
          yUnit={coin}
          series={[
            {
              key: "cumulative",
              label: "Net received so far",
              values: rows.map((r) => r.cumulativeNet),
              kind: "line",
              tone: "brand",
            },
          ]}
          summary={`In total ${coinText(lastRow.cumulativeNet)} worth ${usdCents(lastRow.cumulativeUsd)} when received.`}
        />
      </div>
    </section>
  );
}
