// Demo seed: writes the catalog (lib/demo/catalog.ts), 90 days of network snapshots
// (lib/demo/network.ts) and the demo customer's history (lib/demo/history.ts: contracts
// bought three weeks ago, simulated telemetry, payouts settled up to yesterday) and the demo
// withdrawer (lib/demo/withdrawer.ts: 2FA, an address, withdrawals in every state). Idempotent and safe to run concurrently: one transaction under an
// advisory lock, rows keyed by their natural unique keys. It only inserts what is missing;
// rows that already exist are left as they are, so a re-run never undoes what happened in
// a live demo (an operator's price change, a retired rig, an admin's pool-fee setting).
import { hashPassword } from "../auth/password";
import type { PrismaClient, Tx } from "../db/client";
import { ensureDemoAdminTwoFactor } from "./admin";
import {
  DEMO_COINS,
  DEMO_FACILITIES,
  DEMO_LISTINGS,
  DEMO_PASSWORD,
  DEMO_RIGS,
  DEMO_USERS,
  facilityOf,
  listingAlgorithm,
  maintenanceFeeMicroUsdPerUnitDay,
  type DemoUser,
} from "./catalog";
import { postDemoCredit } from "./credit";
import { advanceDemoHistory, DEMO_CUSTOMER_EMAIL, DEMO_HISTORY_SESSION_IDS, ensureDemoContracts } from "./history";
import { dayDate, DEMO_SNAPSHOT_DAYS, ensureNetworkSnapshots, NETWORK_PROFILES, utcDayNumber } from "./network";
import { creditDemoWithdrawer, DEMO_WITHDRAWER_EMAIL, ensureDemoWithdrawer } from "./withdrawer";

export { DEMO_PASSWORD, DEMO_USERS } from "./catalog";
export { extendNetworkSnapshots } from "./network";

export interface SeedCounts {
  coins: number;
  users: number;
  facilities: number;
  rigs: number;
  listings: number;
  snapshots: number;
  /** The demo customer's history contracts (lib/demo/history.ts). */
  contracts: number;
  /** Simulated telemetry rows (counts: all of them; created: this run's). */
  telemetry: number;
  /** Payouts (counts: of the history contracts; created: settled by this run's catch-up). */
  payouts: number;
  /** The demo withdrawer's withdrawals (lib/demo/withdrawer.ts). */
  withdrawals: number;
}

export interface DemoCredential {
  email: string;
  password: string;
  roles: DemoUser["roles"];
  purpose: string;
}

export interface SeedSummary {
  /** The UTC day the snapshots end on, YYYY-MM-DD. */
  today: string;
  /** Demo rows present after the seed (snapshots: those of the 90-day window). */
  counts: SeedCounts;
  /** Rows this run inserted (all zero on a re-run the same day). */
  created: SeedCounts;
  credentials: DemoCredential[];
  durationMs: number;
}

export interface SeedOptions {
  /** Last day of the network snapshots (its UTC date); default now. */
  today?: Date;
  log?: (msg: string) => void;
}

// Serialises concurrent seeds (two app instances starting at once): listings have no
// natural unique key, so "find, then create" must not interleave.
const SEED_LOCK_KEY = 0x48_53_4c_53; // "HSLS"

export async function seedDemoData(prisma: PrismaClient, options: SeedOptions = {}): Promise<SeedSummary> {
  const started = Date.now();
  const today = options.today ?? new Date();
  const log = options.log ?? (() => {});

  const { counts, created } = await prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
      return seedInTransaction(tx, today, log);
    },
    { maxWait: 30_000, timeout: 120_000 },
  );
  // Telemetry and payout runs outside the seed's transaction: the run commits per day.
  const history = await advanceDemoHistory(prisma, today, log);
  created.telemetry = history.telemetryCreated;
  created.payouts = history.payoutsCreated;
  // The admin's 2FA (its money actions need it), then the withdrawer's 2FA, address and
  // withdrawals: each transition commits on its own.
  await ensureDemoAdminTwoFactor(prisma, today, log);
  const withdrawer = await ensureDemoWithdrawer(prisma, today, log);
  created.withdrawals = withdrawer.withdrawalsCreated;
  counts.withdrawals = await prisma.withdrawal.count({ where: { user: { email: DEMO_WITHDRAWER_EMAIL } } });
  counts.telemetry = await prisma.rigTelemetry.count({ where: { source: "SIMULATOR" } });
  counts.payouts = await prisma.dailyPayout.count({
    where: { contract: { stripeCheckoutSessionId: { in: DEMO_HISTORY_SESSION_IDS } } },
  });

  const summary: SeedSummary = {
    today: dayDate(utcDayNumber(today)).toISOString().slice(0, 10),
    counts,
    created,
    credentials: DEMO_USERS.map((user) => ({
      email: user.email,
      password: DEMO_PASSWORD,
      roles: user.roles,
      purpose: user.purpose,
    })),
    durationMs: Date.now() - started,
  };
  log(`demo seed done in ${summary.durationMs} ms: created ${JSON.stringify(created)}`);
  return summary;
}

