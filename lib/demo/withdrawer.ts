// Demo withdrawer: a customer who can withdraw in the first minute of a demo (issue 19). It has 2FA
// on with a fixed authenticator key (npm start prints it, on the embedded demo only), a BTC address
// past its 48 h lock, a labelled BTC demo credit above the review threshold, and one withdrawal in
// each state of the machine in lib/wallet/withdrawal-transitions.ts — confirmed, sent, approved,
// rejected, and requested (confirmed by email, above the threshold: the admins' review queue item).
// Cancelled is the customer's own step and is left for the demo to try.
//
// Everything goes through the real core functions with their clock set to instants in the past
// (enrolment two weeks before `today`, then the address, then one withdrawal every few days), so
// every balance is the sum of real journals (the credit, the request holds, the release, the send
// and confirm) and every step has its audit line and notice. Each TOTP code is the authenticator's
// code for the instant it is used at, so the codes' time steps increase as the replay guard wants.
//
// Idempotent: the user's 2FA, the address (by its text) and each withdrawal (by its idempotency
// key) are looked up first, and each withdrawal is moved on from whatever state it is in towards
// its target; a refusal (another seed racing this one got there first) is logged and the state
// read again. Runs after the seed's transaction: every transition is its own transaction.
import { createHash } from "node:crypto";
import { accountTokenFor } from "../auth/account-tokens";
import { totpCodeFor, totpUri } from "../auth/totp";
import { confirmTotpEnrolment, startTotpEnrolment } from "../auth/two-factor";
import type { PrismaClient, Tx } from "../db/client";
import type { WithdrawalStatus } from "../generated/prisma/enums";
import { getSecrets } from "../secrets";
import { addWithdrawalAddress } from "../wallet/address-book";
import { confirmWithdrawalByLink, liveWithdrawalLinkId } from "../wallet/withdrawal-confirmation";
import { requestWithdrawal } from "../wallet/withdrawal-request";
import {
  markWithdrawalConfirmed,
  markWithdrawalSent,
  rejectWithdrawal,
  type TransitionResult,
} from "../wallet/withdrawal-transitions";
import {
  DEMO_WITHDRAWER_ADDRESS,
  DEMO_WITHDRAWER_ADDRESS_LABEL,
  DEMO_WITHDRAWER_EMAIL,
  DEMO_WITHDRAWER_TOTP_SECRET,
} from "./catalog";
import { postDemoCredit } from "./credit";
import { dayDate, utcDayNumber } from "./network";

export {
  DEMO_WITHDRAWER_ADDRESS,
  DEMO_WITHDRAWER_ADDRESS_LABEL,
  DEMO_WITHDRAWER_EMAIL,
  DEMO_WITHDRAWER_TOTP_SECRET,
} from "./catalog";
export const DEMO_ADMIN_EMAIL = "admin@hashlease.test";

/** The otpauth:// URI of that key (an authenticator app takes it as a QR code or a link). */
export function demoWithdrawerTotpUri(): string {
  return totpUri(DEMO_WITHDRAWER_TOTP_SECRET, DEMO_WITHDRAWER_EMAIL);
}

/** BTC the withdrawer is credited once (0.25 BTC, labelled demo credit): above the 0.1 BTC review threshold. */
export const DEMO_WITHDRAWER_CREDIT_BTC_BASE = 25_000_000n;

export interface DemoWithdrawal {
  /** Stable key; the idempotency key is derived from it. */
  key: string;
  /** BTC, decimal text. */
  amount: string;
  daysAgo: number;
  /** Minutes after UTC midnight of that day. */
  atMinute: number;
  target: Extract<WithdrawalStatus, "REQUESTED" | "APPROVED" | "SENT" | "CONFIRMED" | "REJECTED">;
  reason?: string;
}

