// A per-day chart (or per time bucket): lines and/or bars over the same points, drawn by the
// shared Chart frame (legible text at any width, values on hover and keyboard focus). Values
// stay BigInt; only positions become numbers. The summary is the accessible alternative (and
// the payout table below holds every exact figure).
import type { ReactNode } from "react";
import { formatDay } from "@/components/format";
import { Chart, type ChartPoint, type ChartTone } from "@/components/ui/chart";

export type { ChartTone } from "@/components/ui/chart";

export interface ChartSeries {
  key: string;
  label: string;
  /** One value per day, >= 0 (same length as `days`). */
  values: bigint[];
  kind: "line" | "bar";
  tone: ChartTone;
  dashed?: boolean;
}

export interface DayChartProps {
  id: string;
  title: string;
  days: Date[];
  series: ChartSeries[];
  formatValue: (value: bigint) => string;
  /** A point's value in its tooltip and label (default formatValue), e.g. with the coin. */
  pointText?: (value: bigint) => string;
  /** What the values count, shown on the y axis (e.g. "TH/s", "BTC"). */
  yUnit: string;
  /** What the points are, shown on the x axis (default "UTC day"). */
  xUnit?: string;
  /** One or two sentences with the figures the chart shows. */
  summary: string;
  /** The x-axis label of a point (default: its UTC day). */
  tickLabel?: (at: Date) => string;
  /** Shown instead of the plot (no data yet); also shown when there are no days. */
  empty?: ReactNode;
}

/** A position from 0 (top) to 1 (bottom) of `value` on a 0..max scale; display only. */
export function yFraction(value: bigint, max: bigint): number {
  return 1 - Number((value * 10_000n) / max) / 10_000;
}

export function DayChart({
  id,
  title,
  days,
  series,
  formatValue,
  pointText = formatValue,
  yUnit,
  xUnit = "UTC day",
  summary,
  tickLabel = formatDay,
  empty,
}: DayChartProps) {
  let max = 1n;
  for (const s of series) for (const v of s.values) if (v > max) max = v;
  const n = Math.max(days.length, 1);
  const x = (i: number) => (i + 0.5) / n;
  const xTicks = [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])].filter((i) => i >= 0);
  const points: ChartPoint[] = days.map((day, i) => ({
    x: x(i),
    title: tickLabel(day),
    values: Object.fromEntries(series.map((s) => [s.key, yFraction(s.values[i] ?? 0n, max)])),
    texts: Object.fromEntries(series.map((s) => [s.key, pointText(s.values[i] ?? 0n)])),
  }));
  return (
    <Chart
      id={id}
      title={title}
      series={series}
      points={points}
      yTicks={[0n, max / 2n, max].map((value) => ({
        y: yFraction(value, max),
        text: formatValue(value),
        zero: value === 0n,
      }))}
      xTicks={xTicks.map((i) => ({ x: x(i), text: tickLabel(days[i]!) }))}
      yUnit={yUnit}
      xUnit={xUnit}
      summary={summary}
      empty={empty}
    />
  );
}
