// Processors (DESIGN.md "Withdrawals and 2FA"): who sends approved withdrawals. The state
// machine in withdrawal-transitions.ts does not care which runs. A withdrawal is handed to
// at most one processor at a time: the claim (processor, submitted_at) and its audit line
// are one transaction over rows taken with SKIP LOCKED, so any number of workers share the
// queue; frozen accounts' withdrawals, and those of accounts whose withdrawals are frozen
// (withdrawal-freeze.ts), are not handed over; a failed hand-over puts the withdrawal back in
// the queue. Only the processor it was handed to (for the manual one, an admin) records its txid.
import { appendAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import type { Asset } from "../generated/prisma/enums";
import { MANUAL_PROCESSOR_NAME, markWithdrawalSent } from "./withdrawal-transitions";

export interface ProcessorWithdrawal {
  id: string;
  coin: Asset;
  address: string;
  netBase: bigint;
}

export type ProcessorOutcome = { status: "queued" } | { status: "sent"; txid: string };

export interface WithdrawalProcessor {
  name: string;
  /** Hands over one approved withdrawal: broadcast it ("sent" with the txid) or queue it for later. */
  submit(withdrawal: ProcessorWithdrawal): Promise<ProcessorOutcome>;
}

/**
 * No chain node is reachable from the platform: approved withdrawals are recorded for an
 * admin, who sends them from the custody wallet and marks them sent with the txid.
 */
export const manualProcessor: WithdrawalProcessor = {
  name: MANUAL_PROCESSOR_NAME,
  async submit() {
    return { status: "queued" };
  },
};

/**
 * Hands approved withdrawals no processor has taken yet (oldest approval first, frozen
 * accounts skipped) to `processor`. Claims rows with SKIP LOCKED so any number of workers
 * share the queue; returns how many were handed over.
 */
export async function processApprovedWithdrawals(
  prisma: PrismaClient,
  processor: WithdrawalProcessor,
  limit = 50,
): Promise<number> {
  const claimed = await prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; coin: Asset; address: string; net_base: string }[]>`
      UPDATE withdrawals w SET processor = ${processor.name}, submitted_at = now(), updated_at = now()
       WHERE w.id IN (
         SELECT x.id FROM withdrawals x JOIN users u ON u.id = x.user_id
          WHERE x.status = 'APPROVED' AND x.submitted_at IS NULL AND u.frozen_at IS NULL
            AND u.withdrawals_frozen_at IS NULL
          ORDER BY x.approved_at LIMIT ${limit}
            FOR UPDATE OF x SKIP LOCKED)
      RETURNING w.id, w.coin, w.address, w.net_base::text AS net_base`;
    for (const row of rows) {
      await appendAudit(tx, {
        actorId: null,
        action: "withdrawal.submitted",
        entityType: "withdrawal",
        entityId: row.id,
        details: { processor: processor.name },
      });
    }
    return rows;
  });
  for (const row of claimed) {
    let outcome: ProcessorOutcome;
    try {
      outcome = await processor.submit({
        id: row.id,
        coin: row.coin,
        address: row.address,
        netBase: BigInt(row.net_base),
      });
    } catch (error) {
      // Not handed over: back to the queue for the next round.
      await prisma.$transaction(async (tx) => {
        await tx.withdrawal.updateMany({
          where: { id: row.id, status: "APPROVED" },
          data: { processor: null, submittedAt: null },
        });
        await appendAudit(tx, {
          actorId: null,
          action: "withdrawal.submit_failed",
          entityType: "withdrawal",
          entityId: row.id,
          details: { processor: processor.name, error: error instanceof Error ? error.message : String(error) },
        });
      });
      continue;
    }
    if (outcome.status === "sent") {
      await markWithdrawalSent(prisma, { withdrawalId: row.id, by: { processor: processor.name }, txid: outcome.txid });
    }
  }
  return claimed.length;
}
