import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDecimal } from "./decimal";
import { CENT_MICRO_USD, centsAddUp, isWholeCents, roundMicroUsdHalfEven, usdCents, usdExact, usdRate } from "./usd";

/** "$1,234.57" / "-$0.01" -> micro-USD. */
function read(text: string): bigint {
  const match = /^([-+]?)\$([\d,]+(?:\.\d+)?)$/.exec(text);
  if (!match) throw new Error(`not a dollar figure: ${text}`);
  const parsed = parseDecimal(match[2]!.replaceAll(",", ""), 6);
  if (!parsed.ok) throw new Error(text);
  return match[1] === "-" ? -parsed.value : parsed.value;
}

describe("usdCents", () => {
  it("rounds half to even at the cent", () => {
    expect(usdCents(4_999n)).toBe("$0.00"); // $0.004999
    expect(usdCents(5_000n)).toBe("$0.00"); // $0.005: the even neighbour is 0
    expect(usdCents(5_001n)).toBe("$0.01");
    expect(usdCents(15_000n)).toBe("$0.02"); // $0.015 -> 2 (even)
    expect(usdCents(25_000n)).toBe("$0.02"); // $0.025 -> 2 (even)
    expect(usdCents(35_000n)).toBe("$0.04");
    expect(usdCents(1_994_999n)).toBe("$1.99");
    expect(usdCents(1_995_000n)).toBe("$2.00"); // 199.5 cents -> 200 (even)
    expect(usdCents(1_999_999n)).toBe("$2.00");
    expect(usdCents(0n)).toBe("$0.00");
    expect(usdCents(58_500_000n)).toBe("$58.50");
  });

  it("writes a negative amount as minus its magnitude, and never -$0.00", () => {
    expect(usdCents(-1_500_000n)).toBe("-$1.50");
    expect(usdCents(-15_000n)).toBe("-$0.02");
    expect(usdCents(-5_000n)).toBe("$0.00");
    expect(usdCents(-4_999n)).toBe("$0.00");
    expect(usdCents(-5_001n)).toBe("-$0.01");
  });

  it("groups thousands and takes any bigint", () => {
    expect(usdCents(1_234_567_891n)).toBe("$1,234.57");
    expect(usdCents(9_223_372_036_854_775_807n)).toBe("$9,223,372,036,854.78"); // bigint's Postgres max
    expect(usdCents(10n ** 30n + 5_000n)).toBe("$1,000,000,000,000,000,000,000,000.00");
    expect(usdCents(10n ** 30n + 15_000n)).toBe("$1,000,000,000,000,000,000,000,000.02");
    expect(usdCents(-(10n ** 24n) - 1n)).toBe("-$1,000,000,000,000,000,000.00");
  });

  it("plus marks a positive figure only", () => {
    expect(usdCents(1_230_000n, { plus: true })).toBe("+$1.23");
    expect(usdCents(4_000n, { plus: true })).toBe("$0.00");
    expect(usdCents(-1_230_000n, { plus: true })).toBe("-$1.23");
  });

  it("is the exact value rounded: within half a cent, a whole number of cents, ties to even", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (value) => {
        const shown = read(usdCents(value));
        expect(shown % CENT_MICRO_USD).toBe(0n);
        const error = shown - value;
        expect(2n * (error < 0n ? -error : error) <= CENT_MICRO_USD).toBe(true);
        if (2n * (error < 0n ? -error : error) === CENT_MICRO_USD) expect((shown / CENT_MICRO_USD) % 2n).toBe(0n);
        expect(shown).toBe(roundMicroUsdHalfEven(value, 2));
      }),
    );
  });
});

describe("usdExact", () => {
  it("writes all six decimals", () => {
    expect(usdExact(1_234_567_891n)).toBe("$1,234.567891");
    expect(usdExact(58_500_000n)).toBe("$58.500000");
    expect(usdExact(4_999n)).toBe("$0.004999");
    expect(usdExact(1n)).toBe("$0.000001");
    expect(usdExact(-1n)).toBe("-$0.000001");
    expect(usdExact(0n)).toBe("$0.000000");
    expect(usdExact(9_223_372_036_854_775_807n)).toBe("$9,223,372,036,854.775807");
  });

  it("reads back to the value", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), (value) => {
        expect(read(usdExact(value))).toBe(value);
      }),
    );
  });
});

describe("usdRate", () => {
  it("shows four significant digits, two to six decimals", () => {
    expect(usdRate(19_500n)).toBe("$0.0195");
    expect(usdRate(19_512n)).toBe("$0.01951");
    expect(usdRate(19_515n)).toBe("$0.01952"); // ...5 -> even
    expect(usdRate(65_000n)).toBe("$0.065");
    expect(usdRate(45n)).toBe("$0.000045");
    expect(usdRate(1n)).toBe("$0.000001");
    expect(usdRate(1_500_000n)).toBe("$1.50");
    expect(usdRate(1_234_567n)).toBe("$1.235");
    expect(usdRate(12_345_678n)).toBe("$12.35");
    expect(usdRate(97_123_456_789n)).toBe("$97,123.46");
    expect(usdRate(999_999n)).toBe("$1.00");
    expect(usdRate(0n)).toBe("$0.00");
    expect(usdRate(-19_500n)).toBe("-$0.0195");
  });

  it("is within half a unit of its last shown decimal", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), (value) => {
        const text = usdRate(value);
        const decimals = text.split(".")[1]!.length;
        const half = 10n ** BigInt(6 - decimals) / 2n;
        const error = read(text) - value;
        expect((error < 0n ? -error : error) <= half).toBe(true);
      }),
    );
  });
});

describe("helpers", () => {
  it("roundMicroUsdHalfEven rounds to any number of decimals", () => {
    expect(roundMicroUsdHalfEven(1_234_567n, 0)).toBe(1_000_000n);
    expect(roundMicroUsdHalfEven(2_500_000n, 0)).toBe(2_000_000n);
    expect(roundMicroUsdHalfEven(3_500_000n, 0)).toBe(4_000_000n);
    expect(roundMicroUsdHalfEven(1_234_567n, 6)).toBe(1_234_567n);
    expect(roundMicroUsdHalfEven(-2_500_000n, 0)).toBe(-2_000_000n);
  });

  it("isWholeCents", () => {
    expect(isWholeCents(58_500_000n)).toBe(true);
    expect(isWholeCents(-10_000n)).toBe(true);
    expect(isWholeCents(58_500_001n)).toBe(false);
  });
});

describe("centsAddUp", () => {
  it("says whether the rounded parts add up to the rounded total", () => {
    expect(centsAddUp(3_000_000n, [1_000_000n, 2_000_000n])).toBe(true);
    // $0.006 + $0.006 = $0.012: $0.01 + $0.01 shown, $0.01 total.
    expect(centsAddUp(12_000n, [6_000n, 6_000n])).toBe(false);
    // A difference: $10.00 - $3.334 = $6.666 -> $10.00, -$3.33, $6.67 add up.
    expect(centsAddUp(6_666_000n, [10_000_000n, -3_334_000n])).toBe(true);
    expect(centsAddUp(0n, [])).toBe(true);
  });
});
