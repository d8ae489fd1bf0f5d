// The live sources' adapters against their APIs' recorded answers (./fixtures/README.md), served
// over real HTTP by a local node:http server: exact figures in the stored units, and the refusal
// of every bad answer (HTTP 500, not JSON, wrong shape, zero difficulty, stale or future
// timestamps, an inconsistent subsidy, a timeout). Plus exact JSON numbers, the review threshold
// and the configuration from the environment. No database.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonNumber, parseExactJson } from "../../shared/exact-json";
import { startFixtureServer, type FixtureServer } from "../../testing/fixture-http";
import type { SnapshotValues } from "../fields";
import { coingeckoSource } from "./coingecko";
import { DEFAULT_REVIEW_THRESHOLD_BPS, liveConfig, reviewThresholdBps } from "./config";
import { BITCOIN, difficultyFromBits, LITECOIN, mempoolSource, subsidyAt } from "./mempool";
import { moveBps, reviewReason } from "./review";
import { NetworkSourceError, type SourceContext } from "./source";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const BLOCKS = fixture("mempool-blocks-730000.json");
const LTC_BLOCKS = fixture("litecoinspace-blocks-2245000.json");
const PRICE_DOC = fixture("coingecko-simple-price.json");
const PRICE_DAY = fixture("coingecko-simple-price-2022-04-01.json");

/** Minutes after block 730000 (2022-04-01 16:10:49 UTC) and the day's price answer. */
const NOW = new Date("2022-04-01T16:30:00Z");
/** Minutes after the documented CoinGecko example's last_updated_at (2024-03-25 08:45 UTC). */
const PRICE_NOW = new Date("2024-03-25T09:00:00Z");

let server: FixtureServer;
const ctx = (over: Partial<SourceContext> = {}): SourceContext => ({ now: NOW, fetch, timeoutMs: 2_000, ...over });

beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
});

async function refusal(promise: Promise<unknown>): Promise<NetworkSourceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NetworkSourceError);
  return error as NetworkSourceError;
}

describe("exact JSON numbers", () => {
  it("keeps every digit and scales by string arithmetic", () => {
    const json = parseExactJson('{"a": 67187.3358936566, "b": [0, -1.5e-3, 230086716765559200000], "s": "12.5"}') as {
      a: JsonNumber;
      b: JsonNumber[];
      s: string;
    };
    expect(json.a.text).toBe("67187.3358936566");
    expect(json.a.scaled(6)).toEqual({ value: 67_187_335_893n, exact: false });
    expect(json.a.scaled(10)).toEqual({ value: 671_873_358_936_566n, exact: true });
    expect(json.b[1]!.scaled(4)).toEqual({ value: -15n, exact: true });
    expect(json.b[2]!.scaled(0).value).toBe(230_086_716_765_559_200_000n);
    expect(new JsonNumber("2.3e20").scaled(0).value).toBe(230_000_000_000_000_000_000n);
    expect(json.s).toBe("12.5"); // strings stay strings
  });

  it("refuses what JSON.parse refuses", () => {
    expect(() => parseExactJson("<html>502 Bad Gateway</html>")).toThrow(SyntaxError);
    expect(() => parseExactJson("[01]")).toThrow(SyntaxError);
    expect(() => parseExactJson('{"a": 1,}')).toThrow(SyntaxError);
  });
});

describe("difficulty and subsidy rules", () => {
  it("reads difficulty from the compact target, rounded down", () => {
    expect(difficultyFromBits(0x1d00ffffn)).toBe(1n); // the genesis target
    expect(difficultyFromBits(386521239n)).toBe(28_587_155_782_195n); // block 730000 (documented 28587155782195.14)
    expect(difficultyFromBits(0x1a01278bn)).toBe(14_532_241n);
    expect(difficultyFromBits(0x1d000000n)).toBeNull(); // zero target
    expect(difficultyFromBits(0x1d800000n)).toBeNull(); // negative target
  });

  it("follows each chain's halving schedule", () => {
    expect(subsidyAt(BITCOIN, 730_000n)).toBe(625_000_000n);
    expect(subsidyAt(BITCOIN, 840_000n)).toBe(312_500_000n);
    expect(subsidyAt(LITECOIN, 2_245_000n)).toBe(1_250_000_000n);
    expect(subsidyAt(LITECOIN, 2_520_000n)).toBe(625_000_000n);
  });
});