/** Oldest first: the TOTP codes' time steps must increase. */
export const DEMO_WITHDRAWALS: readonly DemoWithdrawal[] = [
  { key: "confirmed", amount: "0.01", daysAgo: 9, atMinute: 10 * 60 + 12, target: "CONFIRMED" },
  { key: "sent", amount: "0.005", daysAgo: 6, atMinute: 14 * 60 + 40, target: "SENT" },
  {
    key: "rejected",
    amount: "0.003",
    daysAgo: 4,
    atMinute: 8 * 60 + 55,
    target: "REJECTED",
    reason: "The destination could not be verified as yours: add it again from a wallet you control.",
  },
  { key: "approved", amount: "0.004", daysAgo: 2, atMinute: 16 * 60 + 3, target: "APPROVED" },
  // 0.12 BTC >= the 0.1 BTC review threshold: confirmed by email, it waits in the admins' queue.
  { key: "review", amount: "0.12", daysAgo: 1, atMinute: 11 * 60 + 27, target: "REQUESTED" },
];

export function demoWithdrawalIdempotencyKey(key: string): string {
  return `demo-withdrawal-${key}`;
}

/** A deterministic 64-hex-digit txid for a demo withdrawal marked sent. */
export function demoWithdrawalTxid(key: string): string {
  return createHash("sha256").update(`hashlease-demo-withdrawal:${key}`).digest("hex");
}

const ENROLLED_DAYS_AGO = 14;
const MINUTE_MS = 60_000;

function instant(today: Date, daysAgo: number, minute: number): Date {
  return new Date(dayDate(utcDayNumber(today) - daysAgo).getTime() + minute * MINUTE_MS);
}

/**
 * The withdrawer's BTC demo credit (a DEPOSIT journal from the mining clearing account, where
 * coins enter the platform), once per database, inside the seed's transaction.
 */
export async function creditDemoWithdrawer(tx: Tx, withdrawerId: string, log: (msg: string) => void): Promise<void> {
  const posted = await postDemoCredit(tx, {
    userId: withdrawerId,
    asset: "BTC",
    from: "MINING_CLEARING",
    amount: DEMO_WITHDRAWER_CREDIT_BTC_BASE,
    description: "Demo credit: BTC to try a withdrawal",
  });
  if (posted) log("demo withdrawer credited 0.25 BTC (demo credit)");
}

export interface WithdrawerProgress {
  /** Withdrawals this run requested. */
  withdrawalsCreated: number;
}

/** 2FA, the address and the withdrawals, each only where missing or not yet in its target state. */
export async function ensureDemoWithdrawer(
  prisma: PrismaClient,
  today: Date,
  log: (msg: string) => void,
): Promise<WithdrawerProgress> {
  const [withdrawer, admin] = await Promise.all(
    [DEMO_WITHDRAWER_EMAIL, DEMO_ADMIN_EMAIL].map((email) =>
      prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true, totpEnabledAt: true } }),
    ),
  );
  const userId = withdrawer!.id;
  const adminId = admin!.id;
  const code = (at: Date) => totpCodeFor(DEMO_WITHDRAWER_TOTP_SECRET, at);
  const say = (what: string, result: { ok: boolean; message?: string }) => {
    if (!result.ok) log(`demo withdrawer: ${what} refused (${result.message ?? "no reason"})`);
  };

  if (!withdrawer!.totpEnabledAt) {
    const enrolledAt = instant(today, ENROLLED_DAYS_AGO, 9 * 60);
    const actor = { userId, ip: null, now: enrolledAt };
    say("2FA enrolment", await startTotpEnrolment(prisma, actor, { secret: DEMO_WITHDRAWER_TOTP_SECRET }));
    say("2FA confirmation", await confirmTotpEnrolment(prisma, { ...actor, code: code(enrolledAt) }));
  }

  const addressWhere = { userId, coin: "BTC" as const, address: DEMO_WITHDRAWER_ADDRESS, deletedAt: null };
  let address = await prisma.withdrawalAddress.findFirst({ where: addressWhere, select: { id: true } });
  if (!address) {
    const addedAt = instant(today, ENROLLED_DAYS_AGO, 9 * 60 + 6);
    say(
      "address",
      await addWithdrawalAddress(prisma, {
        userId,
        now: addedAt,
        input: {
          coin: "BTC",
          address: DEMO_WITHDRAWER_ADDRESS,
          label: DEMO_WITHDRAWER_ADDRESS_LABEL,
          totpCode: code(addedAt),
        },
      }),
    );
    address = await prisma.withdrawalAddress.findFirst({ where: addressWhere, select: { id: true } });
    if (!address) {
      log("demo withdrawer: no address, no withdrawals");
      return { withdrawalsCreated: 0 };
    }
  }

  const { authSecret } = await getSecrets();
  let withdrawalsCreated = 0;
  for (const spec of DEMO_WITHDRAWALS) {
    const idempotencyKey = demoWithdrawalIdempotencyKey(spec.key);
    const at = instant(today, spec.daysAgo, spec.atMinute);
    const find = () =>
      prisma.withdrawal.findFirst({
        where: { userId, idempotencyKey },
        select: { id: true, status: true, emailConfirmedAt: true },
      });
    let row = await find();
    if (!row) {
      const outcome = await requestWithdrawal(prisma, {
        userId,
        idempotencyKey,
        now: at,
        body: { coin: "BTC", addressId: address.id, amount: spec.amount, totpCode: code(at) },
      });
      say(`withdrawal ${spec.key}`, outcome);
      if (outcome.ok && !outcome.replayed) withdrawalsCreated += 1;
      row = await find();
      if (!row) continue;
    }
    // At most one step per state; a refused step (a racing seed took it) reads the state again.
    for (let steps = 0; steps < 4 && row && row.status !== spec.target; steps += 1) {
      const stepAt = new Date(at.getTime() + (steps + 1) * 17 * MINUTE_MS);
      const result = await stepTowards(prisma, row, spec, { adminId, authSecret, at: stepAt });
      if (!result) break;
      say(`withdrawal ${spec.key} step`, result);
      row = await find();
    }
    // The request's own step: the email link, also for the one that stays requested (the review item).
    if (row?.status === "REQUESTED" && !row.emailConfirmedAt) {
      say(`withdrawal ${spec.key} email link`, await confirmByLink(prisma, row.id, authSecret, at));
    }
  }
  if (withdrawalsCreated > 0) log(`demo withdrawer: ${withdrawalsCreated} withdrawal(s) requested`);
  return { withdrawalsCreated };
}

