// Network snapshots on a real database: field validation and its messages, exact parsing of
// human figures, the audited entry/correction, the all-or-nothing CSV import with errors per
// line, and filling missing days from a provider (the demo generator and a provider that
// answers nonsense).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../db/client";
import { generateMissingRows, NETWORK_PROFILES, utcDayNumber } from "../demo/network";
import { dayText, parseDay } from "../shared/days";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { auditLines, btcSnapshotFields, createUser, ensureBtc, ensureCoin } from "../testing/fixtures";
import { importSnapshotCsv, sampleSnapshotCsv } from "./csv-import";
import { parseSnapshot, snapshotFields, type SnapshotCoin, type SnapshotFields } from "./fields";
import { demoNetworkProvider, fillMissingDays, type NetworkDataProvider } from "./provider";
import { findSnapshot, saveSnapshot, snapshotCoins } from "./snapshots";

const NOW = new Date("2026-11-23T15:30:00Z");
const BTC: SnapshotCoin = { asset: "BTC", name: "Bitcoin", decimals: 8, difficultyBased: true };
const KAS: SnapshotCoin = { asset: "KAS", name: "Kaspa", decimals: 8, difficultyBased: false };
const ETC: SnapshotCoin = { asset: "ETC", name: "Ethereum Classic", decimals: 18, difficultyBased: false };
const COINS = [BTC, KAS, ETC];

const btcFields = (over: Partial<SnapshotFields> = {}): SnapshotFields => ({
  ...btcSnapshotFields("2026-11-22"),
  ...over,
});

const kasFields = (over: Partial<SnapshotFields> = {}): SnapshotFields => ({
  ...btcFields(),
  coin: "KAS",
  difficulty: "",
  networkHashrate: "900.5",
  hashrateUnit: "PH/s",
  blockTime: "0.1",
  blockSubsidy: "35.94",
  avgFees: "0.002",
  price: "$0.0912",
  source: "kas.fyi",
  ...over,
});

function errorsOf(fields: SnapshotFields, coins = COINS) {
  const parsed = parseSnapshot(fields, coins, NOW);
  if (parsed.ok)
    throw new Error(
      `expected a refusal, got ${JSON.stringify(parsed.value, (_, v) => (typeof v === "bigint" ? v.toString() : v))}`,
    );
  return parsed.fieldErrors;
}

