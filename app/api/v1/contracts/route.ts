// GET /api/v1/contracts — the key owner's contracts, newest first (scope read).
import { apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { contractSelect, contractView } from "@/lib/api/v1";

export const dynamic = "force-dynamic";

export const GET = apiRoute({
  scope: apiOperations.listContracts.scope,
  handler: async ({ prisma, user }) => {
    const rows = await prisma.contract.findMany({
      where: { customerId: user.id },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      select: contractSelect,
      take: 1000,
    });
    return { status: 200, body: { contracts: rows.map(contractView) } };
  },
});
