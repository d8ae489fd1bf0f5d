import { describe, expect, it } from "vitest";
import { microUsdText, parseDecimal as parseScaledDecimal } from "../shared/decimal";
import { hashrateText, hashrateUnit, naturalHashrateUnit } from "../shared/hashrate-units";
import { facilityInputSchema } from "./facilities";
import { newRigSchema, parseRigFields } from "./rig-fields";
import { parseHashrateInUnit, parsePowerPrice, parseUsd } from "./units";

const ok = <T>(value: T) => ({ ok: true, value });

describe("parseScaledDecimal", () => {
  it("scales plain decimals exactly", () => {
    expect(parseScaledDecimal("234.5", 12)).toEqual(ok(234_500_000_000_000n));
    expect(parseScaledDecimal("0.000000000001", 12)).toEqual(ok(1n));
    expect(parseScaledDecimal(".5", 6)).toEqual(ok(500_000n));
    expect(parseScaledDecimal("12.", 6)).toEqual(ok(12_000_000n));
    expect(parseScaledDecimal("  7 ", 0)).toEqual(ok(7n));
    expect(parseScaledDecimal("1.50000000", 2)).toEqual(ok(150n));
  });

  it("never goes through a float", () => {
    // 0.1 + 0.2 and 9007199254740993 are where floats go wrong.
    expect(parseScaledDecimal("0.3", 6)).toEqual(ok(300_000n));
    expect(parseScaledDecimal("9007199254740993", 0)).toEqual(ok(9_007_199_254_740_993n));
    expect(parseScaledDecimal("1234567.890123", 6)).toEqual(ok(1_234_567_890_123n));
  });

  it("refuses what is not a plain decimal", () => {
    for (const text of ["", ".", "-1", "+1", "1e3", "1,5", "1 000", "0x10", "abc", "1.2.3", "Infinity", "NaN"]) {
      expect(parseScaledDecimal(text, 6), text).toEqual({ ok: false, reason: "format" });
    }
    expect(parseScaledDecimal("0.0000001", 6)).toEqual({ ok: false, reason: "fractionTooLong" });
  });
});

describe("hashrate", () => {
  it("parses in the given unit to whole H/s", () => {
    expect(parseHashrateInUnit("234.5", "TH/s")).toEqual(ok(234_500_000_000_000n));
    expect(parseHashrateInUnit("16", "GH/s")).toEqual(ok(16_000_000_000n));
    expect(parseHashrateInUnit("110.5", "kH/s")).toEqual(ok(110_500n));
    expect(parseHashrateInUnit("1.95", "GH/s")).toEqual(ok(1_950_000_000n));
    expect(parseHashrateInUnit("500", "H/s")).toEqual(ok(500n));
    expect(parseHashrateInUnit("0.000000000001", "TH/s")).toEqual(ok(1n));
  });

  it("explains bad values", () => {
    expect(parseHashrateInUnit("0.0001", "kH/s")).toEqual({
      ok: false,
      message: "Use at most 3 decimals in kH/s (whole H/s).",
    });
    expect(parseHashrateInUnit("1.5", "H/s")).toEqual({ ok: false, message: "Enter a whole number of H/s." });
    expect(parseHashrateInUnit("0", "TH/s")).toEqual({ ok: false, message: "The hashrate must be more than 0." });
    expect(parseHashrateInUnit("234,5", "TH/s")).toMatchObject({
      ok: false,
      message: expect.stringContaining("e.g. 234.5"),
    });
    expect(parseHashrateInUnit("2", "EH/s")).toMatchObject({
      ok: false,
      message: "The hashrate must be at most 1 EH/s.",
    });
  });

  it("knows the units, case-insensitively", () => {
    expect(hashrateUnit("th/s")).toEqual({ label: "TH/s", hs: 10n ** 12n });
    expect(hashrateUnit(" KH/S ")).toEqual({ label: "kH/s", hs: 1000n });
    expect(hashrateUnit("TH")).toBeNull();
  });

  it("formats back to the same text", () => {
    expect(hashrateText(234_500_000_000_000n, "TH/s")).toBe("234.5");
    expect(hashrateText(1n, "TH/s")).toBe("0.000000000001");
    expect(hashrateText(16_000_000_000n, "GH/s")).toBe("16");
    expect(naturalHashrateUnit(234_500_000_000_000n)).toBe("TH/s");
    expect(naturalHashrateUnit(110_000n)).toBe("kH/s");
    expect(naturalHashrateUnit(12n)).toBe("H/s");
  });
});

