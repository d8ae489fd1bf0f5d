// Request details inside a server action or a server component, from Next's `headers()`;
// the reading itself is lib/http/request.ts's (one clientIp for the whole app).
import { headers } from "next/headers";
import { clientIp, originOf } from "./request";

/** The client's IP for the audit line of a server action; null when no proxy reported one. */
export async function requestIp(): Promise<string | null> {
  return clientIp(await headers());
}

/** The origin the client used, for a server action's absolute return URLs (Stripe's). */
export async function requestOriginOfAction(): Promise<string> {
  return originOf(await headers());
}