describe("validating one snapshot", () => {
  it("parses human figures exactly, without floats", () => {
    const btc = parseSnapshot(btcFields(), COINS, NOW);
    expect(btc).toEqual({
      ok: true,
      value: {
        coin: "BTC",
        day: new Date("2026-11-22T00:00:00Z"),
        difficulty: 152_271_405_447_908n,
        networkHashrateHs: null,
        blockTimeMs: 600_000,
        blockSubsidyBase: 312_500_000n,
        avgFeesPerBlockBase: 2_500_000n,
        priceMicroUsd: 97_250_120_000n,
        source: "mempool.space",
      },
    });
    const kas = parseSnapshot(kasFields(), COINS, NOW);
    expect(kas.ok && kas.value).toMatchObject({
      difficulty: null,
      networkHashrateHs: 900_500_000_000_000_000n,
      blockTimeMs: 100,
      blockSubsidyBase: 3_594_000_000n,
      avgFeesPerBlockBase: 200_000n,
      priceMicroUsd: 91_200n,
    });
    // 18 decimals and a price with every micro-dollar digit: no float could carry these.
    const etc = parseSnapshot(
      kasFields({
        coin: "ETC",
        networkHashrate: "220.123456789012",
        hashrateUnit: "TH/s",
        blockTime: "13",
        blockSubsidy: "1.638400000000000001",
        avgFees: "0",
        price: "9,007,199.254741",
      }),
      COINS,
      NOW,
    );
    expect(etc.ok && etc.value).toMatchObject({
      networkHashrateHs: 220_123_456_789_012n,
      blockTimeMs: 13_000,
      blockSubsidyBase: 1_638_400_000_000_000_001n,
      avgFeesPerBlockBase: 0n,
      priceMicroUsd: 9_007_199_254_741n,
    });
  });

  it("explains a bad price, amount or block time", () => {
    expect(errorsOf(btcFields({ price: "97,25.12" })).price).toBe(
      "Enter the price in US dollars per coin as digits with an optional decimal point and thousands commas, e.g. 97,250.12.",
    );
    expect(errorsOf(btcFields({ price: "0.0000001" })).price).toBe(
      "The price can have at most 6 decimals in US dollars per coin.",
    );
    expect(errorsOf(btcFields({ price: "0" })).price).toBe("The price must be more than 0.");
    expect(errorsOf(btcFields({ price: "-5" })).price).toMatch(/^Enter the price in US dollars per coin as digits/);
    expect(errorsOf(btcFields({ price: "" })).price).toBe("Enter the price in US dollars per coin, e.g. 97,250.12.");
    expect(errorsOf(btcFields({ blockSubsidy: "3.123456789" })).blockSubsidy).toBe(
      "The block subsidy can have at most 8 decimals in BTC.",
    );
    expect(errorsOf(btcFields({ blockSubsidy: "0" })).blockSubsidy).toBe("The block subsidy must be more than 0.");
    expect(errorsOf(btcFields({ avgFees: "1e3" })).avgFees).toMatch(
      /^Enter the average fees per block in BTC as digits/,
    );
    expect(errorsOf(btcFields({ blockTime: "0.0001" })).blockTime).toBe(
      "The target block time can have at most 3 decimals in seconds.",
    );
    expect(errorsOf(btcFields({ blockTime: "7200" })).blockTime).toBe(
      "The target block time is implausibly large; check the figure and its unit.",
    );
    expect(errorsOf(btcFields({ source: " " })).source).toMatch(/^Enter where the figures come from/);
  });

  it("takes difficulty only for difficulty-based coins and hashrate otherwise", () => {
    expect(errorsOf(btcFields({ networkHashrate: "1000", hashrateUnit: "EH/s" })).networkHashrate).toBe(
      "BTC is difficulty-based: enter its difficulty and leave the network hashrate empty (it is derived as D × 2³² / T).",
    );
    expect(errorsOf(btcFields({ difficulty: "" })).difficulty).toBe(
      "Enter the difficulty in whole units, e.g. 152,271,405,447,908.",
    );
    expect(errorsOf(btcFields({ difficulty: "152271405447908.62" })).difficulty).toBe(
      "The difficulty must be a whole number.",
    );
    expect(errorsOf(kasFields({ difficulty: "5" })).difficulty).toBe(
      "KAS publishes its network hashrate, not a difficulty: leave the difficulty empty and enter the hashrate.",
    );
    expect(errorsOf(kasFields({ hashrateUnit: "ZH/s" })).hashrateUnit).toBe(
      "Choose the hashrate unit: H/s, kH/s, MH/s, GH/s, TH/s, PH/s, EH/s.",
    );
    expect(errorsOf(kasFields({ networkHashrate: "0.5", hashrateUnit: "H/s" })).networkHashrate).toBe(
      "The network hashrate must be a whole number.",
    );
  });

  it("refuses unknown coins, malformed days and days in the future; today is fine", () => {
    expect(errorsOf(btcFields({ coin: "DOGE" })).coin).toBe(
      "“DOGE” is not a coin of the platform; use one of BTC, KAS, ETC.",
    );
    expect(errorsOf(btcFields({ day: "2026-02-30" })).day).toBe(
      "“2026-02-30” is not a calendar day; write it as YYYY-MM-DD, e.g. 2026-11-22.",
    );
    expect(errorsOf(btcFields({ day: "22/11/2026" })).day).toMatch(/is not a calendar day/);
    expect(errorsOf(btcFields({ day: "2026-11-24" })).day).toBe(
      "2026-11-24 is in the future; the latest day you can enter is today, 2026-11-23 (UTC).",
    );
    expect(parseSnapshot(btcFields({ day: "2026-11-23" }), COINS, NOW).ok).toBe(true);
  });

  it("reports every bad field at once", () => {
    expect(Object.keys(errorsOf(btcFields({ price: "x", blockTime: "", source: "" }))).sort()).toEqual([
      "blockTime",
      "price",
      "source",
    ]);
  });

  it("turns stored values back into the same form text", () => {
    for (const fields of [btcFields(), kasFields()]) {
      const parsed = parseSnapshot(fields, COINS, NOW);
      if (!parsed.ok) throw new Error("fixture should parse");
      const again = parseSnapshot(
        snapshotFields(
          parsed.value,
          COINS.find((c) => c.asset === fields.coin)!,
        ),
        COINS,
        NOW,
      );
      expect(again).toEqual(parsed);
    }
  });
});

let t: TestDatabase;
let prisma: PrismaClient;
let adminId: string;
let customerId: string;

const day = (back: number) =>
  dayText(new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate() - back)));

beforeAll(async () => {
  t = await createTestDatabase();
  prisma = t.prisma;
  await ensureBtc(prisma);
  await ensureCoin(prisma, "KAS");
  adminId = (await createUser(prisma, ["ADMIN"])).id;
  customerId = (await createUser(prisma, ["CUSTOMER", "OPERATOR"])).id;
}, 120_000);