async function seedInTransaction(
  tx: Tx,
  today: Date,
  log: (msg: string) => void,
): Promise<{ counts: SeedCounts; created: SeedCounts }> {
  const coins = await tx.coin.createMany({
    data: DEMO_COINS.map((coin) => ({
      ...coin,
      // Decimal(40,0) columns take integer strings: never a float on the way.
      withdrawalMinBase: coin.withdrawalMinBase.toString(),
      withdrawalFeeBase: coin.withdrawalFeeBase.toString(),
      reviewThresholdBase: coin.reviewThresholdBase.toString(),
      dailyLimitBase: coin.dailyLimitBase.toString(),
    })),
    skipDuplicates: true,
  });
  log(`coins: ${coins.count} created`);

  const emails = DEMO_USERS.map((user) => user.email);
  const existingUsers = await tx.user.findMany({ where: { email: { in: emails } }, select: { email: true } });
  const existingEmails = new Set(existingUsers.map((user) => user.email));
  const newUsers = await Promise.all(
    DEMO_USERS.filter((user) => !existingEmails.has(user.email)).map(async (user) => ({
      email: user.email,
      name: user.name,
      roles: [...user.roles],
      passwordHash: await hashPassword(DEMO_PASSWORD),
      // Demo accounts are ready to use: their addresses (@hashlease.test) cannot receive a link.
      emailVerifiedAt: new Date(),
    })),
  );
  const users = await tx.user.createMany({ data: newUsers, skipDuplicates: true });
  log(`users: ${users.count} created`);
  const userIds = new Map(
    (await tx.user.findMany({ where: { email: { in: emails } }, select: { id: true, email: true } })).map((u) => [
      u.email,
      u.id,
    ]),
  );
  const userId = (email: string) => {
    const id = userIds.get(email);
    if (!id) throw new Error(`demo user ${email} missing after insert`);
    return id;
  };
  const operatorIds = [...new Set(DEMO_FACILITIES.map((f) => userId(f.operatorEmail)))];

  const facilities = await tx.facility.createMany({
    data: DEMO_FACILITIES.map((f) => ({
      operatorId: userId(f.operatorEmail),
      name: f.name,
      location: f.location,
      countryCode: f.countryCode,
      powerPriceMicroUsdPerKwh: f.powerPriceMicroUsdPerKwh,
    })),
    skipDuplicates: true,
  });
  log(`facilities: ${facilities.count} created`);
  const facilityRows = await tx.facility.findMany({
    where: { operatorId: { in: operatorIds } },
    select: { id: true, operatorId: true, name: true },
  });
  const facilityId = (code: string) => {
    const f = facilityOf(code);
    const row = facilityRows.find((r) => r.operatorId === userId(f.operatorEmail) && r.name === f.name);
    if (!row) throw new Error(`demo facility ${f.name} missing after insert`);
    return row.id;
  };

  const listingKey = (operatorId: string, title: string) => `${operatorId}\u0000${title}`;
  const existingListings = await tx.listing.findMany({
    where: { operatorId: { in: operatorIds } },
    select: { id: true, operatorId: true, title: true },
  });
  const listingIds = new Map(existingListings.map((l) => [listingKey(l.operatorId, l.title), l.id]));
  const missingListings = DEMO_LISTINGS.filter((l) => !listingIds.has(listingKey(userId(l.operatorEmail), l.title)));
  const createdListings = await tx.listing.createManyAndReturn({
    data: missingListings.map((l) => ({
      operatorId: userId(l.operatorEmail),
      coin: l.coin,
      algorithm: listingAlgorithm(l),
      title: l.title,
      priceMicroUsdPerUnitDay: l.priceMicroUsdPerUnitDay,
      maintenanceFeeMicroUsdPerUnitDay: maintenanceFeeMicroUsdPerUnitDay(l),
      minDays: l.minDays,
      maxDays: l.maxDays,
      minHashrateHs: l.minHashrateHs,
      status: l.status,
    })),
    select: { id: true, operatorId: true, title: true },
  });
  for (const l of createdListings) listingIds.set(listingKey(l.operatorId, l.title), l.id);
  log(`listings: ${createdListings.length} created`);
  const listingIdOf = (key: string) => {
    const listing = DEMO_LISTINGS.find((l) => l.key === key)!;
    return listingIds.get(listingKey(userId(listing.operatorEmail), listing.title))!;
  };

  const rigs = await tx.rig.createMany({
    data: DEMO_RIGS.map((rig) => ({
      facilityId: facilityId(rig.facilityCode),
      listingId: rig.listingKey ? listingIdOf(rig.listingKey) : null,
      model: rig.model,
      serialNumber: rig.serialNumber,
      algorithm: rig.algorithm,
      nominalHashrateHs: rig.nominalHashrateHs,
      powerDrawW: rig.powerDrawW,
      status: rig.status,
    })),
    skipDuplicates: true,
  });
  log(`rigs: ${rigs.count} created`);

  const insertedSnapshots = await ensureNetworkSnapshots(tx, today);
  const snapshotsCreated = Object.values(insertedSnapshots).reduce((sum, n) => sum + (n ?? 0), 0);
  log(`network snapshots: ${snapshotsCreated} created ${JSON.stringify(insertedSnapshots)}`);

  const lastDay = utcDayNumber(today);
  const facilityIds = facilityRows.map((f) => f.id);
  const counts: SeedCounts = {
    coins: await tx.coin.count({ where: { asset: { in: DEMO_COINS.map((c) => c.asset) } } }),
    users: userIds.size,
    facilities: facilityRows.length,
    rigs: await tx.rig.count({ where: { facilityId: { in: facilityIds } } }),
    listings: await tx.listing.count({ where: { operatorId: { in: operatorIds } } }),
    snapshots: await tx.networkSnapshot.count({
      where: {
        coin: { in: NETWORK_PROFILES.map((p) => p.coin) },
        day: { gte: dayDate(lastDay - DEMO_SNAPSHOT_DAYS + 1), lte: dayDate(lastDay) },
      },
    }),
    contracts: 0,
    telemetry: 0,
    payouts: 0,
    withdrawals: 0,
  };
  const created: SeedCounts = {
    coins: coins.count,
    users: users.count,
    facilities: facilities.count,
    rigs: rigs.count,
    listings: createdListings.length,
    snapshots: snapshotsCreated,
    contracts: 0,
    telemetry: 0,
    payouts: 0,
    withdrawals: 0,
  };
  await creditDemoCustomer(tx, userId(DEMO_CUSTOMER_EMAIL), log);
  await creditDemoWithdrawer(tx, userId(DEMO_WITHDRAWER_EMAIL), log);
  created.contracts = await ensureDemoContracts(tx, {
    customerId: userId(DEMO_CUSTOMER_EMAIL),
    listingIdOf,
    today,
    log,
  });
  counts.contracts = await tx.contract.count({ where: { stripeCheckoutSessionId: { in: DEMO_HISTORY_SESSION_IDS } } });
  return { counts, created };
}

/** USD the demo customer starts with, so buying from balance can be tried: $250. */
export const DEMO_CUSTOMER_CREDIT_MICRO_USD = 250_000_000n;

/** The customer's USD demo credit (lib/demo/credit.ts), once per database. */
async function creditDemoCustomer(tx: Tx, customerId: string, log: (msg: string) => void): Promise<void> {
  const posted = await postDemoCredit(tx, {
    userId: customerId,
    asset: "USD",
    from: "STRIPE_CLEARING",
    amount: DEMO_CUSTOMER_CREDIT_MICRO_USD,
    description: "Demo credit: USD to try buying a contract from balance",
  });
  if (posted) log("demo customer credited $250 (demo credit)");
}
