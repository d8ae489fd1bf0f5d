// What each simulated operation does: the real business functions the server actions, API
// routes, the Stripe webhook route, the payout run and the jobs call — nothing re-implemented.
// Each returns an OpResult: "ok", an expected refusal (a rule said no: not enough capacity, a
// raced transition, nothing to act on), or "error" for anything the rules do not explain.
import { createHash } from "node:crypto";
import { sealAuditLog } from "../audit/audit";
import { totpCodeFor } from "../auth/totp";
import { expireReservations, releaseCheckout } from "../contracts/checkout";
import { executePurchase, newEventId } from "../contracts/service";
import type { PrismaClient } from "../db/client";
import { sendDueMail } from "../mail/sender";
import type { MailConfig } from "../mail/transport";
import { recordTelemetry } from "../operator/telemetry";
import { stripeClient } from "../payments/stripe";
import { settleDay, settleUnsettledDays, type RunSummary } from "../payouts/run";
import { DAY_MS, parseDay } from "../shared/days";
import { decimalText } from "../shared/decimal";
import { withdrawalLinkToken } from "../testing/withdrawals";
import { confirmWithdrawalByLink } from "../wallet/withdrawal-confirmation";
import { manualProcessor, processApprovedWithdrawals } from "../wallet/withdrawal-processor";
import { requestWithdrawal } from "../wallet/withdrawal-request";
import {
  approveWithdrawal,
  cancelWithdrawal,
  markWithdrawalConfirmed,
  markWithdrawalSent,
  rejectWithdrawal,
  type TransitionResult,
} from "../wallet/withdrawal-transitions";
import { WITHDRAWAL_CLOCK_STEP_MS, type Op } from "./ops";
import type { World } from "./world";

const RESERVATION_JUMP_MS = 31 * 60_000;

export interface OpResult {
  outcome: "ok" | "refused" | "error";
  /** The refusal or error code, or a short word for what happened ("activated", "settled"). */
  code: string;
  detail?: string;
  /** What an idempotent retry must answer again (a contract or withdrawal id). */
  fingerprint?: string;
  replayed?: boolean;
  /** Stripe events the webhook acknowledged (HTTP 200). */
  ackedEventIds?: string[];
  /** Contract-days a payout run inserted. */
  settled?: number;
  /** Times the operation was retried after a transient database failure (pool wait, deadlock). */
  transientRetries?: number;
}

export type WebhookHandler = (request: Request) => Promise<Response>;

export interface Context {
  prisma: PrismaClient;
  world: World;
  seed: number;
  /** The webhook route's POST handler (app/api/stripe/webhook/route.ts). */
  webhook: WebhookHandler;
  /** The outbox sender's configuration: SMTP to the orchestrator's mail server. */
  mail: MailConfig;
}

const ok = (code: string, extra: Partial<OpResult> = {}): OpResult => ({ outcome: "ok", code, ...extra });
const refused = (code: string, detail?: string): OpResult => ({
  outcome: "refused",
  code,
  ...(detail ? { detail } : {}),
});
const error = (code: string, detail?: string): OpResult => ({ outcome: "error", code, ...(detail ? { detail } : {}) });

function dayEnd(world: World, index: number): { day: Date; after: Date } {
  const day = parseDay(world.days[index]!)!;
  // An hour after the day ended: the payout clock may settle it.
  return { day, after: new Date(day.getTime() + DAY_MS + 3_600_000) };
}

function pickRow<T>(rows: T[], r: number): T | undefined {
  return rows.length ? rows[r % rows.length] : undefined;
}

