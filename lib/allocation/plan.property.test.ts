import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planAllocation, totalFree, type RigCapacity } from "./plan";

const TH = 10n ** 12n;

// A rig as the marketplace sees it: a nominal hashrate and live allocations that never
// exceed it (free = nominal - allocated >= 0), plus the odd over-allocated rig (free < 0)
// that an operator's nominal cut can leave behind.
const rigArb = fc
  .record({
    nominal: fc.bigInt({ min: 0n, max: 2_000n * TH }),
    allocatedShare: fc.bigInt({ min: 0n, max: 1_000n }),
    overAllocated: fc.bigInt({ min: 0n, max: 10n * TH }),
    broken: fc.boolean(),
  })
  .map(({ nominal, allocatedShare, overAllocated, broken }) => {
    const allocated = (nominal * allocatedShare) / 1_000n;
    return { nominal, allocated, freeHs: broken ? -overAllocated : nominal - allocated };
  });

const rigsArb = fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 0, maxLength: 12 }).chain((ids) =>
  fc.tuple(...ids.map(() => rigArb)).map((rigs) =>
    rigs.map((r, i): RigCapacity & { nominal: bigint } => ({
      rigId: ids[i]!,
      freeHs: r.freeHs,
      nominal: r.nominal,
    })),
  ),
);

const wantedArb = fc.oneof(fc.bigInt({ min: 1n, max: 100n }), fc.bigInt({ min: 1n, max: 30_000n * TH }));

describe("planAllocation (properties)", () => {
  it("refuses exactly when the free capacity is short, otherwise plans the request to the last H/s", () => {
    fc.assert(
      fc.property(rigsArb, wantedArb, (rigs, wanted) => {
        const free = rigs.reduce((s, r) => s + (r.freeHs > 0n ? r.freeHs : 0n), 0n);
        expect(totalFree(rigs)).toBe(free);
        const plan = planAllocation(rigs, wanted);
        if (free < wanted) {
          expect(plan).toBeNull();
          return;
        }
        expect(plan).not.toBeNull();
        expect(plan!.reduce((s, p) => s + p.hashrateHs, 0n)).toBe(wanted);
        const seen = new Set<string>();
        for (const p of plan!) {
          const rig = rigs.find((r) => r.rigId === p.rigId);
          expect(rig).toBeDefined();
          expect(seen.has(p.rigId)).toBe(false);
          seen.add(p.rigId);
          expect(p.hashrateHs > 0n).toBe(true);
          expect(p.hashrateHs <= rig!.freeHs).toBe(true);
          expect(p.hashrateHs <= rig!.nominal).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("is deterministic: the same rigs in any order give the same plan", () => {
    fc.assert(
      fc.property(
        rigsArb.chain((rigs) =>
          fc.tuple(fc.constant(rigs), fc.shuffledSubarray(rigs, { minLength: rigs.length, maxLength: rigs.length })),
        ),
        wantedArb,
        ([rigs, shuffled], wanted) => {
          const input = rigs.map((r) => ({ ...r }));
          const first = planAllocation(rigs, wanted);
          expect(planAllocation(shuffled, wanted)).toEqual(first);
          expect(planAllocation(rigs, wanted)).toEqual(first);
          expect(rigs).toEqual(input); // the input is not mutated
        },
      ),
      { numRuns: 200 },
    );
  });

  it("fills the biggest free rigs first: every rig left out has no more free capacity than any rig used", () => {
    fc.assert(
      fc.property(rigsArb, wantedArb, (rigs, wanted) => {
        const plan = planAllocation(rigs, wanted);
        if (!plan) return;
        const used = new Set(plan.map((p) => p.rigId));
        const minUsed = plan.reduce(
          (m, p) => {
            const f = rigs.find((r) => r.rigId === p.rigId)!.freeHs;
            return m === null || f < m ? f : m;
          },
          null as bigint | null,
        );
        for (const r of rigs) if (!used.has(r.rigId) && minUsed !== null) expect(r.freeHs <= minUsed).toBe(true);
        // only the last rig of the plan may be partially used
        for (const p of plan.slice(0, -1)) expect(p.hashrateHs).toBe(rigs.find((r) => r.rigId === p.rigId)!.freeHs);
      }),
      { numRuns: 300 },
    );
  });

  it("rejects a non-positive request whatever the rigs", () => {
    fc.assert(
      fc.property(rigsArb, fc.bigInt({ min: -(10n ** 30n), max: 0n }), (rigs, wanted) => {
        expect(() => planAllocation(rigs, wanted)).toThrow(RangeError);
      }),
      { numRuns: 50 },
    );
  });
});
