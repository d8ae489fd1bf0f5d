import { describe, expect, it } from "vitest";
import { planAllocation, totalFree } from "./plan";

const TH = 10n ** 12n;

describe("planAllocation", () => {
  it("fits a contract on the rig with the most free capacity", () => {
    const plan = planAllocation(
      [
        { rigId: "a", freeHs: 100n * TH },
        { rigId: "b", freeHs: 200n * TH },
      ],
      150n * TH,
    );
    expect(plan).toEqual([{ rigId: "b", hashrateHs: 150n * TH }]);
  });

  it("spreads across rigs when no single rig can hold it, to the last H/s", () => {
    const rigs = [
      { rigId: "a", freeHs: 7n },
      { rigId: "b", freeHs: 5n },
      { rigId: "c", freeHs: 5n },
      { rigId: "d", freeHs: 0n },
      { rigId: "e", freeHs: -3n },
    ];
    const plan = planAllocation(rigs, 16n);
    expect(plan).toEqual([
      { rigId: "a", hashrateHs: 7n },
      { rigId: "b", hashrateHs: 5n },
      { rigId: "c", hashrateHs: 4n },
    ]);
    expect(plan!.reduce((s, p) => s + p.hashrateHs, 0n)).toBe(16n);
    expect(totalFree(rigs)).toBe(17n);
  });

  it("refuses what does not fit, and nonsense", () => {
    expect(planAllocation([{ rigId: "a", freeHs: 10n }], 11n)).toBeNull();
    expect(planAllocation([], 1n)).toBeNull();
    expect(() => planAllocation([{ rigId: "a", freeHs: 10n }], 0n)).toThrow(RangeError);
  });

  it("never plans more than any rig's free capacity (exhaustive small cases)", () => {
    for (let a = 0n; a <= 6n; a++)
      for (let b = 0n; b <= 6n; b++)
        for (let want = 1n; want <= 13n; want++) {
          const rigs = [
            { rigId: "a", freeHs: a },
            { rigId: "b", freeHs: b },
          ];
          const plan = planAllocation(rigs, want);
          if (want > a + b) {
            expect(plan).toBeNull();
            continue;
          }
          expect(plan!.reduce((s, p) => s + p.hashrateHs, 0n)).toBe(want);
          for (const p of plan!)
            expect(p.hashrateHs).toBeLessThanOrEqual(rigs.find((r) => r.rigId === p.rigId)!.freeHs);
          for (const p of plan!) expect(p.hashrateHs > 0n).toBe(true);
        }
  });
});
