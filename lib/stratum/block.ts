// Coinbase, merkle root and the 80-byte header, in the byte orders of Stratum V1 as cgminer,
// bmminer and cpuminer use them on the wire:
//  - mining.notify sends version, nbits and ntime as big-endian hex of the 32-bit value and
//    prevhash as the block hash in internal order with the bytes of each 4-byte word reversed;
//  - mining.submit sends ntime and nonce as big-endian hex of the value and extranonce2 as the
//    raw bytes that go into the coinbase;
//  - the header hashes version, ntime, nbits and nonce little-endian, prevhash and the merkle
//    root in internal order.
// The merkle root is sha256d of the coinbase folded with each branch: root = sha256d(root||b).
import { sha256d, swapWords } from "./hashing";

export interface JobTemplate {
  /** prevhash exactly as mining.notify sends it (32 bytes, word-swapped). */
  prevhash: Buffer;
  coinb1: Buffer;
  coinb2: Buffer;
  /** Merkle branches in internal byte order. */
  branches: Buffer[];
  version: number;
  nbits: number;
  ntime: number;
}

export function coinbaseHash(job: Pick<JobTemplate, "coinb1" | "coinb2">, extranonce: Buffer): Buffer {
  return sha256d(Buffer.concat([job.coinb1, extranonce, job.coinb2]));
}

export function merkleRoot(coinbase: Buffer, branches: readonly Buffer[]): Buffer {
  let root = coinbase;
  for (const branch of branches) root = sha256d(Buffer.concat([root, branch]));
  return root;
}

/** One level up the tree; an odd level pairs its last hash with itself, as Bitcoin does. */
function parentLevel(level: readonly Buffer[], from: number): Buffer[] {
  const next: Buffer[] = [];
  for (let i = from; i < level.length; i += 2) {
    const left = level[i]!;
    next.push(sha256d(Buffer.concat([left, level[i + 1] ?? left])));
  }
  return next;
}

/** The branches a miner needs to fold the coinbase (index 0) up to the root of `txids`. */
export function merkleBranches(txids: readonly Buffer[]): Buffer[] {
  const branches: Buffer[] = [];
  let level = [...txids];
  while (level.length > 1) {
    branches.push(level[1]!);
    level = [level[0]!, ...parentLevel(level, 2)];
  }
  return branches;
}

/** The full merkle root of a transaction list. */
export function merkleRootOf(txids: readonly Buffer[]): Buffer {
  if (txids.length === 0) throw new Error("a block has at least its coinbase");
  let level = [...txids];
  while (level.length > 1) level = parentLevel(level, 0);
  return level[0]!;
}

/** The 80-byte header from its fields (prevhash as mining.notify sends it, root in internal order). */
export function headerBytes(fields: {
  version: number;
  prevhash: Buffer;
  merkleRoot: Buffer;
  ntime: number;
  nbits: number;
  nonce: number;
}): Buffer {
  const header = Buffer.allocUnsafe(80);
  header.writeUInt32LE(fields.version >>> 0, 0);
  swapWords(fields.prevhash).copy(header, 4);
  fields.merkleRoot.copy(header, 36);
  header.writeUInt32LE(fields.ntime >>> 0, 68);
  header.writeUInt32LE(fields.nbits >>> 0, 72);
  header.writeUInt32LE(fields.nonce >>> 0, 76);
  return header;
}

/** The 80-byte header of a share: the job with the miner's extranonce, ntime, nonce and version. */
export function shareHeader(
  job: JobTemplate,
  extranonce: Buffer,
  ntime: number,
  nonce: number,
  version = job.version,
): Buffer {
  const root = merkleRoot(coinbaseHash(job, extranonce), job.branches);
  return headerBytes({ version, prevhash: job.prevhash, merkleRoot: root, ntime, nbits: job.nbits, nonce });
}

/**
 * The share headers of one job for one extranonce1, laid out once: the coinbase with the
 * extranonce1 in place and the header with version, prevhash and nbits in place, so a share
 * writes its extranonce2, merkle root, ntime, nonce and version into them and nothing is
 * rebuilt. `header` gives the same bytes as shareHeader (block.test.ts checks it).
 */
