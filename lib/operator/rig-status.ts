// Changing a rig's status. Taking a rig out of service (MAINTENANCE, OFFLINE, RETIRED) moves
// the contracts' hashrate it carries (RESERVED and LIVE allocations) onto free capacity of the
// ACTIVE rigs of the same listing, in one transaction:
//  - locks first the contracts concerned, then the listing's rigs in id order: the order the
//    Stripe webhook (contract, then rig through the capacity guard) and purchases (rigs in id
//    order) take, so none of them can deadlock with this or slip an allocation in between;
//  - per allocation (LIVE before RESERVED: paid contracts first; older first), plans the move
//    with planAllocation over the other rigs' free capacity, split over several rigs if
//    needed, moving as much as fits;
//  - the old allocation becomes RELEASED (released_at = now) and new ones with the same
//    contract and status are inserted; a part that does not fit stays on this rig as a new
//    allocation of the remainder, and that contract is under-delivered (the payout run
//    compensates it);
//  - audits the status change and every move.
// RETIRED is final. Coming back to ACTIVE moves nothing back.
import { planAllocation, totalFree, type RigCapacity } from "../allocation/plan";
import type { PrismaClient, Tx } from "../db/client";
import { isDeadlock } from "../db/errors";
import type { AllocationStatus, RigStatus } from "../generated/prisma/enums";
import { conflict, invalid, notFound } from "../shared/result";
import { operatorAudit } from "./audit";
import type { OperatorResult } from "./result";

export interface AllocationMove {
  contractId: string;
  status: AllocationStatus;
  fromAllocationId: string;
  /** What the old allocation held, H/s. */
  hashrateHs: bigint;
  to: { rigId: string; allocationId: string; hashrateHs: bigint }[];
  /** What could not move and stays on this rig (0 when all moved), H/s. */
  strandedHs: bigint;
}

export interface StrandedHashrate {
  contractId: string;
  allocationId: string;
  status: AllocationStatus;
  hashrateHs: bigint;
}

export interface RigStatusChange {
  rigId: string;
  from: RigStatus;
  to: RigStatus;
  changed: boolean;
  moves: AllocationMove[];
  /** Contracts' hashrate left on this rig after the change (out of service: under-delivered). */
  stranded: StrandedHashrate[];
}

interface LockedRig {
  id: string;
  listing_id: string | null;
  status: RigStatus;
  nominal: bigint;
}

async function lockContracts(tx: Tx, contractIds: string[]): Promise<void> {
  if (contractIds.length === 0) return;
  await tx.$queryRaw`SELECT id FROM contracts WHERE id = ANY(${contractIds}::uuid[]) ORDER BY id FOR UPDATE`;
}

async function heldAllocations(tx: Tx, rigId: string) {
  const rows = await tx.allocation.findMany({
    where: { rigId, status: { in: ["RESERVED", "LIVE"] } },
    select: { id: true, contractId: true, hashrateHs: true, status: true, createdAt: true },
  });
  return rows.sort((a, b) =>
    a.status !== b.status
      ? a.status === "LIVE"
        ? -1
        : 1
      : a.createdAt.getTime() !== b.createdAt.getTime()
        ? a.createdAt.getTime() - b.createdAt.getTime()
        : a.id < b.id
          ? -1
          : 1,
  );
}

export async function changeRigStatus(
  prisma: PrismaClient,
  args: { operatorId: string; rigId: string; status: RigStatus; ip?: string | null },
): Promise<OperatorResult<RigStatusChange>> {
  try {
    return await moveAndChange(prisma, args);
  } catch (error) {
    // Only possible when a purchase committed allocations on this rig between the first read
    // and the rig locks and a payment for it arrived at that instant; nothing was written.
    if (isDeadlock(error))
      return conflict("The rig was busy with a purchase at that moment; nothing changed. Try again.");
    throw error;
  }
}

