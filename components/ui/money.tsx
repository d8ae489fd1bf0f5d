// A USD figure as pages render it: the cent form (or a rate's significant digits) with the exact
// micro-USD figure in its `title`, from the one formatter (lib/shared/usd.ts, which states the
// rounding rule). `exact` writes the exact figure itself, for detail views; `srExact` adds the exact
// figure for screen readers (which do not read titles) where the rounded one would mislead, e.g. a
// balance. Server-safe (no hooks), so client components can use it too.
import type { HTMLAttributes } from "react";
import { usdCents, usdExact, usdRate } from "@/lib/shared/usd";

export interface UsdProps extends Omit<HTMLAttributes<HTMLSpanElement>, "children" | "title"> {
  /** The figure in micro-USD. */
  micro: bigint;
  /** A rate (price per unit): four significant digits instead of cents. */
  rate?: boolean;
  /** The exact figure, all six decimals (detail views). */
  exact?: boolean;
  /** What a rate is per, written after it: per="TH/s / day" -> "$0.0195 / TH/s / day". */
  per?: string;
  /** "+$1.23" for a positive amount. */
  plus?: boolean;
  /** Also give screen readers the exact figure when the shown one is rounded. */
  srExact?: boolean;
  "data-testid"?: string;
}

export function Usd({ micro, rate = false, exact = false, per, plus = false, srExact = false, ...rest }: UsdProps) {
  const full = usdExact(micro, { plus });
  const text = exact ? full : rate ? usdRate(micro) : usdCents(micro, { plus });
  // "$1.50" is "$1.500000" exactly: only a figure whose digits were cut is rounded.
  const rounded = text.replace(/0+$/, "") !== full.replace(/0+$/, "");
  return (
    <span title={exact ? undefined : full} {...rest}>
      {text}
      {per ? ` / ${per}` : null}
      {srExact && rounded ? <span className="sr-only"> (exactly {full})</span> : null}
    </span>
  );
}