export class ShareHeaderTemplate {
  private readonly coinbase: Buffer;
  private readonly extranonce2Offset: number;
  private readonly bytes: Buffer;
  /** root || branch, the input of each merkle step. */
  private readonly pair = Buffer.allocUnsafe(64);

  constructor(
    private readonly job: JobTemplate,
    extranonce1: Buffer,
    readonly extranonce2Size: number,
  ) {
    this.extranonce2Offset = job.coinb1.length + extranonce1.length;
    this.coinbase = Buffer.concat([job.coinb1, extranonce1, Buffer.alloc(extranonce2Size), job.coinb2]);
    this.bytes = headerBytes({ ...job, merkleRoot: Buffer.alloc(32), nonce: 0 });
  }

  /** The 80-byte header of a share: a buffer of the template's, valid until the next call. */
  header(extranonce2: Buffer, ntime: number, nonce: number, version = this.job.version): Buffer {
    if (extranonce2.length !== this.extranonce2Size) throw new Error("extranonce2 of the wrong size");
    extranonce2.copy(this.coinbase, this.extranonce2Offset);
    let root = sha256d(this.coinbase);
    for (const branch of this.job.branches) {
      if (branch.length !== 32) {
        root = sha256d(Buffer.concat([root, branch]));
        continue;
      }
      root.copy(this.pair, 0);
      branch.copy(this.pair, 32);
      root = sha256d(this.pair);
    }
    const header = this.bytes;
    header.writeUInt32LE(version >>> 0, 0);
    root.copy(header, 36);
    header.writeUInt32LE(ntime >>> 0, 68);
    header.writeUInt32LE(nonce >>> 0, 76);
    return header;
  }
}

/** A block hash in internal order -> the prevhash mining.notify sends. */
export function stratumPrevhash(previousBlockHash: Buffer): Buffer {
  return swapWords(previousBlockHash);
}

function pushData(data: Buffer): Buffer {
  if (data.length >= 0x4c) throw new Error("push too long for a coinbase script");
  return Buffer.concat([Buffer.from([data.length]), data]);
}

/** BIP34: the height as the first push of the coinbase script (minimal little-endian). */
function heightPush(height: number): Buffer {
  const bytes: number[] = [];
  let rest = height;
  while (rest > 0) {
    bytes.push(rest & 0xff);
    rest = Math.floor(rest / 256);
  }
  if ((bytes[bytes.length - 1] ?? 0) & 0x80) bytes.push(0);
  return pushData(Buffer.from(bytes));
}

function uint64LE(value: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(value);
  return out;
}

/**
 * A coinbase transaction split around the extranonce (pool mode): version 1, one input
 * spending nothing whose script is [height][extranonce push][tag], one output of `value`
 * base units to `outputScript`, locktime 0. The extranonce push holds extranonce1 then
 * extranonce2 (`extranonceBytes` in all).
 */
export function splitCoinbase(opts: {
  height: number;
  extranonceBytes: number;
  tag: string;
  value: bigint;
  outputScript: Buffer;
}): { coinb1: Buffer; coinb2: Buffer } {
  const tag = pushData(Buffer.from(opts.tag, "utf8"));
  const height = heightPush(opts.height);
  const scriptLength = height.length + 1 + opts.extranonceBytes + tag.length;
  if (scriptLength > 100) throw new Error("coinbase script over 100 bytes");
  const coinb1 = Buffer.concat([
    Buffer.from("01000000", "hex"), // version
    Buffer.from([1]), // one input
    Buffer.alloc(32), // prevout hash: none
    Buffer.from("ffffffff", "hex"), // prevout index
    Buffer.from([scriptLength]),
    height,
    Buffer.from([opts.extranonceBytes]), // push of extranonce1 + extranonce2
  ]);
  const coinb2 = Buffer.concat([
    tag,
    Buffer.from("ffffffff", "hex"), // sequence
    Buffer.from([1]), // one output
    uint64LE(opts.value),
    Buffer.from([opts.outputScript.length]),
    opts.outputScript,
    Buffer.alloc(4), // locktime
  ]);
  return { coinb1, coinb2 };
}
