// Upstream mode (issue 14, DESIGN.md "Delivered hashrate: measured"): a facility may name the
// pool its rigs of one coin mine for (facility_upstreams). The proxy then keeps one Stratum
// session per facility and coin to that pool, hands the pool's jobs to the facility's miners,
// verifies every share exactly as in pool mode (the credited work is the proxy's own
// measurement, whatever the pool says) and forwards the shares that meet the pool's difficulty,
// counting the pool's accept/reject per rig (ShareLedger.upstream).
//
// Extranonce layout. Miners are subscribed before we know which rig (and so which pool) they
// are: they get the proxy's 4-byte extranonce1 (instance id + counter, unique across processes)
// and a 4-byte extranonce2, as in pool mode. The pool gave the session its own extranonce1 (E1)
// and an extranonce2 size S >= 8. A miner's job carries coinb1' = coinb1 || E1 and
// coinb2' = zeros(S - 8) || coinb2, so the miner's coinbase
//   coinb1 || E1 || [proxy extranonce1 (4)] [miner extranonce2 (4)] [zeros (S - 8)] || coinb2
// is byte for byte the pool's coinbase with extranonce2 = proxy extranonce1 || miner
// extranonce2 || zeros, which is what the proxy submits. Pools that offer S < 8 are refused
// with a log line (the rigs of that facility and coin then get no work until it is changed).
//
// The session reconnects with backoff when the pool drops it; every reconnect starts a new round
// (the pool's new E1 makes older jobs unusable), so miners get clean jobs. Shares found while
// the pool is unreachable are still verified and credited (the rig did the work) and counted as
// upstream rejected.
import type { PrismaClient } from "../db/client";
import type { Asset } from "../generated/prisma/enums";
import { getSecrets } from "../secrets";
import type { KeyRing } from "../secrets/key-ring";
import { StratumClient, type Notification } from "./client";
import { hashAtMost, targetBytes } from "./hashing";
import {
  VERSION_ROLLING_MASK,
  type Job,
  type JobFeedRequest,
  type JobSource,
  type PoolJobSource,
  type VerifiedShare,
} from "./jobs";
import { hex32, parseNotify } from "./miner";
import { openUpstreamPassword } from "./upstream-config";
import { powAlgorithm, targetForDifficulty, targetFromBits, type PowAlgorithm } from "./work";

/** The extranonce bytes the proxy's miners fill (4 proxy extranonce1 + 4 extranonce2), as in pool mode. */
export const PROXY_EXTRANONCE_BYTES = 8;

export interface UpstreamConfig {
  host: string;
  port: number;
  username: string;
  password: string;
}

/** `stratum+tcp://host:port` -> host and port, or null. */
export function parseUpstreamUrl(url: string): { host: string; port: number } | null {
  const m = /^stratum\+tcp:\/\/([A-Za-z0-9.-]+):(\d{1,5})$/.exec(url.trim());
  if (!m) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1]!, port };
}

/** What the proxy knows about a job it took from a pool. */
interface UpstreamJobInfo {
  session: UpstreamSession;
  upstreamJobId: string;
  /** The pool's share target when the job came, as bytes for hashAtMost. */
  target: Buffer;
  /** The session connection the job belongs to (a reconnect makes older jobs unusable). */
  epoch: number;
}

const upstreamJobs = new WeakMap<Job, UpstreamJobInfo>();

export interface UpstreamSessionOptions {
  feed: string;
  coin: Asset;
  pow: PowAlgorithm;
  config: UpstreamConfig;
  onJob: (job: Job, clean: boolean) => void;
  log: (line: string) => void;
  /** First reconnect delay; it doubles up to maxReconnectMs. */
  reconnectMs?: number;
  maxReconnectMs?: number;
}

export type UpstreamState = "connecting" | "ready" | "down" | "refused" | "stopped";

