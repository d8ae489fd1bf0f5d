// Request signing for the API (DESIGN.md "API for programs"):
//
//   Authorization: HMAC apiKey="<key id>", signature="<hex>", timestamp="<unix seconds>", nonce="<random>"
//   signature = hex(HMAC-SHA256(secret, METHOD + "\n" + path + "\n" + sorted query + "\n" +
//                               hex(sha256(raw body)) + "\n" + timestamp + "\n" + nonce))
//
// - METHOD is upper case; path is the URL path exactly as sent (e.g. /api/v1/contracts/abc),
//   without the query string.
// - Sorted query: the query string exactly as sent (after '?', as a URL library serializes it),
//   split on '&', the pieces sorted as strings (code-unit order) and joined with '&' again —
//   nothing is decoded or re-encoded, so a client needs no knowledge of the server's encoding:
//   "?to=2026-02-01&note=a=b&from=x%20y" -> "from=x%20y&note=a=b&to=2026-02-01". No query: "".
// - The raw body is hashed byte for byte as sent; no body hashes the empty string.
// - The HMAC key is the secret string exactly as shown at creation (its UTF-8 bytes).
// Only node:crypto; the comparison is constant-time.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { API_ERROR_CODES, ApiError } from "./errors";

export const SIGNATURE_WINDOW_SECONDS = 300;

export interface AuthorizationParts {
  apiKey: string;
  signature: string;
  timestamp: number;
  nonce: string;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SIGNATURE = /^[0-9a-fA-F]{64}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;
const NONCE = /^[A-Za-z0-9_.~-]{8,128}$/;
const PARAM = /^\s*([A-Za-z]+)="([^"]*)"\s*$/;

/** Parses the header strictly: the scheme, exactly these four parameters once each, nothing else. */
export function parseAuthorization(header: string | null): AuthorizationParts {
  if (header === null || header.trim() === "") {
    throw new ApiError(
      401,
      API_ERROR_CODES.missingAuthorization,
      'Send an Authorization header: HMAC apiKey="...", signature="...", timestamp="...", nonce="...".',
    );
  }
  const malformed = (why: string) =>
    new ApiError(401, API_ERROR_CODES.malformedAuthorization, `Malformed Authorization header: ${why}.`);
  const match = /^HMAC\s+(.+)$/.exec(header.trim());
  if (!match) throw malformed('the scheme must be "HMAC"');
  const values = new Map<string, string>();
  for (const piece of match[1]!.split(",")) {
    const param = PARAM.exec(piece);
    if (!param) throw malformed('parameters must be name="value" separated by commas');
    const [, name, value] = param as unknown as [string, string, string];
    if (!["apiKey", "signature", "timestamp", "nonce"].includes(name)) throw malformed(`unknown parameter "${name}"`);
    if (values.has(name)) throw malformed(`parameter "${name}" appears twice`);
    values.set(name, value);
  }
  const apiKey = values.get("apiKey");
  const signature = values.get("signature");
  const timestamp = values.get("timestamp");
  const nonce = values.get("nonce");
  if (apiKey === undefined || signature === undefined || timestamp === undefined || nonce === undefined) {
    throw malformed("apiKey, signature, timestamp and nonce are all required");
  }
  if (!KEY_ID.test(apiKey)) throw malformed("apiKey is not a key id");
  if (!SIGNATURE.test(signature)) throw malformed("signature must be 64 hex digits (HMAC-SHA256)");
  if (!TIMESTAMP.test(timestamp)) throw malformed("timestamp must be whole Unix seconds");
  if (!NONCE.test(nonce)) throw malformed("nonce must be 8-128 characters of A-Z a-z 0-9 _ . ~ -");
  return { apiKey, signature: signature.toLowerCase(), timestamp: Number(timestamp), nonce };
}

/** The sorted query string of the canonical request; `search` is the raw query, with or without '?'. */
export function canonicalQuery(search: string): string {
  const raw = search.startsWith("?") ? search.slice(1) : search;
  if (raw === "") return "";
  return raw
    .split("&")
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .join("&");
}

export function sha256Hex(body: Uint8Array | string): string {
  return createHash("sha256").update(body).digest("hex");
}

export interface CanonicalRequest {
  method: string;
  path: string;
  /** The raw query string as sent, with or without '?'. */
  query: string;
  bodySha256: string;
  timestamp: number;
  nonce: string;
}

export function canonicalString(request: CanonicalRequest): string {
  return [
    request.method.toUpperCase(),
    request.path,
    canonicalQuery(request.query),
    request.bodySha256,
    String(request.timestamp),
    request.nonce,
  ].join("\n");
}

export function computeSignature(secret: string | Buffer, canonical: string): Buffer {
  return createHmac("sha256", secret).update(canonical, "utf8").digest();
}

/** Constant-time check of a parsed (lower-case hex) signature against one secret. */
export function signatureMatches(secret: Buffer, canonical: string, signatureHex: string): boolean {
  const expected = computeSignature(secret, canonical);
  const given = Buffer.from(signatureHex, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface SignInput {
  keyId: string;
  secret: string;
  method: string;
  /** Full URL or path with optional query, e.g. "/api/v1/payouts?contractId=..&from=2026-01-01". */
  url: string;
  body?: string | Uint8Array;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Default 16 random bytes, hex. */
  nonce?: string;
}

/** For clients and tests: the Authorization header value of one request. */
export function signRequest(input: SignInput): string {
  const url = new URL(input.url, "http://signing.invalid");
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  const nonce = input.nonce ?? randomBytes(16).toString("hex");
  const canonical = canonicalString({
    method: input.method,
    path: url.pathname,
    query: url.search,
    bodySha256: sha256Hex(input.body ?? ""),
    timestamp,
    nonce,
  });
  const signature = computeSignature(input.secret, canonical).toString("hex");
  return `HMAC apiKey="${input.keyId}", signature="${signature}", timestamp="${timestamp}", nonce="${nonce}"`;
}
