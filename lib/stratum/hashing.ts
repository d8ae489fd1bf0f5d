// Proof-of-work hashes and the byte-order helpers every Stratum field needs. Only Node's
// crypto: SHA-256 twice for SHA-256 coins, scrypt(N=1024, r=1, p=1) with the header as both
// password and salt for Scrypt coins (Litecoin's PoW, src/crypto/scrypt.cpp in litecoin).
import { hash, scryptSync } from "node:crypto";

/** SHA-256 of SHA-256 (the one-shot crypto.hash: no Hash object per round, ~1.4x faster). */
export function sha256d(data: Buffer): Buffer {
  return hash("sha256", hash("sha256", data, "buffer"), "buffer");
}

const SCRYPT_OPTIONS = { N: 1024, r: 1, p: 1, maxmem: 4 * 1024 * 1024 } as const;

export function scryptPow(header: Buffer): Buffer {
  return scryptSync(header, header, 32, SCRYPT_OPTIONS);
}

/** The bytes in reverse order: internal (little-endian) order <-> the hex explorers print. */
export function reversed(bytes: Buffer): Buffer {
  return Buffer.from(bytes).reverse();
}

/** Reverses the bytes inside every 4-byte word (Stratum's prevhash, cpuminer's le32/be32 swap). */
export function swapWords(bytes: Buffer): Buffer {
  return Buffer.from(bytes).swap32();
}

/** A hash in internal byte order read as the 256-bit little-endian integer PoW compares. */
export function hashValue(hash: Buffer): bigint {
  return BigInt(`0x${reversed(hash).toString("hex")}`);
}

const MAX_256 = (1n << 256n) - 1n;

/** A 256-bit target as 32 little-endian bytes (a hash's internal order), for hashAtMost. */
export function targetBytes(target: bigint): Buffer {
  const bytes = Buffer.alloc(32);
  let rest = target > MAX_256 ? MAX_256 : target < 0n ? 0n : target;
  for (let i = 0; i < 32 && rest > 0n; i++, rest >>= 8n) bytes[i] = Number(rest & 0xffn);
  return bytes;
}

/** hashValue(hash) <= target, compared byte by byte from the most significant (no bigint). */
export function hashAtMost(hash: Buffer, target: Buffer): boolean {
  for (let i = 31; i >= 0; i--) {
    const a = hash[i]!;
    const b = target[i]!;
    if (a !== b) return a < b;
  }
  return true;
}

/** Strict lowercase/uppercase hex of exactly `bytes` bytes, or null. */
export function hexBytes(value: unknown, bytes: number): Buffer | null {
  if (typeof value !== "string" || value.length !== bytes * 2 || !/^[0-9a-fA-F]*$/.test(value)) return null;
  return Buffer.from(value, "hex");
}