export class UpstreamSession {
  state: UpstreamState = "connecting";
  lastError: string | null = null;
  accepted = 0;
  rejected = 0;
  private client: StratumClient | null = null;
  private epoch = 0;
  private extranonce1 = Buffer.alloc(0);
  private padding = Buffer.alloc(0);
  private target: Buffer;
  private versionMask = 0;
  private currentJob: Job | null = null;
  private currentRound = 0;
  private seq = 0;
  private delay: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: UpstreamSessionOptions) {
    this.target = targetBytes(opts.pow.diff1Target);
    this.delay = opts.reconnectMs ?? 1_000;
  }

  get feed(): string {
    return this.opts.feed;
  }

  current(): Job | null {
    return this.currentJob;
  }

  round(): number {
    return this.currentRound;
  }

  start(): void {
    void this.connect();
  }

  private isStopped(): boolean {
    return this.state === "stopped";
  }

  stop(): void {
    this.state = "stopped";
    if (this.timer) clearTimeout(this.timer);
    this.client?.close();
  }

  private retryLater(reason: string): void {
    if (this.state === "stopped") return;
    this.state = "down";
    this.lastError = reason;
    this.opts.log(`[stratum] upstream ${this.opts.feed}: ${reason}; retrying in ${this.delay} ms`);
    this.timer = setTimeout(() => void this.connect(), this.delay);
    this.timer.unref();
    this.delay = Math.min(this.delay * 2, this.opts.maxReconnectMs ?? 30_000);
  }

  private async connect(): Promise<void> {
    if (this.state === "stopped") return;
    this.state = "connecting";
    const { host, port, username, password } = this.opts.config;
    let client: StratumClient;
    try {
      client = await StratumClient.connect(port, host);
    } catch (error) {
      return this.retryLater(`cannot connect to ${host}:${port} (${String((error as Error).message ?? error)})`);
    }
    if (this.isStopped()) return client.close();
    this.client = client;
    const epoch = ++this.epoch;
    client.onClose(() => {
      if (this.epoch === epoch && this.state !== "refused") this.retryLater("the pool closed the connection");
    });
    // Notifications may come before the subscribe answer is read; hold them until it is.
    const early: Notification[] = [];
    let subscribed = false;
    client.onNotification((n) => (subscribed ? this.notification(n, epoch) : early.push(n)));
    const configure = await client.request("mining.configure", [
      ["version-rolling"],
      { "version-rolling.mask": hex32(VERSION_ROLLING_MASK), "version-rolling.min-bit-count": 2 },
    ]);
    const granted = (configure.result ?? {}) as Record<string, unknown>;
    this.versionMask =
      granted["version-rolling"] === true && typeof granted["version-rolling.mask"] === "string"
        ? parseInt(granted["version-rolling.mask"], 16) & VERSION_ROLLING_MASK
        : 0;
    const sub = await client.request("mining.subscribe", ["hashlease-proxy/1.0"]);
    const [, e1Hex, size] = Array.isArray(sub.result) ? (sub.result as unknown[]) : [];
    if (sub.error || typeof e1Hex !== "string" || !/^([0-9a-fA-F]{2})*$/.test(e1Hex) || typeof size !== "number") {
      client.close();
      return this.retryLater(`subscribe refused (${JSON.stringify(sub.error)})`);
    }
    if (size < PROXY_EXTRANONCE_BYTES) {
      this.state = "refused";
      this.lastError = `the pool offers extranonce2_size ${size}; the proxy needs ${PROXY_EXTRANONCE_BYTES} or more`;
      this.opts.log(`[stratum] upstream ${this.opts.feed}: ${this.lastError}`);
      client.close();
      return;
    }
    this.extranonce1 = Buffer.from(e1Hex, "hex");
    this.padding = Buffer.alloc(size - PROXY_EXTRANONCE_BYTES);
    const auth = await client.request("mining.authorize", [username, password]);
    if (auth.result !== true) {
      client.close();
      return this.retryLater(`authorize refused for ${username} (${JSON.stringify(auth.error)})`);
    }
    this.state = "ready";
    this.lastError = null;
    this.delay = this.opts.reconnectMs ?? 1_000;
    this.opts.log(`[stratum] upstream ${this.opts.feed}: connected to ${host}:${port} as ${username}`);
    subscribed = true;
    // The first job of a new session is always clean: the pool's extranonce1 changed.
    this.freshEpoch = true;
    for (const n of early) this.notification(n, epoch);
  }

  private freshEpoch = false;

  private notification(n: Notification, epoch: number): void {
    if (epoch !== this.epoch) return;
    if (n.method === "mining.set_difficulty") {
      const difficulty = Number(n.params[0]);
      if (difficulty > 0 && Number.isFinite(difficulty))
        this.target = targetBytes(targetForDifficulty(this.opts.pow, difficulty));
      return;
    }
    if (n.method !== "mining.notify") return;
    const parsed = parseNotify(n.params);
    if (!parsed) return this.opts.log(`[stratum] upstream ${this.opts.feed}: unreadable mining.notify`);
    const clean = parsed.clean || this.freshEpoch || this.currentJob === null;
    this.freshEpoch = false;
    if (clean) this.currentRound += 1;
    this.seq += 1;
    const job: Job = {
      id: `u${this.seq.toString(16)}`,
      feed: this.opts.feed,
      coin: this.opts.coin,
      round: this.currentRound,
      height: 0,
      prevhash: parsed.job.prevhash,
      coinb1: Buffer.concat([parsed.job.coinb1, this.extranonce1]),
      coinb2: Buffer.concat([this.padding, parsed.job.coinb2]),
      branches: parsed.job.branches,
      version: parsed.job.version,
      nbits: parsed.job.nbits,
      ntime: parsed.job.ntime,
      blockTarget: targetFromBits(parsed.job.nbits),
      createdAt: Date.now(),
    };
    upstreamJobs.set(job, { session: this, upstreamJobId: parsed.job.id, target: this.target, epoch });
    this.currentJob = job;
    this.opts.onJob(job, clean);
  }

  /**
   * Sends a verified share to the pool when it meets the pool's target; resolves with the
   * pool's answer (true/false), or null when the share is below the pool's difficulty (not sent).
   */
  async submit(share: VerifiedShare, info: UpstreamJobInfo): Promise<boolean | null> {
    if (!hashAtMost(share.hash, info.target)) return null;
    const client = this.client;
    const rolled = (share.version ^ share.job.version) >>> 0;
    if (this.state !== "ready" || !client || info.epoch !== this.epoch || (rolled & ~this.versionMask) !== 0) {
      this.rejected += 1;
      return false;
    }
    const extranonce2 = Buffer.concat([share.extranonce1, share.extranonce2, this.padding]);
    const params = [
      this.opts.config.username,
      info.upstreamJobId,
      extranonce2.toString("hex"),
      hex32(share.ntime),
      hex32(share.nonce),
    ];
    if (rolled !== 0) params.push(hex32(share.version & this.versionMask));
    const answer = await client.request("mining.submit", params);
    const ok = answer.result === true;
    if (ok) this.accepted += 1;
    else this.rejected += 1;
    return ok;
  }
}