afterAll(async () => {
  await t?.drop();
});

describe("entering and correcting a snapshot", () => {
  it("refuses anyone but an admin and writes nothing", async () => {
    const parsed = parseSnapshot(btcFields({ day: day(5) }), await snapshotCoins(prisma), NOW);
    if (!parsed.ok) throw new Error("fixture should parse");
    for (const actorId of [customerId, "00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      expect(await saveSnapshot(prisma, { actorId, snapshot: parsed.value })).toEqual({
        ok: false,
        code: "FORBIDDEN",
        message: "Only an admin can do this.",
      });
    }
    const frozen = await createUser(prisma, ["ADMIN"]);
    await prisma.user.update({ where: { id: frozen.id }, data: { frozenAt: new Date() } });
    expect((await saveSnapshot(prisma, { actorId: frozen.id, snapshot: parsed.value })).ok).toBe(false);
    expect(await findSnapshot(prisma, "BTC", parseDay(day(5))!)).toBeNull();
  });

  it("enters, corrects and leaves unchanged, each change audited with before and after", async () => {
    const coins = await snapshotCoins(prisma);
    const first = parseSnapshot(btcFields({ day: day(5) }), coins, NOW);
    if (!first.ok) throw new Error("fixture should parse");
    const created = await saveSnapshot(prisma, { actorId: adminId, snapshot: first.value, ip: "203.0.113.7" });
    expect(created).toMatchObject({ ok: true, outcome: "created", payoutsOnDay: 0 });

    const corrected = parseSnapshot(btcFields({ day: day(5), price: "97,251.000001", source: "coinbase" }), coins, NOW);
    if (!corrected.ok) throw new Error("fixture should parse");
    expect(await saveSnapshot(prisma, { actorId: adminId, snapshot: corrected.value })).toMatchObject({
      ok: true,
      outcome: "updated",
      payoutsOnDay: 0,
    });
    expect(await saveSnapshot(prisma, { actorId: adminId, snapshot: corrected.value })).toMatchObject({
      ok: true,
      outcome: "unchanged",
    });

    const stored = await findSnapshot(prisma, "BTC", parseDay(day(5))!);
    expect(stored).toMatchObject({
      priceMicroUsd: 97_251_000_001n,
      difficulty: 152_271_405_447_908n,
      source: "coinbase",
    });

    const entered = await auditLines(prisma, "network_snapshot.entered");
    const corrections = await auditLines(prisma, "network_snapshot.corrected");
    expect(entered).toHaveLength(1);
    expect(entered[0]).toMatchObject({ actorId: adminId, entityId: `BTC:${day(5)}`, ip: "203.0.113.7" });
    expect(entered[0]!.details).toMatchObject({
      before: null,
      after: { priceMicroUsd: "97250120000", difficulty: "152271405447908" },
    });
    expect(corrections).toHaveLength(1); // the unchanged save wrote nothing
    expect(corrections[0]!.details).toMatchObject({
      before: { priceMicroUsd: "97250120000", source: "mempool.space" },
      after: { priceMicroUsd: "97251000001", source: "coinbase" },
      payoutsOnDay: 0,
    });
  });
});

function csv(lines: string[]): string {
  return `coin,day,difficulty,network_hashrate,hashrate_unit,block_time_s,block_subsidy,avg_fees_per_block,price_usd,source\n${lines.join("\n")}\n`;
}

