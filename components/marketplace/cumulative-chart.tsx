// A small SVG line chart of cumulative net USD over a contract's term: the base estimate,
// the stress case and the contract price as a reference line (where a line crosses it, the
// contract has paid for itself). No chart library: a few polylines keep the bundle small.
// Money stays BigInt; only pixel positions are converted to numbers.
import { formatInteger, formatMicroUsd } from "@/components/format";
import { XTickLabels, YGridLines } from "@/components/ui/chart-axes";

const WIDTH = 640;
const HEIGHT = 240;
const PAD = { top: 16, right: 16, bottom: 32, left: 84 };

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

const dollars = (microUsd: bigint) => formatMicroUsd(microUsd, { maxDecimals: 2 });

export function CumulativeChart({ base, stress, contractPriceMicroUsd, days }: CumulativeChartProps) {
  const [min, max] = extent([...base, ...stress, contractPriceMicroUsd]);
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  // Display-only scaling: pixel coordinates, never amounts.
  const span = Number(max - min);
  const x = (day: number) => PAD.left + (days === 0 ? 0 : (day / days) * plotWidth);
  const y = (value: bigint) => PAD.top + (Number(max - value) / span) * plotHeight;
  const points = (series: bigint[]) =>
    series.map((value, day) => `${x(day).toFixed(1)},${y(value).toFixed(1)}`).join(" ");
  const xTicks = [...new Set([0, Math.round(days / 2), days])];
  const yTicks = [...new Set([min, 0n, max])];

  const summary =
    `Cumulative estimated net USD over ${formatInteger(days)} days: ` +
    `${dollars(base.at(-1) ?? 0n)} with today's network data, ${dollars(stress.at(-1) ?? 0n)} in the stress case, ` +
    `against a contract price of ${dollars(contractPriceMicroUsd)}.`;

  return (
    <figure className="card p-4">
      <figcaption className="mb-2 flex flex-wrap items-center gap-x-5 gap-y-1 text-sm">
        <span className="font-semibold text-slate-900">Cumulative net USD over the term</span>
        <span className="flex items-center gap-1.5 text-slate-700">
          <svg aria-hidden="true" width="24" height="8">
            <line x1="0" y1="4" x2="24" y2="4" className="stroke-brand-600" strokeWidth="3" />
          </svg>
          Today&apos;s network data
        </span>
        <span className="flex items-center gap-1.5 text-slate-700">
          <svg aria-hidden="true" width="24" height="8">
            <line x1="0" y1="4" x2="24" y2="4" className="stroke-amber-600" strokeWidth="3" strokeDasharray="6 4" />
          </svg>
          Stress case
        </span>
        <span className="flex items-center gap-1.5 text-slate-700">
          <svg aria-hidden="true" width="24" height="8">
            <line x1="0" y1="4" x2="24" y2="4" className="stroke-slate-500" strokeWidth="2" strokeDasharray="2 3" />
          </svg>
          Contract price
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label="Line chart of cumulative net USD by day, today's network data and stress case, with the contract price"
        aria-describedby="cumulative-chart-summary"
        className="h-auto w-full"
        data-testid="cumulative-chart"
      >
        <YGridLines
          ticks={yTicks}
          y={y}
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          labelGap={8}
          textClassName="text-[11px]"
          format={dollars}
        />
        <XTickLabels
          ticks={xTicks}
          x={x}
          y={HEIGHT - PAD.bottom + 18}
          last={days}
          textClassName="text-[11px]"
          label={(day) => <>day {formatInteger(day)}</>}
        />
        <line
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={y(contractPriceMicroUsd)}
          y2={y(contractPriceMicroUsd)}
          className="stroke-slate-500"
          strokeWidth="1.5"
          strokeDasharray="2 3"
        />
        {/* Lines start at 0 on day 0, so the top-left end of the reference line is free for its label. */}
        <text
          x={PAD.left + 6}
          y={y(contractPriceMicroUsd)}
          dy="-0.5em"
          textAnchor="start"
          className="fill-slate-700 text-[11px]"
        >
          contract price {dollars(contractPriceMicroUsd)}
        </text>
        <polyline
          points={points(stress)}
          fill="none"
          className="stroke-amber-600"
          strokeWidth="2.5"
          strokeDasharray="6 4"
          data-series="stress"
        />
        <polyline points={points(base)} fill="none" className="stroke-brand-600" strokeWidth="2.5" data-series="base" />
      </svg>
      <p id="cumulative-chart-summary" className="mt-2 text-xs text-slate-600">
        {summary}
      </p>
    </figure>
  );
}
