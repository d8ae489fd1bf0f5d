// Upstream mode over real TCP against a real database. The "public pool" is a second Hashlease
// Stratum server in pool mode on 127.0.0.1 (a stand-in: no public pool is reachable from this
// machine), with its own rig login as the pool account and a 12-byte extranonce2, so the proxy's
// padding is exercised. The pool verifies every forwarded share again with its own coinbase:
// its accepted count equals the proxy's upstream_accepted only if the extranonce layout is right.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../db/client";
import { Algorithm } from "../generated/prisma/enums";
import { parseKeyRing } from "../secrets/key-ring";
import { keyB64 } from "../secrets/test-helpers";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { addRig, createOperator } from "../testing/operator-fixtures";
import { rigLogin, startTestProxy, type TestProxy } from "../testing/stratum";
import type { IssuedCredentials } from "./credentials";
import { PoolJobSource } from "./jobs";
import { runMiner } from "./miner";
import { startStratumServer, type StratumServer } from "./server";
import { JobRouter, parseUpstreamUrl } from "./upstream";
import { facilityUpstreams, removeFacilityUpstream, setFacilityUpstream } from "./upstream-config";
import { difficultyNumber, powAlgorithm, shareTarget, shareWork, targetForDifficulty } from "./work";

const sha = powAlgorithm(Algorithm.SHA256)!;
const MINER_EXP = -22; // the proxy's miners: ~1,024 hashes per share
const POOL_EXP = -20; // the pool's difficulty: about one proxy share in four meets it
const NEVER = 3_600_000;
const ring = parseKeyRing(`k1:${keyB64()}`);

let t: TestDatabase;
let prisma: PrismaClient;
let pool: TestProxy;
let poolPort: number;
let source: PoolJobSource;
let router: JobRouter;
let proxy: StratumServer;
let operator: { operatorId: string; facilityId: string };
let upstreamRig: string;
let poolModeRig: string;
let poolAccountRig: string;
const logins = new Map<string, IssuedCredentials>();

