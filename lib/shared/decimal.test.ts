import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decimalText, groupThousands, microUsdText, parseDecimal, powerOfTenDecimals } from "./decimal";

describe("parseDecimal", () => {
  it("scales plain decimals exactly", () => {
    expect(parseDecimal("234.5", 12)).toEqual({ ok: true, value: 234_500_000_000_000n });
    expect(parseDecimal(".5", 6)).toEqual({ ok: true, value: 500_000n });
    expect(parseDecimal("12.", 6)).toEqual({ ok: true, value: 12_000_000n });
    expect(parseDecimal(" 7 ", 0)).toEqual({ ok: true, value: 7n });
    expect(parseDecimal("1.50000000", 2)).toEqual({ ok: true, value: 150n });
  });

  it("says what was wrong", () => {
    for (const text of ["", ".", "-1", "+1", "1e3", "1,5", "1 5", "0x10", "1..2"]) {
      expect(parseDecimal(text, 6), text).toEqual({ ok: false, reason: "format" });
    }
    expect(parseDecimal("0.0000001", 6)).toEqual({ ok: false, reason: "fractionTooLong" });
    expect(parseDecimal("1".repeat(25), 0)).toEqual({ ok: false, reason: "format" });
    expect(parseDecimal("1".repeat(16), 6, { maxWholeDigits: 15 })).toEqual({ ok: false, reason: "format" });
  });

  it("with digitsAroundPoint, refuses a bare point on either side", () => {
    expect(parseDecimal("5.", 6, { digitsAroundPoint: true })).toEqual({ ok: false, reason: "format" });
    expect(parseDecimal(".5", 6, { digitsAroundPoint: true })).toEqual({ ok: false, reason: "format" });
    expect(parseDecimal("5.5", 6, { digitsAroundPoint: true })).toEqual({ ok: true, value: 5_500_000n });
  });
});

describe("decimalText", () => {
  it("writes the shortest plain decimal by default", () => {
    expect(decimalText(312_500_000n, 8)).toBe("3.125");
    expect(decimalText(100_000_000n, 8)).toBe("1");
    expect(decimalText(1n, 18)).toBe("0.000000000000000001");
    expect(decimalText(-1_500n, 3)).toBe("-1.5");
    expect(decimalText(42n, 0)).toBe("42");
    expect(decimalText(0n, 6)).toBe("0");
  });

  it("pads to minDecimals, cuts at maxDecimals toward zero, groups on request", () => {
    expect(decimalText(12_500_000n, 6, { minDecimals: 2 })).toBe("12.50");
    expect(decimalText(1n, 6, { minDecimals: 2 })).toBe("0.000001");
    expect(decimalText(1_999_999n, 6, { maxDecimals: 2 })).toBe("1.99");
    expect(decimalText(-1n, 6, { maxDecimals: 2 })).toBe("0");
    expect(decimalText(70_000_000_000_000n, 12, { minDecimals: 3, maxDecimals: 3 })).toBe("70.000");
    expect(decimalText(1_234_567_890_000n, 6, { minDecimals: 2, group: true })).toBe("1,234,567.89");
    expect(decimalText(-1_234_000n, 3, { group: true })).toBe("-1,234");
  });

  it("helpers", () => {
    expect(groupThousands("1234567")).toBe("1,234,567");
    expect(groupThousands("123")).toBe("123");
    expect(powerOfTenDecimals(10n ** 12n)).toBe(12);
    expect(powerOfTenDecimals(1n)).toBe(0);
    expect(microUsdText(45_000n)).toBe("0.045");
    expect(microUsdText(-1n)).toBe("-0.000001");
  });
});

describe("round trip", () => {
  it("parseDecimal reads back what decimalText writes", () => {
    fc.assert(
      // The parser reads at most 24 whole digits.
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 24n - 1n }), fc.integer({ min: 0, max: 18 }), (value, scale) => {
        expect(parseDecimal(decimalText(value, scale), scale)).toEqual({ ok: true, value });
      }),
    );
  });

  it("a negative value is written as minus its magnitude", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 30n }), fc.integer({ min: 0, max: 18 }), (value, scale) => {
        expect(decimalText(-value, scale)).toBe(`-${decimalText(value, scale)}`);
      }),
    );
  });

  it("minDecimals and grouping change only the layout, never the value", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 24n - 1n }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        (value, scale, min) => {
          const text = decimalText(value, scale, { minDecimals: min, group: true });
          expect(parseDecimal(text.replaceAll(",", ""), scale)).toEqual({ ok: true, value });
          const fraction = text.split(".")[1] ?? "";
          expect(fraction.length).toBeGreaterThanOrEqual(Math.min(min, scale));
        },
      ),
    );
  });

  it("maxDecimals truncates toward zero: the shown value never exceeds the magnitude", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 24n - 1n }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        (value, scale, max) => {
          const parsed = parseDecimal(decimalText(value, scale, { maxDecimals: max }), scale);
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          expect(parsed.value <= value).toBe(true);
          expect(value - parsed.value < 10n ** BigInt(scale - Math.min(max, scale))).toBe(true);
        },
      ),
    );
  });
});
