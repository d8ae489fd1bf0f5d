// bench:floor's floor for pages (built only with HASHLEASE_BENCH_ROUTES=1, next.config.ts): a page
// with nothing in it under the same root layout (header, footer, the viewer's lookup when signed
// in), so its CPU per request is the framework's and the layout's.
import { notFound } from "next/navigation";

export default function BenchFloorPage() {
  if (process.env.HASHLEASE_BENCH_ROUTES !== "1") notFound();
  return <p className="p-6">ok</p>;
}
