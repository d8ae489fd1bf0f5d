// The Content-Security-Policy of every page (proxy.ts sets it per request) and of the API
// routes (next.config.ts, static). Pages: scripts only with this request's nonce ('strict-dynamic'
// lets Next's own nonce'd bootstrap load its chunks), never 'unsafe-inline' scripts; in
// `next dev` React needs 'unsafe-eval' to rebuild server error stacks, production stays strict.
// Styles allow 'unsafe-inline': React renders style="width: 40%" attributes (progress bars),
// which no nonce or hash can cover; a style cannot run code.

export interface PagePolicyOptions {
  nonce: string;
  /** `next dev`: adds 'unsafe-eval' to script-src. */
  dev?: boolean;
  /** Served over https: asks the browser to upgrade any http:// subresource. */
  https?: boolean;
}

const NONCE_PATTERN = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

/** A fresh unguessable nonce: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function pageContentSecurityPolicy({ nonce, dev = false, https = false }: PagePolicyOptions): string {
  if (!NONCE_PATTERN.test(nonce)) throw new Error("CSP nonce must be base64 of at least 12 random bytes.");
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    // The installable app: its service worker (public/sw.js) and manifest, same origin only.
    // Explicit, because a worker script would otherwise fall under script-src's nonce rules.
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/**
 * API responses are JSON (next-auth's fallback pages are the only HTML, with inline styles and
 * a sign-out form): nothing may run, nothing may frame them.
 */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The offline page (public/offline.html): its inline styles and the app icon, nothing else. */
export const OFFLINE_PAGE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The service worker (public/sw.js): it fetches and caches same-origin responses only. */
export const SERVICE_WORKER_CONTENT_SECURITY_POLICY = "default-src 'self'";
