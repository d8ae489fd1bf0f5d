// The demo seed against a real, migrated database (PostgreSQL from DATABASE_URL, else the
// embedded PGlite): content minimums, idempotency (also under two concurrent runs), and the
// self-extending network snapshots; the demo withdrawer (2FA, a usable address, a withdrawal in
// every state, one review item) and that it can really withdraw.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../auth/password";
import { totpCodeFor } from "../auth/totp";
import { ListingStatus, Role } from "../generated/prisma/enums";
import { balanceOf } from "../ledger/ledger";
import { DAY_MS } from "../shared/days";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { reviewQueue } from "../wallet/withdrawal-queries";
import { requestWithdrawal } from "../wallet/withdrawal-request";
import { generateMissingRows, NETWORK_PROFILES, utcDayNumber } from "./network";
import { DEMO_PASSWORD, DEMO_USERS, extendNetworkSnapshots, seedDemoData, type SeedSummary } from "./seed";
import {
  DEMO_WITHDRAWALS,
  DEMO_WITHDRAWER_ADDRESS,
  DEMO_WITHDRAWER_CREDIT_BTC_BASE,
  DEMO_WITHDRAWER_EMAIL,
  DEMO_WITHDRAWER_TOTP_SECRET,
  demoWithdrawalTxid,
} from "./withdrawer";

const TODAY = new Date("2026-11-23T15:30:00Z");

let db: TestDatabase;
let first: SeedSummary[];

beforeAll(async () => {
  db = await createTestDatabase();
  // Two app instances seeding an empty database at once: the advisory lock serialises them.
  first = await Promise.all([seedDemoData(db.prisma, { today: TODAY }), seedDemoData(db.prisma, { today: TODAY })]);
});

afterAll(async () => {
  await db?.drop();
});

async function tableCounts() {
  const p = db.prisma;
  return {
    coins: await p.coin.count(),
    users: await p.user.count(),
    facilities: await p.facility.count(),
    rigs: await p.rig.count(),
    listings: await p.listing.count(),
    snapshots: await p.networkSnapshot.count(),
    contracts: await p.contract.count(),
    telemetry: await p.rigTelemetry.count(),
    payouts: await p.dailyPayout.count(),
    withdrawals: await p.withdrawal.count(),
  };
}

