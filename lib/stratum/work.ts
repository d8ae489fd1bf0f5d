// Difficulty, targets and credited work (DESIGN.md "Delivered hashrate: measured").
//
// Share difficulties are powers of two, 2^exp. The share target is diff1Target / 2^exp, and a
// share at difficulty 2^exp is credited 2^exp x diff1Work hashes, where diff1Work is the
// expected number of hashes for one difficulty-1 share:
//  - SHA-256: diff1 target 0xFFFF x 2^208 (Bitcoin's "bdiff 1", nBits 0x1d00ffff); its work is
//    2^256 / (0xFFFF x 2^208) = 2^32 x 65536/65535, which pools and DESIGN.md round to 2^32.
//  - Scrypt: miners and pools use a difficulty-1 target 2^16 times larger, 0xFFFF x 2^224
//    (cpuminer's stratum code divides the pool difficulty by 65536 for scrypt;
//    node-stratum-pool's lib/algoProperties.js gives scrypt the multiplier 2^16), so a
//    difficulty-1 scrypt share is worth 2^32 / 2^16 = 2^16 hashes.
// With a power-of-two difficulty and exp >= -log2(diff1Work) the credited work is an exact
// integer, so the accounting never rounds.
import { Algorithm } from "../generated/prisma/enums";
import { scryptPow, sha256d } from "./hashing";

export interface PowAlgorithm {
  algorithm: Algorithm;
  /** Target of a difficulty-1 share. */
  diff1Target: bigint;
  /** log2 of the hashes credited for one difficulty-1 share. */
  diff1WorkLog2: number;
  hash(header: Buffer): Buffer;
  /** The smallest and largest difficulty exponent a connection may be given. */
  minExp: number;
  maxExp: number;
}

const SHA256: PowAlgorithm = {
  algorithm: Algorithm.SHA256,
  diff1Target: 0xffffn << 208n,
  diff1WorkLog2: 32,
  hash: sha256d,
  minExp: -32,
  maxExp: 48,
};

const SCRYPT: PowAlgorithm = {
  algorithm: Algorithm.SCRYPT,
  diff1Target: 0xffffn << 224n,
  diff1WorkLog2: 16,
  hash: scryptPow,
  minExp: -16,
  maxExp: 40,
};

/** The algorithms whose shares the proxy verifies; the others stay on reported telemetry. */
export const VERIFIED_ALGORITHMS: ReadonlyMap<Algorithm, PowAlgorithm> = new Map([
  [Algorithm.SHA256, SHA256],
  [Algorithm.SCRYPT, SCRYPT],
]);

export function powAlgorithm(algorithm: Algorithm): PowAlgorithm | null {
  return VERIFIED_ALGORITHMS.get(algorithm) ?? null;
}

export function clampExp(pow: PowAlgorithm, exp: number): number {
  return Math.min(pow.maxExp, Math.max(pow.minExp, Math.round(exp)));
}

/** The share target for difficulty 2^exp. */
export function shareTarget(pow: PowAlgorithm, exp: number): bigint {
  return exp >= 0 ? pow.diff1Target >> BigInt(exp) : pow.diff1Target << BigInt(-exp);
}

/** The hashes credited for one accepted share at difficulty 2^exp (an exact integer). */
export function shareWork(pow: PowAlgorithm, exp: number): bigint {
  const log2 = pow.diff1WorkLog2 + exp;
  if (log2 < 0) throw new Error(`difficulty 2^${exp} is below one hash of work`);
  return 1n << BigInt(log2);
}

/** 2^exp as the number mining.set_difficulty sends (exact in a JSON double). */
export function difficultyNumber(exp: number): number {
  return 2 ** exp;
}

/** The largest power-of-two exponent not above a difficulty a miner suggests. */
export function expForDifficulty(difficulty: number): number {
  if (!(difficulty > 0) || !Number.isFinite(difficulty)) throw new Error("difficulty must be a positive number");
  return Math.floor(Math.log2(difficulty) + 1e-12);
}

/** The block target a compact nBits value encodes (Bitcoin's arith_uint256::SetCompact). */
export function targetFromBits(bits: number): bigint {
  const exponent = bits >>> 24;
  const mantissa = BigInt(bits & 0x007fffff);
  if (bits & 0x00800000) throw new Error("negative nBits");
  return exponent <= 3 ? mantissa >> BigInt(8 * (3 - exponent)) : mantissa << BigInt(8 * (exponent - 3));
}

/** The compact nBits for a target (Bitcoin's GetCompact: the mantissa keeps its top bit clear). */
export function bitsFromTarget(target: bigint): number {
  if (target <= 0n) throw new Error("target must be positive");
  let size = Math.ceil(target.toString(16).length / 2);
  let mantissa = size <= 3 ? target << BigInt(8 * (3 - size)) : target >> BigInt(8 * (size - 3));
  if (mantissa & 0x800000n) {
    mantissa >>= 8n;
    size += 1;
  }
  return ((size << 24) | Number(mantissa)) >>> 0;
}

/** nBits for a network difficulty D (block target = diff1Target / D), as the network encodes it. */
export function bitsForNetworkDifficulty(difficulty: bigint): number {
  // Network difficulty is always relative to the SHA-256 "bdiff 1" target (also for scrypt coins).
  const target = SHA256.diff1Target / (difficulty > 0n ? difficulty : 1n);
  return bitsFromTarget(target > 0n ? target : 1n);
}

/**
 * The share target of any positive difficulty (a pool's mining.set_difficulty need not be a
 * power of two): diff1Target / difficulty, with the difficulty read to 2^-32 below 2^20 and to
 * the integer above (a relative error under 2^-20, on the pool's side of the comparison only).
 */
export function targetForDifficulty(pow: PowAlgorithm, difficulty: number): bigint {
  if (!(difficulty > 0) || !Number.isFinite(difficulty)) throw new Error("difficulty must be a positive number");
  const scale = difficulty < 2 ** 20 ? 32n : 0n;
  const scaled = BigInt(Math.max(1, Math.round(difficulty * 2 ** Number(scale))));
  return (pow.diff1Target << scale) / scaled;
}
