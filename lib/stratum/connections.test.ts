// 1,000 concurrent connections against one Stratum server over loopback TCP: each subscribes
// and authorizes, every one gets its difficulty and a job, a sample submits a valid share each
// and is credited, and once all hang up the server holds no connection. Needs ~2,000 file
// descriptors in this process (both ends of every socket live here).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Algorithm } from "../generated/prisma/enums";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { addRig, createOperator } from "../testing/operator-fixtures";
import { rigLogin, startTestProxy, type TestProxy } from "../testing/stratum";
import { shareHeader } from "./block";
import { StratumClient } from "./client";
import type { IssuedCredentials } from "./credentials";
import { hashValue } from "./hashing";
import { hex32, parseNotify, type MinerJob } from "./miner";
import type { StratumServer } from "./server";
import { expForDifficulty, powAlgorithm, shareTarget, shareWork } from "./work";

const CONNECTIONS = 1_000;
const SUBMITTING = 50;
/** Both ends of every connection, plus what the runner and the database hold. */
const FDS_NEEDED = 2 * CONNECTIONS + 256;
const sha = powAlgorithm(Algorithm.SHA256)!;

/** The soft limit on open files (Linux /proc), or null where it cannot be read. */
function openFileLimit(): number | null {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined ? null : soft === "unlimited" ? Infinity : Number(soft);
  } catch {
    return null;
  }
}

const limit = openFileLimit();
const tooFewFds = limit !== null && limit < FDS_NEEDED;

let t: TestDatabase;
let proxy: TestProxy;
let server: StratumServer;
let rigId: string;
let cred: IssuedCredentials;

interface Held {
  client: StratumClient;
  extranonce1: Buffer;
  job: MinerJob | null;
  exp: number | null;
}

describe.skipIf(tooFewFds)(
  tooFewFds
    ? `skipped: ${CONNECTIONS} connections need ~${FDS_NEEDED} open files and ulimit -n is ${limit}`
    : `${CONNECTIONS} concurrent connections`,
  () => {
    beforeAll(async () => {
      t = await createTestDatabase();
      const operator = await createOperator(t.prisma);
      rigId = await addRig(t.prisma, operator.facilityId, { th: 100 });
      cred = await rigLogin(t.prisma, rigId);
      // The lowest difficulty: almost every header is a share, so finding one is instant.
      proxy = await startTestProxy(t.prisma, { coins: ["BTC"], initialExp: { SHA256: sha.minExp } });
      server = proxy.server;
    }, 60_000);

    afterAll(async () => {
      await proxy?.stop();
      await t?.drop();
    });

    it("all subscribe, authorize and get work; a sample is credited; all close cleanly", async () => {
      const held: Held[] = [];
      // At most 100 connecting at once: the listen backlog is finite and a dropped SYN waits 1 s.
      for (let i = 0; i < CONNECTIONS; i += 100) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(100, CONNECTIONS - i) }, () => StratumClient.connect(server.port)),
        );
        for (const client of batch) {
          const h: Held = { client, extranonce1: Buffer.alloc(0), job: null, exp: null };
          client.onNotification((n) => {
            if (n.method === "mining.notify") h.job = parseNotify(n.params)?.job ?? h.job;
            if (n.method === "mining.set_difficulty") h.exp = expForDifficulty(n.params[0] as number);
          });
          held.push(h);
        }
      }
      await until(() => server.connections() === CONNECTIONS);

      const answers = await Promise.all(
        held.map(async (h) => {
          const sub = await h.client.request("mining.subscribe", ["connections-test/1.0"]);
          h.extranonce1 = Buffer.from((sub.result as [unknown, string, number])[1], "hex");
          return (await h.client.request("mining.authorize", [cred.workerName, cred.secret])).result;
        }),
      );
      expect(answers.filter((a) => a === true)).toHaveLength(CONNECTIONS);
      await until(() => held.every((h) => h.job !== null && h.exp !== null));
      expect(new Set(held.map((h) => h.exp))).toEqual(new Set([sha.minExp]));
      expect(new Set(held.map((h) => h.extranonce1.toString("hex"))).size).toBe(CONNECTIONS);

      const acceptedBefore = server.ledger.accepted;
      const sample = held.filter((_, i) => i % (CONNECTIONS / SUBMITTING) === 0);
      const results = await Promise.all(
        sample.map((h) => {
          const job = h.job!;
          const en2 = Buffer.alloc(4, 1);
          const extranonce = Buffer.concat([h.extranonce1, en2]);
          const target = shareTarget(sha, h.exp!);
          let nonce = 0;
          while (hashValue(sha.hash(shareHeader(job, extranonce, job.ntime, nonce))) > target) nonce++;
          return h.client.request("mining.submit", [
            cred.workerName,
            job.id,
            en2.toString("hex"),
            hex32(job.ntime),
            hex32(nonce),
          ]);
        }),
      );
      expect(results.map((r) => r.error)).toEqual(sample.map(() => null));
      expect(results.every((r) => r.result === true)).toBe(true);
      expect(server.ledger.accepted - acceptedBefore).toBe(SUBMITTING);
      await server.ledger.flush();
      const day = await t.prisma.rigShareDay.findFirstOrThrow({ where: { rigId } });
      expect(day.acceptedShares).toBe(SUBMITTING);
      expect(BigInt(day.acceptedWork.toString())).toBe(BigInt(SUBMITTING) * shareWork(sha, sha.minExp));

      for (const h of held) h.client.close();
      await until(() => held.every((h) => h.client.closed) && server.connections() === 0);
      expect(server.connections()).toBe(0);
    }, 60_000);
  },
);

async function until(condition: () => boolean, ms = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}