describe("mempool.space (BTC) and litecoinspace.org (LTC)", () => {
  it("reads the documented GET /api/v1/blocks answer exactly", async () => {
    server.route("/api/v1/blocks", { body: BLOCKS });
    const figures = await mempoolSource("mempool.space", server.url, BITCOIN).fetchFigures(["BTC"], ctx());
    const url = `${server.url}/api/v1/blocks`;
    const at = { provider: "mempool.space", url, fetchedAt: NOW };
    expect(figures.get("BTC")).toEqual({
      blockTimeMs: 600_000,
      values: {
        difficulty: { value: 28_587_155_782_195n, ...at },
        block_subsidy_base: { value: 625_000_000n, ...at },
        // floor((16,321,983 + 24,090,210) / 2)
        avg_fees_per_block_base: { value: 20_206_096n, ...at },
      },
    });
    expect(server.requests.at(-1)).toBe("/api/v1/blocks");
  });

  it("reads Litecoin's answer with Litecoin's schedule", async () => {
    server.route("/ltc/api/v1/blocks", { body: LTC_BLOCKS });
    const figures = await mempoolSource("litecoinspace.org", `${server.url}/ltc/`, LITECOIN).fetchFigures(
      ["LTC"],
      ctx(),
    );
    expect(figures.get("LTC")?.blockTimeMs).toBe(150_000);
    expect(figures.get("LTC")?.values.difficulty?.value).toBe(14_532_241n);
    expect(figures.get("LTC")?.values.block_subsidy_base?.value).toBe(1_250_000_000n);
    expect(figures.get("LTC")?.values.avg_fees_per_block_base?.value).toBe(100_000n); // floor(200,001 / 2)
    expect(figures.get("LTC")?.values.difficulty?.url).toBe(`${server.url}/ltc/api/v1/blocks`);
  });

  it("refuses stale and future blocks", async () => {
    server.route("/api/v1/blocks", { body: BLOCKS });
    const btc = mempoolSource("mempool.space", server.url, BITCOIN);
    const stale = await refusal(btc.fetchFigures(["BTC"], ctx({ now: new Date("2022-04-01T19:30:00Z") })));
    expect(stale.message).toContain("stale: the latest block (730000) is from 2022-04-01T16:10:49.000Z");
    const future = await refusal(btc.fetchFigures(["BTC"], ctx({ now: new Date("2022-04-01T13:00:00Z") })));
    expect(future.message).toContain("in the future");
  });

  it("refuses a zero or negative difficulty, and a difficulty that disagrees with its bits", async () => {
    const btc = mempoolSource("mempool.space", server.url, BITCOIN);
    server.route("/api/v1/blocks", { body: BLOCKS.replaceAll('"bits": 386521239', '"bits": 486539264') }); // 0x1d000000
    expect((await refusal(btc.fetchFigures(["BTC"], ctx()))).message).toContain("no positive target");
    server.route("/api/v1/blocks", { body: BLOCKS.replaceAll('"bits": 386521239', '"bits": 494927872') }); // 0x1d800000
    expect((await refusal(btc.fetchFigures(["BTC"], ctx()))).message).toContain("difficulty would be 0 or negative");
    server.route("/api/v1/blocks", { body: BLOCKS.replaceAll("28587155782195.14", "0") });
    expect((await refusal(btc.fetchFigures(["BTC"], ctx()))).message).toContain("does not match its bits");
  });

  it("refuses a reward that is not the subsidy at that height plus the fees", async () => {
    server.route("/api/v1/blocks", { body: BLOCKS.replace('"reward": 641321983', '"reward": 1266321983') });
    const error = await refusal(mempoolSource("mempool.space", server.url, BITCOIN).fetchFigures(["BTC"], ctx()));
    expect(error.message).toContain("reward − fees = 1250000000, but the BTC subsidy at that height is 625000000");
  });

  it("refuses HTTP errors, garbage, a wrong shape and an empty list, naming provider and URL", async () => {
    const btc = mempoolSource("mempool.space", server.url, BITCOIN);
    const url = `${server.url}/api/v1/blocks`;
    server.route("/api/v1/blocks", { status: 500, body: "Internal Server Error", contentType: "text/plain" });
    const http = await refusal(btc.fetchFigures(["BTC"], ctx()));
    expect(http.message).toBe(`mempool.space (${url}): HTTP 500: Internal Server Error`);
    expect(http.provider).toBe("mempool.space");
    expect(http.url).toBe(url);
    server.route("/api/v1/blocks", { body: "<html>maintenance</html>", contentType: "text/html" });
    expect((await refusal(btc.fetchFigures(["BTC"], ctx()))).message).toContain("the answer is not JSON");
    server.route("/api/v1/blocks", { body: BLOCKS.replace('"reward": 641321983', '"reward": "641321983"') });
    expect((await refusal(btc.fetchFigures(["BTC"], ctx()))).message).toContain(
      "unexpected answer at 0.extras.reward: expected a number",
    );
    server.route("/api/v1/blocks", { body: BLOCKS.replace('"totalFees": 16321983', '"totalFees": 16321983.5') });
    expect((await refusal(btc.fetchFigures(["BTC"], ctx()))).message).toContain("expected a whole number");
    server.route("/api/v1/blocks", { body: "[]" });
    expect((await refusal(btc.fetchFigures(["BTC"], ctx()))).message).toContain("no blocks in the answer");
  });

  it("gives up after the timeout", async () => {
    server.route("/api/v1/blocks", { body: BLOCKS, delayMs: 1_500 });
    const started = Date.now();
    const error = await refusal(
      mempoolSource("mempool.space", server.url, BITCOIN).fetchFigures(["BTC"], ctx({ timeoutMs: 200 })),
    );
    expect(error.message).toContain("no answer within 200 ms");
    expect(Date.now() - started).toBeLessThan(1_400);
  });

  it("refuses an unreachable server", async () => {
    const error = await refusal(
      mempoolSource("mempool.space", "http://127.0.0.1:1", BITCOIN).fetchFigures(["BTC"], ctx()),
    );
    expect(error.message).toContain("request failed");
  });
});