export async function runOperation(ctx: Context, op: Op): Promise<OpResult> {
  switch (op.kind) {
    case "purchase":
    case "purchase_retry":
      return purchase(ctx, op);
    case "stripe_pay":
      return stripePay(ctx, op);
    case "stripe_replay":
      return stripeReplay(ctx, op);
    case "stripe_expire":
      return stripeExpire(ctx, op);
    case "cancel_reservation":
      return cancelReservation(ctx, op);
    case "telemetry":
      return telemetry(ctx, op);
    case "payout":
    case "payout_double":
      return payout(ctx, op);
    case "payout_catchup":
      return payoutCatchUp(ctx, op);
    case "withdrawal_request":
    case "withdrawal_retry":
      return withdrawalRequest(ctx, op);
    case "withdrawal_cancel":
      return withdrawalCancel(ctx, op);
    case "withdrawal_review":
      return withdrawalReview(ctx, op);
    case "withdrawal_process":
      return withdrawalProcess(ctx, op);
    case "expire_reservations": {
      // The reservation job with its clock 31 minutes on: every reservation open now lapses.
      const expired = await expireReservations(ctx.prisma, new Date(Date.now() + RESERVATION_JUMP_MS));
      return ok("expired", { detail: String(expired) });
    }
    case "seal_audit":
      return ok("sealed", { detail: String(await sealAuditLog(ctx.prisma)) });
    case "send_mail": {
      // The send-mail job: claims due messages one by one (several workers at once), SMTP, SENT.
      const report = await sendDueMail(ctx.prisma, ctx.mail, 20);
      return ok("sent", { detail: `${report.sent} sent, ${report.retried} retried, ${report.failed} failed` });
    }
  }
}

// ---- purchases and Stripe -------------------------------------------------------------------

async function purchase(ctx: Context, op: Op): Promise<OpResult> {
  const customer = ctx.world.customers[op.customer!]!;
  const listing = ctx.world.listings[op.p.listing as number]!;
  const method = op.p.paymentMethod as "CARD" | "BALANCE_USD" | "BALANCE_COIN";
  const res = await executePurchase({
    prisma: ctx.prisma,
    user: { id: customer.id, email: customer.email },
    idempotencyKey: op.p.key as string,
    body: {
      listingId: listing.id,
      hashrate: op.p.hashrate,
      days: op.p.days,
      paymentMethod: method,
      ...(method === "BALANCE_COIN" ? { payCoin: "BTC" } : {}),
    },
    ip: null,
    card: "test",
    origin: "http://sim.invalid",
  });
  const body = res.body;
  if ("error" in body) {
    const code = body.error.code;
    if (code === "NOT_ENOUGH_CAPACITY" || code === "INSUFFICIENT_FUNDS") return refused(code);
    if (code === "IDEMPOTENCY_KEY_REUSED" && op.p.changed) return refused(code);
    if (code === "RESERVATION_CLOSED" || code === "CHECKOUT_UNAVAILABLE") {
      // A retried card purchase whose checkout has since expired or been cancelled: the
      // stored answer names a closed reservation (409). Still the same contract.
      const closed = await closedCheckout(ctx, customer.id, op.p.key as string);
      if (closed) return { outcome: "refused", code: "CHECKOUT_CLOSED", fingerprint: closed, replayed: true };
    }
    return error(code, `${res.status}: ${body.error.message}`);
  }
  if (res.status !== 200 && res.status !== 201) return error(`HTTP_${res.status}`);
  // A retried card purchase paid meanwhile answers the active contract without a checkout.
  const paidMeanwhile = res.status === 200 && body.status !== "PENDING_PAYMENT";
  if (method === "CARD" && !body.checkoutUrl && !paidMeanwhile)
    return error("NO_CHECKOUT", "a card purchase came back without a checkout");
  return ok(body.status, { fingerprint: body.contractId, replayed: res.status === 200 });
}

/** The contract a stored purchase answer names, when it no longer waits for payment. */
async function closedCheckout(ctx: Context, customerId: string, key: string): Promise<string | null> {
  const [row] = await ctx.prisma.$queryRaw<{ id: string }[]>`
    SELECT c.id::text AS id FROM idempotency_keys k JOIN contracts c ON c.id::text = k.response_body->>'contractId'
     WHERE k.user_id = ${customerId}::uuid AND k.scope = 'contract.purchase' AND k.key = ${key}
       AND c.status <> 'PENDING_PAYMENT'`;
  return row?.id ?? null;
}

interface PendingRow {
  id: string;
  session: string;
  cents: bigint;
}

async function customerCheckouts(ctx: Context, customerId: string, statuses: string[]): Promise<PendingRow[]> {
  return ctx.prisma.$queryRaw<PendingRow[]>`
    SELECT id, stripe_checkout_session_id AS session, charged_cents AS cents FROM contracts
     WHERE customer_id = ${customerId}::uuid AND status::text = ANY(${statuses}) AND stripe_checkout_session_id IS NOT NULL
     ORDER BY created_at, id`;
}

