// GET /api/v1/contracts/{id} — one of the key owner's contracts; anyone else's is 404 (scope read).
import { ApiError, apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { contractSelect, contractView } from "@/lib/api/v1";

export const dynamic = "force-dynamic";

const spec = apiOperations.getContract;

export const GET = apiRoute({
  scope: spec.scope,
  handler: async ({ prisma, user, params }) => {
    const parsed = spec.params.safeParse(params);
    if (!parsed.success) throw new ApiError(400, "invalid_request", "id: send a contract id (a UUID).");
    const row = await prisma.contract.findFirst({
      where: { id: parsed.data.id, customerId: user.id },
      select: contractSelect,
    });
    if (!row) throw new ApiError(404, "not_found", "You have no contract with this id.");
    return { status: 200, body: contractView(row) };
  },
});