describe("CoinGecko simple price", () => {
  it("reads the documented answer exactly, truncated to the micro-dollar", async () => {
    server.route("/api/v3/simple/price", { body: PRICE_DOC });
    const figures = await coingeckoSource("coingecko", server.url).fetchFigures(["BTC"], ctx({ now: PRICE_NOW }));
    const url = `${server.url}/api/v3/simple/price?ids=bitcoin&vs_currencies=usd&include_last_updated_at=true`;
    expect(figures.get("BTC")).toEqual({
      values: { price_micro_usd: { value: 67_187_335_893n, provider: "coingecko", url, fetchedAt: PRICE_NOW } },
    });
    expect(server.requests.at(-1)).toBe(
      "/api/v3/simple/price?ids=bitcoin&vs_currencies=usd&include_last_updated_at=true",
    );
  });

  it("sends an API key as CoinGecko's header, never in the URL", async () => {
    server.route("/api/v3/simple/price", { body: PRICE_DOC });
    const figures = await coingeckoSource("coingecko", server.url, "CG-demo-key").fetchFigures(
      ["BTC"],
      ctx({ now: PRICE_NOW }),
    );
    expect(server.headers.at(-1)?.["x-cg-demo-api-key"]).toBe("CG-demo-key");
    expect(figures.get("BTC")?.values.price_micro_usd?.url).not.toContain("CG-demo-key");
    await coingeckoSource("coingecko", server.url).fetchFigures(["BTC"], ctx({ now: PRICE_NOW }));
    expect(server.headers.at(-1)?.["x-cg-demo-api-key"]).toBeUndefined();
  });

  it("asks for several coins at once", async () => {
    server.route("/api/v3/simple/price", { body: PRICE_DAY });
    const figures = await coingeckoSource("coingecko", server.url).fetchFigures(["BTC", "LTC"], ctx());
    expect(figures.get("BTC")?.values.price_micro_usd?.value).toBe(45_813_294_736n);
    expect(figures.get("LTC")?.values.price_micro_usd?.value).toBe(123_108_709n);
    expect(server.requests.at(-1)).toBe(
      "/api/v3/simple/price?ids=bitcoin%2Clitecoin&vs_currencies=usd&include_last_updated_at=true",
    );
  });

  it("refuses a stale, missing, zero or negative price", async () => {
    const gecko = coingeckoSource("coingecko", server.url);
    server.route("/api/v3/simple/price", { body: PRICE_DOC });
    const stale = await refusal(gecko.fetchFigures(["BTC"], ctx({ now: new Date("2024-03-25T10:00:01Z") })));
    expect(stale.message).toContain("bitcoin: stale: last updated 2024-03-25T08:45:00.000Z");
    expect((await refusal(gecko.fetchFigures(["BTC", "LTC"], ctx({ now: PRICE_NOW })))).message).toContain(
      "litecoin: no price in the answer",
    );
    server.route("/api/v3/simple/price", { body: PRICE_DOC.replace("67187.3358936566", "0.0000001") });
    expect((await refusal(gecko.fetchFigures(["BTC"], ctx({ now: PRICE_NOW })))).message).toContain(
      "the price is 0 or negative",
    );
    server.route("/api/v3/simple/price", { body: PRICE_DOC.replace("67187.3358936566", "-5") });
    expect((await refusal(gecko.fetchFigures(["BTC"], ctx({ now: PRICE_NOW })))).message).toContain(
      "the price is 0 or negative",
    );
  });
});

