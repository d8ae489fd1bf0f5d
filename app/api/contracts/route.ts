// POST /api/contracts — buy a contract as the signed-in customer (the listing page's purchase
// panel uses it). JSON body {listingId, hashrate, days, paymentMethod}; Idempotency-Key header.
import { getSessionClaims } from "@/lib/auth/session";
import { executePurchase } from "@/lib/contracts/service";
import { db } from "@/lib/db/client";
import { clientIp, isSameOrigin, jsonError, requestOrigin } from "@/lib/http/request";
import { cardPayments } from "@/lib/payments/config";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  if (!isSameOrigin(request)) return jsonError(403, "FOREIGN_ORIGIN", "Cross-site requests are not accepted.");
  // The cookie is decoded here; the account itself (frozen, sessions revoked, CUSTOMER role)
  // and the session's row (signed out, ended elsewhere) are checked by the purchase statement,
  // which answers 401/403 the same way.
  const session = await getSessionClaims();
  if (!session) return jsonError(401, "UNAUTHENTICATED", "Sign in to buy a contract.");
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return jsonError(400, "INVALID_JSON", "The request body must be JSON.");
  }
  const result = await executePurchase({
    prisma: db(),
    user: { id: session.userId, email: session.email },
    sessionAuthAt: session.authAt,
    sessionId: session.sessionId,
    idempotencyKey: request.headers.get("idempotency-key"),
    body,
    ip: clientIp(request.headers),
    card: await cardPayments(),
    origin: requestOrigin(request),
  });
  // A few hundred bytes of JSON: gzip would cost more CPU than it saves (no-transform tells
  // next start's compression to leave it), and no cache may keep a purchase answer.
  return Response.json(result.body, { status: result.status, headers: { "cache-control": "no-store, no-transform" } });
}
