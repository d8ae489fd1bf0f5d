// bench:floor's floor for the API (built only with HASHLEASE_BENCH_ROUTES=1, next.config.ts): a
// route handler that does nothing but answer, so its CPU per request is the framework's own.
export const dynamic = "force-dynamic";

export function GET() {
  if (process.env.HASHLEASE_BENCH_ROUTES !== "1") return new Response(null, { status: 404 });
  return Response.json({ ok: true });
}
