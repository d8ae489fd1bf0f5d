// The app's charts: one frame for every line and bar chart, legible at any width. The plot is an
// SVG stretched to its box (preserveAspectRatio="none", strokes that do not scale), and every
// piece of text — axis labels, units, legend, values — is HTML in fixed CSS pixels beside or over
// it, so text never shrinks with the chart (a scaled viewBox drew 10 px labels at ~8 px at 1280 px).
// Values: a column per point, hoverable and focusable (one tab stop, arrow keys move; ChartPoints).
// The accessible alternative is the summary (aria-describedby) plus each point's label; callers
// keep a table of the exact figures beside the chart. Geometry arrives as fractions of the plot
// (0 = left/top, 1 = right/bottom), computed by the caller from BigInt values: amounts never
// become floats here, only positions do.
import type { ReactNode } from "react";
import { ChartPoints, type ChartPoint } from "./chart-points";
import { chartFills, chartStrokes, type ChartTone } from "./chart-tones";

export type { ChartPoint } from "./chart-points";
export type { ChartTone } from "./chart-tones";

export interface ChartSeriesStyle {
  key: string;
  label: string;
  kind: "line" | "bar";
  tone: ChartTone;
  dashed?: boolean;
}

export interface ChartProps {
  id: string;
  title: string;
  series: ChartSeriesStyle[];
  /** One per x position, in order; `values` per series key, y as a fraction (null: no value). */
  points: ChartPoint[];
  yTicks: { y: number; text: string; zero?: boolean }[];
  xTicks: { x: number; text: string }[];
  /** What the y axis counts, e.g. "TH/s", "BTC", "USD per TH/s per day". */
  yUnit: string;
  /** What the x axis counts, e.g. "UTC day". */
  xUnit: string;
  /** One or two sentences with the figures the chart shows. */
  summary: ReactNode;
  /** Horizontal reference lines (e.g. a price to compare with), labelled on the plot. */
  references?: { y: number; label: string }[];
  /** The fraction of the value 0, where bars start (default the bottom). */
  baseY?: number;
  /** Shown instead of the plot when set, or when there are no points. */
  empty?: ReactNode;
  /** Points are focusable; the chart's own label for the keyboard group (default: the title). */
  pointsLabel?: string;
}

const VIEW = 1000;

