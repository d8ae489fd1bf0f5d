// An API request signer written from lib/api/README.md ("Signing") and the OpenAPI description
// alone — deliberately not importing lib/api/hmac.ts — so the signing-interop tests prove that a
// client who reads only the documentation signs what the server checks.
import { createHash, createHmac, randomBytes } from "node:crypto";

export interface IndependentSignInput {
  keyId: string;
  secret: string;
  method: string;
  /** The path and query exactly as they will be sent, e.g. "/api/v1/payouts?to=2026-02-01&from=x". */
  pathAndQuery: string;
  body?: string;
  timestamp?: number;
  nonce?: string;
}

export function independentAuthorization(input: IndependentSignInput): string {
  const at = input.pathAndQuery.indexOf("?");
  const path = at < 0 ? input.pathAndQuery : input.pathAndQuery.slice(0, at);
  const query = at < 0 ? "" : input.pathAndQuery.slice(at + 1);
  // "split on '&', the pieces sorted as plain strings (code-unit order), joined with '&'"
  const sortedQuery = query === "" ? "" : query.split("&").sort().join("&");
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  const nonce = input.nonce ?? randomBytes(12).toString("hex");
  const bodyHash = createHash("sha256")
    .update(input.body ?? "")
    .digest("hex");
  const canonical = [input.method.toUpperCase(), path, sortedQuery, bodyHash, String(timestamp), nonce].join("\n");
  const signature = createHmac("sha256", input.secret).update(canonical, "utf8").digest("hex");
  return `HMAC apiKey="${input.keyId}", signature="${signature}", timestamp="${timestamp}", nonce="${nonce}"`;
}
