// Vardiff and many instances over real TCP: a connection sending shares far faster than the
// target gets a higher (power-of-two) difficulty for its next job and its shares are credited
// at the difficulty each job was sent with; a silent one gets a lower one; two proxy processes
// on one database hand out extranonce1 values with different instance prefixes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decimalToBigInt } from "../db/decimal";
import { Algorithm } from "../generated/prisma/enums";
import { loggedInRig, startTestProxy } from "../testing/stratum";
import { withTestDatabase } from "../testing/test-database";
import { StratumClient } from "./client";
import type { IssuedCredentials } from "./credentials";
import { PoolJobSource } from "./jobs";
import { runMiner } from "./miner";
import { startStratumServer, type StratumServer } from "./server";
import { expForDifficulty, powAlgorithm, shareWork } from "./work";

const sha = powAlgorithm(Algorithm.SHA256)!;
const t = withTestDatabase();
let source: PoolJobSource;
let server: StratumServer;
let rigId: string;
let login: IssuedCredentials;

beforeAll(async () => {
  ({ rigId, login } = await loggedInRig(t.prisma));
  source = new PoolJobSource(t.prisma, ["BTC"], { jobMs: 3_600_000, roundMs: 3_600_000 });
  await source.start();
  server = await startStratumServer({
    prisma: t.prisma,
    jobs: source,
    host: "127.0.0.1",
    vardiff: { targetShareSeconds: 1, retargetSeconds: 2 },
    flushMs: 3_600_000,
    initialExp: { SHA256: -28 },
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  source?.stop();
});

describe("vardiff", () => {
  it("raises the difficulty of a connection that shares too fast; every share is credited at its job's difficulty", async () => {
    const difficulties: number[] = [];
    const miner = await runMiner({ port: server.port, user: login.workerName, password: login.secret, pow: sha });
    // The miner's own client is internal; watch through a second connection's view instead:
    // the server's credited work tells which difficulty each share was verified at.
    const watcher = await StratumClient.connect(server.port);
    watcher.onNotification((n) => {
      if (n.method === "mining.set_difficulty") difficulties.push(n.params[0] as number);
    });
    await watcher.request("mining.subscribe", ["watch"]);
    await watcher.request("mining.authorize", [login.workerName, login.secret]);
    await new Promise((r) => setTimeout(r, 4_500));
    miner.stop();
    const stats = await miner.done;
    watcher.close();
    await server.ledger.flush();
    const day = await t.prisma.rigShareDay.findFirstOrThrow({ where: { rigId } });
    // 2^-28 is ~16 hashes a share: thousands of shares a second against a 1 s target.
    expect(stats.accepted).toBeGreaterThan(10);
    const work = decimalToBigInt(day.acceptedWork);
    const atStart = BigInt(day.acceptedShares) * shareWork(sha, -28);
    expect(work > atStart).toBe(true); // later shares were verified (and credited) at higher difficulties
    expect(work % shareWork(sha, -28)).toBe(0n); // powers of two: every credit a whole multiple
    // The watcher sent no shares: its difficulty only went down from the start.
    expect(difficulties[0]).toBe(2 ** -28);
    for (const d of difficulties) expect(Number.isInteger(Math.log2(d))).toBe(true);
    expect(Math.min(...difficulties)).toBeLessThan(2 ** -28);
    expect(expForDifficulty(Math.min(...difficulties))).toBeGreaterThanOrEqual(sha.minExp);
  }, 30_000);
});

describe("many instances on one database", () => {
  it("each process gets its own instance id, the prefix of every extranonce1 it hands out", async () => {
    const second = await startTestProxy(t.prisma, { coins: ["BTC"], initialExp: { SHA256: -20 } });
    try {
      expect(second.server.instanceId).not.toBe(server.instanceId);
      const a = await StratumClient.connect(server.port);
      const b = await StratumClient.connect(second.server.port);
      const [, en1a] = (await a.request("mining.subscribe", [])).result as [unknown, string];
      const [, en1b] = (await b.request("mining.subscribe", [])).result as [unknown, string];
      expect(Buffer.from(en1a, "hex").readUInt16BE(0)).toBe(server.instanceId & 0xffff);
      expect(Buffer.from(en1b, "hex").readUInt16BE(0)).toBe(second.server.instanceId & 0xffff);
      a.close();
      b.close();
    } finally {
      await second.stop();
    }
    const rows = await t.prisma.stratumInstance.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.id, r.stoppedAt === null])).toEqual([
      [server.instanceId, true],
      [second.server.instanceId, false],
    ]);
  });
});
