// The worked signing example on /docs/api, run as a reader would run it: the exact strings the
// page renders (./signing-examples.ts) saved to sign.mjs and sign.sh and executed with node and
// with bash + curl + openssl against the /api/v1 handlers over real HTTP, with an API key created
// for a customer who has a settled payout in the example's date range. Both answer 200 with that
// payout, the same body the server gives a request signed by lib/api/hmac.ts.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settleDay } from "../payouts/run";
import { startApiServer } from "../testing/api-server";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createListing } from "../testing/fixtures";
import { btcSnapshot, reportTelemetry, soldContract, type SoldContract } from "../testing/payout-fixtures";
import { setAppDatabase, withTestSecrets } from "../testing/secrets";
import { resetRateLimiter } from "./auth";
import { signRequest } from "./hmac";
import { createApiKey } from "./keys";
import { CURL_SIGNING_EXAMPLE, NODE_SIGNING_EXAMPLE, SIGNING_EXAMPLE_REQUEST } from "./signing-examples";

const run = promisify(execFile);
const DAY = new Date(Date.UTC(2026, 10, 24));

let t: TestDatabase;
let server: { url: string; close(): Promise<void> };
let dir: string;
let env: NodeJS.ProcessEnv;
let contract: SoldContract;
let expected: unknown;

withTestSecrets();
beforeAll(async () => {
  t = await createTestDatabase({ poolMax: 4 });
  setAppDatabase(t.prisma);
  server = await startApiServer();
  resetRateLimiter({ perSecond: 1000, burst: 1000 });
  const market = await createListing(t.prisma, { rigsTh: [40] });
  contract = await soldContract(t.prisma, {
    listingId: market.listingId,
    operatorId: market.operatorId,
    slices: [{ rigId: market.rigIds[0]!, th: 10 }],
    startDay: DAY,
    days: 30,
  });
  await btcSnapshot(t.prisma, DAY);
  await reportTelemetry(t.prisma, market.rigIds[0]!, DAY, 40);
  await settleDay(t.prisma, DAY);
  const created = await createApiKey(t.prisma, {
    userId: contract.customerId,
    label: "docs example",
    scopes: ["read"],
  });
  if (!created.ok) throw new Error(created.message);
  env = {
    NODE_ENV: "test",
    PATH: process.env.PATH,
    HASHLEASE_URL: server.url,
    HASHLEASE_KEY_ID: created.key.keyId,
    HASHLEASE_SECRET: created.secret,
  }; // only these: the example must not lean on anything else of this process
  const url = `${SIGNING_EXAMPLE_REQUEST.path}?${SIGNING_EXAMPLE_REQUEST.query}`;
  const reference = await fetch(`${server.url}${url}`, {
    headers: { authorization: signRequest({ keyId: created.key.keyId, secret: created.secret, method: "GET", url }) },
  });
  expect(reference.status).toBe(200);
  expected = await reference.json();
  dir = mkdtempSync(path.join(tmpdir(), "hashlease-signing-"));
}, 120_000);

afterAll(async () => {
  await server?.close();
  setAppDatabase(undefined);
  await t?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The answer is the customer's one payout of the example's range. */
function expectThePayout(body: unknown) {
  expect(body).toEqual(expected);
  const payouts = (body as { payouts: { contractId: string; day: string; netBase: string }[] }).payouts;
  expect(payouts).toHaveLength(1);
  expect(payouts[0]).toMatchObject({ contractId: contract.contractId, day: "2026-11-24" });
  expect(BigInt(payouts[0]!.netBase)).toBeGreaterThan(0n);
}

describe("the worked signing example of /docs/api", () => {
  it("sorts the query it sends into the documented canonical form", () => {
    const { query, sortedQuery } = SIGNING_EXAMPLE_REQUEST;
    expect(query).not.toBe(sortedQuery);
    expect(NODE_SIGNING_EXAMPLE).toContain(`const query = "${query}"`);
    expect(CURL_SIGNING_EXAMPLE).toContain(`QUERY='${query}'`);
  });

  it("in Node: prints 200 and the payout", async () => {
    const file = path.join(dir, "sign.mjs");
    writeFileSync(file, NODE_SIGNING_EXAMPLE);
    const { stdout } = await run(process.execPath, [file], { env });
    const [status, ...rest] = stdout.trim().split(" ");
    expect(status, stdout).toBe("200");
    expectThePayout(JSON.parse(rest.join(" ")));
  });

  it("in curl and openssl: answers 200 (--fail-with-body) with the payout", async () => {
    const file = path.join(dir, "sign.sh");
    writeFileSync(file, CURL_SIGNING_EXAMPLE);
    const { stdout } = await run("bash", [file], { env });
    expectThePayout(JSON.parse(stdout));
  });

  it("a wrong secret is refused: the examples really sign", async () => {
    const file = path.join(dir, "sign-wrong.mjs");
    writeFileSync(file, NODE_SIGNING_EXAMPLE);
    const { stdout } = await run(process.execPath, [file], { env: { ...env, HASHLEASE_SECRET: "hls_wrong" } });
    expect(stdout).toMatch(/^401 .*bad_signature/);
    await expect(
      run("bash", [path.join(dir, "sign.sh")], { env: { ...env, HASHLEASE_SECRET: "hls_wrong" } }),
    ).rejects.toThrow();
  });
});
