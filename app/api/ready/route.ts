import { db } from "@/lib/db/client";
import { readiness } from "@/lib/observability/ready";

export const dynamic = "force-dynamic";

// Readiness for a load balancer (lib/observability/ready.ts): 200 when the database answers, its
// migrations are this build's and a jobs worker is alive; else 503 naming what is not.
export async function GET() {
  const result = await readiness(db());
  return Response.json(
    { status: result.ready ? "ready" : "not_ready", checks: result.checks },
    { status: result.ready ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