describe("seedDemoData", () => {
  it("creates everything exactly once, even when two seeds race", async () => {
    const counts = await tableCounts();
    expect(counts).toEqual(first[0]!.counts);
    expect(counts).toEqual(first[1]!.counts);
    const createdTotal = Object.fromEntries(
      Object.keys(counts).map((k) => [
        k,
        first[0]!.created[k as keyof typeof counts] + first[1]!.created[k as keyof typeof counts],
      ]),
    );
    expect(createdTotal).toEqual(counts);
    expect(counts.coins).toBe(7);
    expect(counts.snapshots).toBe(7 * 90);
  });

  it("gives three or more operators exactly two facilities each, and >= 40 rigs over 5 algorithms", async () => {
    const operators = await db.prisma.user.findMany({
      where: { roles: { has: Role.OPERATOR } },
      select: { email: true, _count: { select: { facilities: true, listings: true } } },
    });
    expect(operators.length).toBeGreaterThanOrEqual(3);
    for (const op of operators) expect(op._count.facilities, op.email).toBe(2);
    expect(await db.prisma.rig.count()).toBeGreaterThanOrEqual(40);
    const algorithms = await db.prisma.rig.findMany({ distinct: ["algorithm"], select: { algorithm: true } });
    expect(algorithms.length).toBeGreaterThanOrEqual(5);
  });

  it("backs every published listing with rigs of its algorithm, owned by its operator", async () => {
    const listings = await db.prisma.listing.findMany({
      where: { status: ListingStatus.PUBLISHED },
      include: { rigs: { include: { facility: true } }, coinConfig: true },
    });
    expect(listings.length).toBeGreaterThanOrEqual(6);
    for (const listing of listings) {
      expect(listing.algorithm, listing.title).toBe(listing.coinConfig.algorithm);
      expect(
        listing.rigs.some((rig) => rig.algorithm === listing.algorithm),
        listing.title,
      ).toBe(true);
      for (const rig of listing.rigs) {
        expect(rig.algorithm).toBe(listing.algorithm);
        expect(rig.facility.operatorId).toBe(listing.operatorId);
      }
      expect(listing.maintenanceFeeMicroUsdPerUnitDay).toBeGreaterThan(0n);
      expect(listing.minHashrateHs).toBeLessThanOrEqual(listing.rigs.reduce((sum, r) => sum + r.nominalHashrateHs, 0n));
    }
    expect(await db.prisma.listing.count({ where: { status: ListingStatus.DRAFT } })).toBeGreaterThanOrEqual(1);
  });

  it("stores >= 90 daily snapshots per coin, ending today, with one measure per coin kind", async () => {
    const coins = await db.prisma.coin.findMany();
    const listedCoins = new Set(
      (await db.prisma.listing.findMany({ distinct: ["coin"], select: { coin: true } })).map((l) => l.coin),
    );
    expect(listedCoins.size).toBe(5);
    for (const coin of coins) {
      const rows = await db.prisma.networkSnapshot.findMany({ where: { coin: coin.asset }, orderBy: { day: "asc" } });
      expect(rows.length, coin.asset).toBeGreaterThanOrEqual(90);
      expect(utcDayNumber(rows.at(-1)!.day)).toBe(utcDayNumber(TODAY));
      for (const row of rows) {
        expect(row.difficulty !== null).toBe(coin.difficultyBased);
        expect(row.networkHashrateHs !== null).toBe(!coin.difficultyBased);
        expect(row.source).toBe("demo");
      }
    }
  });

  it("stores the generator's series (deterministic for a given day)", async () => {
    const btc = NETWORK_PROFILES.find((p) => p.coin === "BTC")!;
    const expected = generateMissingRows(btc, utcDayNumber(TODAY) - 89, utcDayNumber(TODAY), new Map());
    const rows = await db.prisma.networkSnapshot.findMany({ where: { coin: "BTC" }, orderBy: { day: "asc" } });
    expect(rows.map((r) => [r.day.toISOString(), r.difficulty?.toFixed(), r.priceMicroUsd])).toEqual(
      expected.map((r) => [r.day.toISOString(), r.difficulty, r.priceMicroUsd]),
    );
  });

  it("creates the demo users with the demo password and their roles", async () => {
    for (const demo of DEMO_USERS) {
      const user = await db.prisma.user.findUnique({ where: { email: demo.email } });
      expect(user, demo.email).not.toBeNull();
      expect([...user!.roles].sort()).toEqual([...demo.roles].sort());
      expect(await verifyPassword(DEMO_PASSWORD, user!.passwordHash)).toBe(true);
      expect(await verifyPassword("wrong-password", user!.passwordHash)).toBe(false);
    }
    const operator = await db.prisma.user.findUniqueOrThrow({
      where: { email: "operator@hashlease.test" },
      include: { facilities: { include: { rigs: true } }, listings: true },
    });
    expect(operator.facilities.flatMap((f) => f.rigs).length).toBeGreaterThan(0);
    expect(operator.listings.filter((l) => l.status === ListingStatus.PUBLISHED).length).toBeGreaterThanOrEqual(2);
    expect(first[0]!.credentials.map((c) => c.email)).toEqual(DEMO_USERS.map((u) => u.email));
  });

  it("changes nothing when run again", async () => {
    const before = await tableCounts();
    const hashBefore = (await db.prisma.user.findUniqueOrThrow({ where: { email: "customer@hashlease.test" } }))
      .passwordHash;
    const again = await seedDemoData(db.prisma, { today: TODAY });
    expect(await tableCounts()).toEqual(before);
    expect(Object.values(again.created).every((n) => n === 0)).toBe(true);
    expect(again.counts).toEqual(first[0]!.counts);
    const hashAfter = (await db.prisma.user.findUniqueOrThrow({ where: { email: "customer@hashlease.test" } }))
      .passwordHash;
    expect(hashAfter).toBe(hashBefore);
  });

  it("extends the snapshots by exactly the missing days, continuing from the last values", async () => {
    const later = new Date(TODAY.getTime() + 3 * DAY_MS);
    const inserted = await extendNetworkSnapshots(db.prisma, later);
    for (const profile of NETWORK_PROFILES) expect(inserted[profile.coin], profile.coin).toBe(3);
    for (const coin of ["BTC", "KAS", "ETC"] as const) {
      const rows = await db.prisma.networkSnapshot.findMany({ where: { coin }, orderBy: { day: "asc" } });
      expect(rows).toHaveLength(93);
      const [previous, next] = rows.slice(-4, -2);
      const ratioPpm = (next!.priceMicroUsd * 1_000_000n) / previous!.priceMicroUsd;
      expect(ratioPpm > 800_000n && ratioPpm < 1_200_000n).toBe(true);
      expect(utcDayNumber(rows.at(-1)!.day)).toBe(utcDayNumber(later));
    }
    expect(await extendNetworkSnapshots(db.prisma, later)).toEqual(
      Object.fromEntries(NETWORK_PROFILES.map((p) => [p.coin, 0])),
    );
  });

  it("fills a gap left by a pause when seeded again later", async () => {
    const muchLater = new Date(TODAY.getTime() + 10 * DAY_MS);
    const summary = await seedDemoData(db.prisma, { today: muchLater });
    expect(summary.created.snapshots).toBe(7 * 7);
    expect(summary.counts.snapshots).toBe(7 * 90);
    expect(await db.prisma.networkSnapshot.count({ where: { coin: "XMR" } })).toBe(100);
  });

  it("gives the withdrawer 2FA, a usable address and one withdrawal in each state, balances from the ledger", async () => {
    const user = await db.prisma.user.findUniqueOrThrow({
      where: { email: DEMO_WITHDRAWER_EMAIL },
      include: { withdrawalAddresses: true, withdrawals: { orderBy: { requestedAt: "asc" } } },
    });
    expect(user.totpEnabledAt).not.toBeNull();
    expect(user.withdrawalAddresses).toHaveLength(1);
    const [address] = user.withdrawalAddresses;
    expect(address!.address).toBe(DEMO_WITHDRAWER_ADDRESS);
    expect(address!.usableAfter.getTime()).toBeLessThan(user.withdrawals[0]!.requestedAt.getTime());
    expect(user.withdrawals.map((w) => [w.idempotencyKey, w.status, w.amountBase.toFixed()])).toEqual(
      DEMO_WITHDRAWALS.map((spec) => [
        `demo-withdrawal-${spec.key}`,
        spec.target,
        String(Math.round(Number(spec.amount) * 1e8)),
      ]),
    );
    for (const w of user.withdrawals) {
      expect(w.emailConfirmedAt, w.idempotencyKey).not.toBeNull();
      if (w.status === "SENT" || w.status === "CONFIRMED")
        expect(w.txid).toBe(demoWithdrawalTxid(w.idempotencyKey.replace("demo-withdrawal-", "")));
    }
    expect(new Set(user.withdrawals.map((w) => w.status))).toEqual(
      new Set(["REQUESTED", "APPROVED", "SENT", "CONFIRMED", "REJECTED"]),
    );
    expect(user.withdrawals.find((w) => w.status === "REJECTED")!.reviewReason).toMatch(/could not be verified/);

    // Held: the approved 0.004 and the review item's 0.12; in flight: the sent 0.005; the
    // confirmed 0.01 is gone; the rejected 0.003 is back.
    const btc = (type: "USER_AVAILABLE" | "USER_HELD") => balanceOf(db.prisma, { type, asset: "BTC", userId: user.id });
    expect(await btc("USER_HELD")).toBe(12_400_000n);
    expect(await btc("USER_AVAILABLE")).toBe(DEMO_WITHDRAWER_CREDIT_BTC_BASE - 1_000_000n - 500_000n - 12_400_000n);
    expect(
      await db.prisma.journalTransaction.count({ where: { referenceType: "demo-credit", referenceId: user.id } }),
    ).toBe(1);

    const queue = await reviewQueue(db.prisma);
    expect(queue.review.map((item) => [item.user.email, item.status])).toEqual([[DEMO_WITHDRAWER_EMAIL, "REQUESTED"]]);
    expect(queue.toSend.map((item) => item.user.email)).toEqual([DEMO_WITHDRAWER_EMAIL]);
    expect(queue.inFlight.map((item) => item.user.email)).toEqual([DEMO_WITHDRAWER_EMAIL]);
  });

  // Last: it adds a withdrawal, which the idempotency tests above must not see.
  it("lets the withdrawer withdraw now with the printed authenticator key", async () => {
    const user = await db.prisma.user.findUniqueOrThrow({
      where: { email: DEMO_WITHDRAWER_EMAIL },
      include: { withdrawalAddresses: true },
    });
    const now = new Date();
    const outcome = await requestWithdrawal(db.prisma, {
      userId: user.id,
      idempotencyKey: "seed-test-withdrawal-now",
      now,
      body: {
        coin: "BTC",
        addressId: user.withdrawalAddresses[0]!.id,
        amount: "0.001",
        totpCode: totpCodeFor(DEMO_WITHDRAWER_TOTP_SECRET, now),
      },
    });
    expect(outcome.ok && outcome.withdrawal.status).toBe("REQUESTED");
  });
});
