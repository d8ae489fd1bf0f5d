import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/options";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built per request because the auth secret comes from lib/secrets (async).
async function handler(req: Request, context: RouteContext) {
  const nextAuth = NextAuth(await getAuthOptions());
  return nextAuth(req, { params: await context.params });
}

export { handler as GET, handler as POST };
