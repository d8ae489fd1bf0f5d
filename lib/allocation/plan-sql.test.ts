// The purchase statement plans in SQL (plan_allocation, migration 20261125050000): it must
// give exactly the plan of planAllocation for any capacity, ties and overdrawn rigs included.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "../testing/test-database";
import { planAllocation, type RigCapacity } from "./plan";

const t = withTestDatabase();

async function sqlPlan(rigs: RigCapacity[], wantedHs: bigint) {
  const rows = await t.prisma.$queryRaw<{ rig_id: string; hashrate_hs: bigint }[]>`
    SELECT rig_id::text, hashrate_hs FROM plan_allocation(
      ${rigs.map((r) => r.rigId)}::uuid[], ${rigs.map((r) => r.freeHs.toString())}::bigint[], ${wantedHs.toString()}::numeric)`;
  return rows.length === 0 ? null : rows.map((r) => ({ rigId: r.rig_id, hashrateHs: BigInt(r.hashrate_hs) }));
}

/** Small random integers so that ties, zero and negative free capacity are common. */
function randomRigs(seed: number): RigCapacity[] {
  let x = seed * 2654435761 + 1;
  const next = () => ((x = (x * 1103515245 + 12345) % 2147483648), x);
  const n = next() % 7;
  return Array.from({ length: n }, () => ({
    rigId: randomUUID(),
    freeHs: BigInt((next() % 9) - 2) * (next() % 2 ? 1n : 10n ** 12n),
  }));
}

describe("plan_allocation (SQL) equals planAllocation", () => {
  it("on 250 random listings and wanted hashrates, with ties broken by rig id", async () => {
    let planned = 0;
    for (let seed = 1; seed <= 250; seed++) {
      const rigs = randomRigs(seed);
      const total = rigs.reduce((s, r) => s + (r.freeHs > 0n ? r.freeHs : 0n), 0n);
      for (const wanted of [1n, total / 2n || 1n, total || 1n, total + 1n]) {
        const expected = planAllocation(rigs, wanted);
        expect(
          await sqlPlan(rigs, wanted),
          JSON.stringify({ rigs: rigs.map((r) => [r.rigId, r.freeHs.toString()]), wanted: wanted.toString() }),
        ).toEqual(expected);
        if (expected) planned += 1;
      }
    }
    expect(planned).toBeGreaterThan(250); // the comparison covered real plans, not only refusals
  });

  it("ties go to the lower rig id, as in the TypeScript sort", async () => {
    const rigs = [
      { rigId: "ffffffff-0000-4000-8000-000000000000", freeHs: 5n },
      { rigId: "0000000f-0000-4000-8000-000000000000", freeHs: 5n },
      { rigId: "a0000000-0000-4000-8000-000000000000", freeHs: 7n },
    ];
    expect(await sqlPlan(rigs, 10n)).toEqual([
      { rigId: "a0000000-0000-4000-8000-000000000000", hashrateHs: 7n },
      { rigId: "0000000f-0000-4000-8000-000000000000", hashrateHs: 3n },
    ]);
    expect(planAllocation(rigs, 10n)).toEqual(await sqlPlan(rigs, 10n));
  });
});