type Row = { id: string; status: WithdrawalStatus; emailConfirmedAt: Date | null };

/** The next step from `row`'s state to its target, or null when there is none (cancelled, or past it). */
async function stepTowards(
  prisma: PrismaClient,
  row: Row,
  spec: DemoWithdrawal,
  ctx: { adminId: string; authSecret: string; at: Date },
): Promise<{ ok: boolean; message?: string } | null> {
  const withdrawalId = row.id;
  switch (row.status) {
    case "REQUESTED":
      return row.emailConfirmedAt ? null : confirmByLink(prisma, withdrawalId, ctx.authSecret, ctx.at);
    case "APPROVED":
      if (spec.target === "REJECTED") {
        return transitionOutcome(
          await rejectWithdrawal(prisma, { withdrawalId, adminId: ctx.adminId, reason: spec.reason!, now: ctx.at }),
        );
      }
      return transitionOutcome(
        await markWithdrawalSent(prisma, {
          withdrawalId,
          by: { adminId: ctx.adminId },
          txid: demoWithdrawalTxid(spec.key),
          now: ctx.at,
        }),
      );
    case "SENT":
      return transitionOutcome(
        await markWithdrawalConfirmed(prisma, { withdrawalId, adminId: ctx.adminId, now: ctx.at }),
      );
    default:
      return null;
  }
}

function transitionOutcome(result: TransitionResult): { ok: boolean; message?: string } {
  return result.ok ? { ok: true } : { ok: false, message: result.message };
}

/**
 * Uses the withdrawal's emailed link as the customer would: the link's token is derived from the
 * token row's id with the auth secret (lib/auth/account-tokens.ts), exactly as the mail renders it.
 */
async function confirmByLink(
  prisma: PrismaClient,
  withdrawalId: string,
  authSecret: string,
  at: Date,
): Promise<{ ok: boolean; message?: string }> {
  const tokenId = await liveWithdrawalLinkId(prisma, withdrawalId);
  if (!tokenId) return { ok: false, message: "no live confirmation link" };
  const result = await confirmWithdrawalByLink(prisma, {
    token: accountTokenFor(tokenId, authSecret),
    now: new Date(at.getTime() + 3 * MINUTE_MS),
  });
  return result.ok ? { ok: true } : { ok: false, message: result.message };
}
