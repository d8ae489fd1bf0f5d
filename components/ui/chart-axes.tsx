// The axes of the app's SVG charts: horizontal grid lines with their value labels, and labelled x ticks.
import type { ReactNode } from "react";

/** One grid line per tick from `x1` to `x2`, darker at zero, with its label right-aligned just left of `x1`. */
export function YGridLines({
  ticks,
  y,
  x1,
  x2,
  labelGap,
  textClassName,
  format,
}: {
  ticks: readonly bigint[];
  y: (value: bigint) => number;
  x1: number;
  x2: number;
  labelGap: number;
  textClassName: string;
  format: (value: bigint) => ReactNode;
}) {
  return ticks.map((value, i) => (
    <g key={`y${i}`}>
      <line
        x1={x1}
        x2={x2}
        y1={y(value)}
        y2={y(value)}
        className={value === 0n ? "stroke-slate-400" : "stroke-slate-200"}
      />
      <text x={x1 - labelGap} y={y(value)} dy="0.35em" textAnchor="end" className={`fill-slate-600 ${textClassName}`}>
        {format(value)}
      </text>
    </g>
  ));
}

/** A label under each x tick (0 to `last`), anchored at the start for the first and at the end for the last. */
export function XTickLabels({
  ticks,
  x,
  y,
  last,
  textClassName,
  label,
}: {
  ticks: readonly number[];
  x: (tick: number) => number;
  y: number;
  last: number;
  textClassName: string;
  label: (tick: number) => ReactNode;
}) {
  return ticks.map((tick) => (
    <text
      key={`x${tick}`}
      x={x(tick)}
      y={y}
      textAnchor={tick === 0 ? "start" : tick === last ? "end" : "middle"}
      className={`fill-slate-600 ${textClassName}`}
    >
      {label(tick)}
    </text>
  ));
}
