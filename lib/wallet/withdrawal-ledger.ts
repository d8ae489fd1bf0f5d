// Where a withdrawal moves value in the ledger (DESIGN.md "Withdrawals and 2FA", "Ledger").
//
// Money, per coin, in base units (the coin's `withdrawalFeeBase` is the network fee):
//   request  (WITHDRAWAL_REQUEST)  USER_AVAILABLE -amount, USER_HELD +amount
//   release  (WITHDRAWAL_RELEASE)  USER_HELD -amount, USER_AVAILABLE +amount
//   send     (WITHDRAWAL_SEND)     USER_HELD -amount, WITHDRAWALS_IN_FLIGHT +amount
//   confirm  (WITHDRAWAL_CONFIRM)  WITHDRAWALS_IN_FLIGHT -amount, MINING_CLEARING +net,
//                                  PLATFORM_FEES +fee
// The user pays the network fee out of the amount: `amount` leaves the balance, `net =
// amount - fee` arrives at the address. On confirmation the net leaves the platform's coin
// custody (MINING_CLEARING, the account the coins came in through, is debit-normal: its
// negative balance is the coins the platform holds) and the fee is platform fee income that
// pays the miners' fee of the on-chain transaction. Approval moves no value (the funds stay
// held), so it has an audit line and no journal. Each journal kind is unique per withdrawal
// (journal_transactions (kind, reference_type, reference_id)), so a hold is released or
// spent at most once even if two transitions raced past the row lock.
import type { Asset } from "../generated/prisma/enums";
import type { AccountRef } from "../ledger/ledger";

export function userAccount(type: "USER_AVAILABLE" | "USER_HELD", asset: Asset, userId: string): AccountRef {
  return { type, asset, userId };
}

export function platformAccount(
  type: "WITHDRAWALS_IN_FLIGHT" | "MINING_CLEARING" | "PLATFORM_FEES",
  asset: Asset,
): AccountRef {
  return { type, asset, userId: null };
}
