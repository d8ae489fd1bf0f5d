// Runs before every page request (Next 16 "proxy", formerly middleware): a fresh CSP nonce per
// request. The policy goes on the request too, where Next reads the nonce while rendering and
// puts it on its own inline and chunk scripts; `x-nonce` hands it to any server component
// that renders a <Script>. A nonce only exists at request time, so every page must render
// dynamically: the root layout awaits connection() (app/_lib/viewer.ts), and the e2e security
// spec checks each page's scripts carry the nonce. API routes take a static policy from
// next.config.ts; build assets need none. Server-action POSTs Next would answer with a 500
// (foreign origin, oversize or undecodable body) get a clear 4xx here (lib/http/action-guard.ts).
import { NextResponse, type NextRequest } from "next/server";
import { actionRefusalResponse, refuseMalformedAction } from "@/lib/http/action-guard";
import { log } from "@/lib/observability/log";
import { createNonce, pageContentSecurityPolicy } from "@/lib/security/csp";

export async function proxy(request: NextRequest) {
  const refusal = await refuseMalformedAction(request);
  if (refusal) {
    log.warn({ status: refusal.status, method: "POST", path: request.nextUrl.pathname }, "server action refused");
    return actionRefusalResponse(refusal);
  }
  const nonce = createNonce();
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const policy = pageContentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === "development", https });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Everything but the API (static policy in next.config.ts; its request bodies, such as
      // the Stripe webhook's raw body, then never pass through the proxy's body buffer) and
      // build/static assets, the installable app's worker, manifest, icons and offline page
      // (static files: no nonce to give them; offline.html runs no script).
      source:
        "/((?!api/|_next/static/|_next/image|favicon\\.ico|icon\\.svg|sw\\.js|manifest\\.webmanifest|offline\\.html|icons/).*)",
      // Router prefetches fetch RSC payloads, not documents: no policy to enforce there.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