export interface JobRouterOptions {
  log?: (line: string) => void;
  keyRing?: () => Promise<KeyRing>;
  reconnectMs?: number;
  maxReconnectMs?: number;
  /** How long a session with no miner left stays open (a miner reconnecting keeps it). */
  idleCloseMs?: number;
}

interface FeedEntry {
  session: UpstreamSession;
  users: number;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * The JobSource the proxy runs: pool-mode jobs per coin from a PoolJobSource, and an
 * UpstreamSession for each facility and coin with an upstream, opened when its first miner
 * authorizes and closed `idleCloseMs` after its last one leaves. A feed's key names the
 * facility, coin and the configuration's version, so an edited upstream gets a new session.
 */
export class JobRouter implements JobSource {
  readonly extranonceBytes = PROXY_EXTRANONCE_BYTES;
  private readonly listeners: ((job: Job, clean: boolean) => void)[] = [];
  private readonly feeds = new Map<string, FeedEntry>();
  private readonly log: (line: string) => void;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly pool: PoolJobSource,
    private readonly opts: JobRouterOptions = {},
  ) {
    this.log = opts.log ?? (() => {});
    pool.onJob((job, clean) => this.emit(job, clean));
  }

  private emit(job: Job, clean: boolean): void {
    for (const listener of this.listeners) listener(job, clean);
  }

  current(feed: string): Job | null {
    return this.feeds.get(feed)?.session.current() ?? this.pool.current(feed);
  }

  round(feed: string): number {
    return this.feeds.get(feed)?.session.round() ?? this.pool.round(feed);
  }

  onJob(listener: (job: Job, clean: boolean) => void): void {
    this.listeners.push(listener);
  }

  sessions(): UpstreamSession[] {
    return [...this.feeds.values()].map((f) => f.session);
  }

  async acquire(request: JobFeedRequest): Promise<string> {
    const pow = powAlgorithm(request.algorithm);
    const row = pow
      ? await this.prisma.facilityUpstream.findUnique({
          where: { facilityId_coin: { facilityId: request.facilityId, coin: request.coin } },
        })
      : null;
    if (!row || !pow) return this.pool.acquire(request);
    const feed = `upstream:${row.facilityId}:${row.coin}:${row.updatedAt.getTime()}`;
    let entry = this.feeds.get(feed);
    if (!entry) {
      const address = parseUpstreamUrl(row.url);
      if (!address) return this.pool.acquire(request);
      const ring = await (this.opts.keyRing ?? (async () => (await getSecrets()).keyRing))();
      const password = openUpstreamPassword(row, ring);
      entry = this.feeds.get(feed);
      if (!entry) {
        const session = new UpstreamSession({
          feed,
          coin: row.coin,
          pow,
          config: { ...address, username: row.username, password },
          onJob: (job, clean) => this.emit(job, clean),
          log: this.log,
          reconnectMs: this.opts.reconnectMs,
          maxReconnectMs: this.opts.maxReconnectMs,
        });
        entry = { session, users: 0, idleTimer: null };
        this.feeds.set(feed, entry);
        session.start();
      }
    }
    entry.users += 1;
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = null;
    return feed;
  }

  release(feed: string): void {
    const entry = this.feeds.get(feed);
    if (!entry) return;
    entry.users -= 1;
    if (entry.users > 0) return;
    entry.idleTimer = setTimeout(() => {
      if (entry.users > 0) return;
      entry.session.stop();
      this.feeds.delete(feed);
    }, this.opts.idleCloseMs ?? 60_000);
    entry.idleTimer.unref();
  }

  forward(share: VerifiedShare): Promise<boolean | null> | null {
    const info = upstreamJobs.get(share.job);
    return info ? info.session.submit(share, info) : null;
  }

  stop(): void {
    this.pool.stop();
    for (const entry of this.feeds.values()) {
      if (entry.idleTimer) clearTimeout(entry.idleTimer);
      entry.session.stop();
    }
    this.feeds.clear();
  }
}
