// Hashprice history read from a real database (PGlite, or PostgreSQL with DATABASE_URL): the
// numeric columns travel exactly, the window is inclusive UTC days, a coin with no snapshot in
// the window is still listed (with no days), and the figures are the hand-computed ones of
// lib/profitability/hashprice.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { btcSnapshotData, ensureBtc } from "../testing/fixtures";
import { averageGrossMicroUsd, defaultHashpriceWindow, hashpriceHistory } from "./hashprice";

const TH = 1_000_000_000_000n;
const day = (text: string) => new Date(`${text}T00:00:00Z`);

let database: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = database.prisma;
  await ensureBtc(prisma); // BTC, 1.5 % pool fee, TH/s; and a snapshot on 2020-01-01
  await prisma.coin.create({
    data: {
      asset: "KAS",
      name: "Kaspa",
      algorithm: "KHEAVYHASH",
      decimals: 8,
      difficultyBased: false,
      poolFeeBps: 200,
      hashrateUnitHs: TH,
      hashrateUnitLabel: "TH/s",
      withdrawalMinBase: 0,
      withdrawalFeeBase: 0,
      reviewThresholdBase: 0,
      dailyLimitBase: 0,
    },
  });
  await prisma.networkSnapshot.createMany({
    data: [
      btcSnapshotData(day("2026-11-01")),
      btcSnapshotData(day("2026-11-02"), 100_000_000_000n),
      btcSnapshotData(day("2026-11-04")),
      {
        coin: "KAS",
        day: day("2026-10-01"),
        networkHashrateHs: "7000000000000000000",
        blockTimeMs: 1_000,
        blockSubsidyBase: "9000000000",
        avgFeesPerBlockBase: "1000000000",
        priceMicroUsd: 12_345_678n,
        source: "test",
      },
    ],
  });
});

afterAll(async () => {
  await database?.drop();
});

describe("hashpriceHistory", () => {
  it("answers every coin's days in the window, oldest first, with the hand-computed figures", async () => {
    const histories = await hashpriceHistory(prisma, { from: day("2026-11-01"), to: day("2026-11-03") });
    expect(histories.map((h) => h.coin)).toEqual(["BTC", "KAS"]);
    const [btc, kas] = histories;
    expect(btc).toMatchObject({ coinName: "Bitcoin", decimals: 8, poolFeeBps: 150, unitHs: TH, unitLabel: "TH/s" });
    // 2026-11-04 is after the window and 2020-01-01 before it; 2026-11-03 has no snapshot.
    expect(btc!.days.map((d) => d.day.toISOString().slice(0, 10))).toEqual(["2026-11-01", "2026-11-02"]);
    expect(btc!.days[0]).toMatchObject({
      grossMicroBase: 43_250_620n,
      afterPoolFeeMicroBase: 42_601_860n,
      grossMicroUsd: 41_088n,
      afterPoolFeeMicroUsd: 40_471n,
      priceMicroUsd: 95_000_000_000n,
      networkHashrateHs: 1_073_741_824_000_000_000_000n,
    });
    // At $100,000 (1 sat = 1,000 µUSD): 43,250,620e-6 sat = 43,250.62 µUSD -> 43,250.
    expect(btc!.days[1]).toMatchObject({ grossMicroBase: 43_250_620n, grossMicroUsd: 43_250n });
    expect(averageGrossMicroUsd(btc!.days, 30)).toBe(42_169n); // floor((41,088 + 43,250) / 2)
    expect(averageGrossMicroUsd(btc!.days, 1)).toBe(43_250n);
    expect(kas!.days).toEqual([]);
    expect(averageGrossMicroUsd(kas!.days, 7)).toBeNull();
  });

  it("reads a network hashrate beyond 2^53 exactly, and limits to the coins asked for", async () => {
    const [kas, ...rest] = await hashpriceHistory(prisma, {
      from: day("2026-10-01"),
      to: day("2026-10-01"),
      coins: ["KAS"],
    });
    expect(rest).toEqual([]);
    expect(kas!.days).toHaveLength(1);
    expect(kas!.days[0]).toMatchObject({
      networkHashrateHs: 7_000_000_000_000_000_000n,
      grossMicroBase: 123_428_571_428_571n,
      afterPoolFeeMicroBase: 120_959_999_999_999n,
      grossMicroUsd: 15_238_093n,
      afterPoolFeeMicroUsd: 14_933_332n,
    });
  });

  it("defaults to the 90 UTC days ending on the given day", () => {
    const window = defaultHashpriceWindow(new Date("2026-12-07T13:45:00Z"));
    expect(window.to.toISOString()).toBe("2026-12-07T00:00:00.000Z");
    expect(window.from.toISOString()).toBe("2026-09-09T00:00:00.000Z");
  });
});