describe("USD and the power price per kWh", () => {
  it("parses dollars to micro-USD exactly", () => {
    expect(parseUsd("0.0195", { what: "The price" })).toEqual(ok(19_500n));
    expect(parseUsd("$12", { what: "The price" })).toEqual(ok(12_000_000n));
    expect(parseUsd("0.000001", { what: "The price" })).toEqual(ok(1n));
    expect(parseUsd("1000", { what: "The price" })).toEqual(ok(1_000_000_000n));
  });

  it("explains bad amounts", () => {
    expect(parseUsd("0.0000001", { what: "The price" })).toEqual({
      ok: false,
      message: "The price can have at most 6 decimals (a millionth of a dollar).",
    });
    expect(parseUsd("0", { what: "The price" })).toEqual({ ok: false, message: "The price must be more than $0." });
    expect(parseUsd("0", { what: "The fee", allowZero: true })).toEqual(ok(0n));
    expect(parseUsd("-1", { what: "The price" })).toMatchObject({ ok: false });
    expect(parseUsd("1000.000001", { what: "The price" })).toEqual({
      ok: false,
      message: "The price must be at most $1000.",
    });
  });

  it("parses the power price per kWh; $0 is allowed, more than $10 is not", () => {
    expect(parsePowerPrice("0.045")).toEqual(ok(45_000n));
    expect(parsePowerPrice("0.038")).toEqual(ok(38_000n));
    expect(parsePowerPrice("0")).toEqual(ok(0n));
    expect(parsePowerPrice("10.000001")).toMatchObject({ ok: false });
    expect(parsePowerPrice("4.5 ct")).toMatchObject({ ok: false });
    expect(microUsdText(45_000n)).toBe("0.045");
    expect(microUsdText(12_000_000n)).toBe("12");
  });
});

describe("form schemas", () => {
  it("facility: trims, upper-cases a real country code, parses the power price", () => {
    const parsed = facilityInputSchema.parse({
      name: " Hall ",
      location: "Luleå, Sweden",
      countryCode: "se",
      powerPrice: "0.038",
    });
    expect(parsed).toEqual({ name: "Hall", location: "Luleå, Sweden", countryCode: "SE", powerPrice: 38_000n });
    for (const countryCode of ["XX", "S", "SWE", "UK", "EU", "ZZ", "1A"]) {
      expect(
        facilityInputSchema.safeParse({ name: "H", location: "L", countryCode, powerPrice: "0.03" }).success,
        countryCode,
      ).toBe(false);
    }
  });

  it("rig: algorithm spelled as people write it, hashrate in its unit, default status", () => {
    const raw = {
      facilityId: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
      model: "Antminer S21 Pro",
      serialNumber: "S21-1",
      algorithm: "SHA-256",
      nominalHashrate: "234.5",
      hashrateUnit: "TH/s",
      powerW: "3510",
      status: "",
    };
    expect(parseRigFields(newRigSchema, raw)).toMatchObject({
      ok: true,
      value: { algorithm: "SHA256", nominalHashrateHs: 234_500_000_000_000n, powerW: 3510, status: "ACTIVE" },
    });
    // Every bad field at once, the hashrate too.
    expect(parseRigFields(newRigSchema, { ...raw, status: "RETIRED", powerW: "", nominalHashrate: "1,5" })).toEqual({
      ok: false,
      fieldErrors: {
        status: "A new rig cannot start out retired.",
        powerW: "Enter the power draw as a whole number of watts, e.g. 3510.",
        nominalHashrate: "Enter the hashrate in TH/s as a number with a decimal point, e.g. 234.5.",
      },
    });
  });
});
