// GET /api/v1/contracts — the key owner's contracts, newest first (scope read).
import { apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { listContractViews } from "@/lib/api/v1";

export const dynamic = "force-dynamic";

export const GET = apiRoute({
  scope: apiOperations.listContracts.scope,
  handler: async ({ prisma, user }) => {
    return { status: 200, body: { contracts: await listContractViews(prisma, user.id) } };
  },
});
