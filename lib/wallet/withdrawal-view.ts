// A withdrawal as the browser, the API and the idempotency store see it: the row with its
// amounts as base-unit strings (a bigint does not survive JSON) and its request time as ISO
// text. The request, every transition and a replayed request answer with this one shape.
// awaitingEmailConfirmation: requested, and its emailed link (withdrawal-confirmation.ts) not
// used yet; nothing happens to it before, and it is cancelled after confirmBy.
import { decimalToBigInt } from "../db/decimal";
import type { Prisma } from "../generated/prisma/client";
import type { Asset, WithdrawalStatus } from "../generated/prisma/enums";

/** A withdrawal as the browser and the idempotency store see it: amounts as base-unit strings. */
export type WithdrawalView = {
  id: string;
  coin: Asset;
  status: WithdrawalStatus;
  address: string;
  amountBase: string;
  networkFeeBase: string;
  netBase: string;
  reviewRequired: boolean;
  reviewReason: string | null;
  txid: string | null;
  requestedAt: string;
  awaitingEmailConfirmation: boolean;
  /** While it awaits the email confirmation: when its link expires and it is cancelled. */
  confirmBy: string | null;
};

type WithdrawalRow = {
  id: string;
  userId: string;
  coin: Asset;
  address: string;
  amountBase: Prisma.Decimal;
  networkFeeBase: Prisma.Decimal;
  netBase: Prisma.Decimal;
  status: WithdrawalStatus;
  reviewRequired: boolean;
  reviewReason: string | null;
  txid: string | null;
  requestedAt: Date;
  emailConfirmedAt: Date | null;
  confirmBy: Date | null;
};

export function withdrawalView(row: WithdrawalRow): WithdrawalView {
  return {
    id: row.id,
    coin: row.coin,
    status: row.status,
    address: row.address,
    amountBase: decimalToBigInt(row.amountBase).toString(),
    networkFeeBase: decimalToBigInt(row.networkFeeBase).toString(),
    netBase: decimalToBigInt(row.netBase).toString(),
    reviewRequired: row.reviewRequired,
    reviewReason: row.reviewReason,
    txid: row.txid,
    requestedAt: row.requestedAt.toISOString(),
    awaitingEmailConfirmation: row.status === "REQUESTED" && !row.emailConfirmedAt,
    confirmBy: row.status === "REQUESTED" && !row.emailConfirmedAt ? (row.confirmBy?.toISOString() ?? null) : null,
  };
}
