import { db } from "@/lib/db/client";
import { metrics } from "@/lib/observability/metrics";
import { metricsAccess, scrapeMetrics } from "@/lib/observability/scrape";

export const dynamic = "force-dynamic";

// Prometheus scrape of this instance (lib/observability): bearer METRICS_TOKEN; without a
// configured token the endpoint does not exist.
export async function GET(request: Request) {
  const access = metricsAccess(request.headers.get("authorization"));
  if (access === "disabled") return new Response("Not found\n", { status: 404 });
  if (access === "unauthorized") {
    return new Response("A valid bearer token (METRICS_TOKEN) is required.\n", {
      status: 401,
      headers: { "www-authenticate": 'Bearer realm="metrics"' },
    });
  }
  const body = await scrapeMetrics(db());
  return new Response(body, {
    headers: { "content-type": metrics().registry.contentType, "cache-control": "no-store" },
  });
}
