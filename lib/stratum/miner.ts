// The bundled test miner (`npm run miner`): a real Stratum client that hashes on the CPU with
// the same PoW as the server (hashing.ts) and submits the shares that meet the difficulty the
// server set. It exists so a newcomer can watch a rig go from offline to verified, and so the
// tests drive the server over real TCP the way cgminer or cpuminer would.
import { randomBytes } from "node:crypto";
import { shareHeader, type JobTemplate } from "./block";
import { StratumClient } from "./client";
import { hashValue, hexBytes } from "./hashing";
import { expForDifficulty, shareTarget, type PowAlgorithm } from "./work";

export interface MinerJob extends JobTemplate {
  id: string;
}

export interface MinerOptions {
  port: number;
  host?: string;
  user: string;
  password: string;
  pow: PowAlgorithm;
  suggestDifficulty?: number;
  /** Stop after this many accepted shares. */
  maxShares?: number;
  log?: (line: string) => void;
}

export interface MinerStats {
  hashes: number;
  accepted: number;
  rejected: { code: number; message: string }[];
}

/** Parses mining.notify params into a job (the byte orders block.ts documents). */
export function parseNotify(params: unknown[]): { job: MinerJob; clean: boolean } | null {
  const [id, prevhash, coinb1, coinb2, branches, version, nbits, ntime, clean] = params;
  const prev = hexBytes(prevhash, 32);
  const v = hexBytes(version, 4);
  const b = hexBytes(nbits, 4);
  const t = hexBytes(ntime, 4);
  if (typeof id !== "string" || !prev || !v || !b || !t || typeof coinb1 !== "string" || typeof coinb2 !== "string")
    return null;
  if (!Array.isArray(branches)) return null;
  return {
    job: {
      id,
      prevhash: prev,
      coinb1: Buffer.from(coinb1, "hex"),
      coinb2: Buffer.from(coinb2, "hex"),
      branches: branches.map((x) => Buffer.from(String(x), "hex")),
      version: v.readUInt32BE(0),
      nbits: b.readUInt32BE(0),
      ntime: t.readUInt32BE(0),
    },
    clean: clean === true,
  };
}

export const hex32 = (value: number) => (value >>> 0).toString(16).padStart(8, "0");

/** Connects, subscribes, authorizes and mines until stopped (or maxShares). */
export async function runMiner(
  options: MinerOptions,
): Promise<{ stats: MinerStats; stop: () => void; done: Promise<MinerStats> }> {
  const log = options.log ?? (() => {});
  const client = await StratumClient.connect(options.port, options.host);
  const stats: MinerStats = { hashes: 0, accepted: 0, rejected: [] };
  let job: MinerJob | null = null;
  let exp: number | null = null;
  let stopped = false;
  let finish: (s: MinerStats) => void = () => {};
  const done = new Promise<MinerStats>((resolve) => (finish = resolve));
  const stop = () => {
    if (stopped) return;
    stopped = true;
    client.close();
    finish(stats);
  };
  client.onClose(stop);
  client.onNotification((n) => {
    if (n.method === "mining.set_difficulty" && typeof n.params[0] === "number") exp = expForDifficulty(n.params[0]);
    if (n.method === "mining.notify") job = parseNotify(n.params)?.job ?? job;
  });
  const subscribed = await client.request("mining.subscribe", ["hashlease-test-miner/1.0"]);
  if (subscribed.error) throw new Error(`subscribe refused: ${subscribed.error[1]}`);
  const [, extranonce1Hex, extranonce2Size] = subscribed.result as [unknown, string, number];
  const extranonce1 = Buffer.from(extranonce1Hex, "hex");
  if (options.suggestDifficulty) await client.request("mining.suggest_difficulty", [options.suggestDifficulty]);
  const authorized = await client.request("mining.authorize", [options.user, options.password]);
  if (authorized.result !== true) {
    client.close();
    throw new Error(`authorize refused: ${authorized.error?.[1] ?? "no reason"}`);
  }
  log(`[miner] authorized as ${options.user}, extranonce1 ${extranonce1Hex}`);

  let extranonce2 = randomBytes(extranonce2Size);
  let nonce = 0;
  let current: MinerJob | null = null;
  let submitted = 0;
  const pending = new Set<Promise<void>>();
  const submit = (id: string, en2: Buffer, ntime: number, found: number) => {
    submitted++;
    const p = client
      .request("mining.submit", [options.user, id, en2.toString("hex"), hex32(ntime), hex32(found)])
      .then((r) => {
        if (r.result === true) stats.accepted++;
        else if (r.error) stats.rejected.push({ code: r.error[0], message: r.error[1] });
      });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const loop = () => {
    if (stopped) return;
    if (options.maxShares && submitted >= options.maxShares) {
      // Every share sent: wait for the answers, then hang up.
      void Promise.all(pending).then(stop);
      return;
    }
    if (!job || exp === null) return void setTimeout(loop, 20);
    if (job !== current) {
      current = job;
      extranonce2 = randomBytes(extranonce2Size);
      nonce = 0;
    }
    const target = shareTarget(options.pow, exp);
    const ntime = current.ntime;
    const header = shareHeader(current, Buffer.concat([extranonce1, extranonce2]), ntime, 0);
    // About 20 ms of hashing, then yield to the event loop (notifications, responses).
    const sliceEnd = Date.now() + 20;
    while (Date.now() < sliceEnd && !(options.maxShares && submitted >= options.maxShares)) {
      for (let i = 0; i < 64; i++, nonce++) {
        header.writeUInt32LE(nonce >>> 0, 76);
        stats.hashes++;
        if (hashValue(options.pow.hash(header)) <= target) {
          submit(current.id, extranonce2, ntime, nonce);
          if (options.maxShares && submitted >= options.maxShares) break;
        }
      }
      if (nonce >= 0xffffffff) {
        extranonce2 = randomBytes(extranonce2Size);
        nonce = 0;
        break;
      }
    }
    setImmediate(loop);
  };
  loop();
  return { stats, stop, done };
}
