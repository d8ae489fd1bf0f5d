// Signing interop: requests signed by an independent implementation of the documented canonical
// form (lib/testing/independent-signer.ts, which does not import ./hmac), sent byte for byte over
// real HTTP to the /api/v1 handlers, across queries with repeated names, empty values, '=', '&',
// '+', '%', spaces and non-ASCII. Each is accepted by the signature check; the same request signed
// with a decoded/re-encoded query (the form a client might guess instead) is refused.
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer } from "../testing/api-server";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createUser } from "../testing/fixtures";
import { independentAuthorization } from "../testing/independent-signer";
import { setAppDatabase, withTestSecrets } from "../testing/secrets";
import { resetRateLimiter } from "./auth";
import { canonicalQuery } from "./hmac";
import { createApiKey } from "./keys";

let t: TestDatabase;
let server: { url: string; close(): Promise<void> };
let credentials: { keyId: string; secret: string };

withTestSecrets();
beforeAll(async () => {
  t = await createTestDatabase({ poolMax: 4 });
  setAppDatabase(t.prisma);
  server = await startApiServer();
  resetRateLimiter({ perSecond: 1000, burst: 1000 });
  const user = await createUser(t.prisma, ["CUSTOMER"]);
  const created = await createApiKey(t.prisma, { userId: user.id, label: "interop", scopes: ["read"] });
  if (!created.ok) throw new Error(created.message);
  credentials = { keyId: created.key.keyId, secret: created.secret };
});
afterAll(async () => {
  await server?.close();
  setAppDatabase(undefined);
  await t?.drop();
});

/** GET with the path and query sent exactly as given (no URL library in between). */
function rawGet(pathAndQuery: string, authorization: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname, port, path: pathAndQuery, method: "GET", headers: { authorization } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const QUERIES = [
  "",
  "to=2026-02-01&from=2026-01-01",
  "from=2026-01-01&from=2025-12-31&contractId=b&contractId=a",
  "note=a=b&from=2026-01-01",
  "empty=&bare&from=",
  "q=a%26b&q=a&b",
  "p=1+2&p=1%2B2&p=1%202",
  "pct=100%25&eq=%3D",
  "name=%C3%A9t%C3%A9&city=M%C3%BCnchen",
  "z=1&&a=2",
];

describe("a client that signs from the documentation alone", () => {
  it.each(QUERIES)("is accepted for ?%s", async (query) => {
    const pathAndQuery = `/api/v1/payouts${query ? `?${query}` : ""}`;
    const accepted = await rawGet(
      pathAndQuery,
      independentAuthorization({ ...credentials, method: "GET", pathAndQuery }),
    );
    // Past the signature: 200, or the route's own 400 for parameters it does not take; never 401 or 5xx.
    expect([200, 400], `${accepted.status} ${accepted.body}`).toContain(accepted.status);
    expect(accepted.body).not.toContain("bad_signature");
  });

  it("is refused when it signs a decoded and re-encoded query instead of the one it sent", async () => {
    for (const query of ["note=a=b&from=2026-01-01", "p=1+2", "name=%C3%A9t%C3%A9&city=M%C3%BCnchen&a=%41"]) {
      const reencoded = [...new URLSearchParams(query).entries()]
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .join("&");
      expect(canonicalQuery(reencoded)).not.toBe(canonicalQuery(query));
      const refused = await rawGet(
        `/api/v1/payouts?${query}`,
        independentAuthorization({ ...credentials, method: "GET", pathAndQuery: `/api/v1/payouts?${reencoded}` }),
      );
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "bad_signature" } });
    }
  });

  it("the documented worked example signs to the documented canonical string", () => {
    expect(canonicalQuery("?to=2026-02-01&note=a=b&from=x%20y")).toBe("from=x%20y&note=a=b&to=2026-02-01");
  });
});
