// Allocation planning (pure): spread a contract's hashrate across a listing's rigs.
// Fills the rigs with the most free capacity first so a contract touches as few rigs as
// possible (fewer rigs = less exposure to one rig's outage accounting), ties by rig id so
// the plan is deterministic. Never plans more than a rig's free capacity.

export interface RigCapacity {
  rigId: string;
  /** Nominal hashrate minus live and reserved allocations, H/s (may be <= 0). */
  freeHs: bigint;
}

export interface PlannedAllocation {
  rigId: string;
  hashrateHs: bigint;
}

export function totalFree(rigs: RigCapacity[]): bigint {
  return rigs.reduce((sum, r) => sum + (r.freeHs > 0n ? r.freeHs : 0n), 0n);
}

/** The allocations for `wantedHs`, or null when the rigs cannot hold it all. */
export function planAllocation(rigs: RigCapacity[], wantedHs: bigint): PlannedAllocation[] | null {
  if (wantedHs <= 0n) throw new RangeError("wanted hashrate must be positive");
  if (totalFree(rigs) < wantedHs) return null;
  const order = rigs
    .filter((r) => r.freeHs > 0n)
    .sort((a, b) => (a.freeHs === b.freeHs ? (a.rigId < b.rigId ? -1 : 1) : a.freeHs > b.freeHs ? -1 : 1));
  const plan: PlannedAllocation[] = [];
  let remaining = wantedHs;
  for (const rig of order) {
    if (remaining === 0n) break;
    const take = rig.freeHs < remaining ? rig.freeHs : remaining;
    plan.push({ rigId: rig.rigId, hashrateHs: take });
    remaining -= take;
  }
  return plan;
}
