// The Stratum V1 server (DESIGN.md "Delivered hashrate: measured"). Every share is verified
// here: the coinbase is rebuilt from the job and the miner's extranonces, the merkle root and
// the 80-byte header from it, the header hashed with the coin's PoW and compared with the
// share target of the difficulty the job was sent at. Accepted work per rig goes to the
// ShareLedger (accounting.ts), refusals are counted by reason.
//
// Per connection: mining.subscribe hands out extranonce1 = [2 bytes instance id][2 bytes
// counter] (unique across every process on the database: the instance id comes from
// stratum_instances), mining.authorize binds one or more workers of one algorithm, and only
// then the connection gets its difficulty and jobs. Requests of a connection are handled in
// order. Difficulties are powers of two (work.ts); vardiff moves them by whole steps so that a
// connection sends about one share per `targetShareSeconds`.
import net from "node:net";
import os from "node:os";
import type { PrismaClient } from "../db/client";
import { Asset, type Algorithm } from "../generated/prisma/enums";
import { checkRateLimit, retryAfterText, takeRateLimit } from "../security/rate-limit";
import { ShareLedger, type RejectReason } from "./accounting";
import { ShareHeaderTemplate } from "./block";
import { authorizeWorker, type AuthorizedRig } from "./credentials";
import { hashAtMost, hexBytes, targetBytes } from "./hashing";
import { VERSION_ROLLING_MASK, type Job, type JobSource, type VerifiedShare } from "./jobs";
import {
  errorTuple,
  lineSplitter,
  parseRequest,
  StratumError,
  type StratumErrorCode,
  type StratumErrorTuple,
  type StratumRequest,
} from "./protocol";
import {
  clampExp,
  difficultyNumber,
  expForDifficulty,
  powAlgorithm,
  shareTarget,
  shareWork,
  type PowAlgorithm,
} from "./work";

export interface VardiffOptions {
  /** The share interval vardiff aims at. */
  targetShareSeconds: number;
  /** How often a connection's rate is looked at. */
  retargetSeconds: number;
}

export interface StratumServerOptions {
  prisma: PrismaClient;
  jobs: JobSource;
  host?: string;
  port?: number;
  mode?: "pool" | "upstream";
  /** Starting difficulty exponent per algorithm when the miner suggests none. */
  initialExp?: Partial<Record<Algorithm, number>>;
  vardiff?: VardiffOptions | false;
  flushMs?: number;
  heartbeatMs?: number;
  /** ntime may run this far ahead of the job's (and of the clock). */
  maxNtimeDriftSeconds?: number;
  log?: (line: string) => void;
  /** Called after each verified share (tests, upstream forwarding). */
  onShare?: (event: ShareEvent) => void;
}

export interface ShareEvent extends VerifiedShare {
  rigId: string;
  exp: number;
  work: bigint;
  blockCandidate: boolean;
}

export interface StratumServer {
  readonly port: number;
  readonly instanceId: number;
  readonly ledger: ShareLedger;
  connections(): number;
  close(): Promise<void>;
}

/** The coin a rig mines in pool mode: its listing's coin, else the algorithm's main coin. */
const DEFAULT_COIN: Partial<Record<Algorithm, Asset>> = { SHA256: Asset.BTC, SCRYPT: Asset.LTC };
const DEFAULT_INITIAL_EXP: Record<string, number> = { SHA256: 10, SCRYPT: 6 };
const MAX_SENT_JOBS = 32;
const MAX_FAILED_AUTHORIZE = 5;

interface SentJob {
  job: Job;
  exp: number;
  seen: Set<string>;
  /** Made at the job's first share (an idle connection holds none): the share target as bytes, the header template. */
  verify?: { target: Buffer; template: ShareHeaderTemplate };
}

/** Each job's block target as bytes, for hashAtMost. */
const blockTargets = new WeakMap<Job, Buffer>();

function blockTargetBytes(job: Job): Buffer {
  let bytes = blockTargets.get(job);
  if (!bytes) {
    bytes = targetBytes(job.blockTarget);
    blockTargets.set(job, bytes);
  }
  return bytes;
}

class Connection {
  subscribed = false;
  readonly workers = new Map<string, AuthorizedRig>();
  pow: PowAlgorithm | null = null;
  coin: Asset | null = null;
  /** The job feed (jobs.acquire) once the first worker is authorized; released on close. */
  feed: string | null = null;
  exp = 0;
  suggestedExp: number | null = null;
  minExp: number | null = null;
  versionMask = 0;
  diffEpoch = 0;
  readonly sent = new Map<string, SentJob>();
  failedAuthorize = 0;
  sharesSinceRetarget = 0;
  lastRetarget = Date.now();
  private queue: Promise<void> = Promise.resolve();
  private outgoing = "";