/** Sends one event through the webhook route, signed as Stripe signs it. */
async function sendEvent(
  ctx: Context,
  payload: string,
): Promise<{ status: number; body: { duplicate?: boolean; effect?: string; error?: { code: string } } }> {
  const stripe = stripeClient("sk_test_sim_unused");
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret: ctx.world.env.STRIPE_WEBHOOK_SECRET! });
  const response = await ctx.webhook(
    new Request("http://sim.invalid/api/stripe/webhook", {
      method: "POST",
      headers: { "stripe-signature": header, "content-type": "application/json" },
      body: payload,
    }),
  );
  return { status: response.status, body: (await response.json()) as { duplicate?: boolean; effect?: string } };
}

/** The event id of an operation: the same on a retry after a crash, as Stripe redelivers it. */
function eventIdOf(ctx: Context, op: Op): string {
  return `evt_sim_${ctx.seed}_${op.id}`;
}

async function stripePay(ctx: Context, op: Op): Promise<OpResult> {
  const customer = ctx.world.customers[op.customer!]!;
  // Mostly a pending checkout; sometimes one that lapsed (payment after expiry or cancel).
  const statuses = op.p.lapsed ? ["EXPIRED", "CANCELLED", "PENDING_PAYMENT"] : ["PENDING_PAYMENT"];
  const target = pickRow(await customerCheckouts(ctx, customer.id, statuses), op.r);
  if (!target) return refused("NO_TARGET");
  const cents = BigInt(target.cents) + (op.p.wrongAmount ? 1n : 0n);
  const id = eventIdOf(ctx, op);
  const payload = JSON.stringify({
    id,
    object: "event",
    type: "checkout.session.completed",
    data: {
      object: { id: target.session, object: "checkout.session", payment_status: "paid", amount_total: Number(cents) },
    },
  });
  const res = await sendEvent(ctx, payload);
  if (res.status !== 200) return error(`WEBHOOK_${res.status}`, JSON.stringify(res.body));
  return ok(res.body.duplicate ? "duplicate" : (res.body.effect ?? "applied"), { ackedEventIds: [id] });
}

