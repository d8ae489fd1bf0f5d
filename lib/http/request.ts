// Small helpers for route handlers (plain Request/Headers, no Next import).
import { PEER_IP_HEADER, resolveClientIp, trustedProxies } from "./client-ip";

/** What clientIp reads: a `Request`'s Headers, or Next's `headers()` (ReadonlyHeaders). */
export type HeaderReader = { get(name: string): string | null };

/**
 * The client's IP for audit lines, limits and allowlists: the socket's peer, and X-Forwarded-For
 * only as far as TRUSTED_PROXIES allows (./client-ip.ts). The one reading of client IP in the app.
 */
export function clientIp(headers: HeaderReader): string | null {
  return resolveClientIp(headers.get(PEER_IP_HEADER), headers.get("x-forwarded-for"), trustedProxies());
}

/**
 * The request target exactly as the client sent it (path and query), written by the web server
 * (lib/cli/web.ts) on every request, replacing anything a client sent under this name. Next
 * rebuilds `request.url` from a parsed query (re-encoding '=' in values, spaces, ...), so a
 * signature over the query as sent is checked against this.
 */
export const RAW_TARGET_HEADER = "x-hashlease-raw-target";

/** Path and query as sent (RAW_TARGET_HEADER), else as `request.url` has them. */
export function requestTarget(request: Request): { path: string; search: string } {
  const url = new URL(request.url);
  const raw = request.headers.get(RAW_TARGET_HEADER);
  if (raw?.startsWith("/")) {
    const at = raw.indexOf("?");
    const target = at < 0 ? { path: raw, search: "" } : { path: raw.slice(0, at), search: raw.slice(at) };
    // Only ever a different spelling of the path being served, never another path.
    if (new URL(target.path, url.origin).pathname === url.pathname) return target;
  }
  return { path: url.pathname, search: url.search };
}

/** Node-style headers (a plain object, as NextAuth's `authorize` receives them) for clientIp. */
export function headerRecord(headers: Record<string, unknown> | undefined): HeaderReader {
  return { get: (name) => (typeof headers?.[name] === "string" ? (headers[name] as string) : null) };
}

/**
 * A browser's cross-site request carries a foreign Origin (and Sec-Fetch-Site: cross-site or
 * same-site); refuse it for cookie-authenticated writes. An opaque "null" Origin is refused too.
 */
export function isSameOrigin(request: Request): boolean {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite === "cross-site" || fetchSite === "same-site") return false;
  const origin = request.headers.get("origin");
  if (!origin) return true; // not a browser cross-site request (curl, server-to-server)
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function jsonError(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

export function requestOrigin(request: Request): string {
  return originOf(request.headers, new URL(request.url).protocol.replace(":", ""));
}

/** The origin the client used (the proxy's forwarded host and protocol first), for absolute return URLs. */
export function originOf(headers: Pick<Headers, "get">, protocol = "http"): string {
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost";
  const proto = headers.get("x-forwarded-proto") ?? protocol;
  return `${proto}://${host}`;
}
