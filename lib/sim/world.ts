// The simulation's world: a fresh, migrated database on DATABASE_URL's server (or the
// embedded PGlite when unset, as the tests do), with BTC and its network data for every day
// the run can settle, operators with rigs behind published listings, two admins, and funded
// customers who have 2FA on and a withdrawal address whose 48 h lock is over. Everything is
// written through the same fixtures and ledger functions the integration tests use.
import { randomBytes } from "node:crypto";
import { generateTotpSecret, sealTotpSecret } from "../auth/totp";
import { createPrismaClient, type PrismaClient } from "../db/client";
import { migrate } from "../db/migrate";
import { generateKeyRingEntry, parseKeyRing } from "../secrets/key-ring";
import { DAY_MS } from "../shared/days";
import { createEmptyDatabase } from "../testing/database";
import { createListing, createUser, deposit, ensureBtc } from "../testing/fixtures";

/** Days the payout clock runs through: the first day contracts bought now can be paid, and on. */
export const PAYOUT_HORIZON_DAYS = 8;
const BTC = 100_000_000n;

export interface SimCustomer {
  id: string;
  email: string;
  totpSecret: string;
  addressId: string;
}

export interface SimListing {
  id: string;
  operatorId: string;
  rigIds: string[];
}

/** What workers need to act in the world: ids and secrets, passed as JSON. */
export interface World {
  databaseUrl: string;
  /** Environment the workers run with (secrets the app reads, the webhook secret). */
  env: Record<string, string>;
  /** Start of the simulation's clock (ms): withdrawals are requested at t0 + op id * step. */
  t0Ms: number;
  /** The payout days, YYYY-MM-DD, oldest first: the UTC day after t0 and the next ones. */
  days: string[];
  customers: SimCustomer[];
  admins: string[];
  listings: SimListing[];
}

export interface WorldSize {
  customers: number;
  listings: number;
}

export interface BuiltWorld {
  world: World;
  prisma: PrismaClient;
  drop(): Promise<void>;
}

function utcMidnight(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Builds the world in a new database; `drop` removes the database again. */
export async function buildWorld(size: WorldSize, options: { t0Ms?: number } = {}): Promise<BuiltWorld> {
  const empty = await createEmptyDatabase();
  await migrate(empty.url);
  const prisma = createPrismaClient(empty.url);
  try {
    const keyId = "sim";
    const env = {
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      ENCRYPTION_KEYS: generateKeyRingEntry(keyId),
      ENCRYPTION_ACTIVE_KEY_ID: keyId,
      STRIPE_WEBHOOK_SECRET: `whsec_sim_${randomBytes(12).toString("hex")}`,
    };
    const ring = parseKeyRing(env.ENCRYPTION_KEYS, keyId);
    const t0Ms = options.t0Ms ?? Date.now();
    const firstDay = utcMidnight(t0Ms) + DAY_MS;
    const days = Array.from({ length: PAYOUT_HORIZON_DAYS }, (_, i) =>
      new Date(firstDay + i * DAY_MS).toISOString().slice(0, 10),
    );

    await ensureBtc(prisma);
    // Network data for every day from the day before t0 to after the horizon (the purchase's
    // coin rate uses the latest snapshot; the payout run needs one per settled day).
    for (let ms = utcMidnight(t0Ms) - 2 * DAY_MS; ms <= firstDay + (PAYOUT_HORIZON_DAYS + 1) * DAY_MS; ms += DAY_MS) {
      const i = Math.round((ms - firstDay) / DAY_MS);
      await prisma.networkSnapshot.create({
        data: {
          coin: "BTC",
          day: new Date(ms),
          difficulty: (150_000_000_000_000n + BigInt(i + 2) * 1_000_000_000_000n).toString(),
          blockTimeMs: 600_000,
          blockSubsidyBase: "312500000",
          avgFeesPerBlockBase: (10_000_000n + BigInt((i + 2) % 3) * 1_000_000n).toString(),
          priceMicroUsd: 95_000_000_000n + BigInt(i + 2) * 500_000_000n,
          source: "sim",
        },
      });
    }

    const listings: SimListing[] = [];
    for (let i = 0; i < size.listings; i++) {
      const rigsTh = [120 + 40 * (i % 3), 200, 80 + 30 * i, 300];
      const market = await createListing(prisma, { rigsTh, minDays: 1, maxDays: 30 });
      listings.push({ id: market.listingId, operatorId: market.operatorId, rigIds: market.rigIds });
    }
    const admins = [(await createUser(prisma, ["ADMIN"])).id, (await createUser(prisma, ["ADMIN"])).id];

    const customers: SimCustomer[] = [];
    for (let i = 0; i < size.customers; i++) {
      const user = await createUser(prisma, ["CUSTOMER"]);
      const secret = generateTotpSecret();
      const sealed = sealTotpSecret(secret, user.id, ring);
      await prisma.user.update({
        where: { id: user.id },
        data: { totpSecretEnc: sealed.ciphertext, totpKeyId: sealed.keyId, totpEnabledAt: new Date(t0Ms - 3 * DAY_MS) },
      });
      const address = await prisma.withdrawalAddress.create({
        data: {
          userId: user.id,
          coin: "BTC",
          address: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
          label: "Cold wallet",
          validatedAt: new Date(t0Ms - 3 * DAY_MS),
          addressFormat: "P2WPKH (bech32)",
          // Added three days ago: the 48 h new-address lock is over.
          usableAfter: new Date(t0Ms - 3 * DAY_MS + 48 * 3_600_000),
        },
      });
      await deposit(prisma, user.id, "USD", 2_000_000_000n); // $2,000
      await deposit(prisma, user.id, "BTC", 2n * BTC);
      customers.push({ id: user.id, email: user.email, totpSecret: secret, addressId: address.id });
    }
    return {
      world: { databaseUrl: empty.url, env, t0Ms, days, customers, admins, listings },
      prisma,
      async drop() {
        await prisma.$disconnect();
        await empty.drop();
      },
    };
  } catch (error) {
    await prisma.$disconnect();
    await empty.drop();
    throw error;
  }
}
