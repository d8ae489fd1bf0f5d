// GET /api/v1/balances — available and held balance per asset (scope read).
import { apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { amountText } from "@/lib/api/v1";
import { customerBalances } from "@/lib/dashboard/queries";

export const dynamic = "force-dynamic";

export const GET = apiRoute({
  scope: apiOperations.listBalances.scope,
  handler: async ({ prisma, user }) => {
    const rows = await customerBalances(prisma, user.id);
    const balances = rows.map((b) => ({
      asset: b.asset,
      decimals: b.decimals,
      available: b.available.toString(),
      held: b.held.toString(),
      priceMicroUsd: amountText(b.priceMicroUsd),
      usdValueMicroUsd: amountText(b.usdValueMicroUsd),
    }));
    return { status: 200, body: { balances } };
  },
});
