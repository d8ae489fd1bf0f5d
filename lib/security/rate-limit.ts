// Limits on what anyone may ask for by the hour (sign-ups, verification links, password resets),
// counted in PostgreSQL so every app instance shares them: rate-limiter-flexible's
// RateLimiterPostgres on the rate_limits table, queried through the app's own Prisma client (so
// tests and the embedded database need nothing else). Fixed windows: `points` per `durationS`.
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { PrismaClient } from "../db/client";

/** RATE_LIMIT_MULTIPLIER scales every limit (the e2e server, where every browser is 127.0.0.1, sets 100). */
const scale = Math.max(1, Number(process.env.RATE_LIMIT_MULTIPLIER ?? 1) || 1);

export const RATE_LIMITS = {
  /** Sign-ups from one IP address. */
  "register-ip": { points: 10, durationS: 60 * 60 },
  /** Verification links one account may ask for again. */
  "verify-resend": { points: 3, durationS: 60 * 60 },
  /** Password-reset requests from one IP address, and for one email address. */
  "reset-ip": { points: 10, durationS: 60 * 60 },
  "reset-email": { points: 3, durationS: 60 * 60 },
  /** "Someone tried to register with your email" notes one address receives. */
  "registration-attempt-mail": { points: 1, durationS: 60 * 60 },
  /** Withdrawal confirmation links one account may ask for again. */
  "withdrawal-link-resend": { points: 3, durationS: 60 * 60 },
  /**
   * Stripe webhook calls from one IP whose signature did not verify: Stripe's own deliveries
   * always verify, so only a flood of forgeries spends this; past it a caller gets 429 before
   * its body is read (app/api/stripe/webhook/route.ts).
   */
  "stripe-webhook-bad-signature-ip": { points: 30, durationS: 10 * 60 },
  /**
   * Failed Stratum authorisations from one IP (wrong rig credentials): a guessing miner is cut
   * off for the window on every Stratum instance, not only on the connection it guessed from.
   */
  "stratum-authorize-ip": { points: 20, durationS: 10 * 60 },
} as const;

export type RateLimitName = keyof typeof RATE_LIMITS;
export type RateLimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** The `pool` shape RateLimiterPostgres queries: text + positional values, rows back. */
function prismaStore(prisma: PrismaClient) {
  return {
    async query({ text, values }: { text: string; values?: unknown[] }) {
      const rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(text, ...(values ?? []));
      // BIGINT columns come back as bigint; the library does arithmetic with numbers.
      return {
        rowCount: rows.length,
        rows: rows.map((row) =>
          Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])),
        ),
      };
    },
  };
}

const limiters = new WeakMap<PrismaClient, Map<RateLimitName, RateLimiterPostgres>>();

function limiter(prisma: PrismaClient, name: RateLimitName): RateLimiterPostgres {
  let byName = limiters.get(prisma);
  if (!byName) limiters.set(prisma, (byName = new Map()));
  let found = byName.get(name);
  if (!found) {
    const { durationS } = RATE_LIMITS[name];
    const points = RATE_LIMITS[name].points * scale;
    found = new RateLimiterPostgres({
      storeClient: prismaStore(prisma),
      storeType: "pool",
      tableName: "rate_limits",
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: name,
      points,
      duration: durationS,
    });
    byName.set(name, found);
  }
  return found;
}

/** Spends one point of `name` for `who`; refused once the window's points are spent. */
export async function takeRateLimit(
  prisma: PrismaClient,
  name: RateLimitName,
  who: string,
): Promise<RateLimitDecision> {
  try {
    await limiter(prisma, name).consume(who.toLowerCase().slice(0, 200));
    return { ok: true };
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
    }
    throw error;
  }
}

/**
 * Whether `who` has points of `name` left, spending none: for limits that count failures only
 * (a caller is refused once its failures spent the window, and only a failure takes a point).
 */
export async function checkRateLimit(
  prisma: PrismaClient,
  name: RateLimitName,
  who: string,
): Promise<RateLimitDecision> {
  const res = await limiter(prisma, name).get(who.toLowerCase().slice(0, 200));
  if (res && res.remainingPoints <= 0) {
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
  }
  return { ok: true };
}

/** "in 12 minutes" / "in 1 minute": how long a refused request waits. */
export function retryAfterText(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** Drops windows that ended (the purge-rate-limits job). */
export async function purgeExpiredRateLimits(prisma: PrismaClient, nowMs = Date.now()): Promise<number> {
  return prisma.rateLimit.deleteMany({ where: { expire: { lt: BigInt(nowMs) } } }).then((r) => r.count);
}
