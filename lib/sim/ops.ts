// The plan of a simulation run: every operation drawn up front from the seed, so the same
// seed gives the same operations, in the same order, for the same actors. What an operation
// acts on at run time (which pending contract, which withdrawal) is chosen in the worker from
// the database with the operation's own random number `r`, since it depends on what the
// concurrent actors did before it.
import { Random } from "./random";

/** Ms between two operations on the withdrawal clock: more than a TOTP step, so each code is fresh. */
export const WITHDRAWAL_CLOCK_STEP_MS = 31_000;
/** Retries of a withdrawal key come within this time of the first request (keys live 24 h). */
const RETRY_WINDOW_MS = 23 * 3_600_000;

export const OP_KINDS = [
  "purchase",
  "purchase_retry",
  "stripe_pay",
  "stripe_replay",
  "stripe_expire",
  "cancel_reservation",
  "telemetry",
  "payout",
  "payout_double",
  "payout_catchup",
  "withdrawal_request",
  "withdrawal_retry",
  "withdrawal_cancel",
  "withdrawal_review",
  "withdrawal_process",
  "expire_reservations",
  "seal_audit",
  "send_mail",
] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** Kinds the parent may SIGKILL a worker in the middle of. */
export const KILLABLE: ReadonlySet<OpKind> = new Set<OpKind>([
  "purchase",
  "purchase_retry",
  "stripe_pay",
  "payout",
  "payout_double",
  "payout_catchup",
  "withdrawal_request",
  "send_mail",
]);

const WEIGHTS: Record<OpKind, number> = {
  purchase: 22,
  purchase_retry: 5,
  stripe_pay: 10,
  stripe_replay: 4,
  stripe_expire: 2,
  cancel_reservation: 3,
  telemetry: 7,
  payout: 3,
  payout_double: 2,
  payout_catchup: 1,
  withdrawal_request: 13,
  withdrawal_retry: 3,
  withdrawal_cancel: 5,
  withdrawal_review: 6,
  withdrawal_process: 4,
  expire_reservations: 1,
  seal_audit: 1,
  send_mail: 3,
};

export interface Op {
  id: number;
  kind: OpKind;
  /** The sequential actor (lane) that runs it; a customer's operations always share one. */
  actor: number;
  /** Index into world.customers for customer operations. */
  customer?: number;
  /** A random number for choices made at run time (target row, admin, amounts). */
  r: number;
  /** Kind-specific parameters, all plain JSON. */
  p: Record<string, string | number | boolean>;
}

export interface PlanOptions {
  seed: number;
  ops: number;
  actors: number;
  customers: number;
  listings: number;
  /** Number of payout days (world.days.length). */
  days: number;
}

function btcText(base: number): string {
  return `${Math.floor(base / 1e8)}.${String(base % 1e8).padStart(8, "0")}`;
}

/** The payout frontier: the last day (index) the payout clock has reached at operation `id`. */
export function frontierDay(id: number, ops: number, days: number): number {
  return Math.min(days - 1, Math.floor((id * days) / Math.max(1, ops)));
}

export function planOperations(options: PlanOptions): Op[] {
  const rng = new Random(options.seed);
  const ops: Op[] = [];
  // Per customer: earlier purchase and withdrawal requests, for retries with the same key.
  const purchases = new Map<number, number[]>();
  const withdrawals = new Map<number, number[]>();
  let doubles = 0;
  for (let id = 0; id < options.ops; id++) {
    let kind = rng.weighted(WEIGHTS);
    // Two payout runs of the same day at once must happen in every run, however small.
    if (doubles === 0 && id === Math.floor(options.ops / 2)) kind = "payout_double";
    const customer = rng.int(0, options.customers - 1);
    const frontier = frontierDay(id, options.ops, options.days);
    const r = rng.int(0, 2 ** 30);
    const op: Op = { id, kind, actor: rng.int(0, options.actors - 1), r, p: {} };
    const forCustomer = () => {
      op.customer = customer;
      op.actor = customer % options.actors;
    };
    switch (kind) {
      case "purchase": {
        forCustomer();
        const method = rng.weighted({ CARD: 45, BALANCE_USD: 40, BALANCE_COIN: 15 });
        op.p = {
          key: `sim-${options.seed}-p-${id}`,
          listing: rng.int(0, options.listings - 1),
          hashrate: rng.chance(0.15) ? `${rng.int(1, 40)}.${rng.int(1, 9)}` : String(rng.int(1, 60)),
          days: rng.int(1, 6),
          paymentMethod: method,
        };
        purchases.set(customer, [...(purchases.get(customer) ?? []), id]);
        break;
      }
      case "purchase_retry": {
        forCustomer();
        const earlier = purchases.get(customer);
        if (!earlier?.length) {
          op.kind = "purchase";
          op.p = {
            key: `sim-${options.seed}-p-${id}`,
            listing: rng.int(0, options.listings - 1),
            hashrate: String(rng.int(1, 30)),
            days: rng.int(1, 6),
            paymentMethod: "BALANCE_USD",
          };
          purchases.set(customer, [id]);
          break;
        }
        const of = rng.pick(earlier);
        const original = ops[of]!;
        // Mostly the same request again (a client retrying); sometimes the same key with a changed request.
        const changed = rng.chance(0.2);
        op.p = { ...original.p, of, changed };
        if (changed) op.p.days = ((original.p.days as number) % 6) + 1;
        break;
      }
      case "stripe_pay":
        forCustomer();
        op.p = { wrongAmount: rng.chance(0.04), lapsed: rng.chance(0.15) };
        break;
      case "stripe_expire":
      case "cancel_reservation":
      case "withdrawal_cancel":
        forCustomer();
        break;
      case "telemetry": {
        const day = Math.min(options.days - 1, frontier + rng.int(0, 1));
        op.p = { listing: rng.int(0, options.listings - 1), day };
        break;
      }
      case "payout":
      case "payout_double":
        if (kind === "payout_double") doubles++;
        op.p = { day: Math.max(0, frontier - rng.int(0, 2)) };
        break;
      case "payout_catchup":
        op.p = { upTo: frontier };
        break;
      case "withdrawal_request": {
        forCustomer();
        // Mostly below the 0.1 BTC review threshold (approved at once), some above it.
        const amount = rng.chance(0.7) ? rng.int(50_000, 3_000_000) : rng.int(10_000_000, 25_000_000);
        op.p = { key: `sim-${options.seed}-w-${id}`, amount: btcText(amount) };
        withdrawals.set(customer, [...(withdrawals.get(customer) ?? []), id]);
        break;
      }
      case "withdrawal_retry": {
        forCustomer();
        // A client retries within the key's 24 h (on the withdrawal clock); later the key has
        // expired and the answer is IDEMPOTENCY_KEY_EXPIRED, by design.
        const earlier = withdrawals
          .get(customer)
          ?.filter((of) => (id - of) * WITHDRAWAL_CLOCK_STEP_MS < RETRY_WINDOW_MS);
        if (!earlier?.length) {
          op.kind = "withdrawal_cancel";
          break;
        }
        const of = rng.pick(earlier);
        op.p = { ...ops[of]!.p, of };
        break;
      }
      case "withdrawal_review":
        op.p = { approve: rng.chance(0.7) };
        break;
      default:
        break;
    }
    ops.push(op);
  }
  return ops;
}