describe("importing snapshots from CSV", () => {
  it("imports a good file in one go, audited, and corrects rows it repeats", async () => {
    const content = csv([
      `BTC,${day(10)},152271405447908,,,600,3.125,0.025,"97,250.12",mempool.space`,
      `KAS,${day(10)},,900.5,PH/s,0.1,35.94,0.002,0.0912,`,
      `"KAS","${day(9)}","","905","ph/s","0.1","35.94","0.0025","$0.0931","kas.fyi"`,
    ]);
    const result = await importSnapshotCsv(prisma, {
      actorId: adminId,
      content,
      byteLength: content.length,
      fileName: "net.csv",
      now: NOW,
    });
    expect(result).toMatchObject({ ok: true, created: 3, updated: 0, unchanged: 0 });
    expect(await findSnapshot(prisma, "KAS", parseDay(day(10))!)).toMatchObject({
      networkHashrateHs: 900_500_000_000_000_000n,
      priceMicroUsd: 91_200n,
      source: "csv import",
    });
    expect(await findSnapshot(prisma, "BTC", parseDay(day(10))!)).toMatchObject({ priceMicroUsd: 97_250_120_000n });

    const again = csv([
      `KAS,${day(9)},,905,PH/s,0.1,35.94,0.0025,0.0935,kas.fyi`,
      `KAS,${day(10)},,900.5,PH/s,0.1,35.94,0.002,0.0912,csv import`,
    ]);
    const second = await importSnapshotCsv(prisma, {
      actorId: adminId,
      content: again,
      byteLength: again.length,
      now: NOW,
    });
    expect(second).toMatchObject({ ok: true, created: 0, updated: 1, unchanged: 1 });
    expect((await findSnapshot(prisma, "KAS", parseDay(day(9))!))?.priceMicroUsd).toBe(93_500n);

    const lines = await auditLines(prisma, "network_snapshots.imported");
    expect(lines).toHaveLength(2);
    expect(lines[0]!.details).toMatchObject({
      fileName: "net.csv",
      rows: 3,
      created: [`BTC|${day(10)}`, `KAS|${day(10)}`, `KAS|${day(9)}`],
    });
    expect(lines[1]!.details).toMatchObject({
      corrections: [{ before: { priceMicroUsd: "93100" }, after: { priceMicroUsd: "93500" }, payoutsOnDay: 0 }],
    });
  });

  it("imports nothing when any row is bad, and lists every problem with its line", async () => {
    const before = await prisma.networkSnapshot.count();
    const auditBefore = await prisma.auditLog.count();
    const content = csv([
      `BTC,${day(20)},152271405447908,,,600,3.125,0.025,97250.12,ok row`,
      `BTC,${day(21)},,1000,EH/s,600,3.125,0.025,97250.12,hashrate for btc`,
      `KAS,2026-13-01,,905,PH/s,0.1,35.94,0.0025,0.0931,bad day`,
      `KAS,${day(22)},,905,PH/s,0.1,35.94`,
      `"BTC","${day(20)}","152271405447908","","","600","3.125","0.025","97250.12","repeat of line 2"`,
      `KAS,${day(23)},,905,PH/s,0.1,35.94,0.0025,"0,0931","multi`,
      `line source"`,
      `DOGE,${day(24)},1,,,60,10000,1,0.16,unknown coin`,
    ]);
    const result = await importSnapshotCsv(prisma, { actorId: adminId, content, byteLength: content.length, now: NOW });
    expect(result.ok).toBe(false);
    if (result.ok || result.code !== "INVALID") throw new Error("expected INVALID");
    expect(result.message).toBe("Nothing was imported: 8 problems in 6 rows. Fix the file and upload it again.");
    expect(result.errors.map((e) => [e.line, e.field])).toEqual([
      [3, "difficulty"],
      [3, "network_hashrate"],
      [4, "day"],
      [5, "row"],
      [6, "day"],
      [7, "price_usd"],
      [7, "source"], // a line break inside a field is read, then refused for the source
      [9, "coin"],
    ]);
    expect(result.errors[4]!.message).toBe(`BTC on ${day(20)} is already on line 2 of this file.`);
    expect(result.errors[3]!.message).toBe("This row has 7 fields; the header has 10.");
    expect(await prisma.networkSnapshot.count()).toBe(before);
    expect(await prisma.auditLog.count()).toBe(auditBefore);
  });

  it("refuses a file without the right header, an empty file and a broken quote", async () => {
    const run = (content: string) =>
      importSnapshotCsv(prisma, { actorId: adminId, content, byteLength: content.length, now: NOW });
    const header = await run("coin,day,price_usd\nBTC,2026-11-01,1\n");
    expect(!header.ok && "errors" in header && header.errors[0]).toMatchObject({ line: 1, field: "header" });
    expect(!header.ok && header.message).toMatch(/^Nothing was imported: 1 problem in 1 row/);
    const empty = await run("");
    expect(!empty.ok && empty.message).toMatch(/^The file is empty/);
    const quote = await run(csv([`BTC,${day(3)},1,,,600,3.125,0.025,"97250.12,open`]));
    expect(!quote.ok && "errors" in quote && quote.errors[0]).toMatchObject({
      field: "file",
      message: 'A quoted field is never closed (a " is missing).',
    });
    expect((await run(csv([`BTC,${day(3)},1,,,600,3.125,0.025,1,x`]))).ok).toBe(true);
  });

  it("refuses a non-admin", async () => {
    const content = csv([`BTC,${day(30)},152271405447908,,,600,3.125,0.025,97250.12,x`]);
    expect(
      await importSnapshotCsv(prisma, { actorId: customerId, content, byteLength: content.length, now: NOW }),
    ).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    expect(await findSnapshot(prisma, "BTC", parseDay(day(30))!)).toBeNull();
  });

  it("offers a sample file that imports as it is", async () => {
    const sample = sampleSnapshotCsv(new Date(Date.UTC(2026, 9, 10)));
    const result = await importSnapshotCsv(prisma, {
      actorId: adminId,
      content: sample,
      byteLength: sample.length,
      now: NOW,
    });
    expect(result).toMatchObject({ ok: true, created: 4 });
    expect((await findSnapshot(prisma, "BTC", parseDay("2026-10-09")!))?.priceMicroUsd).toBe(97_980_500_000n);
  });
});

