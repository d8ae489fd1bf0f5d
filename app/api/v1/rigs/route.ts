// GET/POST /api/v1/rigs — the key owner's rigs (scope operate).
import { apiRoute } from "@/lib/api/handler";
import { apiOperations } from "@/lib/api/schemas";
import { invalidFields, joinedClient, operatorRefusal, requireTx, rigView } from "@/lib/api/v1";
import { newRigSchema, parseRigFields } from "@/lib/operator/rig-fields";
import { createRig } from "@/lib/operator/rigs";

export const dynamic = "force-dynamic";

const rigSelect = {
  id: true,
  facilityId: true,
  listingId: true,
  model: true,
  serialNumber: true,
  algorithm: true,
  nominalHashrateHs: true,
  powerDrawW: true,
  status: true,
} as const;

export const GET = apiRoute({
  scope: apiOperations.listRigs.scope,
  handler: async ({ prisma, user }) => {
    const rigs = await prisma.rig.findMany({
      where: { facility: { operatorId: user.id } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: rigSelect,
    });
    return { status: 200, body: { rigs: rigs.map(rigView) } };
  },
});

const create = apiOperations.createRig;

export const POST = apiRoute({
  scope: create.scope,
  mutating: true,
  body: create.body,
  handler: async ({ tx, user, body, ip }) => {
    const db = requireTx(tx);
    // The core's field parser takes the form's texts: the nominal hashrate in H/s exactly.
    const parsed = parseRigFields(newRigSchema, {
      facilityId: body.facilityId,
      model: body.model,
      serialNumber: body.serialNumber,
      algorithm: body.algorithm,
      nominalHashrate: body.nominalHashrateHs,
      hashrateUnit: "H/s",
      powerW: String(body.powerW),
      status: body.status,
    });
    if (!parsed.ok) invalidFields(parsed.fieldErrors);
    const result = await createRig(joinedClient(db), { operatorId: user.id, input: parsed.value, ip });
    if (!result.ok) operatorRefusal(result);
    const rig = await db.rig.findUniqueOrThrow({ where: { id: result.rigId }, select: rigSelect });
    return { status: 201, body: rigView(rig) };
  },
});
