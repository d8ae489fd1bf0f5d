// Published vectors, recomputed through the same code the server uses for shares.
// Sources: Bitcoin genesis block (block 0) and block 100000, 839900 as printed by any block
// explorer (e.g. https://blockchain.info/rawblock/<hash>) and in bitcoin/bitcoin's
// src/kernel/chainparams.cpp (genesis: nonce 2083236893, nBits 0x1d00ffff, time 1231006505);
// Litecoin's genesis from litecoin-project/litecoin src/chainparams.cpp (nonce 2084524493,
// nBits 0x1e0ffff0, time 1317972665, hashMerkleRoot 97ddfb...ced9, block hash 12a765...bfe2).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  coinbaseHash,
  headerBytes,
  merkleBranches,
  merkleRoot,
  merkleRootOf,
  shareHeader,
  ShareHeaderTemplate,
  splitCoinbase,
  stratumPrevhash,
} from "./block";
import { hashAtMost, hashValue, reversed, scryptPow, sha256d, targetBytes } from "./hashing";
import { targetFromBits } from "./work";

const display = (hex: string) => reversed(Buffer.from(hex, "hex")); // explorer hex -> internal order
const shown = (hash: Buffer) => reversed(hash).toString("hex");

const GENESIS_COINBASE =
  "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000";