async function moveAndChange(
  prisma: PrismaClient,
  args: { operatorId: string; rigId: string; status: RigStatus; ip?: string | null },
): Promise<OperatorResult<RigStatusChange>> {
  const { operatorId, rigId, status } = args;
  return prisma.$transaction(
    async (tx) => {
      const rig = await tx.rig.findFirst({
        where: { id: rigId, facility: { operatorId } },
        select: { id: true, listingId: true },
      });
      if (!rig) return notFound("This rig");

      const before = await heldAllocations(tx, rigId);
      const lockedContracts = new Set(before.map((a) => a.contractId));
      await lockContracts(tx, [...lockedContracts].sort());

      const locked = await tx.$queryRaw<LockedRig[]>`
        SELECT id, listing_id, status::text AS status, nominal_hashrate_hs AS nominal
          FROM rigs
         WHERE id = ${rigId}::uuid OR listing_id = ${rig.listingId}::uuid
         ORDER BY id FOR UPDATE`;
      const self = locked.find((r) => r.id === rigId);
      if (!self || self.listing_id !== rig.listingId) {
        return conflict("This rig was changed meanwhile (its listing changed). Reload the page and try again.");
      }
      const from = self.status;
      if (from === "RETIRED")
        return invalid("This rig is retired; retirement is final.", { status: "A retired rig keeps its status." });
      if (from === status)
        return { ok: true as const, rigId, from, to: status, changed: false, moves: [], stranded: [] };

      await tx.rig.update({ where: { id: rigId }, data: { status } });

      const moves: AllocationMove[] = [];
      const stranded: StrandedHashrate[] = [];
      const held = await heldAllocations(tx, rigId);
      // Allocations that appeared between the first read and the rig locks (a purchase that
      // committed in between): lock their contracts too before touching them.
      await lockContracts(
        tx,
        [...new Set(held.map((a) => a.contractId).filter((id) => !lockedContracts.has(id)))].sort(),
      );

      if (status === "ACTIVE") {
        // Back in service: what it carries is delivered again; nothing to move.
      } else if (held.length > 0) {
        const others = locked.filter((r) => r.id !== rigId && r.status === "ACTIVE" && r.listing_id !== null);
        const used = others.length
          ? await tx.$queryRaw<{ rig_id: string; used: string }[]>`
              SELECT rig_id, sum(hashrate_hs)::text AS used FROM allocations
               WHERE rig_id = ANY(${others.map((r) => r.id)}::uuid[]) AND status IN ('RESERVED', 'LIVE')
               GROUP BY rig_id`
          : [];
        const usedByRig = new Map(used.map((u) => [u.rig_id, BigInt(u.used)]));
        const capacity: RigCapacity[] = others.map((r) => ({
          rigId: r.id,
          freeHs: BigInt(r.nominal) - (usedByRig.get(r.id) ?? 0n),
        }));
        const now = new Date();

        for (const allocation of held) {
          const available = totalFree(capacity);
          const movable = allocation.hashrateHs < available ? allocation.hashrateHs : available;
          if (movable === 0n) {
            stranded.push({
              contractId: allocation.contractId,
              allocationId: allocation.id,
              status: allocation.status,
              hashrateHs: allocation.hashrateHs,
            });
            continue;
          }
          const plan = planAllocation(capacity, movable);
          if (!plan) throw new Error("allocation plan failed within the free capacity it was given");
          await tx.allocation.update({ where: { id: allocation.id }, data: { status: "RELEASED", releasedAt: now } });
          const remainderHs = allocation.hashrateHs - movable;
          const created = await tx.allocation.createManyAndReturn({
            data: [
              ...plan.map((p) => ({
                contractId: allocation.contractId,
                rigId: p.rigId,
                hashrateHs: p.hashrateHs,
                status: allocation.status,
              })),
              ...(remainderHs > 0n
                ? [{ contractId: allocation.contractId, rigId, hashrateHs: remainderHs, status: allocation.status }]
                : []),
            ],
            select: { id: true, rigId: true, hashrateHs: true },
          });
          for (const p of plan) {
            const slot = capacity.find((c) => c.rigId === p.rigId)!;
            slot.freeHs -= p.hashrateHs;
          }
          const to = created
            .filter((c) => c.rigId !== rigId)
            .map((c) => ({ rigId: c.rigId, allocationId: c.id, hashrateHs: c.hashrateHs }));
          const remainder = created.find((c) => c.rigId === rigId);
          if (remainder) {
            stranded.push({
              contractId: allocation.contractId,
              allocationId: remainder.id,
              status: allocation.status,
              hashrateHs: remainder.hashrateHs,
            });
          }
          const move: AllocationMove = {
            contractId: allocation.contractId,
            status: allocation.status,
            fromAllocationId: allocation.id,
            hashrateHs: allocation.hashrateHs,
            to,
            strandedHs: remainderHs,
          };
          moves.push(move);
          await operatorAudit(tx, args, "allocation.moved", ["allocation", allocation.id], {
            contractId: allocation.contractId,
            status: allocation.status,
            fromRigId: rigId,
            hashrateHs: allocation.hashrateHs.toString(),
            to: to.map((t) => ({
              rigId: t.rigId,
              allocationId: t.allocationId,
              hashrateHs: t.hashrateHs.toString(),
            })),
            strandedHs: remainderHs.toString(),
            strandedAllocationId: remainder?.id ?? null,
            reason: `rig ${from} -> ${status}`,
          });
        }
      }

      await operatorAudit(tx, args, "rig.status_changed", ["rig", rigId], {
        from,
        to: status,
        listingId: rig.listingId,
        movedAllocations: moves.length,
        movedHs: moves.reduce((sum, m) => sum + m.hashrateHs - m.strandedHs, 0n).toString(),
        stranded: stranded.map((s) => ({
          contractId: s.contractId,
          allocationId: s.allocationId,
          hashrateHs: s.hashrateHs.toString(),
        })),
      });
      // When the rig returns to service nothing is stranded; out of service, whatever it still
      // carries is (including allocations that found no free capacity at all).
      return {
        ok: true as const,
        rigId,
        from,
        to: status,
        changed: true,
        moves,
        stranded: status === "ACTIVE" ? [] : stranded,
      };
    },
    { timeout: 30_000 },
  );
}