  constructor(
    readonly socket: net.Socket,
    readonly extranonce1: Buffer,
    readonly counter: number,
  ) {}

  enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task, task);
  }

  /**
   * Queues a line for the peer. The lines of one turn of the event loop (all the requests of a
   * chunk read from the socket) go out in one write once the turn's handling is done: a write
   * per reply costs a system call each, more than verifying the share it answers.
   */
  send(message: unknown): void {
    if (this.socket.destroyed) return;
    if (this.outgoing === "") setImmediate(() => this.flush());
    this.outgoing += `${JSON.stringify(message)}\n`;
  }

  /** Writes the queued lines now. */
  flush(): void {
    const text = this.outgoing;
    this.outgoing = "";
    if (text !== "" && !this.socket.destroyed) this.socket.write(text);
  }

  /** Hangs up after writing what is queued (as the writes before it went out first). */
  destroy(): void {
    this.flush();
    this.socket.destroy();
  }
}

export async function startStratumServer(options: StratumServerOptions): Promise<StratumServer> {
  const { prisma, jobs } = options;
  const log = options.log ?? (() => {});
  const vardiff = options.vardiff === undefined ? { targetShareSeconds: 10, retargetSeconds: 30 } : options.vardiff;
  const maxDrift = options.maxNtimeDriftSeconds ?? 7200;
  const extranonce2Size = jobs.extranonceBytes - 4;
  const ledger = new ShareLedger(prisma);
  const live = new Set<Connection>();
  const countersInUse = new Set<number>();
  let nextCounter = 0;

  const [instance] = await prisma.$queryRaw<{ id: number }[]>`
    INSERT INTO stratum_instances (host, port, mode) VALUES (${os.hostname()}, ${options.port ?? 0}, ${options.mode ?? "pool"})
    RETURNING id`;
  const instanceId = instance!.id;
  const prefix = instanceId & 0xffff;

  function allocateCounter(): number | null {
    if (countersInUse.size >= 0x10000) return null;
    while (countersInUse.has(nextCounter)) nextCounter = (nextCounter + 1) & 0xffff;
    const counter = nextCounter;
    countersInUse.add(counter);
    nextCounter = (nextCounter + 1) & 0xffff;
    return counter;
  }

  function sentId(conn: Connection, job: Job): string {
    return conn.diffEpoch === 0 ? job.id : `${job.id}.${conn.diffEpoch.toString(16)}`;
  }

  function notify(conn: Connection, job: Job, clean: boolean): void {
    const id = sentId(conn, job);
    conn.sent.set(id, { job, exp: conn.exp, seen: new Set() });
    while (conn.sent.size > MAX_SENT_JOBS) conn.sent.delete(conn.sent.keys().next().value!);
    conn.send({
      id: null,
      method: "mining.notify",
      params: [
        id,
        job.prevhash.toString("hex"),
        job.coinb1.toString("hex"),
        job.coinb2.toString("hex"),
        job.branches.map((b) => b.toString("hex")),
        (job.version >>> 0).toString(16).padStart(8, "0"),
        (job.nbits >>> 0).toString(16).padStart(8, "0"),
        (job.ntime >>> 0).toString(16).padStart(8, "0"),
        clean,
      ],
    });
  }

  function setDifficulty(conn: Connection, exp: number): void {
    conn.exp = exp;
    conn.send({ id: null, method: "mining.set_difficulty", params: [difficultyNumber(exp)] });
  }

  jobs.onJob((job, clean) => {
    for (const conn of live) if (conn.feed === job.feed && conn.pow) notify(conn, job, clean);
  });

  function reply(
    conn: Connection,
    request: StratumRequest,
    result: unknown,
    error: StratumErrorTuple | null = null,
  ): void {
    if (request.id !== null) conn.send({ id: request.id, result, error });
  }

  function handleConfigure(conn: Connection, request: StratumRequest): void {
    const [extensions, params] = request.params as [unknown, unknown];
    const names = Array.isArray(extensions) ? extensions.filter((e): e is string => typeof e === "string") : [];
    const values = typeof params === "object" && params !== null ? (params as Record<string, unknown>) : {};
    const result: Record<string, unknown> = {};
    for (const name of names) {
      if (name === "version-rolling") {
        const asked =
          typeof values["version-rolling.mask"] === "string"
            ? parseInt(values["version-rolling.mask"], 16)
            : 0xffffffff;
        conn.versionMask = (Number.isFinite(asked) ? asked : 0) & VERSION_ROLLING_MASK;
        result["version-rolling"] = true;
        result["version-rolling.mask"] = (conn.versionMask >>> 0).toString(16).padStart(8, "0");
      } else if (name === "minimum-difficulty") {
        const value = Number(values["minimum-difficulty.value"]);
        if (value > 0 && Number.isFinite(value)) conn.minExp = expForDifficulty(value);
        result["minimum-difficulty"] = conn.minExp !== null;
      } else if (name === "subscribe-extranonce") {
        result["subscribe-extranonce"] = true;
      } else {
        result[name] = false;
      }
    }
    reply(conn, request, result);
  }

  function handleSubscribe(conn: Connection, request: StratumRequest): void {
    conn.subscribed = true;
    const subscription = `${instanceId.toString(16)}${conn.extranonce1.toString("hex")}`;
    reply(conn, request, [
      [
        ["mining.set_difficulty", subscription],
        ["mining.notify", subscription],
      ],
      conn.extranonce1.toString("hex"),
      extranonce2Size,
    ]);
  }

  async function handleAuthorize(conn: Connection, request: StratumRequest): Promise<void> {
    const [user, password] = request.params;
    const refuse = (message: string) => {
      conn.failedAuthorize += 1;
      reply(conn, request, false, errorTuple(StratumError.UNAUTHORIZED, message));
      if (conn.failedAuthorize >= MAX_FAILED_AUTHORIZE) conn.destroy();
    };
    if (!conn.subscribed) return reply(conn, request, false, errorTuple(StratumError.NOT_SUBSCRIBED, "Not subscribed"));
    if (typeof user !== "string" || typeof password !== "string") return refuse("Unauthorized worker");
    // Failed authorisations are counted per address in PostgreSQL, so a guesser is cut off on
    // every Stratum instance; a refused one is not even checked (its guesses cost nothing).
    const ip = conn.socket.remoteAddress ?? "unknown";
    const limit = await checkRateLimit(prisma, "stratum-authorize-ip", ip);
    if (!limit.ok) {
      reply(
        conn,
        request,
        false,
        errorTuple(
          StratumError.UNAUTHORIZED,
          `Too many failed authorisations from this address; try again ${retryAfterText(limit.retryAfterSeconds)}`,
        ),
      );
      return conn.destroy();
    }
    const rig = await authorizeWorker(prisma, user, password);
    if (!rig) {
      await takeRateLimit(prisma, "stratum-authorize-ip", ip);
      return refuse("Unauthorized worker");
    }
    if (rig.status === "RETIRED") return refuse("This rig is retired");
    const pow = powAlgorithm(rig.algorithm);
    if (!pow) return refuse(`${rig.algorithm} shares cannot be verified yet; this rig stays on reported telemetry`);
    if (conn.pow && conn.pow !== pow) return refuse("One algorithm per connection");
    const listing = await prisma.rig.findUnique({
      where: { id: rig.rigId },
      select: { listing: { select: { coin: true } } },
    });
    const coin = listing?.listing?.coin ?? DEFAULT_COIN[rig.algorithm]!;
    if (conn.coin && conn.coin !== coin) return refuse("One coin per connection");
    // One feed per connection: a second worker must take its jobs from the same pool.
    const feed = await jobs.acquire({ rigId: rig.rigId, facilityId: rig.facilityId, algorithm: rig.algorithm, coin });
    if (conn.feed !== null && conn.feed !== feed) {
      jobs.release(feed);
      return refuse("One pool per connection: this worker's facility mines elsewhere");
    }
    if (conn.feed === null && conn.socket.destroyed) return jobs.release(feed);
    if (conn.feed === null) conn.feed = feed;
    else jobs.release(feed);
    conn.workers.set(user, rig);
    reply(conn, request, true);
    if (!conn.pow) {
      conn.pow = pow;
      conn.coin = coin;
      const start = conn.suggestedExp ?? options.initialExp?.[rig.algorithm] ?? DEFAULT_INITIAL_EXP[rig.algorithm] ?? 0;
      setDifficulty(conn, clampExp(pow, Math.max(start, conn.minExp ?? pow.minExp)));
      conn.lastRetarget = Date.now();
      const job = jobs.current(feed);
      if (job) notify(conn, job, true);
    }
  }

  function handleSuggestDifficulty(conn: Connection, request: StratumRequest): void {
    const value = Number(request.params[0]);
    if (!(value > 0) || !Number.isFinite(value))
      return reply(conn, request, false, errorTuple(StratumError.OTHER, "Bad difficulty"));
    const exp = expForDifficulty(value);
    conn.suggestedExp = exp;
    if (conn.pow) {
      conn.diffEpoch += 1;
      setDifficulty(conn, clampExp(conn.pow, exp));
      const job = conn.feed ? jobs.current(conn.feed) : null;
      if (job) notify(conn, job, false);
    }
    reply(conn, request, true);
  }

  function refuseShare(
    conn: Connection,
    request: StratumRequest,
    rig: AuthorizedRig | null,
    reason: RejectReason | null,
    code: StratumErrorCode,
    message: string,
  ) {
    if (rig && reason) ledger.reject(rig.rigId, reason);
    reply(conn, request, false, errorTuple(code, message));
  }

  function handleSubmit(conn: Connection, request: StratumRequest): void {
    const [worker, jobId, en2Hex, ntimeHex, nonceHex, versionHex] = request.params;
    if (!conn.subscribed) return refuseShare(conn, request, null, null, StratumError.NOT_SUBSCRIBED, "Not subscribed");
    const rig = typeof worker === "string" ? (conn.workers.get(worker) ?? null) : null;
    if (!rig || !conn.pow)
      return refuseShare(conn, request, null, null, StratumError.UNAUTHORIZED, "Unauthorized worker");
    const extranonce2 = hexBytes(en2Hex, extranonce2Size);
    const ntimeBytes = hexBytes(ntimeHex, 4);
    const nonceBytes = hexBytes(nonceHex, 4);
    const versionBytes = versionHex === undefined ? null : hexBytes(versionHex, 4);
    if (
      typeof jobId !== "string" ||
      !extranonce2 ||
      !ntimeBytes ||
      !nonceBytes ||
      (versionHex !== undefined && !versionBytes)
    ) {
      return refuseShare(conn, request, rig, "invalid", StratumError.OTHER, "Malformed share");
    }
    const sent = conn.sent.get(jobId);
    if (!sent) return refuseShare(conn, request, rig, "stale", StratumError.JOB_NOT_FOUND, "Job not found");
    const { job } = sent;
    if (job.round < jobs.round(job.feed))
      return refuseShare(conn, request, rig, "stale", StratumError.JOB_NOT_FOUND, "Stale job");
    const ntime = ntimeBytes.readUInt32BE(0);
    if (ntime < job.ntime || ntime > job.ntime + maxDrift || ntime > Math.floor(Date.now() / 1000) + maxDrift) {
      return refuseShare(conn, request, rig, "invalid", StratumError.OTHER, "ntime out of range");
    }
    let version = job.version;
    if (versionBytes) {
      const bits = versionBytes.readUInt32BE(0);
      if ((bits & ~conn.versionMask) >>> 0 !== 0) {
        return refuseShare(
          conn,
          request,
          rig,
          "invalid",
          StratumError.OTHER,
          "Version bits outside the negotiated mask",
        );
      }
      version = ((job.version & ~conn.versionMask) | bits) >>> 0;
    }
    const nonce = nonceBytes.readUInt32BE(0);
    // The hex fields as their bytes print them (hexBytes took exactly such hex, in either case).
    const key = `${(en2Hex as string).toLowerCase()}${(ntimeHex as string).toLowerCase()}${(nonceHex as string).toLowerCase()}${version.toString(16)}`;
    if (sent.seen.has(key))
      return refuseShare(conn, request, rig, "duplicate", StratumError.DUPLICATE, "Duplicate share");
    sent.verify ??= {
      target: targetBytes(shareTarget(conn.pow, sent.exp)),
      template: new ShareHeaderTemplate(job, conn.extranonce1, extranonce2Size),
    };
    const hash = conn.pow.hash(sent.verify.template.header(extranonce2, ntime, nonce, version));
    if (!hashAtMost(hash, sent.verify.target)) {
      return refuseShare(conn, request, rig, "low_difficulty", StratumError.LOW_DIFFICULTY, "Low difficulty share");
    }
    sent.seen.add(key);
    const work = shareWork(conn.pow, sent.exp);
    ledger.accept(rig.rigId, work);
    conn.sharesSinceRetarget += 1;
    reply(conn, request, true);
    const blockCandidate = hashAtMost(hash, blockTargetBytes(job));
    if (blockCandidate) log(`[stratum] block candidate from rig ${rig.rigId} on ${job.coin} job ${job.id}`);
    // Upstream mode: the share goes on to the pool when it meets the pool's difficulty.
    const share: VerifiedShare = { job, extranonce1: conn.extranonce1, extranonce2, ntime, nonce, version, hash };
    const forwarded = jobs.forward?.(share);
    if (forwarded)
      void forwarded.then(
        (answer) => answer !== null && ledger.upstream(rig.rigId, answer),
        (error: unknown) => log(`[stratum] upstream submit failed: ${String(error)}`),
      );
    options.onShare?.({ ...share, rigId: rig.rigId, exp: sent.exp, work, blockCandidate });
  }

  function retarget(conn: Connection, now: number): void {
    if (!vardiff || !conn.pow) return;
    const elapsed = (now - conn.lastRetarget) / 1000;
    if (elapsed < vardiff.retargetSeconds) return;
    const shares = conn.sharesSinceRetarget;
    // Seconds per share; with no share at all, at least the whole window.
    const interval = shares > 0 ? elapsed / shares : elapsed * 2;
    const ratio = vardiff.targetShareSeconds / interval;
    conn.sharesSinceRetarget = 0;
    conn.lastRetarget = now;
    if (ratio > 2 / 3 && ratio < 2) return; // within 5..15 s for a 10 s target
    const step = Math.max(-4, Math.min(4, Math.round(Math.log2(ratio))));
    const exp = clampExp(conn.pow, Math.max(conn.exp + step, conn.minExp ?? conn.pow.minExp));
    if (exp === conn.exp) return;
    conn.diffEpoch += 1;
    setDifficulty(conn, exp);
    const job = conn.feed ? jobs.current(conn.feed) : null;
    if (job) notify(conn, job, false);
  }

  async function handle(conn: Connection, line: string): Promise<void> {
    const parsed = parseRequest(line);
    if (!parsed.ok) {
      conn.send({ id: null, result: null, error: errorTuple(StratumError.OTHER, parsed.message) });
      return;
    }
    const request = parsed.request;
    switch (request.method) {
      case "mining.configure":
        return handleConfigure(conn, request);
      case "mining.subscribe":
        return handleSubscribe(conn, request);
      case "mining.authorize":
        return handleAuthorize(conn, request);
      case "mining.submit":
        return handleSubmit(conn, request);
      case "mining.suggest_difficulty":
        return handleSuggestDifficulty(conn, request);
      case "mining.extranonce.subscribe":
        return reply(conn, request, true);
      case "mining.get_transactions":
        return reply(conn, request, []);
      default:
        return reply(conn, request, null, errorTuple(StratumError.OTHER, `Unknown method ${request.method}`));
    }
  }

  const server = net.createServer((socket) => {
    const counter = allocateCounter();
    if (counter === null) {
      socket.destroy();
      return;
    }
    const extranonce1 = Buffer.alloc(4);
    extranonce1.writeUInt16BE(prefix, 0);
    extranonce1.writeUInt16BE(counter, 2);
    const conn = new Connection(socket, extranonce1, counter);
    live.add(conn);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    socket.on(
      "data",
      lineSplitter(
        (line) => conn.enqueue(() => handle(conn, line).catch((error: unknown) => log(`[stratum] ${String(error)}`))),
        () => conn.destroy(),
      ),
    );
    socket.on("error", () => {});
    socket.on("close", () => {
      live.delete(conn);
      countersInUse.delete(counter);
      if (conn.feed !== null) jobs.release(conn.feed);
    });
  });
  server.maxConnections = 0x10000;

  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "0.0.0.0", () => {
      server.off("error", reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
  await prisma.$executeRaw`UPDATE stratum_instances SET port = ${port} WHERE id = ${instanceId}`;

  const flushTimer = setInterval(() => {
    void ledger
      .flush()
      .catch((error: unknown) => log(`[stratum] share flush failed, kept for the next one: ${String(error)}`));
  }, options.flushMs ?? 5_000);
  const vardiffTimer = setInterval(() => {
    const now = Date.now();
    for (const conn of live) retarget(conn, now);
  }, 1_000);
  const heartbeat = async () => {
    await prisma.$executeRaw`
      UPDATE stratum_instances SET heartbeat_at = now(), connections = ${live.size},
             shares_accepted = ${ledger.accepted}, shares_rejected = ${ledger.rejected}
       WHERE id = ${instanceId}`;
  };
  const heartbeatTimer = setInterval(() => void heartbeat().catch(() => {}), options.heartbeatMs ?? 10_000);
  for (const timer of [flushTimer, vardiffTimer, heartbeatTimer]) timer.unref();

  return {
    port,
    instanceId,
    ledger,
    connections: () => live.size,
    async close() {
      clearInterval(flushTimer);
      clearInterval(vardiffTimer);
      clearInterval(heartbeatTimer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const conn of live) conn.destroy();
      await closed;
      await ledger.flush();
      await heartbeat();
      await prisma.$executeRaw`UPDATE stratum_instances SET stopped_at = now(), connections = 0 WHERE id = ${instanceId}`;
    },
  };
}