describe("Bitcoin genesis block through the Stratum path", () => {
  it("coinbase split around an 8-byte extranonce hashes to the published merkle root and block hash", () => {
    const tx = Buffer.from(GENESIS_COINBASE, "hex");
    // Pretend bytes 42..49 of the scriptSig are extranonce1 (4) + extranonce2 (4).
    const job = {
      prevhash: stratumPrevhash(Buffer.alloc(32)),
      coinb1: tx.subarray(0, 42),
      coinb2: tx.subarray(50),
      branches: [],
      version: 1,
      nbits: 0x1d00ffff,
      ntime: 1231006505,
    };
    const extranonce = tx.subarray(42, 50);
    expect(shown(coinbaseHash(job, extranonce))).toBe(
      "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b",
    );
    const header = shareHeader(job, extranonce, 1231006505, 2083236893);
    expect(shown(sha256d(header))).toBe("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
    expect(hashValue(sha256d(header)) <= targetFromBits(0x1d00ffff)).toBe(true);
    expect(hashValue(sha256d(shareHeader(job, extranonce, 1231006505, 2083236894))) <= targetFromBits(0x1d00ffff)).toBe(
      false,
    );
  });
});

describe("a recent block with rolled version bits (839900, April 2024)", () => {
  it("hashes to the published block hash", () => {
    const header = headerBytes({
      version: 714498048, // 0x2a96e000: BIP320 version rolling
      prevhash: stratumPrevhash(display("000000000000000000015d7eee767c24abd355f70fb382d2ef47398610439ba3")),
      merkleRoot: display("088083f58ddef995494fec492880da49e3463cc73dee1306dbdf6cf3af77454c"),
      ntime: 1713511391,
      nbits: 386089497,
      nonce: 3529540887,
    });
    expect(shown(sha256d(header))).toBe("000000000000000000023dfafae2b6e6b5ecf9d1365fafa075dec49625721f37");
  });
});

describe("merkle branches (block 100000, four transactions)", () => {
  const txids = [
    "8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87",
    "fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4",
    "6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4",
    "e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d",
  ].map(display);
  const root = "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766";

  it("folds the coinbase txid with the branches to the published root", () => {
    expect(shown(merkleRootOf(txids))).toBe(root);
    const branches = merkleBranches(txids);
    expect(branches).toHaveLength(2);
    expect(shown(merkleRoot(txids[0]!, branches))).toBe(root);
  });

  it("with an odd count the last hash pairs with itself, as Bitcoin does", () => {
    const three = txids.slice(0, 3);
    expect(merkleRoot(three[0]!, merkleBranches(three)).equals(merkleRootOf(three))).toBe(true);
    expect(merkleBranches(txids.slice(0, 1))).toEqual([]);
  });

  it("the header of block 100000 hashes to its published hash", () => {
    const header = headerBytes({
      version: 1,
      prevhash: stratumPrevhash(display("000000000002d01c1fccc21636b607dfd930d31d01c3a62104612a1719011250")),
      merkleRoot: display(root),
      ntime: 1293623863,
      nbits: 0x1b04864c,
      nonce: 274148111,
    });
    expect(shown(sha256d(header))).toBe("000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506");
  });
});

describe("Litecoin genesis block (scrypt proof of work)", () => {
  const header = headerBytes({
    version: 1,
    prevhash: Buffer.alloc(32),
    merkleRoot: display("97ddfbbae6be97fd6cdf3e7ca13232a3afff2353e29badfab7f73011edd4ced9"),
    ntime: 1317972665,
    nbits: 0x1e0ffff0,
    nonce: 2084524493,
  });

  it("its block id is the sha256d of the header", () => {
    expect(shown(sha256d(header))).toBe("12a765e31ffd4059bada1e25190f6e98c99d9714d334efa41a195a7e7e04bfe2");
  });

  it("its scrypt hash meets its target and a neighbouring nonce's does not", () => {
    const target = targetFromBits(0x1e0ffff0);
    expect(hashValue(scryptPow(header)) <= target).toBe(true);
    const other = Buffer.from(header);
    other.writeUInt32LE(2084524492, 76);
    expect(hashValue(scryptPow(other)) <= target).toBe(false);
  });
});

describe("pool-mode coinbase", () => {
  it("puts the height first (BIP34) and the extranonce where coinb1 ends", () => {
    const { coinb1, coinb2 } = splitCoinbase({
      height: 840000,
      extranonceBytes: 8,
      tag: "/Hashlease/",
      value: 312500000n,
      outputScript: Buffer.from("6a0968617368206c65617365", "hex"),
    });
    const tx = Buffer.concat([coinb1, Buffer.alloc(8, 0xab), coinb2]);
    // scriptSig: length, 03 40d10c (840000 LE), 08 <8 bytes>, 0b "/Hashlease/"
    expect(tx.subarray(41, 46).toString("hex")).toBe("190340d10c");
    expect(coinb1.length).toBe(47);
    expect(tx.subarray(47, 55).toString("hex")).toBe("abababababababab");
    expect(tx.readBigUInt64LE(tx.length - 4 - 13 - 8)).toBe(312500000n);
  });
});

describe("the server's share fast path gives what the plain path gives", () => {
  const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((a) => Buffer.from(a));
  const u32 = fc.integer({ min: 0, max: 0xffffffff });

  it("ShareHeaderTemplate.header equals shareHeader, share after share on one template", () => {
    fc.assert(
      fc.property(
        fc.record({
          prevhash: bytes(32),
          coinb1: fc.uint8Array({ maxLength: 60 }).map((a) => Buffer.from(a)),
          coinb2: fc.uint8Array({ maxLength: 60 }).map((a) => Buffer.from(a)),
          branches: fc.array(fc.oneof(bytes(32), bytes(31)), { maxLength: 3 }),
          version: u32,
          nbits: u32,
          ntime: u32,
        }),
        bytes(4),
        fc.array(fc.tuple(bytes(4), u32, u32, fc.option(u32, { nil: undefined })), { minLength: 1, maxLength: 4 }),
        (job, extranonce1, shares) => {
          const template = new ShareHeaderTemplate(job, extranonce1, 4);
          for (const [extranonce2, ntime, nonce, version] of shares) {
            const expected = shareHeader(job, Buffer.concat([extranonce1, extranonce2]), ntime, nonce, version);
            expect(template.header(extranonce2, ntime, nonce, version).equals(expected)).toBe(true);
          }
        },
      ),
    );
  });

  it("hashAtMost(hash, targetBytes(t)) is hashValue(hash) <= t, also at the edges", () => {
    const target = fc.oneof(
      fc.bigInt({ min: 0n, max: (1n << 257n) - 1n }),
      fc.constantFrom(0n, 1n, (1n << 256n) - 1n, 1n << 256n, 0xffffn << 240n, 0xffffn << 208n),
    );
    fc.assert(
      fc.property(bytes(32), target, (hash, t) => {
        expect(hashAtMost(hash, targetBytes(t))).toBe(hashValue(hash) <= t);
        // The hash itself as the target: equal meets it.
        expect(hashAtMost(hash, targetBytes(hashValue(hash)))).toBe(true);
      }),
    );
  });
});
