// Failed Stratum authorisations are limited per address across every Stratum instance on the
// database: a guesser spread over two instances and many connections is cut off on both, a right
// secret does not spend the limit, and the cut-off is said before the connection closes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../security/rate-limit";
import { loggedInRig, startTestProxy, type TestProxy } from "../testing/stratum";
import { withTestDatabase } from "../testing/test-database";
import { StratumClient } from "./client";
import type { IssuedCredentials } from "./credentials";

const t = withTestDatabase();
let first: TestProxy;
let second: TestProxy;
let login: IssuedCredentials;

beforeAll(async () => {
  ({ login } = await loggedInRig(t.prisma));
  const options = { coins: ["BTC" as const], initialExp: { SHA256: -22 } };
  first = await startTestProxy(t.prisma, options);
  second = await startTestProxy(t.prisma, options);
}, 60_000);

afterAll(async () => {
  await first?.stop();
  await second?.stop();
});

async function subscribed(proxy: TestProxy): Promise<StratumClient> {
  const client = await StratumClient.connect(proxy.server.port);
  await client.request("mining.subscribe", ["test/1.0"]);
  return client;
}

describe("failed Stratum authorisations", () => {
  it("are counted per address on every instance; past the limit even the right secret is refused", async () => {
    const { points } = RATE_LIMITS["stratum-authorize-ip"];
    let failures = 0;
    // Three wrong guesses per connection (a connection is dropped after five), alternating instances.
    for (let connection = 0; failures < points - 1; connection++) {
      const client = await subscribed(connection % 2 ? second : first);
      for (let guess = 0; guess < 3 && failures < points - 1; guess++, failures++) {
        const r = await client.request("mining.authorize", [login.workerName, `wrong-${failures}`]);
        expect(r.error).toEqual([24, "Unauthorized worker", null]);
      }
      client.close();
    }
    // One failure left: the right secret still works, and spends nothing.
    const good = await subscribed(second);
    expect((await good.request("mining.authorize", [login.workerName, login.secret])).result).toBe(true);
    good.close();
    const last = await subscribed(first);
    expect((await last.request("mining.authorize", [login.workerName, "wrong-last"])).error).toEqual([
      24,
      "Unauthorized worker",
      null,
    ]);
    last.close();

    for (const proxy of [first, second]) {
      const client = await subscribed(proxy);
      const closed = new Promise<void>((resolve) => client.onClose(resolve));
      const r = await client.request("mining.authorize", [login.workerName, login.secret]);
      expect(r.result).toBe(false);
      expect(r.error?.[1]).toMatch(/^Too many failed authorisations from this address; try again in \d+ minutes?$/);
      await closed;
    }
  }, 60_000);
});
