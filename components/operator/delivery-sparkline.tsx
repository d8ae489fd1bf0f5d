// A rig's reported hashrate against its nominal, one point per day, as a small SVG: the line
// breaks on days without a report, a dashed line marks 95 % and a faint one 100 %. Decorative
// beside the numbers in the table (aria-hidden), except for its text summary for screen readers.
const WIDTH = 150;
const HEIGHT = 36;
const PAD = 3;
/** The scale tops out at 120 % of nominal; higher reports are drawn at the top. */
const TOP_BPS = 12_000;

export function DeliverySparkline({
  series,
  flagBps,
  label,
}: {
  series: (number | null)[];
  flagBps: number;
  label: string;
}) {
  const n = series.length;
  const x = (i: number) => PAD + (n <= 1 ? 0 : (i / (n - 1)) * (WIDTH - 2 * PAD));
  const y = (bps: number) => PAD + (1 - Math.min(bps, TOP_BPS) / TOP_BPS) * (HEIGHT - 2 * PAD);
  // Runs of consecutive reported days become one polyline each; a lone day is a dot.
  const runs: { i: number; bps: number }[][] = [];
  let run: { i: number; bps: number }[] = [];
  series.forEach((bps, i) => {
    if (bps === null) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push({ i, bps });
  });
  if (run.length) runs.push(run);
  const below = (bps: number) => bps < flagBps;

  return (
    <svg
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={label}
      className="block"
    >
      <line x1={PAD} x2={WIDTH - PAD} y1={y(10_000)} y2={y(10_000)} className="stroke-slate-200" strokeWidth="1" />
      <line
        x1={PAD}
        x2={WIDTH - PAD}
        y1={y(flagBps)}
        y2={y(flagBps)}
        className="stroke-amber-500"
        strokeWidth="1"
        strokeDasharray="3 3"
      />
      {runs.map((points) =>
        points.length === 1 ? null : (
          <polyline
            key={`run-${points[0]!.i}`}
            points={points.map((p) => `${x(p.i).toFixed(1)},${y(p.bps).toFixed(1)}`).join(" ")}
            fill="none"
            className="stroke-brand-600"
            strokeWidth="1.5"
          />
        ),
      )}
      {runs
        .flat()
        .map((p) =>
          below(p.bps) || runs.find((r) => r.length === 1 && r[0]!.i === p.i) ? (
            <circle
              key={`dot-${p.i}`}
              cx={x(p.i)}
              cy={y(p.bps)}
              r="2"
              className={below(p.bps) ? "fill-red-600" : "fill-brand-600"}
            />
          ) : null,
        )}
    </svg>
  );
}
