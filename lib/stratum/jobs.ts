// Work for miners. A job is a block template in Stratum form (block.ts JobTemplate) with the
// bookkeeping the server needs: which coin and round it belongs to and when it was made.
//
// Pool mode (no upstream: the embedded demo, tests, a solo operator): the proxy makes its own
// jobs from the coin's latest network snapshot, so the share hashing is exactly what a real
// template would need (same coinbase/merkle/header path, network nBits, the day's block reward
// in the coinbase). The previous-block hash is synthetic (a hash of the coin, the process and
// the round): pool-mode work is measured, not broadcast, so a "block" found here is counted as
// a candidate and never sent anywhere. A new round (clean_jobs, older work stale) starts every
// `roundMs`, a fresh job (new ntime) every `jobMs`.
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../db/client";
import type { Algorithm, Asset } from "../generated/prisma/enums";
import { splitCoinbase, stratumPrevhash, type JobTemplate } from "./block";
import { sha256d } from "./hashing";
import { bitsForNetworkDifficulty, targetFromBits } from "./work";

export interface Job extends JobTemplate {
  id: string;
  /** Where the job comes from: the coin's pool-mode feed (the coin's name) or an upstream session. */
  feed: string;
  coin: Asset;
  round: number;
  height: number;
  /** The network (block) target nbits encodes. */
  blockTarget: bigint;
  createdAt: number;
}

/** An authorized rig asking for work. */
export interface JobFeedRequest {
  rigId: string;
  facilityId: string;
  algorithm: Algorithm;
  coin: Asset;
}

/** A share the server verified, with what a pool needs to check it again. */
export interface VerifiedShare {
  job: Job;
  extranonce1: Buffer;
  extranonce2: Buffer;
  ntime: number;
  nonce: number;
  version: number;
  hash: Buffer;
}

export interface JobSource {
  /** The feed a rig's connection takes jobs from (the caller releases it when the connection closes). */
  acquire(request: JobFeedRequest): Promise<string>;
  release(feed: string): void;
  /** The newest job of a feed, or null while none can be made. */
  current(feed: string): Job | null;
  /** The current round of a feed: jobs of older rounds are stale. */
  round(feed: string): number;
  /** Called with every new job; `clean` = older jobs of the feed are stale now. */
  onJob(listener: (job: Job, clean: boolean) => void): void;
  /**
   * Hands a verified share to the job's pool where there is one: resolves with the pool's
   * answer, or null when the share is below the pool's difficulty; null (no promise) in pool mode.
   */
  forward?(share: VerifiedShare): Promise<boolean | null> | null;
  /** Total extranonce bytes the coinbase leaves for extranonce1 + extranonce2. */
  readonly extranonceBytes: number;
  stop(): void;
}

/** BIP320: the version bits ASICs may roll. */
export const VERSION_ROLLING_MASK = 0x1fffe000;
const POOL_OUTPUT_SCRIPT = Buffer.concat([Buffer.from([0x6a, 0x13]), Buffer.from("Hashlease pool mode", "utf8")]);

interface CoinInputs {
  nbits: number;
  value: bigint;
}

export class PoolJobSource implements JobSource {
  readonly extranonceBytes: number;
  private readonly listeners: ((job: Job, clean: boolean) => void)[] = [];
  private readonly jobs = new Map<Asset, Job>();
  private readonly rounds = new Map<Asset, number>();
  private readonly inputs = new Map<Asset, CoinInputs>();
  private readonly salt = randomBytes(8).toString("hex");
  private seq = 0;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly prisma: PrismaClient,
    private readonly coins: readonly Asset[],
    private readonly opts: {
      jobMs: number;
      roundMs: number;
      now?: () => number;
      /** Extranonce bytes in the coinbase (8: 4 extranonce1 + 4 extranonce2 for the miner). */
      extranonceBytes?: number;
    },
  ) {
    this.extranonceBytes = opts.extranonceBytes ?? 8;
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Reads the coins' network inputs and makes the first round of jobs. */
  async start(): Promise<void> {
    await this.refreshInputs();
    for (const coin of this.coins) this.newJob(coin, true);
    this.timers.push(setInterval(() => this.coins.forEach((coin) => this.newJob(coin, false)), this.opts.jobMs));
    this.timers.push(
      setInterval(() => {
        void this.refreshInputs()
          .catch(() => {})
          .finally(() => this.coins.forEach((coin) => this.newJob(coin, true)));
      }, this.opts.roundMs),
    );
    for (const timer of this.timers) timer.unref();
  }

  stop(): void {
    this.timers.forEach(clearInterval);
    this.timers = [];
  }

  private async refreshInputs(): Promise<void> {
    const snapshots = await this.prisma.$queryRaw<{ coin: Asset; difficulty: string | null; reward: string }[]>`
      SELECT DISTINCT ON (coin) coin, difficulty::text AS difficulty, (block_subsidy_base + avg_fees_per_block_base)::text AS reward
        FROM network_snapshots WHERE coin::text = ANY(${this.coins as string[]}) ORDER BY coin, day DESC`;
    for (const s of snapshots) {
      const difficulty = s.difficulty === null ? 1n : BigInt(s.difficulty);
      this.inputs.set(s.coin, { nbits: bitsForNetworkDifficulty(difficulty), value: BigInt(s.reward) });
    }
  }

  /** Starts a new round (clean) or refreshes the round's job with a new ntime. Public for tests. */
  newJob(coin: Asset, clean: boolean): Job {
    const round = (this.rounds.get(coin) ?? 0) + (clean ? 1 : 0);
    this.rounds.set(coin, round);
    const inputs = this.inputs.get(coin) ?? { nbits: 0x1d00ffff, value: 0n };
    const height = 1_000_000 + round;
    const { coinb1, coinb2 } = splitCoinbase({
      height,
      extranonceBytes: this.extranonceBytes,
      tag: "/Hashlease/",
      value: inputs.value,
      outputScript: POOL_OUTPUT_SCRIPT,
    });
    const previous = sha256d(Buffer.from(`hashlease-pool|${coin}|${this.salt}|${round}`, "utf8"));
    this.seq += 1;
    const job: Job = {
      id: this.seq.toString(16),
      feed: coin,
      coin,
      round,
      height,
      prevhash: stratumPrevhash(previous),
      coinb1,
      coinb2,
      branches: [],
      version: 0x20000000,
      nbits: inputs.nbits,
      ntime: Math.floor(this.now() / 1000),
      blockTarget: targetFromBits(inputs.nbits),
      createdAt: this.now(),
    };
    this.jobs.set(coin, job);
    for (const listener of this.listeners) listener(job, clean);
    return job;
  }

  /** Pool mode: every rig of a coin shares the coin's feed. */
  async acquire(request: JobFeedRequest): Promise<string> {
    return request.coin;
  }

  release(): void {}

  current(feed: string): Job | null {
    return this.jobs.get(feed as Asset) ?? null;
  }

  round(feed: string): number {
    return this.rounds.get(feed as Asset) ?? 0;
  }

  onJob(listener: (job: Job, clean: boolean) => void): void {
    this.listeners.push(listener);
  }
}
