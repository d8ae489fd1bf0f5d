// Properties of the tax ledger's pure arithmetic: Schedule SE, amortisation of contract prices
// and FIFO lots. Every figure is an integer; these check the identities the pages and exports
// rely on, against straightforward recomputations.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DAY_MS } from "../shared/days";
import { amortisedBetween, amortisedInYear, termDaysInYear, type AmortisedContract } from "./amortisation";
import { remainingBasis, transferFifo, type OpenLot } from "./lots";
import { plainDecimal, roundHalfUpToCent, usdText } from "./money";
import { selfEmploymentTax, type SeParameters } from "./se-tax";

const CENT = 10_000n;
const params2025: SeParameters = {
  year: 2025,
  socialSecurityWageBaseMicroUsd: 176_100_000_000n,
  seEarningsFactorBps: 9235,
  socialSecurityRateBps: 1240,
  medicareRateBps: 290,
  seMinimumMicroUsd: 400_000_000n,
};
const paramsArb: fc.Arbitrary<SeParameters> = fc.oneof(
  fc.constant(params2025),
  fc.record({
    year: fc.integer({ min: 2000, max: 2100 }),
    // the year's parameters are whole dollars (tax_year_parameters)
    socialSecurityWageBaseMicroUsd: fc.bigInt({ min: 0n, max: 10n ** 6n }).map((d) => d * 1_000_000n),
    seEarningsFactorBps: fc.integer({ min: 0, max: 10_000 }),
    socialSecurityRateBps: fc.integer({ min: 0, max: 10_000 }),
    medicareRateBps: fc.integer({ min: 0, max: 10_000 }),
    seMinimumMicroUsd: fc.bigInt({ min: 0n, max: 1_000n }).map((d) => d * 1_000_000n),
  }),
);
const profitArb = fc.oneof(
  fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
  fc.bigInt({ min: 0n, max: 10n ** 10n }),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
);

/** Round half up to the cent, written independently: nearest cent, ties away from zero. */
function refCent(num: bigint, den: bigint): bigint {
  const cents = num / (den * CENT);
  const rest = num - cents * den * CENT; // in [0, den*CENT)
  return (2n * rest >= den * CENT ? cents + 1n : cents) * CENT;
}