async function until(condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function shareDay(rigId: string) {
  const [row] = await prisma.$queryRaw<
    { accepted: number; work: string; upstream_accepted: number; upstream_rejected: number }[]
  >`SELECT coalesce(sum(accepted_shares), 0)::int AS accepted, coalesce(sum(accepted_work), 0)::text AS work,
           coalesce(sum(upstream_accepted), 0)::int AS upstream_accepted,
           coalesce(sum(upstream_rejected), 0)::int AS upstream_rejected
      FROM rig_share_days WHERE rig_id = ${rigId}::uuid`;
  return row!;
}

async function mine(rigId: string, shares: number) {
  const login = logins.get(rigId)!;
  const miner = await runMiner({
    port: proxy.port,
    user: login.workerName,
    password: login.secret,
    pow: sha,
    maxShares: shares,
  });
  const stats = await miner.done;
  // Upstream answers arrive after the miner's own; wait until every forwarded share has one.
  await new Promise((r) => setTimeout(r, 200));
  await proxy.ledger.flush();
  await pool.server.ledger.flush();
  return stats;
}

beforeAll(async () => {
  t = await createTestDatabase();
  prisma = t.prisma;
  operator = await createOperator(prisma);
  const other = await createOperator(prisma, "Solo Hall");
  const poolOperator = await createOperator(prisma, "Pool Co");
  upstreamRig = await addRig(prisma, operator.facilityId, { th: 100 });
  poolModeRig = await addRig(prisma, other.facilityId, { th: 100 });
  poolAccountRig = await addRig(prisma, poolOperator.facilityId, { th: 100 });
  for (const rigId of [upstreamRig, poolModeRig, poolAccountRig]) logins.set(rigId, await rigLogin(prisma, rigId));

  pool = await startTestProxy(prisma, { coins: ["BTC"], initialExp: { SHA256: POOL_EXP }, extranonceBytes: 16 });
  poolPort = pool.server.port;
  const account = logins.get(poolAccountRig)!;
  const set = await setFacilityUpstream(prisma, {
    operatorId: operator.operatorId,
    facilityId: operator.facilityId,
    input: {
      coin: "BTC",
      url: `stratum+tcp://127.0.0.1:${poolPort}`,
      username: account.workerName,
      password: account.secret,
    },
    ring,
  });
  expect(set).toMatchObject({ ok: true, created: true });

  source = new PoolJobSource(prisma, ["BTC"], { jobMs: NEVER, roundMs: NEVER });
  await source.start();
  router = new JobRouter(prisma, source, { keyRing: async () => ring, reconnectMs: 50, maxReconnectMs: 200 });
  proxy = await startStratumServer({
    prisma,
    jobs: router,
    host: "127.0.0.1",
    vardiff: false,
    flushMs: NEVER,
    heartbeatMs: NEVER,
    initialExp: { SHA256: MINER_EXP },
  });
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  router?.stop();
  await pool?.stop();
  await t?.drop();
});

describe("upstream mode", () => {
  it("verifies and credits every share itself, forwards those at the pool's difficulty, and the pool accepts each", async () => {
    const stats = await mine(upstreamRig, 48);
    expect(stats.accepted).toBe(48);
    expect(stats.rejected).toEqual([]);
    const day = await shareDay(upstreamRig);
    // Credited from the proxy's own verification, at the miner's difficulty.
    expect(day.accepted).toBe(48);
    expect(BigInt(day.work)).toBe(48n * shareWork(sha, MINER_EXP));
    // About a quarter met the pool's difficulty; the pool re-verified each with its coinbase.
    expect(day.upstream_accepted).toBeGreaterThan(0);
    expect(day.upstream_accepted).toBeLessThan(48);
    expect(day.upstream_rejected).toBe(0);
    const atPool = await shareDay(poolAccountRig);
    expect(atPool.accepted).toBe(day.upstream_accepted);
    expect(BigInt(atPool.work)).toBe(BigInt(day.upstream_accepted) * shareWork(sha, POOL_EXP));
    expect(router.sessions().map((s) => [s.state, s.accepted, s.rejected])).toEqual([
      ["ready", day.upstream_accepted, 0],
    ]);
  }, 60_000);

  it("a facility without an upstream mines in pool mode on the same proxy: nothing is forwarded", async () => {
    const stats = await mine(poolModeRig, 12);
    expect(stats.accepted).toBe(12);
    const day = await shareDay(poolModeRig);
    expect(day).toMatchObject({ accepted: 12, upstream_accepted: 0, upstream_rejected: 0 });
    expect(router.sessions()).toHaveLength(1);
  }, 60_000);

  it("reconnects when the pool goes away and comes back, with clean jobs from the new session", async () => {
    const before = await shareDay(upstreamRig);
    const beforeAtPool = await shareDay(poolAccountRig);
    const session = router.sessions()[0]!;
    await pool.stop();
    await until(() => session.state !== "ready");
    pool = await startTestProxy(prisma, {
      coins: ["BTC"],
      initialExp: { SHA256: POOL_EXP },
      extranonceBytes: 16,
      port: poolPort,
    });
    await until(() => session.state === "ready" && session.current() !== null);
    const stats = await mine(upstreamRig, 24);
    expect(stats.accepted).toBe(24);
    const after = await shareDay(upstreamRig);
    const afterAtPool = await shareDay(poolAccountRig);
    expect(after.accepted - before.accepted).toBe(24);
    expect(after.upstream_accepted - before.upstream_accepted).toBe(afterAtPool.accepted - beforeAtPool.accepted);
    expect(after.upstream_rejected).toBe(0);
  }, 60_000);

  it("a pool that leaves the miners too little extranonce is refused and says why", async () => {
    const narrow = await startTestProxy(prisma, { coins: ["BTC"], initialExp: { SHA256: POOL_EXP } });
    const account = logins.get(poolAccountRig)!;
    const solo = await createOperator(prisma, "Narrow Hall");
    const rigId = await addRig(prisma, solo.facilityId, { th: 100 });
    logins.set(rigId, await rigLogin(prisma, rigId));
    await setFacilityUpstream(prisma, {
      operatorId: solo.operatorId,
      facilityId: solo.facilityId,
      input: {
        coin: "BTC",
        url: `stratum+tcp://127.0.0.1:${narrow.server.port}`,
        username: account.workerName,
        password: "x",
      },
      ring,
    });
    const feed = await router.acquire({ rigId, facilityId: solo.facilityId, algorithm: "SHA256", coin: "BTC" });
    const session = router.sessions().find((s) => s.feed === feed)!;
    await until(() => session.state === "refused");
    expect(session.lastError).toMatch(/extranonce2_size 4; the proxy needs 8 or more/);
    router.release(feed);
    await narrow.stop();
  }, 30_000);
});

describe("facility upstream settings", () => {
  it("stores the password encrypted, keeps it when left empty, audits without it, and only for the owner", async () => {
    const view = await facilityUpstreams(prisma, operator.operatorId, operator.facilityId);
    expect(view).toEqual([expect.objectContaining({ coin: "BTC", url: `stratum+tcp://127.0.0.1:${poolPort}` })]);
    expect(JSON.stringify(view)).not.toContain(logins.get(poolAccountRig)!.secret);
    const row = await prisma.facilityUpstream.findFirstOrThrow({ where: { facilityId: operator.facilityId } });
    expect(row.passwordEnc).not.toContain(logins.get(poolAccountRig)!.secret);

    const keep = await setFacilityUpstream(prisma, {
      operatorId: operator.operatorId,
      facilityId: operator.facilityId,
      input: { coin: "BTC", url: row.url, username: "renamed.worker", password: "" },
      ring,
    });
    expect(keep).toMatchObject({ ok: true, created: false });
    const kept = await prisma.facilityUpstream.findFirstOrThrow({ where: { facilityId: operator.facilityId } });
    expect([kept.username, kept.passwordEnc]).toEqual(["renamed.worker", row.passwordEnc]);

    const stranger = await createOperator(prisma, "Stranger Hall");
    expect(await facilityUpstreams(prisma, stranger.operatorId, operator.facilityId)).toBeNull();
    const foreign = await removeFacilityUpstream(prisma, {
      operatorId: stranger.operatorId,
      facilityId: operator.facilityId,
      coin: "BTC",
    });
    expect(foreign).toMatchObject({ ok: false, code: "NOT_FOUND" });

    const audit = await prisma.auditLog.findMany({
      where: { entityId: operator.facilityId, action: { startsWith: "facility.upstream" } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["facility.upstream_set", "facility.upstream_updated"]);
    expect(JSON.stringify(audit.map((a) => a.details))).not.toContain(logins.get(poolAccountRig)!.secret);

    const removed = await removeFacilityUpstream(prisma, {
      operatorId: operator.operatorId,
      facilityId: operator.facilityId,
      coin: "BTC",
    });
    expect(removed).toEqual({ ok: true, coin: "BTC" });
    expect(await facilityUpstreams(prisma, operator.operatorId, operator.facilityId)).toEqual([]);
  });

  it("refuses a coin whose shares cannot be verified and a first save without a password", async () => {
    const input = { coin: "XMR" as const, url: "stratum+tcp://127.0.0.1:3333", username: "acct", password: "x" };
    const xmr = await setFacilityUpstream(prisma, { ...operator, input, ring });
    expect(xmr).toMatchObject({ ok: false, code: "INVALID", fieldErrors: { coin: expect.any(String) } });
    const empty = await setFacilityUpstream(prisma, {
      ...operator,
      input: { ...input, coin: "BTC", password: "" },
      ring,
    });
    expect(empty).toMatchObject({ ok: false, code: "INVALID", fieldErrors: { password: expect.any(String) } });
  });
});

describe("pool addresses and difficulties", () => {
  it("parses stratum+tcp://host:port only", () => {
    expect(parseUpstreamUrl("stratum+tcp://pool.example.com:3333")).toEqual({ host: "pool.example.com", port: 3333 });
    for (const bad of [
      "stratum+ssl://a:1",
      "stratum+tcp://a",
      "stratum+tcp://a:0",
      "stratum+tcp://a:70000",
      "http://a:1",
    ])
      expect(parseUpstreamUrl(bad)).toBeNull();
  });

  it("turns any positive pool difficulty into its share target", () => {
    for (const exp of [-20, 0, 1, 16, 40])
      expect(targetForDifficulty(sha, difficultyNumber(exp))).toBe(shareTarget(sha, exp));
    expect(targetForDifficulty(sha, 1.5)).toBe((sha.diff1Target * 2n) / 3n);
    expect(targetForDifficulty(sha, 65_536.75)).toBe((sha.diff1Target * 4n) / 262_147n);
    expect(targetForDifficulty(sha, 3e12)).toBe(sha.diff1Target / 3_000_000_000_000n);
    expect(() => targetForDifficulty(sha, 0)).toThrow();
  });
});
