import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deliveredHashrate, networkHashrate, settleDay, type DayInputs, type NetworkInputs } from "./formula";

// Independent recomputation of DESIGN.md "Daily payout" with plain BigInt division
// (non-negative operands only, so `/` is floor) and ceil written as (a + b - 1) / b.
function ref(d: DayInputs) {
  const tMs = d.network.blockTimeMs;
  const n = d.network.networkHashrateHs ?? (d.network.difficulty! * 2n ** 32n * 1000n) / tMs;
  const g =
    (d.deliveredHs * 86_400n * (d.network.blockSubsidyBase + d.network.avgFeesPerBlockBase) * 1000n) / (n * tMs);
  const fp = (g * d.poolFeeBps + 9_999n) / 10_000n;
  const mDen = d.unitHs * d.network.priceMicroUsd;
  const m = (d.maintenanceFeeMicroUsdPerUnitDay * d.deliveredHs * 10n ** d.decimals + mDen - 1n) / mDen;
  const curtailed = g - fp < m;
  const net = curtailed ? 0n : g - fp - m;
  const short = d.contractedHs - d.deliveredHs;
  const credit = short > 0n ? (short * d.dailyPriceMicroUsd) / d.contractedHs : 0n;
  return { g, fp, m, curtailed, net, credit, usd: (net * d.network.priceMicroUsd) / 10n ** d.decimals, n };
}

const big = (max: bigint, min = 0n) => fc.bigInt({ min, max });

const networkArb: fc.Arbitrary<NetworkInputs> = fc
  .record({
    byDifficulty: fc.boolean(),
    // up to ~1e30 H/s network hashrate and difficulties beyond 2^64
    hashrate: fc.oneof(big(10n ** 30n, 1n), big(1_000n, 1n)),
    difficulty: fc.oneof(big(2n ** 80n, 1n), big(1_000n, 1n)),
    blockTimeMs: fc.oneof(fc.constantFrom(100n, 1_000n, 15_000n, 60_000n, 150_000n, 600_000n), big(10n ** 7n, 1n)),
    blockSubsidyBase: fc.oneof(big(10n ** 20n), big(10n ** 9n)), // 18-decimal coins pay ~2e18 per block
    avgFeesPerBlockBase: fc.oneof(big(10n ** 19n), fc.constant(0n)),
    priceMicroUsd: fc.oneof(big(10n ** 12n, 1n), fc.constant(1n)),
  })
  .map((r) => ({
    networkHashrateHs: r.byDifficulty ? null : r.hashrate,
    difficulty: r.byDifficulty ? r.difficulty : null,
    blockTimeMs: r.blockTimeMs,
    blockSubsidyBase: r.blockSubsidyBase,
    avgFeesPerBlockBase: r.avgFeesPerBlockBase,
    priceMicroUsd: r.priceMicroUsd,
  }));

const dayArb: fc.Arbitrary<DayInputs> = fc
  .record({
    contractedHs: fc.oneof(big(10n ** 18n, 1n), big(100n, 1n)),
    deliveredShare: fc.oneof(fc.constant(0n), fc.constant(1_000_000n), big(1_000_000n)),
    network: networkArb,
    decimals: fc.constantFrom(0n, 6n, 8n, 12n, 18n),
    poolFeeBps: fc.oneof(big(10_000n), fc.constantFrom(0n, 150n, 10_000n)),
    maintenanceFeeMicroUsdPerUnitDay: fc.oneof(fc.constant(0n), big(10n ** 9n)),
    unitHs: fc.constantFrom(1n, 10n ** 3n, 10n ** 6n, 10n ** 9n, 10n ** 12n),
    dailyPriceMicroUsd: fc.oneof(fc.constant(0n), big(10n ** 13n)),
  })
  .map(({ deliveredShare, ...d }) => ({ ...d, deliveredHs: (d.contractedHs * deliveredShare) / 1_000_000n }))
  .filter((d) => networkHashrate(d.network) > 0n); // a zero network hashrate is refused upstream (division by zero)