describe("selfEmploymentTax (properties)", () => {
  it("adds up: SE tax = Social Security + Medicare, half deductible, all whole cents, nothing negative", () => {
    fc.assert(
      fc.property(profitArb, paramsArb, (profit, p) => {
        const se = selfEmploymentTax(profit, p);
        const figures = [
          se.netEarningsMicroUsd,
          se.socialSecurityBaseMicroUsd,
          se.aboveWageBaseMicroUsd,
          se.socialSecurityTaxMicroUsd,
          se.medicareTaxMicroUsd,
          se.totalMicroUsd,
          se.deductibleHalfMicroUsd,
        ];
        for (const f of figures) {
          expect(f >= 0n).toBe(true);
          expect(f % CENT).toBe(0n);
        }
        expect(se.netEarningsMicroUsd).toBe(
          profit > 0n ? refCent(profit * BigInt(p.seEarningsFactorBps), 10_000n) : 0n,
        );
        expect(se.belowMinimum).toBe(se.netEarningsMicroUsd < p.seMinimumMicroUsd);
        if (se.belowMinimum) {
          expect(se.totalMicroUsd).toBe(0n);
          return;
        }
        expect(se.socialSecurityBaseMicroUsd + se.aboveWageBaseMicroUsd).toBe(se.netEarningsMicroUsd);
        expect(se.socialSecurityBaseMicroUsd <= p.socialSecurityWageBaseMicroUsd).toBe(true);
        expect(se.socialSecurityTaxMicroUsd).toBe(
          refCent(se.socialSecurityBaseMicroUsd * BigInt(p.socialSecurityRateBps), 10_000n),
        );
        expect(se.medicareTaxMicroUsd).toBe(refCent(se.netEarningsMicroUsd * BigInt(p.medicareRateBps), 10_000n));
        expect(se.totalMicroUsd).toBe(se.socialSecurityTaxMicroUsd + se.medicareTaxMicroUsd);
        expect(se.deductibleHalfMicroUsd).toBe(refCent(se.totalMicroUsd, 2n));
        // half of the total, to within half a cent
        const diff = 2n * se.deductibleHalfMicroUsd - se.totalMicroUsd;
        expect(diff >= -CENT && diff <= CENT).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("never owes less for a bigger profit", () => {
    fc.assert(
      fc.property(profitArb, fc.bigInt({ min: 0n, max: 10n ** 13n }), paramsArb, (profit, more, p) => {
        expect(selfEmploymentTax(profit + more, p).totalMicroUsd >= selfEmploymentTax(profit, p).totalMicroUsd).toBe(
          true,
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe("amortisation (properties)", () => {
  const contractArb: fc.Arbitrary<AmortisedContract> = fc.record({
    totalPriceMicroUsd: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 100n })),
    startDay: fc
      .integer({ min: Date.UTC(2020, 0, 1) / DAY_MS, max: Date.UTC(2030, 11, 31) / DAY_MS })
      .map((d) => new Date(d * DAY_MS)),
    days: fc.oneof(fc.integer({ min: 1, max: 3650 }), fc.integer({ min: 1, max: 3 })),
  });

  it("spreads the whole price over the term's years, exactly, and every day of the term once", () => {
    fc.assert(
      fc.property(contractArb, (c) => {
        let price = 0n;
        let days = 0;
        for (let year = 2019; year <= 2041; year++) {
          const inYear = amortisedInYear(c, year);
          expect(inYear >= 0n).toBe(true);
          price += inYear;
          days += termDaysInYear(c, year);
        }
        expect(price).toBe(c.totalPriceMicroUsd);
        expect(days).toBe(c.days);
      }),
      { numRuns: 300 },
    );
  });

  it("is additive over any split of a period, and each day carries floor or ceil of price/days", () => {
    fc.assert(
      fc.property(
        contractArb,
        fc.array(fc.integer({ min: -40, max: 3700 }), { minLength: 2, maxLength: 6 }),
        (c, offsets) => {
          const points = [...offsets].sort((a, b) => a - b).map((o) => new Date(c.startDay.getTime() + o * DAY_MS));
          const whole = amortisedBetween(c, points[0]!, points[points.length - 1]!);
          let sum = 0n;
          for (let i = 1; i < points.length; i++) sum += amortisedBetween(c, points[i - 1]!, points[i]!);
          expect(sum).toBe(whole);
          const n = BigInt(c.days);
          const k = offsets[0]! % c.days >= 0 ? offsets[0]! % c.days : 0;
          const oneDay = amortisedBetween(
            c,
            new Date(c.startDay.getTime() + k * DAY_MS),
            new Date(c.startDay.getTime() + (k + 1) * DAY_MS),
          );
          const floor = c.totalPriceMicroUsd / n;
          expect(oneDay === floor || oneDay === floor + 1n).toBe(true);
          // a reversed or empty period carries nothing
          expect(amortisedBetween(c, points[points.length - 1]!, points[0]!)).toBe(0n);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("FIFO lots (properties)", () => {
  const lotsArb = fc
    .array(
      fc.record({
        day: fc.integer({ min: 0, max: 30 }),
        amountBase: fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 22n }), fc.bigInt({ min: 1n, max: 1_000n })),
        basisMicroUsd: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 1_000n })),
        usedShare: fc.bigInt({ min: 0n, max: 1_000n }),
      }),
      { maxLength: 8 },
    )
    .map((raw) =>
      raw.map((r, i): OpenLot => ({
        id: String(1000 - i * 7), // ids not in acquisition order: the day decides, then the id
        acquiredOn: new Date(Date.UTC(2026, 0, 1 + r.day)),
        amountBase: r.amountBase,
        basisMicroUsd: r.basisMicroUsd,
        remainingBase: r.amountBase - (r.amountBase * r.usedShare) / 1_000n,
      })),
    );
  const order = (a: OpenLot, b: OpenLot) =>
    a.acquiredOn.getTime() - b.acquiredOn.getTime() || (BigInt(a.id) < BigInt(b.id) ? -1 : 1);

  it("moves exactly the amount, oldest lots first, and conserves each lot's basis", () => {
    fc.assert(
      fc.property(
        lotsArb,
        fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 23n }), fc.bigInt({ min: 1n, max: 2_000n })),
        (lots, amount) => {
          const input = lots.map((l) => ({ ...l }));
          const { parts, lots: after } = transferFifo(lots, amount);
          expect(lots).toEqual(input); // not mutated
          expect(parts.reduce((s, p) => s + p.amountBase, 0n)).toBe(amount);
          const available = lots.reduce((s, l) => s + (l.remainingBase > 0n ? l.remainingBase : 0n), 0n);
          const unaccounted = parts.filter((p) => p.lotId === null);
          expect(unaccounted.length).toBe(available < amount ? 1 : 0);
          if (available < amount)
            expect(unaccounted[0]).toEqual({ lotId: null, amountBase: amount - available, basisMicroUsd: 0n });
          for (const lot of lots) {
            const a = after.find((l) => l.id === lot.id)!;
            const taken = parts.filter((p) => p.lotId === lot.id);
            const takenAmount = taken.reduce((s, p) => s + p.amountBase, 0n);
            expect(taken.length <= 1).toBe(true);
            expect(a.remainingBase).toBe(lot.remainingBase - takenAmount);
            expect(a.remainingBase >= 0n).toBe(true);
            // basis carried away + basis left == basis before, to the micro-dollar
            const takenBasis = taken.reduce((s, p) => s + p.basisMicroUsd, 0n);
            expect(takenBasis + remainingBasis(lot, a.remainingBase)).toBe(remainingBasis(lot, lot.remainingBase));
            expect(takenBasis >= 0n).toBe(true);
          }
          // FIFO: a lot is touched only when every older lot is empty afterwards
          const touched = parts.filter((p) => p.lotId !== null).map((p) => lots.find((l) => l.id === p.lotId)!);
          for (const t of touched)
            for (const older of lots.filter((l) => order(l, t) < 0))
              expect(after.find((l) => l.id === older.id)!.remainingBase).toBe(0n);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("draining a lot in any number of transfers carries its whole basis", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 20n }), { minLength: 1, maxLength: 10 }),
        (amountBase, basis, chunks) => {
          let lots: OpenLot[] = [
            {
              id: "1",
              acquiredOn: new Date(Date.UTC(2026, 0, 1)),
              amountBase,
              basisMicroUsd: basis,
              remainingBase: amountBase,
            },
          ];
          let carried = 0n;
          for (const chunk of [...chunks, amountBase]) {
            if (lots[0]!.remainingBase === 0n) break;
            const take = chunk < lots[0]!.remainingBase ? chunk : lots[0]!.remainingBase;
            const result = transferFifo(lots, take);
            carried += result.parts.reduce((s, p) => s + p.basisMicroUsd, 0n);
            lots = result.lots;
          }
          expect(lots[0]!.remainingBase).toBe(0n);
          expect(carried).toBe(basis);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses a non-positive transfer", () => {
    fc.assert(
      fc.property(lotsArb, fc.bigInt({ min: -(10n ** 20n), max: 0n }), (lots, amount) => {
        expect(() => transferFifo(lots, amount)).toThrow(RangeError);
      }),
      { numRuns: 50 },
    );
  });
});

describe("money text (properties)", () => {
  it("plainDecimal is exact: reading it back gives the integer", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 45n), max: 10n ** 45n }),
        fc.integer({ min: 0, max: 18 }),
        fc.integer({ min: 0, max: 4 }),
        (v, scale, minDecimals) => {
          const s = plainDecimal(v, scale, Math.min(minDecimals, scale));
          expect(s).toMatch(/^-?[0-9]+(\.[0-9]+)?$/);
          const [whole, fraction = ""] = s.replace("-", "").split(".");
          expect(fraction.length <= scale && fraction.length >= Math.min(minDecimals, scale)).toBe(true);
          const back = BigInt(whole! + fraction.padEnd(scale, "0"));
          expect(s.startsWith("-") ? -back : back).toBe(v);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("usdText shows at least cents and roundHalfUpToCent rounds to the nearest cent", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (num, den) => {
        expect(usdText(num)).toMatch(/^[0-9]+\.[0-9]{2,6}$/);
        const r = roundHalfUpToCent(num, den);
        expect(r).toBe(refCent(num, den));
        // |r - num/den| <= half a cent
        const diff = r * den - num;
        expect(2n * diff <= den * CENT && 2n * diff > -den * CENT).toBe(true);
      }),
      { numRuns: 400 },
    );
    expect(() => roundHalfUpToCent(-1n, 1n)).toThrow(RangeError);
  });
});