export function Chart(props: ChartProps) {
  const { id, title, series, points, yTicks, xTicks, yUnit, xUnit, summary, references = [], baseY = 1 } = props;
  const empty = props.empty ?? (points.length === 0 ? "No data yet." : null);
  const bars = series.filter((s) => s.kind === "bar");
  const step = points.length > 1 ? Math.abs(points[1]!.x - points[0]!.x) : 1;
  const barWidth = (step * 0.7) / Math.max(bars.length, 1);
  const v = (fraction: number) => (fraction * VIEW).toFixed(1);

  return (
    <figure className="card p-4" aria-labelledby={`${id}-title`} data-testid={id}>
      <figcaption className="mb-3 flex flex-wrap items-center gap-x-5 gap-y-1 text-sm">
        <span id={`${id}-title`} className="font-semibold text-slate-900">
          {title}
        </span>
        {series.map((s) => (
          <span key={s.key} className="flex items-center gap-1.5 text-slate-700" data-chart-text="">
            <svg aria-hidden="true" width="20" height="8">
              {s.kind === "bar" ? (
                <rect x="4" y="0" width="12" height="8" className={chartFills[s.tone]} />
              ) : (
                <line
                  x1="0"
                  y1="4"
                  x2="20"
                  y2="4"
                  className={chartStrokes[s.tone]}
                  strokeWidth="3"
                  strokeDasharray={s.dashed ? "5 3" : undefined}
                />
              )}
            </svg>
            {s.label}
          </span>
        ))}
      </figcaption>
      {empty !== null ? (
        <div
          className="flex h-44 items-center justify-center rounded-md border border-dashed border-slate-300 bg-slate-50 px-4 text-center text-sm text-slate-700"
          data-testid={`${id}-empty`}
          data-chart-text=""
        >
          {empty}
        </div>
      ) : (
        <>
          {/* The y axis's unit, above it in full. */}
          <p className="mb-2 text-xs font-medium text-slate-700" data-chart-text="" data-testid={`${id}-y-unit`}>
            {yUnit}
          </p>
          <div className="flex gap-2">
            {/* The y axis: tick labels at their heights. */}
            <div className="relative flex w-20 shrink-0 flex-col text-right text-xs text-slate-600 sm:w-24">
              <div className="relative h-44" aria-hidden="true">
                {yTicks.map((tick, i) => (
                  <span
                    key={`y${i}`}
                    className="absolute right-0 -translate-y-1/2 whitespace-nowrap tabular-nums"
                    style={{ top: `${tick.y * 100}%` }}
                    data-chart-text=""
                  >
                    {tick.text}
                  </span>
                ))}
              </div>
            </div>
            {/* A container: middle x ticks show only where the plot is wide enough for them. */}
            <div className="@container min-w-0 flex-1">
              <div className="relative h-44">
                <svg
                  viewBox={`0 0 ${VIEW} ${VIEW}`}
                  preserveAspectRatio="none"
                  aria-hidden="true"
                  className="absolute inset-0 h-full w-full overflow-visible"
                >
                  {yTicks.map((tick, i) => (
                    <line
                      key={`g${i}`}
                      x1="0"
                      x2={VIEW}
                      y1={v(tick.y)}
                      y2={v(tick.y)}
                      className={tick.zero ? "stroke-slate-400" : "stroke-slate-200"}
                      vectorEffect="non-scaling-stroke"
                    />
                  ))}
                  {bars.map((s, b) =>
                    points.map((p, i) => {
                      const y = p.values[s.key];
                      if (y === null || y === undefined) return null;
                      const top = Math.min(y, baseY);
                      return (
                        <rect
                          key={`${s.key}${i}`}
                          x={v(p.x - (barWidth * bars.length) / 2 + b * barWidth)}
                          y={v(top)}
                          width={v(barWidth)}
                          height={v(Math.abs(baseY - y))}
                          className={chartFills[s.tone]}
                        />
                      );
                    }),
                  )}
                  {references.map((r) => (
                    <line
                      key={r.label}
                      x1="0"
                      x2={VIEW}
                      y1={v(r.y)}
                      y2={v(r.y)}
                      className="stroke-slate-500"
                      strokeWidth="1.5"
                      strokeDasharray="2 3"
                      vectorEffect="non-scaling-stroke"
                    />
                  ))}
                  {series
                    .filter((s) => s.kind === "line")
                    .map((s) => (
                      <polyline
                        key={s.key}
                        points={points
                          .filter((p) => p.values[s.key] !== null && p.values[s.key] !== undefined)
                          .map((p) => `${v(p.x)},${v(p.values[s.key]!)}`)
                          .join(" ")}
                        fill="none"
                        className={chartStrokes[s.tone]}
                        strokeWidth="2.5"
                        strokeDasharray={s.dashed ? "6 4" : undefined}
                        vectorEffect="non-scaling-stroke"
                        data-series={s.key}
                      />
                    ))}
                </svg>
                {references.map((r) => (
                  <span
                    key={r.label}
                    className="pointer-events-none absolute left-1 -translate-y-full bg-white/80 px-1 text-xs text-slate-700"
                    style={{ top: `${r.y * 100}%` }}
                    data-chart-text=""
                  >
                    {r.label}
                  </span>
                ))}
                <ChartPoints
                  id={id}
                  label={props.pointsLabel ?? title}
                  points={points}
                  series={series.map((s) => ({ key: s.key, label: s.label, tone: s.tone, dot: s.kind === "line" }))}
                />
              </div>
              {/* The x axis: tick labels, then its unit. */}
              <div className="relative mt-1 h-5 text-xs text-slate-600" aria-hidden="true">
                {xTicks.map((tick, i) => (
                  <span
                    key={`x${i}`}
                    className={`absolute whitespace-nowrap tabular-nums ${
                      i === 0
                        ? ""
                        : i === xTicks.length - 1
                          ? "-translate-x-full"
                          : "hidden -translate-x-1/2 @xs:inline"
                    }`}
                    style={{ left: `${tick.x * 100}%` }}
                    data-chart-text=""
                  >
                    {tick.text}
                  </span>
                ))}
              </div>
              <p className="text-center text-xs font-medium text-slate-700" data-chart-text="">
                {xUnit}
              </p>
            </div>
          </div>
        </>
      )}
      <p id={`${id}-summary`} className="mt-2 text-sm text-slate-600">
        {summary}
      </p>
    </figure>
  );
}
