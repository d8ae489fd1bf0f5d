import { describe, expect, it } from "vitest";
import { Algorithm } from "../generated/prisma/enums";
import {
  bitsForNetworkDifficulty,
  bitsFromTarget,
  difficultyNumber,
  expForDifficulty,
  powAlgorithm,
  shareTarget,
  shareWork,
  targetFromBits,
} from "./work";

const sha = powAlgorithm(Algorithm.SHA256)!;
const scrypt = powAlgorithm(Algorithm.SCRYPT)!;

describe("targets and work", () => {
  it("difficulty 1 is nBits 0x1d00ffff for SHA-256 and 2^16 times easier for scrypt", () => {
    expect(shareTarget(sha, 0)).toBe(targetFromBits(0x1d00ffff));
    expect(shareTarget(scrypt, 0)).toBe(targetFromBits(0x1d00ffff) << 16n);
  });

  it("doubling the difficulty halves the target and doubles the credited work", () => {
    for (const exp of [-20, -1, 0, 1, 10]) {
      expect(shareTarget(sha, exp + 1) * 2n).toBe(shareTarget(sha, exp));
      expect(shareWork(sha, exp + 1)).toBe(2n * shareWork(sha, exp));
    }
    expect(shareWork(sha, 0)).toBe(2n ** 32n);
    expect(shareWork(scrypt, 0)).toBe(65536n);
    expect(shareWork(sha, -32)).toBe(1n);
    expect(() => shareWork(scrypt, -17)).toThrow();
  });

  it("set_difficulty numbers are exact powers of two and suggestions round down", () => {
    expect(difficultyNumber(-10)).toBe(0.0009765625);
    expect(expForDifficulty(1000)).toBe(9);
    expect(expForDifficulty(1024)).toBe(10);
    expect(expForDifficulty(0.001)).toBe(-10);
    expect(() => expForDifficulty(0)).toThrow();
  });

  it("compact nBits round-trips (Bitcoin's SetCompact/GetCompact)", () => {
    for (const bits of [0x1d00ffff, 0x1b04864c, 0x17034219, 0x1e0ffff0, 0x207fffff]) {
      expect(bitsFromTarget(targetFromBits(bits))).toBe(bits);
    }
  });

  it("network difficulty gives the nBits the network uses", () => {
    expect(bitsForNetworkDifficulty(1n)).toBe(0x1d00ffff);
    // Block 100000's difficulty 14484.16236122 -> 0x1b04864c (the integer part is close enough).
    const bits = bitsForNetworkDifficulty(14484n);
    expect(
      Math.abs(Number(targetFromBits(bits) - targetFromBits(0x1b04864c)) / Number(targetFromBits(0x1b04864c))),
    ).toBeLessThan(1e-4);
  });
});
