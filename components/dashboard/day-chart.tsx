// A small server-rendered SVG chart of per-day values: lines and/or bars over the same days.
// No chart library and no client JavaScript. Values stay BigInt; only pixel positions become
// numbers. The text summary beside it is the accessible alternative (and the payout table
// below holds every exact figure).
import { formatDay } from "@/components/format";
import { XTickLabels, YGridLines } from "@/components/ui/chart-axes";

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 12, right: 12, bottom: 28, left: 92 };

export type ChartTone = "brand" | "slate" | "emerald" | "amber";

const STROKES: Record<ChartTone, string> = {
  brand: "stroke-brand-600",
  slate: "stroke-slate-500",
  emerald: "stroke-emerald-600",
  amber: "stroke-amber-600",
};
const FILLS: Record<ChartTone, string> = {
  brand: "fill-brand-600",
  slate: "fill-slate-400",
  emerald: "fill-emerald-600",
  amber: "fill-amber-500",
};

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
  /** One or two sentences with the figures the chart shows. */
  summary: string;
  /** The x-axis label of a point (default: its UTC day). */
  tickLabel?: (at: Date) => string;
}

export function DayChart({ id, title, days, series, formatValue, summary, tickLabel = formatDay }: DayChartProps) {
  let max = 1n;
  for (const s of series) for (const v of s.values) if (v > max) max = v;
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const n = Math.max(days.length, 1);
  const step = plotWidth / n;
  // Display-only scaling: pixel coordinates, never amounts.
  const x = (i: number) => PAD.left + step * (i + 0.5);
  const y = (value: bigint) => PAD.top + plotHeight - (Number((value * 10_000n) / max) / 10_000) * plotHeight;
  const xTicks = [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])].filter((i) => i >= 0);
  const bars = series.filter((s) => s.kind === "bar");
  const barWidth = Math.max(1, (step * 0.7) / Math.max(bars.length, 1));

  return (
    <figure className="card p-4" aria-labelledby={`${id}-title`}>
      <figcaption className="mb-2 flex flex-wrap items-center gap-x-5 gap-y-1 text-sm">
        <span id={`${id}-title`} className="font-semibold text-slate-900">
          {title}
        </span>
        {series.map((s) => (
          <span key={s.key} className="flex items-center gap-1.5 text-slate-700">
            <svg aria-hidden="true" width="20" height="8">
              {s.kind === "bar" ? (
                <rect x="4" y="0" width="12" height="8" className={FILLS[s.tone]} />
              ) : (
                <line
                  x1="0"
                  y1="4"
                  x2="20"
                  y2="4"
                  className={STROKES[s.tone]}
                  strokeWidth="3"
                  strokeDasharray={s.dashed ? "5 3" : undefined}
                />
              )}
            </svg>
            {s.label}
          </span>
        ))}
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={title}
        aria-describedby={`${id}-summary`}
        className="h-auto w-full"
        data-testid={id}
      >
        <YGridLines
          ticks={[0n, max / 2n, max]}
          y={y}
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          labelGap={6}
          textClassName="text-[10px]"
          format={formatValue}
        />
        <XTickLabels
          ticks={xTicks}
          x={x}
          y={HEIGHT - PAD.bottom + 16}
          last={days.length - 1}
          textClassName="text-[10px]"
          label={(i) => tickLabel(days[i]!)}
        />
        {bars.map((s, b) =>
          s.values.map((value, i) => (
            <rect
              key={`${s.key}${i}`}
              x={x(i) - (barWidth * bars.length) / 2 + b * barWidth}
              y={y(value)}
              width={barWidth}
              height={Math.max(0, PAD.top + plotHeight - y(value))}
              className={FILLS[s.tone]}
            />
          )),
        )}
        {series
          .filter((s) => s.kind === "line")
          .map((s) => (
            <polyline
              key={s.key}
              points={s.values.map((value, i) => `${x(i).toFixed(1)},${y(value).toFixed(1)}`).join(" ")}
              fill="none"
              className={STROKES[s.tone]}
              strokeWidth="2"
              strokeDasharray={s.dashed ? "6 4" : undefined}
              data-series={s.key}
            />
          ))}
      </svg>
      <p id={`${id}-summary`} className="mt-2 text-xs text-slate-600">
        {summary}
      </p>
    </figure>
  );
}