describe("settleDay (properties)", () => {
  it("matches an independent BigInt recomputation of DESIGN.md's formula", () => {
    fc.assert(
      fc.property(dayArb, (d) => {
        const f = settleDay(d);
        const r = ref(d);
        expect(f.curtailed).toBe(r.curtailed);
        // The computed figures are kept whatever the decision; the posted ones follow it.
        expect([f.computedGrossBase, f.computedPoolFeeBase, f.computedMaintenanceFeeBase]).toEqual([r.g, r.fp, r.m]);
        expect(f.netBase).toBe(r.net);
        expect(f.grossBase).toBe(r.curtailed ? 0n : r.g);
        expect(f.poolFeeBase).toBe(r.curtailed ? 0n : r.fp);
        expect(f.maintenanceFeeBase).toBe(r.curtailed ? 0n : r.m);
        expect(f.underDeliveryCreditMicroUsd).toBe(r.credit);
        expect(f.usdValueAtReceiptMicroUsd).toBe(r.usd);
      }),
      { numRuns: 500 },
    );
  });

  it("across the curtailment boundary (G - Fp = M, M + 1, M - 1): decided on the computed figures, posted only when G - Fp >= M", () => {
    // unit 1 H/s and P = Hd * 10^d make M = ceil(m * Hd * 10^d / P) = m exactly, and G and Fp do
    // not depend on the price, so m is set to G - Fp + delta.
    const boundaryArb = fc
      .record({ day: dayArb, delta: fc.constantFrom(-1n, 0n, 1n) })
      .filter(({ day }) => day.deliveredHs > 0n)
      .map(({ day, delta }) => {
        const probe = settleDay(day);
        const earned = probe.computedGrossBase - probe.computedPoolFeeBase;
        const m = earned + delta;
        return {
          delta,
          earned,
          day: {
            ...day,
            unitHs: 1n,
            maintenanceFeeMicroUsdPerUnitDay: m,
            network: { ...day.network, priceMicroUsd: day.deliveredHs * 10n ** day.decimals },
          },
        };
      })
      .filter(({ day }) => day.maintenanceFeeMicroUsdPerUnitDay >= 0n);
    const seen = new Set<bigint>();
    fc.assert(
      fc.property(boundaryArb, ({ day, delta, earned }) => {
        const f = settleDay(day);
        const r = ref(day);
        seen.add(delta);
        expect(f.computedMaintenanceFeeBase).toBe(day.maintenanceFeeMicroUsdPerUnitDay);
        expect([f.computedGrossBase, f.computedPoolFeeBase, f.computedMaintenanceFeeBase]).toEqual([r.g, r.fp, r.m]);
        expect(f.computedGrossBase - f.computedPoolFeeBase).toBe(earned);
        // M = G - Fp + 1: curtailed; M = G - Fp: paid, net 0; M = G - Fp - 1: paid, net 1.
        expect(f.curtailed).toBe(delta === 1n);
        if (f.curtailed) {
          expect([f.grossBase, f.poolFeeBase, f.maintenanceFeeBase, f.netBase]).toEqual([0n, 0n, 0n, 0n]);
        } else {
          expect(f.netBase).toBe(-delta);
          expect([f.grossBase, f.poolFeeBase, f.maintenanceFeeBase]).toEqual([
            f.computedGrossBase,
            f.computedPoolFeeBase,
            f.computedMaintenanceFeeBase,
          ]);
          expect(f.netBase + f.poolFeeBase + f.maintenanceFeeBase).toBe(f.grossBase);
        }
      }),
      { numRuns: 3_000 },
    );
    expect([...seen].sort()).toEqual([-1n, 0n, 1n]);
  });

  it("conserves coin: net + pool fee + maintenance fee == gross, nothing negative, fees rounded up within bounds", () => {
    fc.assert(
      fc.property(dayArb, (d) => {
        const f = settleDay(d);
        expect(f.netBase + f.poolFeeBase + f.maintenanceFeeBase).toBe(f.grossBase);
        for (const v of [
          f.netBase,
          f.grossBase,
          f.poolFeeBase,
          f.maintenanceFeeBase,
          f.underDeliveryCreditMicroUsd,
          f.usdValueAtReceiptMicroUsd,
        ])
          expect(v >= 0n).toBe(true);
        if (f.curtailed) {
          expect([f.grossBase, f.poolFeeBase, f.maintenanceFeeBase, f.netBase, f.usdValueAtReceiptMicroUsd]).toEqual([
            0n,
            0n,
            0n,
            0n,
            0n,
          ]);
        } else {
          // Fp = ceil(G*bps/10000): Fp*10000 >= G*bps > (Fp-1)*10000
          const exact = f.grossBase * d.poolFeeBps;
          expect(f.poolFeeBase * 10_000n >= exact).toBe(true);
          expect((f.poolFeeBase - 1n) * 10_000n < exact).toBe(true);
          // gross is the floor of the exact FPPS share: G*N*T <= Hd*86400*(R+F)*1000 < (G+1)*N*T
          const n = networkHashrate(d.network);
          const num = d.deliveredHs * 86_400n * (d.network.blockSubsidyBase + d.network.avgFeesPerBlockBase) * 1000n;
          expect(f.grossBase * n * d.network.blockTimeMs <= num).toBe(true);
          expect((f.grossBase + 1n) * n * d.network.blockTimeMs > num).toBe(true);
        }
        if (d.deliveredHs === 0n) {
          expect(f.netBase).toBe(0n);
          expect(f.underDeliveryCreditMicroUsd).toBe(d.dailyPriceMicroUsd);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("credits under-delivery between 0 and the daily price, and 0 for full delivery", () => {
    fc.assert(
      fc.property(dayArb, (d) => {
        const c = settleDay(d).underDeliveryCreditMicroUsd;
        expect(c >= 0n && c <= d.dailyPriceMicroUsd).toBe(true);
        if (d.deliveredHs >= d.contractedHs) expect(c).toBe(0n);
      }),
      { numRuns: 300 },
    );
  });

  it("is monotonic in delivered hashrate (gross, fees and net up, credit down)", () => {
    fc.assert(
      fc.property(dayArb, fc.bigInt({ min: 0n, max: 10n ** 18n }), (d, extra) => {
        const more = { ...d, deliveredHs: d.deliveredHs + extra };
        const a = settleDay(d);
        const b = settleDay(more);
        const ra = ref(d);
        const rb = ref(more);
        expect(rb.g >= ra.g).toBe(true);
        expect(rb.fp >= ra.fp).toBe(true);
        expect(rb.m >= ra.m).toBe(true);
        expect(rb.g - rb.fp >= ra.g - ra.fp).toBe(true);
        expect(b.underDeliveryCreditMicroUsd <= a.underDeliveryCreditMicroUsd).toBe(true);
        // net is G - Fp - M with G rounded down and M rounded up: more hashrate never costs the
        // customer more than the one base unit those two roundings can shift.
        if (!a.curtailed && !b.curtailed) expect(b.netBase >= a.netBase - 1n).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("deliveredHashrate (properties)", () => {
  const allocArb = fc
    .record({
      nominalHs: big(10n ** 18n, 1n),
      allocShare: big(1_000n),
      repShare: fc.option(big(1_500n), { nil: null }),
    })
    .map(({ nominalHs, allocShare, repShare }) => ({
      nominalHs,
      allocHs: (nominalHs * allocShare) / 1_000n,
      reportedHs: repShare === null ? null : (nominalHs * repShare) / 1_000n,
    }));

  it("never exceeds the contracted (allocated) hashrate, and is 0 without telemetry", () => {
    fc.assert(
      fc.property(fc.array(allocArb, { maxLength: 10 }), (allocs) => {
        const contracted = allocs.reduce((s, a) => s + a.allocHs, 0n);
        const hd = deliveredHashrate(allocs);
        expect(hd >= 0n && hd <= contracted).toBe(true);
        expect(deliveredHashrate(allocs.map((a) => ({ ...a, reportedHs: null })))).toBe(0n);
        const full = deliveredHashrate(allocs.map((a) => ({ ...a, reportedHs: a.nominalHs })));
        expect(full).toBe(contracted);
        // exact: floor(alloc * min(rep, nom) / nom) per allocation
        const exact = allocs.reduce(
          (s, a) =>
            a.reportedHs === null
              ? s
              : s + (a.allocHs * (a.reportedHs < a.nominalHs ? a.reportedHs : a.nominalHs)) / a.nominalHs,
          0n,
        );
        expect(hd).toBe(exact);
      }),
      { numRuns: 300 },
    );
  });
});