describe("filling missing days from a provider", () => {
  it("asks the demo generator for the missing days only, continuing its walk from the stored day", async () => {
    // KAS has day(10) and day(9) stored; BTC day(10) and day(5); fill day(12)..day(7).
    const from = parseDay(day(12))!;
    const to = parseDay(day(7))!;
    const result = await fillMissingDays(prisma, demoNetworkProvider, {
      from,
      to,
      coins: ["BTC", "KAS"],
      actorId: adminId,
      now: NOW,
    });
    expect(result.skipped).toEqual([]);
    expect(result.filled).toEqual([
      { coin: "BTC", day: day(12) },
      { coin: "BTC", day: day(11) },
      { coin: "BTC", day: day(9) },
      { coin: "BTC", day: day(8) },
      { coin: "BTC", day: day(7) },
      { coin: "KAS", day: day(12) },
      { coin: "KAS", day: day(11) },
      { coin: "KAS", day: day(8) },
      { coin: "KAS", day: day(7) },
    ]);
    // Stored rows are untouched; the day after a stored one continues from its values.
    const kas9 = await findSnapshot(prisma, "KAS", parseDay(day(9))!);
    expect(kas9?.priceMicroUsd).toBe(93_500n);
    const kas8 = await findSnapshot(prisma, "KAS", parseDay(day(8))!);
    const profile = NETWORK_PROFILES.find((p) => p.coin === "KAS")!;
    const dayNumber = utcDayNumber(parseDay(day(8))!);
    const [expected] = generateMissingRows(
      profile,
      dayNumber,
      dayNumber,
      new Map([[dayNumber - 1, { measure: kas9!.networkHashrateHs!, priceMicroUsd: kas9!.priceMicroUsd }]]),
    );
    expect(kas8).toMatchObject({
      source: "demo",
      priceMicroUsd: expected!.priceMicroUsd,
      networkHashrateHs: BigInt(expected!.networkHashrateHs!),
    });
    expect((await findSnapshot(prisma, "BTC", parseDay(day(9))!))?.difficulty).toBeGreaterThan(0n);

    const filled = await auditLines(prisma, "network_snapshots.filled");
    expect(filled).toHaveLength(1);
    expect(filled[0]!.details).toMatchObject({ provider: "demo", from: day(12), to: day(7) });

    // A second fill finds nothing missing; days after today are never asked for.
    expect(await fillMissingDays(prisma, demoNetworkProvider, { from, to, coins: ["BTC", "KAS"], now: NOW })).toEqual({
      filled: [],
      skipped: [],
    });
  });

  it("stores nothing a provider gets wrong and says why", async () => {
    const asked: string[] = [];
    const broken: NetworkDataProvider = {
      name: "broken-feed",
      async fetchSnapshot(coin, d) {
        asked.push(`${coin.asset}:${dayText(d)}`);
        if (dayText(d) === day(40)) return null;
        return {
          coin: coin.asset,
          day: d,
          difficulty: null,
          networkHashrateHs: 5n,
          blockTimeMs: 600_000,
          blockSubsidyBase: 1n,
          avgFeesPerBlockBase: 0n,
          priceMicroUsd: 0n,
          source: "x",
        };
      },
    };
    const result = await fillMissingDays(prisma, broken, {
      from: parseDay(day(41))!,
      to: parseDay(day(40))!,
      coins: ["BTC"],
      now: NOW,
    });
    expect(asked).toEqual([`BTC:${day(41)}`, `BTC:${day(40)}`]);
    expect(result.filled).toEqual([]);
    expect(result.skipped).toEqual([
      { coin: "BTC", day: day(41), reason: expect.stringContaining("BTC is difficulty-based") },
      { coin: "BTC", day: day(40), reason: "broken-feed has no data for this day" },
    ]);
    expect(result.skipped[0]!.reason).toContain("The price must be more than 0.");
    expect(await findSnapshot(prisma, "BTC", parseDay(day(41))!)).toBeNull();
  });
});