async function stripeReplay(ctx: Context, op: Op): Promise<OpResult> {
  const [count] = await ctx.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM stripe_events`;
  const n = Number(count?.n ?? 0);
  if (n === 0) return refused("NO_TARGET");
  const [row] = await ctx.prisma.$queryRaw<{ id: string; payload: string }[]>`
    SELECT id, payload::text AS payload FROM stripe_events ORDER BY id OFFSET ${op.r % n} LIMIT 1`;
  if (!row) return refused("NO_TARGET");
  // Stripe redelivers the same event: it must be recognised and change nothing.
  const res = await sendEvent(ctx, row.payload);
  if (res.status !== 200) return error(`WEBHOOK_${res.status}`, JSON.stringify(res.body));
  if (!res.body.duplicate)
    return error("REPLAY_APPLIED", `event ${row.id} was applied again: ${JSON.stringify(res.body)}`);
  return ok("duplicate", { ackedEventIds: [row.id] });
}

async function stripeExpire(ctx: Context, op: Op): Promise<OpResult> {
  const customer = ctx.world.customers[op.customer!]!;
  const target = pickRow(await customerCheckouts(ctx, customer.id, ["PENDING_PAYMENT"]), op.r);
  if (!target) return refused("NO_TARGET");
  const id = eventIdOf(ctx, op);
  const payload = JSON.stringify({
    id,
    object: "event",
    type: "checkout.session.expired",
    data: {
      object: {
        id: target.session,
        object: "checkout.session",
        payment_status: "unpaid",
        amount_total: Number(target.cents),
      },
    },
  });
  const res = await sendEvent(ctx, payload);
  if (res.status !== 200) return error(`WEBHOOK_${res.status}`, JSON.stringify(res.body));
  return ok(res.body.duplicate ? "duplicate" : (res.body.effect ?? "applied"), { ackedEventIds: [id] });
}

/** The customer cancels on the checkout page (the test-mode checkout's cancel action). */
async function cancelReservation(ctx: Context, op: Op): Promise<OpResult> {
  const customer = ctx.world.customers[op.customer!]!;
  const target = pickRow(await customerCheckouts(ctx, customer.id, ["PENDING_PAYMENT"]), op.r);
  if (!target) return refused("NO_TARGET");
  const outcome = await ctx.prisma.$transaction((tx) =>
    releaseCheckout(tx, { sessionId: target.session, reason: "CANCELLED", eventId: newEventId() }),
  );
  if (outcome === "released") return ok("released");
  if (outcome === "not_pending") return refused("NOT_PENDING");
  return error("UNKNOWN_SESSION", target.session);
}

// ---- operators and the payout run -----------------------------------------------------------

async function telemetry(ctx: Context, op: Op): Promise<OpResult> {
  const listing = ctx.world.listings[op.p.listing as number]!;
  const dayIndex = op.p.day as number;
  const rigs = await ctx.prisma.rig.findMany({
    where: { id: { in: listing.rigIds } },
    select: { id: true, nominalHashrateHs: true },
    orderBy: { id: "asc" },
  });
  const entries = rigs.map((rig, i) => {
    // 0 (the rig did not hash) now and then; otherwise 70.0 %..105.0 % of nominal, in TH/s.
    const permille = (op.r >> (i * 3)) % 8 === 0 ? 0n : 700n + BigInt((op.r + i * 97) % 351);
    const hs = (rig.nominalHashrateHs * permille) / 1000n;
    const th = decimalText(hs, 12, { minDecimals: 3, maxDecimals: 3 });
    return {
      rigId: rig.id,
      day: ctx.world.days[dayIndex]!,
      avgHashrate: th,
      unit: "TH/s" as const,
      uptimePercent: permille === 0n ? "0" : "99.5",
    };
  });
  const result = await recordTelemetry(ctx.prisma, {
    operatorId: listing.operatorId,
    entries,
    source: "API",
    // Days up to the end of the horizon have "ended" on the operators' clock.
    now: dayEnd(ctx.world, ctx.world.days.length - 1).after,
  });
  if (result.ok) return ok("saved", { detail: String(result.saved.length) });
  // A settled rig-day is final; a payout run in progress makes the report wait, then give up.
  if (result.code === "CONFLICT") return refused("TELEMETRY_CONFLICT");
  return error(`TELEMETRY_${result.code}`, result.message);
}

function settledCount(summaries: RunSummary[]): number {
  return summaries.reduce((sum, s) => sum + s.contractsSettled, 0);
}

async function payout(ctx: Context, op: Op): Promise<OpResult> {
  const { day, after } = dayEnd(ctx.world, op.p.day as number);
  if (op.kind === "payout") {
    const summary = await settleDay(ctx.prisma, day, { now: after });
    return ok("settled", { settled: summary.contractsSettled });
  }
  // Two runs of the same day at once (two schedulers, or the scheduler and an admin).
  const [a, b] = await Promise.all([
    settleDay(ctx.prisma, day, { now: after }),
    settleDay(ctx.prisma, day, { now: after }),
  ]);
  return ok("settled_twice", {
    settled: a.contractsSettled + b.contractsSettled,
    detail: `${a.contractsSettled}+${b.contractsSettled}`,
  });
}

async function payoutCatchUp(ctx: Context, op: Op): Promise<OpResult> {
  const { day, after } = dayEnd(ctx.world, op.p.upTo as number);
  const summaries = await settleUnsettledDays(ctx.prisma, { now: after, upTo: day });
  return ok("caught_up", { settled: settledCount(summaries), detail: `${summaries.length} days` });
}

// ---- withdrawals ----------------------------------------------------------------------------

async function withdrawalRequest(ctx: Context, op: Op): Promise<OpResult> {
  const customer = ctx.world.customers[op.customer!]!;
  // The customer's clock: each of their requests a TOTP step after the one before.
  const now = new Date(ctx.world.t0Ms + op.id * WITHDRAWAL_CLOCK_STEP_MS);
  const outcome = await requestWithdrawal(ctx.prisma, {
    userId: customer.id,
    idempotencyKey: op.p.key as string,
    body: {
      coin: "BTC",
      addressId: customer.addressId,
      amount: op.p.amount,
      totpCode: totpCodeFor(customer.totpSecret, now),
    },
    now,
  });
  if (outcome.ok) {
    // The customer clicks the emailed link (again after a retry, if a kill came between request
    // and click); once used, the link is gone and a retry only replays the request.
    const token = await withdrawalLinkToken(ctx.prisma, outcome.withdrawal.id);
    const confirmed = token ? await confirmWithdrawalByLink(ctx.prisma, { token, now }) : null;
    if (confirmed && !confirmed.ok && confirmed.code !== "NOT_WAITING") return error(confirmed.code, confirmed.message);
    const status = confirmed?.ok ? confirmed.withdrawal.status : outcome.withdrawal.status;
    return ok(status, { fingerprint: outcome.withdrawal.id, replayed: outcome.replayed });
  }
  if (outcome.code === "INSUFFICIENT_FUNDS" || outcome.code === "DAILY_LIMIT_EXCEEDED") return refused(outcome.code);
  return error(outcome.code, outcome.message);
}

function transitionResult(result: TransitionResult, okCode: string): OpResult {
  if (result.ok) return ok(okCode);
  // Another actor moved the withdrawal on first (approved, cancelled, sent): the flow refuses.
  if (result.code === "ILLEGAL_TRANSITION") return refused(result.code);
  return error(result.code, result.message);
}

async function withdrawalsIn(
  ctx: Context,
  statuses: string[],
  customerId?: string,
): Promise<{ id: string; user_id: string }[]> {
  return ctx.prisma.$queryRaw<{ id: string; user_id: string }[]>`
    SELECT id, user_id FROM withdrawals
     WHERE status::text = ANY(${statuses}) AND (${customerId ?? null}::uuid IS NULL OR user_id = ${customerId ?? null}::uuid)
     ORDER BY requested_at, id LIMIT 200`;
}

async function withdrawalCancel(ctx: Context, op: Op): Promise<OpResult> {
  const customer = ctx.world.customers[op.customer!]!;
  const target = pickRow(await withdrawalsIn(ctx, ["REQUESTED"], customer.id), op.r);
  if (!target) return refused("NO_TARGET");
  return transitionResult(
    await cancelWithdrawal(ctx.prisma, { withdrawalId: target.id, userId: customer.id }),
    "cancelled",
  );
}

async function withdrawalReview(ctx: Context, op: Op): Promise<OpResult> {
  const target = pickRow(await withdrawalsIn(ctx, ["REQUESTED"]), op.r);
  if (!target) return refused("NO_TARGET");
  const adminId = ctx.world.admins[op.r % ctx.world.admins.length]!;
  if (op.p.approve)
    return transitionResult(await approveWithdrawal(ctx.prisma, { withdrawalId: target.id, adminId }), "approved");
  return transitionResult(
    await rejectWithdrawal(ctx.prisma, { withdrawalId: target.id, adminId, reason: "Simulated review: address risk" }),
    "rejected",
  );
}

/** The processing job hands approved withdrawals to the manual processor; an admin sends and confirms some. */
async function withdrawalProcess(ctx: Context, op: Op): Promise<OpResult> {
  const handed = await processApprovedWithdrawals(ctx.prisma, manualProcessor, 20);
  const adminId = ctx.world.admins[op.r % ctx.world.admins.length]!;
  const results: OpResult[] = [];
  const approved = await withdrawalsIn(ctx, ["APPROVED"]);
  for (const w of [pickRow(approved, op.r), pickRow(approved, op.r >> 4)]) {
    if (!w) continue;
    const txid = createHash("sha256").update(`${ctx.seed}:${op.id}:${w.id}`).digest("hex");
    results.push(
      transitionResult(await markWithdrawalSent(ctx.prisma, { withdrawalId: w.id, by: { adminId }, txid }), "sent"),
    );
  }
  const sent = await withdrawalsIn(ctx, ["SENT"]);
  const toConfirm = pickRow(sent, op.r >> 8);
  if (toConfirm)
    results.push(
      transitionResult(await markWithdrawalConfirmed(ctx.prisma, { withdrawalId: toConfirm.id, adminId }), "confirmed"),
    );
  const failed = results.find((r) => r.outcome === "error");
  if (failed) return failed;
  return ok("processed", { detail: `handed ${handed}, ${results.map((r) => r.code).join(",")}` });
}
