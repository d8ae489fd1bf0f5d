// Registering and editing one rig. A rig belongs to an operator through its facility; the
// (model, serial number) pair is unique across the platform, as a physical machine is.
import type { PrismaClient } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { conflict, invalid, notFound } from "../shared/result";
import { operatorAudit } from "./audit";
import type { OperatorResult } from "./result";
import type { NewRigInput, RigEditInput } from "./rig-fields";
import { hashrateText, naturalHashrateUnit } from "./units";

export interface RigSaved {
  rigId: string;
}

const serialTaken = () =>
  conflict("This rig is already registered.", {
    serialNumber: "A rig of this model with this serial number is already registered.",
  });
const notYourFacility = () =>
  invalid("Choose one of your facilities.", { facilityId: "Choose one of your facilities." });

/** The rig's own columns as the form sets them (a new rig's status is set apart). */
function rigColumns(facilityId: string, input: RigEditInput) {
  return {
    facilityId,
    model: input.model,
    serialNumber: input.serialNumber,
    algorithm: input.algorithm,
    nominalHashrateHs: input.nominalHashrateHs,
    powerDrawW: input.powerW,
  };
}

export async function createRig(
  prisma: PrismaClient,
  args: { operatorId: string; input: NewRigInput; ip?: string | null },
): Promise<OperatorResult<RigSaved>> {
  const { operatorId, input } = args;
  try {
    return await prisma.$transaction(async (tx) => {
      const facility = await tx.facility.findFirst({
        where: { id: input.facilityId, operatorId },
        select: { id: true },
      });
      if (!facility) return notYourFacility();
      const data = { ...rigColumns(facility.id, input), status: input.status };
      const rig = await tx.rig.create({ data, select: { id: true } });
      await operatorAudit(tx, args, "rig.created", ["rig", rig.id], {
        ...data,
        nominalHashrateHs: data.nominalHashrateHs.toString(),
      });
      return { ok: true as const, rigId: rig.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return serialTaken();
    throw error;
  }
}

/**
 * Edits a rig's facility, model, serial, algorithm, nominal hashrate and power draw. Its status
 * changes through changeRigStatus (which moves allocations). Refused: a retired rig, another
 * algorithm while the rig backs a listing, and a nominal hashrate below what contracts hold on it.
 */
export async function updateRig(
  prisma: PrismaClient,
  args: { operatorId: string; rigId: string; input: RigEditInput; ip?: string | null },
): Promise<OperatorResult<RigSaved>> {
  const { operatorId, rigId, input } = args;
  try {
    return await prisma.$transaction(async (tx) => {
      const owned = await tx.rig.findFirst({ where: { id: rigId, facility: { operatorId } }, select: { id: true } });
      if (!owned) return notFound("This rig");
      // The row lock keeps purchases from allocating on it while the nominal is checked.
      await tx.$queryRaw`SELECT id FROM rigs WHERE id = ${rigId}::uuid FOR UPDATE`;
      const before = await tx.rig.findUniqueOrThrow({
        where: { id: rigId },
        include: { listing: { select: { title: true } } },
      });
      if (before.status === "RETIRED") return invalid("This rig is retired; a retired rig is no longer edited.");
      const facility = await tx.facility.findFirst({
        where: { id: input.facilityId, operatorId },
        select: { id: true },
      });
      if (!facility) return notYourFacility();
      if (before.listing && input.algorithm !== before.algorithm) {
        return invalid("Check the algorithm.", {
          algorithm: `This rig backs the listing “${before.listing.title}”, which sells ${before.algorithm} hashrate; remove it from the listing before changing its algorithm.`,
        });
      }
      const allocated = await tx.allocation.aggregate({
        where: { rigId, status: { in: ["RESERVED", "LIVE"] } },
        _sum: { hashrateHs: true },
      });
      const allocatedHs = allocated._sum.hashrateHs ?? 0n;
      if (input.nominalHashrateHs < allocatedHs) {
        const unit = naturalHashrateUnit(allocatedHs);
        return invalid("Check the nominal hashrate.", {
          nominalHashrate: `Contracts hold ${hashrateText(allocatedHs, unit)} ${unit} on this rig; its nominal hashrate cannot go below that.`,
        });
      }
      const after = rigColumns(facility.id, input);
      await tx.rig.update({ where: { id: rigId }, data: after });
      await operatorAudit(tx, args, "rig.updated", ["rig", rigId], {
        before: {
          facilityId: before.facilityId,
          model: before.model,
          serialNumber: before.serialNumber,
          algorithm: before.algorithm,
          nominalHashrateHs: before.nominalHashrateHs.toString(),
          powerDrawW: before.powerDrawW,
        },
        after: { ...after, nominalHashrateHs: after.nominalHashrateHs.toString() },
      });
      return { ok: true as const, rigId };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return serialTaken();
    throw error;
  }
}
