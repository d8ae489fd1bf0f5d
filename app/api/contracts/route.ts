// POST /api/contracts — buy a contract as the signed-in customer (the listing page's purchase
// panel uses it). JSON body {listingId, hashrate, days, paymentMethod}; Idempotency-Key header.
import { getCurrentUser } from "@/lib/auth/session";
import { executePurchase } from "@/lib/contracts/service";
import { db } from "@/lib/db/client";
import { clientIp, isSameOrigin, jsonError, requestOrigin } from "@/lib/http/request";
import { configuredStripe } from "@/lib/payments/config";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  if (!isSameOrigin(request)) return jsonError(403, "FOREIGN_ORIGIN", "Cross-site requests are not accepted.");
  const user = await getCurrentUser();
  if (!user) return jsonError(401, "UNAUTHENTICATED", "Sign in to buy a contract.");
  if (!user.roles.includes("CUSTOMER")) return jsonError(403, "FORBIDDEN", "Only customer accounts can buy contracts.");
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return jsonError(400, "INVALID_JSON", "The request body must be JSON.");
  }
  const result = await executePurchase({
    prisma: db(),
    user,
    idempotencyKey: request.headers.get("idempotency-key"),
    body,
    ip: clientIp(request.headers),
    stripe: await configuredStripe(),
    origin: requestOrigin(request),
  });
  return Response.json(result.body, { status: result.status });
}