describe("the review threshold", () => {
  const day = new Date("2022-04-01T00:00:00Z");
  const previous: SnapshotValues = {
    coin: "BTC",
    day: new Date("2022-03-31T00:00:00Z"),
    difficulty: 1_000_000n,
    networkHashrateHs: null,
    blockTimeMs: 600_000,
    blockSubsidyBase: 625_000_000n,
    avgFeesPerBlockBase: 10_000_000n,
    priceMicroUsd: 40_000_000_000n,
    source: "test",
  };
  const next = (over: Partial<SnapshotValues>): SnapshotValues => ({ ...previous, day, source: "live", ...over });

  it("measures moves in basis points, rounded down", () => {
    expect(moveBps(100n, 120n)).toBe(2_000n);
    expect(moveBps(100n, 80n)).toBe(2_000n);
    expect(moveBps(3n, 4n)).toBe(3_333n);
    expect(moveBps(0n, 0n)).toBe(0n);
    expect(moveBps(0n, 1n)).toBeNull();
  });

  it("holds a day whose figure moved more than the threshold, not one at or within it", () => {
    expect(reviewReason(next({ priceMicroUsd: 48_000_000_000n }), previous, 2_000n)).toBeNull(); // exactly +20 %
    expect(reviewReason(next({ avgFeesPerBlockBase: 8_000_000n }), previous, 2_000n)).toBeNull(); // −20 %
    expect(reviewReason(next({ priceMicroUsd: 48_000_000_001n }), previous, 2_000n)).toBe(
      "moved more than 20.00 % from 2022-03-31: price +20.00 % (40000000000 → 48000000001)",
    );
    expect(reviewReason(next({ difficulty: 700_000n, blockSubsidyBase: 312_500_000n }), previous, 2_000n)).toBe(
      "moved more than 20.00 % from 2022-03-31: difficulty −30.00 % (1000000 → 700000); block subsidy −50.00 % (625000000 → 312500000)",
    );
    expect(reviewReason(next({ priceMicroUsd: 44_000_000_000n }), previous, 500n)).toContain("price +10.00 %");
    expect(reviewReason(next({}), { ...previous, avgFeesPerBlockBase: 0n }, 2_000n)).toContain("fees per block +∞");
  });

  it("holds a day with no day before to compare with", () => {
    expect(reviewReason(next({}), null, 2_000n)).toBe("no snapshot of 2022-03-31 to compare with");
  });
});

describe("configuration from the environment", () => {
  it("runs nothing unless a chain source and the price source have base URLs", () => {
    expect(liveConfig({})).toBeNull();
    expect(liveConfig({ HASHLEASE_NETWORK_PROVIDER_URL_MEMPOOL: "https://mempool.space" })).toBeNull();
    expect(liveConfig({ HASHLEASE_NETWORK_PROVIDER_URL_COINGECKO: "https://api.coingecko.com" })).toBeNull();
    const config = liveConfig({
      HASHLEASE_NETWORK_PROVIDER_URL_MEMPOOL: "https://mempool.space",
      HASHLEASE_NETWORK_PROVIDER_URL_LITECOINSPACE: "https://litecoinspace.org",
      HASHLEASE_NETWORK_PROVIDER_URL_COINGECKO: "https://api.coingecko.com",
      HASHLEASE_NETWORK_REVIEW_THRESHOLD_PCT: "12.5",
      HASHLEASE_NETWORK_FETCH_TIMEOUT_MS: "5000",
    });
    expect(config?.chains.map((c) => [c.name, c.coins])).toEqual([
      ["mempool.space", ["BTC"]],
      ["litecoinspace.org", ["LTC"]],
    ]);
    expect(config?.price.name).toBe("coingecko");
    expect(config?.thresholdBps).toBe(1_250n);
    expect(config?.timeoutMs).toBe(5_000);
  });

  it("defaults the threshold to 20 % and refuses nonsense loudly", () => {
    expect(reviewThresholdBps({})).toBe(DEFAULT_REVIEW_THRESHOLD_BPS);
    expect(DEFAULT_REVIEW_THRESHOLD_BPS).toBe(2_000n);
    expect(() => reviewThresholdBps({ HASHLEASE_NETWORK_REVIEW_THRESHOLD_PCT: "0" })).toThrow(/positive percentage/);
    expect(() => reviewThresholdBps({ HASHLEASE_NETWORK_REVIEW_THRESHOLD_PCT: "twenty" })).toThrow(
      /positive percentage/,
    );
    expect(() =>
      liveConfig({
        HASHLEASE_NETWORK_PROVIDER_URL_MEMPOOL: "ftp://mempool.space",
        HASHLEASE_NETWORK_PROVIDER_URL_COINGECKO: "https://api.coingecko.com",
      }),
    ).toThrow(/http\(s\) URL/);
  });
});
