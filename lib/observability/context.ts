// The request a piece of code runs for: the web server (lib/cli/web.ts) runs Next's handler inside
// runWithRequest, so the logger (./log.ts) and the audit log (lib/audit/audit.ts) see the request id
// without every call passing it. The storage lives on globalThis under a Symbol: Next's bundled
// route modules and the server's own import are different module instances in one process.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { TrustedProxies } from "../http/client-ip";

export const REQUEST_ID_HEADER = "x-request-id";

interface RequestContext {
  requestId: string;
}

const KEY = Symbol.for("hashlease.observability.request-context");
const store = ((globalThis as Record<symbol, unknown>)[KEY] ??=
  new AsyncLocalStorage<RequestContext>()) as AsyncLocalStorage<RequestContext>;

/** 8 to 128 characters of letters, digits and `-_.:` (UUIDs, ULIDs, AWS and Cloudflare ids). */
export function isWellFormedRequestId(value: string): boolean {
  return /^[A-Za-z0-9._:-]{8,128}$/.test(value);
}

/** Whether the TCP peer is a proxy whose headers are believed (TRUSTED_PROXIES). */
export function peerIsTrustedProxy(peer: string | null | undefined, trust: TrustedProxies): boolean {
  if (!peer) return false;
  return trust.kind === "hops" ? trust.hops > 0 : trust.trusted(peer);
}

/**
 * The id of a request: the incoming X-Request-Id when a trusted proxy sent a well-formed one (so
 * the proxy's and the app's lines join up), else a fresh UUID. A client's own claim is never
 * believed: it could forge or collide with another request's id.
 */
export function requestIdFor(incoming: string | string[] | undefined, peerTrusted: boolean): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  if (peerTrusted && value && isWellFormedRequestId(value)) return value;
  return randomUUID();
}

export function runWithRequest<T>(context: RequestContext, fn: () => T): T {
  return store.run(context, fn);
}

/** The id of the request being served, or undefined outside a request (jobs, CLI, tests). */
export function currentRequestId(): string | undefined {
  return store.getStore()?.requestId;
}
