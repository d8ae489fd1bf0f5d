// next-auth's routes; provider routes next-auth cannot serve and JSON bodies it cannot parse are
// refused first with a 4xx (lib/auth/auth-routes.ts) instead of next-auth's 500.
import NextAuth from "next-auth";
import { malformedAuthBody, unsupportedAuthRoute } from "@/lib/auth/auth-routes";
import { getAuthOptions } from "@/lib/auth/options";
import { log } from "@/lib/observability/log";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built per request because the auth secret comes from lib/secrets (async).
async function handler(req: Request, context: RouteContext) {
  const params = await context.params;
  const refusal = unsupportedAuthRoute(req.method, params.nextauth) ?? (await malformedAuthBody(req));
  if (refusal) {
    log.warn(
      { status: refusal.status, method: req.method, path: `/api/auth/${params.nextauth.join("/")}` },
      "auth request refused",
    );
    return refusal;
  }
  const nextAuth = NextAuth(await getAuthOptions());
  return nextAuth(req, { params });
}

export { handler as GET, handler as POST };
