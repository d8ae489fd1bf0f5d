// A labelled demo credit: a DEPOSIT journal from a clearing account (where money or coins enter
// the platform) to a demo user's available balance, once per database. The journal's (kind,
// reference) is unique, and an existing one is left alone, so the seed may run any number of times.
import type { Tx } from "../db/client";
import type { Asset } from "../generated/prisma/enums";
import { postJournal } from "../ledger/ledger";

export interface DemoCredit {
  userId: string;
  asset: Asset;
  /** USD arrives through Stripe; coins through mining. */
  from: "STRIPE_CLEARING" | "MINING_CLEARING";
  /** Base units of `asset` (micro-USD for USD). */
  amount: bigint;
  description: string;
}

/** Posts the credit unless the user has it already: whether it was posted now. */
export async function postDemoCredit(tx: Tx, credit: DemoCredit): Promise<boolean> {
  const { userId, asset, amount } = credit;
  const existing = await tx.journalTransaction.findFirst({
    where: { kind: "DEPOSIT", referenceType: "demo-credit", referenceId: userId },
    select: { id: true },
  });
  if (existing) return false;
  await postJournal(tx, {
    kind: "DEPOSIT",
    description: credit.description,
    referenceType: "demo-credit",
    referenceId: userId,
    postings: [
      { account: { type: credit.from, asset, userId: null }, amount: -amount },
      { account: { type: "USER_AVAILABLE", asset, userId }, amount },
    ],
  });
  return true;
}
