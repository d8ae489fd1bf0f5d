// The worked signing example of /docs/api, in Node and in curl, as the exact text the page shows.
// signing-examples.test.ts saves these very strings to files and runs them (node, bash + curl +
// openssl) against the /api/v1 handlers over HTTP with a real key, so the example a reader copies
// is one that works. Both sign the same request: a GET whose query is sent in an order that is
// not sorted, so the reader sees the sorted-query step do something.

/** The request both examples send (the test checks the answer to it). */
export const SIGNING_EXAMPLE_REQUEST = {
  method: "GET",
  path: "/api/v1/payouts",
  query: "to=2026-12-31&from=2026-01-01",
  sortedQuery: "from=2026-01-01&to=2026-12-31",
} as const;

export const NODE_SIGNING_EXAMPLE = `// sign.mjs — run: HASHLEASE_KEY_ID=hlk_… HASHLEASE_SECRET=hls_… node sign.mjs (Node 18+, no packages)
import { createHash, createHmac, randomBytes } from "node:crypto";

const base = process.env.HASHLEASE_URL ?? "http://localhost:3000";
const keyId = process.env.HASHLEASE_KEY_ID;
const secret = process.env.HASHLEASE_SECRET;

const method = "GET";
const path = "/api/v1/payouts";
const query = "to=2026-12-31&from=2026-01-01"; // exactly as sent, after the "?"
const body = ""; // a GET has no body: sign the hash of the empty string

const sortedQuery = query.split("&").sort().join("&"); // "from=2026-01-01&to=2026-12-31"
const bodyHash = createHash("sha256").update(body).digest("hex");
const timestamp = Math.floor(Date.now() / 1000).toString();
const nonce = randomBytes(16).toString("hex"); // new for every request
const canonical = [method, path, sortedQuery, bodyHash, timestamp, nonce].join("\\n");
const signature = createHmac("sha256", secret).update(canonical).digest("hex");

const response = await fetch(\`\${base}\${path}?\${query}\`, {
  method,
  headers: {
    authorization: \`HMAC apiKey="\${keyId}", signature="\${signature}", timestamp="\${timestamp}", nonce="\${nonce}"\`,
  },
});
console.log(response.status, await response.text());
`;

export const CURL_SIGNING_EXAMPLE = `#!/usr/bin/env bash
# sign.sh — run: HASHLEASE_KEY_ID=hlk_… HASHLEASE_SECRET=hls_… bash sign.sh (needs curl and openssl)
set -euo pipefail
BASE="\${HASHLEASE_URL:-http://localhost:3000}"

METHOD=GET
URL_PATH=/api/v1/payouts
QUERY='to=2026-12-31&from=2026-01-01' # exactly as sent, after the "?"

SORTED_QUERY=$(printf '%s' "$QUERY" | tr '&' '\\n' | LC_ALL=C sort | paste -sd '&' -)
BODY_HASH=$(printf '' | openssl dgst -sha256 -hex | sed 's/^.* //') # a GET: the empty body
TIMESTAMP=$(date +%s)
NONCE=$(openssl rand -hex 16) # new for every request
SIGNATURE=$(printf '%s\\n%s\\n%s\\n%s\\n%s\\n%s' "$METHOD" "$URL_PATH" "$SORTED_QUERY" "$BODY_HASH" "$TIMESTAMP" "$NONCE" |
  openssl dgst -sha256 -hmac "$HASHLEASE_SECRET" -hex | sed 's/^.* //')

curl -sS --fail-with-body "$BASE$URL_PATH?$QUERY" \\
  -H "Authorization: HMAC apiKey=\\"$HASHLEASE_KEY_ID\\", signature=\\"$SIGNATURE\\", timestamp=\\"$TIMESTAMP\\", nonce=\\"$NONCE\\""
`;
