"use client";

// A chart's points as hoverable, focusable columns over the plot. One tab stop for the whole
// chart (roving tabindex): Tab lands on the latest point, arrow keys, Home and End move. The
// hovered or focused column shows its values in a tooltip and dots on its lines; CSS alone shows
// them on hover, so they work before hydration too. Each point's label carries the same text
// for screen readers.
import { useRef, useState, type KeyboardEvent } from "react";
import { chartDots, type ChartTone } from "./chart-tones";

export interface ChartPoint {
  /** Centre of the point, fraction of the plot's width. */
  x: number;
  /** The point's x as text, e.g. its UTC day. */
  title: string;
  /** Per series key: y as a fraction of the plot's height (0 top), null for no value. */
  values: Record<string, number | null>;
  /** Per series key: the value as text, with its unit. */
  texts: Record<string, string>;
}

export function ChartPoints({
  id,
  label,
  points,
  series,
}: {
  id: string;
  label: string;
  points: ChartPoint[];
  series: { key: string; label: string; tone: ChartTone; dot: boolean }[];
}) {
  const [active, setActive] = useState(points.length - 1);
  const group = useRef<HTMLDivElement>(null);
  const width = points.length > 1 ? Math.abs(points[1]!.x - points[0]!.x) : 1;

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = {
      ArrowRight: active + 1,
      ArrowUp: active + 1,
      ArrowLeft: active - 1,
      ArrowDown: active - 1,
      Home: 0,
      End: points.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const index = Math.min(Math.max(next, 0), points.length - 1);
    setActive(index);
    group.current?.querySelectorAll<HTMLElement>("[data-chart-point]")[index]?.focus();
  }

  return (
    <div
      ref={group}
      role="group"
      aria-label={`${label}: ${points.length} points; arrow keys move between them`}
      className="absolute inset-0"
      onKeyDown={onKeyDown}
    >
      {points.map((p, i) => {
        const text = `${p.title}: ${series.map((s) => `${s.label} ${p.texts[s.key] ?? "none"}`).join(", ")}`;
        const left = Math.max(0, p.x - width / 2);
        const right = Math.min(1, p.x + width / 2);
        return (
          <div
            key={i}
            role="img"
            aria-label={text}
            tabIndex={i === active ? 0 : -1}
            data-chart-point={i}
            onFocus={() => setActive(i)}
            className="group absolute inset-y-0 outline-none focus-visible:bg-brand-50/60 focus-visible:ring-2 focus-visible:ring-brand-600"
            style={{ left: `${left * 100}%`, width: `${(right - left) * 100}%` }}
          >
            <span
              aria-hidden="true"
              className="absolute inset-y-0 hidden w-px bg-slate-400 group-hover:block group-focus:block"
              style={{ left: `${((p.x - left) / (right - left || 1)) * 100}%` }}
            />
            {series.map((s) =>
              s.dot && p.values[s.key] !== null && p.values[s.key] !== undefined ? (
                <span
                  key={s.key}
                  aria-hidden="true"
                  className={`absolute hidden size-2 -translate-x-1/2 -translate-y-1/2 rounded-full ring-2 ring-white group-hover:block group-focus:block ${chartDots[s.tone]}`}
                  style={{ left: `${((p.x - left) / (right - left || 1)) * 100}%`, top: `${p.values[s.key]! * 100}%` }}
                />
              ) : null,
            )}
            <span
              aria-hidden="true"
              className={`pointer-events-none absolute top-0 z-10 hidden w-max max-w-56 rounded-md bg-slate-900 px-2 py-1 text-xs text-white shadow group-hover:block group-focus:block ${
                p.x > 0.5 ? "right-full mr-1" : "left-full ml-1"
              }`}
              data-testid={`${id}-tooltip`}
              data-chart-text=""
            >
              <span className="block font-medium">{p.title}</span>
              {series.map((s) => (
                <span key={s.key} className="block tabular-nums">
                  {s.label}: {p.texts[s.key] ?? "none"}
                </span>
              ))}
            </span>
          </div>
        );
      })}
    </div>
  );
}
