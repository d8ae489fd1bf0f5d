// The colours a chart series can take, as whole Tailwind class names (so the compiler sees them).
export type ChartTone = "brand" | "slate" | "emerald" | "amber";

export const chartStrokes: Record<ChartTone, string> = {
  brand: "stroke-brand-600",
  slate: "stroke-slate-500",
  emerald: "stroke-emerald-600",
  amber: "stroke-amber-600",
};

export const chartFills: Record<ChartTone, string> = {
  brand: "fill-brand-600",
  slate: "fill-slate-400",
  emerald: "fill-emerald-600",
  amber: "fill-amber-500",
};

export const chartDots: Record<ChartTone, string> = {
  brand: "bg-brand-600",
  slate: "bg-slate-500",
  emerald: "bg-emerald-600",
  amber: "bg-amber-600",
};
