// The coin part of an operator's payable (maintenance fees, DESIGN.md "Payout formula") leaves
// the platform through the withdrawal flow everyone uses, not a second one: the operator moves
// it to its own wallet balance (USER_AVAILABLE of the same account, as an exchange moves a mining
// account's earnings to the spot wallet), and from there a withdrawal needs 2FA and a fresh code,
// a whitelisted address past its 48-hour lock, the coin's minimum, limits and review
// (lib/wallet/withdrawal-request.ts). Moving itself moves nothing off the platform.
//
// One transaction: the operator's row locked (moves of one operator queue), account not frozen,
// the OPERATOR and CUSTOMER roles (every registered operator has both; the wallet is the
// customer's), an amount in the coin's base units > 0 and <= the payable's balance, then
// journal OPERATOR_PAYABLE_TRANSFER (OPERATOR_PAYABLE -amount, USER_AVAILABLE +amount, both the
// operator's) and its audit line. The balance is read again after the posting, so a concurrent
// move can never take the payable below zero.
import { randomUUID } from "node:crypto";
import { appendAudit } from "../audit/audit";
import type { PrismaClient, Tx } from "../db/client";
import type { Asset } from "../generated/prisma/enums";
import { postJournal } from "../ledger/ledger";
import { decimalText, parseDecimal } from "../shared/decimal";
import { refuse, refuseField, type Refusal } from "../shared/result";

export type MoveRefusalCode =
  "INVALID_REQUEST" | "ACCOUNT_NOT_FOUND" | "ACCOUNT_FROZEN" | "FORBIDDEN" | "INSUFFICIENT_FUNDS";

export interface MovedToWallet {
  ok: true;
  transferId: string;
  asset: Asset;
  amountBase: bigint;
  decimals: number;
}

class PayableOverdrawnError extends Error {}

async function payableBalance(tx: Tx, operatorId: string, asset: Asset): Promise<bigint> {
  const [row] = await tx.$queryRaw<{ balance: string }[]>`
    SELECT balance::text AS balance FROM ledger_accounts
     WHERE type = 'OPERATOR_PAYABLE' AND asset = ${asset}::asset AND user_id = ${operatorId}::uuid`;
  return BigInt(row?.balance ?? "0");
}

export async function movePayableToWallet(
  prisma: PrismaClient,
  input: { operatorId: string; asset: string; amount: string; ip?: string | null },
): Promise<MovedToWallet | Refusal<MoveRefusalCode>> {
  const coin = await prisma.coin.findUnique({
    where: { asset: input.asset as Asset },
    select: { asset: true, decimals: true },
  });
  if (!coin) {
    return refuse("INVALID_REQUEST", "Choose a coin of your payable: USD is paid out to your bank account.");
  }
  const parsed = parseDecimal(input.amount.trim(), coin.decimals, { maxWholeDigits: 12 });
  if (!parsed.ok || parsed.value <= 0n) {
    const message =
      parsed.ok || parsed.reason !== "fractionTooLong"
        ? `Enter an amount of ${coin.asset} greater than zero, e.g. 0.001.`
        : `${coin.asset} has ${coin.decimals} decimals: enter at most ${coin.decimals} digits after the point.`;
    return refuseField("INVALID_REQUEST", "amount", message);
  }
  const amount = parsed.value;
  const text = `${decimalText(amount, coin.decimals)} ${coin.asset}`;
  try {
    return await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${input.operatorId}::uuid FOR NO KEY UPDATE`;
      const user = await tx.user.findUnique({
        where: { id: input.operatorId },
        select: { frozenAt: true, roles: true },
      });
      if (!user) return refuse("ACCOUNT_NOT_FOUND", "Sign in again to move your payable.");
      if (user.frozenAt) return refuse("ACCOUNT_FROZEN", "Your account is frozen: moves and withdrawals are disabled.");
      if (!user.roles.includes("OPERATOR")) return refuse("FORBIDDEN", "Only operators have a payable.");
      if (!user.roles.includes("CUSTOMER")) {
        return refuse("FORBIDDEN", "This account has no wallet to move coin to. Contact support to add one.");
      }
      const balance = await payableBalance(tx, input.operatorId, coin.asset);
      if (amount > balance) {
        const left = `${decimalText(balance > 0n ? balance : 0n, coin.decimals)} ${coin.asset}`;
        return refuseField(
          "INSUFFICIENT_FUNDS",
          "amount",
          `Your ${coin.asset} payable is ${left}: it does not cover ${text}.`,
        );
      }
      const transferId = randomUUID();
      await postJournal(tx, {
        kind: "OPERATOR_PAYABLE_TRANSFER",
        description: `Maintenance fees of ${text} moved from the payable to the wallet`,
        referenceType: "operator_payable_transfer",
        referenceId: transferId,
        postings: [
          { account: { type: "OPERATOR_PAYABLE", asset: coin.asset, userId: input.operatorId }, amount: -amount },
          { account: { type: "USER_AVAILABLE", asset: coin.asset, userId: input.operatorId }, amount },
        ],
      });
      if ((await payableBalance(tx, input.operatorId, coin.asset)) < 0n) throw new PayableOverdrawnError();
      await appendAudit(tx, {
        actorId: input.operatorId,
        action: "operator_payable.moved_to_wallet",
        entityType: "user",
        entityId: input.operatorId,
        ip: input.ip ?? null,
        details: { transferId, asset: coin.asset, amountBase: amount.toString() },
      });
      return { ok: true as const, transferId, asset: coin.asset, amountBase: amount, decimals: coin.decimals };
    });
  } catch (error) {
    if (error instanceof PayableOverdrawnError) {
      return refuseField("INSUFFICIENT_FUNDS", "amount", `Your ${coin.asset} payable does not cover ${text}.`);
    }
    throw error;
  }
}
