// A customer's own contract, as its page shows it: the admin console's contract view
// (lib/admin/contracts.ts contractView: terms, allocations, payouts, audit lines) scoped to its
// owner and cut to what the customer may see — no ledger internals, no Stripe ids, no other
// person's email — with the state history in words.
import { contractView, type ContractView } from "../admin/contracts";
import type { PrismaClient } from "../db/client";

/** What each line written about a contract means to its customer; other lines are not shown. */
const HISTORY_WORDS: Record<string, string> = {
  "contract.reserved": "Card checkout opened: capacity held",
  "contract.purchased": "Bought and activated",
  "contract.activated": "Card payment received: activated",
  "contract.payment_credited": "Payment arrived after the hold ended: credited to your USD balance",
  "contract.reservation_cancelled": "Checkout cancelled: capacity released, nothing charged",
  "contract.reservation_expired": "Checkout expired: capacity released, nothing charged",
};

export interface CustomerContract {
  contract: ContractView["contract"];
  listing: { id: string; title: string; unitLabel: string };
  decimals: number;
  allocations: ContractView["allocations"];
  payouts: ContractView["payouts"];
  history: { at: Date; text: string }[];
}

export async function customerContract(
  prisma: PrismaClient,
  customerId: string,
  contractId: string,
  options: { payoutPage: number; payoutPageSize: number },
): Promise<CustomerContract | null> {
  const view = await contractView(prisma, contractId, options);
  if (!view || view.customer.id !== customerId) return null;
  const history = view.audit.flatMap((line) => {
    const text = HISTORY_WORDS[line.action];
    return text ? [{ at: line.at, text }] : [];
  });
  return {
    contract: view.contract,
    listing: { id: view.listing.id, title: view.listing.title, unitLabel: view.listing.unitLabel },
    decimals: view.decimals,
    allocations: view.allocations,
    payouts: view.payouts,
    history,
  };
}

/** The customer's contracts that have ended, lapsed or were given up, newest first (the dashboard's history). */
export async function customerPastContracts(prisma: PrismaClient, customerId: string, take = 50) {
  return prisma.contract.findMany({
    where: { customerId, status: { in: ["COMPLETED", "EXPIRED", "CANCELLED"] } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take,
    select: {
      id: true,
      coin: true,
      status: true,
      hashrateHs: true,
      days: true,
      startDay: true,
      endDay: true,
      createdAt: true,
      listing: { select: { title: true } },
    },
  });
}
