// Cumulative net USD over a contract's term: the base estimate, the stress case and the contract
// price as a reference line (where a line crosses it, the contract has paid for itself), drawn by
// the shared Chart frame. Money stays BigInt; only positions become numbers. The lines are straight
// (the network data is held constant), so a point every few days draws them exactly and keeps a
// ten-year term to at most ~60 focusable points.
import { formatInteger } from "@/components/format";
import { Chart, type ChartPoint } from "@/components/ui/chart";
import { usdCents } from "@/lib/shared/usd";

const MAX_POINTS = 60;

export interface CumulativeChartProps {
  /** Cumulative net USD (micro-USD) after day 0..days, base and stress. */
  base: bigint[];
  stress: bigint[];
  contractPriceMicroUsd: bigint;
  days: number;
}

function extent(values: bigint[]): [bigint, bigint] {
  let min = 0n;
  let max = 1n;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return [min, max];
}

export function CumulativeChart({ base, stress, contractPriceMicroUsd, days }: CumulativeChartProps) {
  const [min, max] = extent([...base, ...stress, contractPriceMicroUsd]);
  // Display-only scaling: positions, never amounts.
  const span = max - min;
  const y = (value: bigint) => Number(((max - value) * 10_000n) / span) / 10_000;
  const x = (day: number) => (days === 0 ? 0 : day / days);
  const every = Math.max(1, Math.ceil(days / MAX_POINTS));
  const shownDays: number[] = [];
  for (let day = 0; day < days; day += every) shownDays.push(day);
  shownDays.push(days);
  const points: ChartPoint[] = shownDays.map((day) => ({
    x: x(day),
    title: `Day ${formatInteger(day)}`,
    values: { base: y(base[day] ?? 0n), stress: y(stress[day] ?? 0n) },
    texts: { base: usdCents(base[day] ?? 0n), stress: usdCents(stress[day] ?? 0n) },
  }));

  const summary =
    `Cumulative estimated net USD over ${formatInteger(days)} days: ` +
    `${usdCents(base.at(-1) ?? 0n)} with today's network data, ${usdCents(stress.at(-1) ?? 0n)} in the stress case, ` +
    `against a contract price of ${usdCents(contractPriceMicroUsd)}.`;

  return (
    <Chart
      id="cumulative-chart"
      title="Cumulative net USD over the term"
      series={[
        { key: "base", label: "Today's network data", kind: "line", tone: "brand" },
        { key: "stress", label: "Stress case", kind: "line", tone: "amber", dashed: true },
      ]}
      points={points}
      yTicks={[...new Set([min, 0n, max])].map((value) => ({ y: y(value), text: usdCents(value), zero: value === 0n }))}
      xTicks={[...new Set([0, Math.round(days / 2), days])].map((day) => ({
        x: x(day),
        text: `day ${formatInteger(day)}`,
      }))}
      yUnit="USD, cumulative"
      xUnit="Day of the term"
      references={[{ y: y(contractPriceMicroUsd), label: `contract price ${usdCents(contractPriceMicroUsd)}` }]}
      summary={summary}
    />
  );
}
