import { describe, expect, it } from "vitest";
import { microUsdText } from "../shared/decimal";
import { parseMicroUsd, parseWholeDays } from "./parse";

describe("parseMicroUsd", () => {
  it("parses dollars exactly by string arithmetic", () => {
    expect(parseMicroUsd("0.0195")).toBe(19_500n);
    expect(parseMicroUsd("$0.0195")).toBe(19_500n);
    expect(parseMicroUsd(" 12 ")).toBe(12_000_000n);
    expect(parseMicroUsd(".5")).toBe(500_000n);
    expect(parseMicroUsd("3.")).toBe(3_000_000n);
    expect(parseMicroUsd("0.000001")).toBe(1n);
    expect(parseMicroUsd("0.0000010000")).toBe(1n); // trailing zeros are not precision
    expect(parseMicroUsd("0")).toBe(0n);
    // 0.1 + 0.2 style float traps stay exact
    expect(parseMicroUsd("0.29")).toBe(290_000n);
    expect(parseMicroUsd("999999999999999.999999")).toBe(999_999_999_999_999_999_999n);
  });

  it("refuses anything that is not a whole number of micro-dollars", () => {
    for (const bad of [
      "",
      " ",
      ".",
      "$",
      "0.0000001",
      "-1",
      "1e3",
      "1,000",
      "0x10",
      "abc",
      "1.2.3",
      "Infinity",
      "NaN",
    ]) {
      expect(parseMicroUsd(bad), bad).toBeNull();
    }
  });

  it("round-trips through microUsdText", () => {
    for (const value of [0n, 1n, 19_500n, 500_000n, 12_000_000n, 1_234_567_890n]) {
      expect(parseMicroUsd(microUsdText(value))).toBe(value);
    }
    expect(microUsdText(19_500n)).toBe("0.0195");
    expect(microUsdText(12_000_000n)).toBe("12");
    expect(microUsdText(-1n)).toBe("-0.000001");
  });
});

describe("parseWholeDays", () => {
  it("accepts whole days within the bound", () => {
    expect(parseWholeDays("30", 3650)).toBe(30);
    expect(parseWholeDays(" 1 ", 3650)).toBe(1);
    expect(parseWholeDays("3650", 3650)).toBe(3650);
  });

  it("refuses fractions, zero, signs, exponents and values past the bound", () => {
    for (const bad of ["", "0", "30.5", "-3", "1e2", "3651", "ten"]) expect(parseWholeDays(bad, 3650), bad).toBeNull();
  });
});
