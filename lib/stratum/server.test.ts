// The Stratum server over real TCP against a real database: the bundled miner's shares are
// verified and credited exactly, every kind of bad share is refused with its standard code and
// counted by reason, wrong and foreign credentials are refused, reconnects get fresh work.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decimalToBigInt } from "../db/decimal";
import { Algorithm } from "../generated/prisma/enums";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { ensureLtc } from "../testing/fixtures";
import { addRig, createOperator } from "../testing/operator-fixtures";
import { rigLogin, startTestProxy, type TestProxy } from "../testing/stratum";
import { shareHeader } from "./block";
import { StratumClient } from "./client";
import { issueRigCredentials, type IssuedCredentials } from "./credentials";
import { hashValue } from "./hashing";
import type { PoolJobSource } from "./jobs";
import { hex32, parseNotify, runMiner, type MinerJob } from "./miner";
import type { StratumServer } from "./server";
import { expForDifficulty, powAlgorithm, shareTarget, shareWork } from "./work";

const sha = powAlgorithm(Algorithm.SHA256)!;
const scrypt = powAlgorithm(Algorithm.SCRYPT)!;
const SHA_EXP = -22; // ~1,024 hashes per share
const SCRYPT_EXP = -14; // 4 scrypt hashes per share

let t: TestDatabase;
let proxy: TestProxy;
let source: PoolJobSource;
let server: StratumServer;
let shaRig: string;
let scryptRig: string;
let foreignRig: string;
const creds = new Map<string, IssuedCredentials>();

beforeAll(async () => {
  t = await createTestDatabase();
  await ensureLtc(t.prisma);
  const a = await createOperator(t.prisma);
  const b = await createOperator(t.prisma, "Other Hall");
  shaRig = await addRig(t.prisma, a.facilityId, { th: 100 });
  scryptRig = await addRig(t.prisma, a.facilityId, { th: 1, algorithm: "SCRYPT" });
  foreignRig = await addRig(t.prisma, b.facilityId, { th: 100 });
  for (const rigId of [shaRig, scryptRig, foreignRig]) creds.set(rigId, await rigLogin(t.prisma, rigId));
  proxy = await startTestProxy(t.prisma, {
    coins: ["BTC", "LTC"],
    initialExp: { SHA256: SHA_EXP, SCRYPT: SCRYPT_EXP },
  });
  ({ source, server } = proxy);
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await t?.drop();
});

interface Session {
  client: StratumClient;
  extranonce1: Buffer;
  extranonce2Size: number;
  job(): MinerJob;
  exp(): number;
  notifications: string[];
}

async function session(user?: string, password?: string): Promise<Session> {
  const client = await StratumClient.connect(server.port);
  let job: MinerJob | null = null;
  let exp: number | null = null;
  const notifications: string[] = [];
  client.onNotification((n) => {
    notifications.push(n.method);
    if (n.method === "mining.notify") job = parseNotify(n.params)!.job;
    if (n.method === "mining.set_difficulty") exp = expForDifficulty(n.params[0] as number);
  });
  const sub = await client.request("mining.subscribe", ["test/1.0"]);
  const [, en1, size] = sub.result as [unknown, string, number];
  if (user) expect((await client.request("mining.authorize", [user, password])).result).toBe(true);
  await until(() => !user || (job !== null && exp !== null));
  return {
    client,
    extranonce1: Buffer.from(en1, "hex"),
    extranonce2Size: size,
    job: () => job!,
    exp: () => exp!,
    notifications,
  };
}

async function until(condition: () => boolean, ms = 5_000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A nonce whose header meets (or, with `meets` false, misses) the target. */
function findNonce(s: Session, pow = sha, extranonce2: Buffer, meets = true, ntime = s.job().ntime): number {
  const target = shareTarget(pow, s.exp());
  const extranonce = Buffer.concat([s.extranonce1, extranonce2]);
  for (let nonce = 0; ; nonce++) {
    const ok = hashValue(pow.hash(shareHeader(s.job(), extranonce, ntime, nonce))) <= target;
    if (ok === meets) return nonce;
  }
}

function submit(
  s: Session,
  user: string,
  params: { job?: string; en2: Buffer; ntime?: number; nonce: number; version?: string },
) {
  const extra = params.version === undefined ? [] : [params.version];
  return s.client.request("mining.submit", [
    user,
    params.job ?? s.job().id,
    params.en2.toString("hex"),
    hex32(params.ntime ?? s.job().ntime),
    hex32(params.nonce),
    ...extra,
  ]);
}

async function shareDay(rigId: string) {
  await server.ledger.flush();
  return t.prisma.rigShareDay.findFirst({ where: { rigId } });
}

describe("the bundled miner", () => {
  it("mines SHA-256 shares the server verifies and credits exactly (difficulty x 2^32 each)", async () => {
    const c = creds.get(shaRig)!;
    const before = (await shareDay(shaRig))?.acceptedWork ?? 0;
    const miner = await runMiner({ port: server.port, user: c.workerName, password: c.secret, pow: sha, maxShares: 5 });
    const stats = await miner.done;
    expect(stats.accepted).toBe(5);
    expect(stats.rejected).toEqual([]);
    const day = (await shareDay(shaRig))!;
    expect(day.acceptedShares).toBe(5);
    expect(decimalToBigInt(day.acceptedWork) - BigInt(before.toString())).toBe(
      BigInt(stats.accepted) * shareWork(sha, SHA_EXP),
    );
    const minutes = await t.prisma.rigShareMinute.findMany({ where: { rigId: shaRig } });
    expect(minutes.reduce((s, m) => s + decimalToBigInt(m.acceptedWork), 0n)).toBe(decimalToBigInt(day.acceptedWork));
    expect(day.lastShareAt).not.toBeNull();
  });

  it("mines scrypt shares (2^16 hashes of work per difficulty-1 share)", async () => {
    const c = creds.get(scryptRig)!;
    const miner = await runMiner({
      port: server.port,
      user: c.workerName,
      password: c.secret,
      pow: scrypt,
      maxShares: 3,
    });
    const stats = await miner.done;
    expect(stats.rejected).toEqual([]);
    expect(stats.accepted).toBe(3);
    const day = (await shareDay(scryptRig))!;
    expect(decimalToBigInt(day.acceptedWork)).toBe(BigInt(stats.accepted) * shareWork(scrypt, SCRYPT_EXP));
    expect(shareWork(scrypt, SCRYPT_EXP)).toBe(4n);
  });
});

describe("bad shares are refused with the standard codes and counted by reason", () => {
  it("valid, duplicate, low difficulty, stale job, unknown job, ntime, malformed, version bits", async () => {
    const c = creds.get(shaRig)!;
    const s = await session(c.workerName, c.secret);
    const before = (await shareDay(shaRig))!;
    const en2 = Buffer.alloc(s.extranonce2Size, 7);
    const nonce = findNonce(s, sha, en2);
    expect(await submit(s, c.workerName, { en2, nonce })).toMatchObject({ result: true, error: null });
    expect((await submit(s, c.workerName, { en2, nonce })).error).toEqual([22, "Duplicate share", null]);
    const low = findNonce(s, sha, en2, false);
    expect((await submit(s, c.workerName, { en2, nonce: low })).error).toEqual([23, "Low difficulty share", null]);
    expect((await submit(s, c.workerName, { en2, nonce, job: "ffffff" })).error).toEqual([21, "Job not found", null]);
    expect((await submit(s, c.workerName, { en2, nonce, ntime: s.job().ntime - 1 })).error).toEqual([
      20,
      "ntime out of range",
      null,
    ]);
    expect((await submit(s, c.workerName, { en2, nonce, ntime: s.job().ntime + 7201 })).error).toEqual([
      20,
      "ntime out of range",
      null,
    ]);
    expect((await submit(s, c.workerName, { en2: Buffer.alloc(2), nonce })).error).toEqual([
      20,
      "Malformed share",
      null,
    ]);
    // No mining.configure on this connection: no version bit may roll.
    expect((await submit(s, c.workerName, { en2, nonce, version: "00002000" })).error).toEqual([
      20,
      "Version bits outside the negotiated mask",
      null,
    ]);
    // A new round (new previous block): the old job is stale, the new one arrives with clean_jobs.
    const old = s.job().id;
    const oldNonce = findNonce(s, sha, Buffer.alloc(s.extranonce2Size, 8));
    source.newJob("BTC", true);
    await until(() => s.job().id !== old);
    expect(
      (await submit(s, c.workerName, { job: old, en2: Buffer.alloc(s.extranonce2Size, 8), nonce: oldNonce })).error,
    ).toEqual([21, "Stale job", null]);
    // Unknown worker on this connection, and shares before subscribing.
    expect((await submit(s, "someone-else", { en2, nonce })).error).toEqual([24, "Unauthorized worker", null]);
    const fresh = await StratumClient.connect(server.port);
    expect(
      (await fresh.request("mining.submit", [c.workerName, "1", "00000000", "00000000", "00000000"])).error,
    ).toEqual([25, "Not subscribed", null]);
    fresh.close();
    const after = (await shareDay(shaRig))!;
    expect({
      accepted: after.acceptedShares - before.acceptedShares,
      duplicate: after.rejectedDuplicate - before.rejectedDuplicate,
      low: after.rejectedLowDifficulty - before.rejectedLowDifficulty,
      stale: after.rejectedStale - before.rejectedStale,
      invalid: after.rejectedInvalid - before.rejectedInvalid,
    }).toEqual({ accepted: 1, duplicate: 1, low: 1, stale: 2, invalid: 4 });
    s.client.close();
  });

  it("rolls version bits inside the mask negotiated with mining.configure (BIP310)", async () => {
    const c = creds.get(shaRig)!;
    const client = await StratumClient.connect(server.port);
    const configured = await client.request("mining.configure", [
      ["version-rolling"],
      { "version-rolling.mask": "ffffffff" },
    ]);
    expect(configured.result).toEqual({ "version-rolling": true, "version-rolling.mask": "1fffe000" });
    client.close();
    const s = await session();
    await s.client.request("mining.configure", [["version-rolling"], { "version-rolling.mask": "1fffe000" }]);
    expect((await s.client.request("mining.authorize", [c.workerName, c.secret])).result).toBe(true);
    await until(() => s.notifications.includes("mining.notify"));
    const en2 = Buffer.alloc(s.extranonce2Size, 9);
    const bits = 0x00ffe000;
    const version = (s.job().version | bits) >>> 0;
    const target = shareTarget(sha, s.exp());
    let nonce = 0;
    while (
      hashValue(sha.hash(shareHeader(s.job(), Buffer.concat([s.extranonce1, en2]), s.job().ntime, nonce, version))) >
      target
    )
      nonce++;
    expect((await submit(s, c.workerName, { en2, nonce, version: hex32(bits) })).result).toBe(true);
    // The same nonce without the rolled bits is another header: the server must hash the
    // unrolled version (a share only if that header happens to meet the target too).
    const plain =
      hashValue(sha.hash(shareHeader(s.job(), Buffer.concat([s.extranonce1, en2]), s.job().ntime, nonce))) <= target;
    const unrolled = await submit(s, c.workerName, { en2, nonce, version: "00000000" });
    expect(unrolled.error).toEqual(plain ? null : [23, "Low difficulty share", null]);
    s.client.close();
  });
});

describe("credentials", () => {
  it("refuses a wrong secret, another operator's rig with our secret, and unknown workers", async () => {
    const ours = creds.get(shaRig)!;
    const theirs = creds.get(foreignRig)!;
    const s = await session();
    for (const [user, password] of [
      [ours.workerName, "wrong"],
      [theirs.workerName, ours.secret],
      ["hl-000000000000", ours.secret],
    ]) {
      const r = await s.client.request("mining.authorize", [user, password]);
      expect(r.result).toBe(false);
      expect(r.error).toEqual([24, "Unauthorized worker", null]);
    }
    expect(s.notifications).toEqual([]);
    s.client.close();
  });

  it("rotation stops the old secret and keeps the worker name; the rotation is audited", async () => {
    const first = creds.get(foreignRig)!;
    const rotated = (await issueRigCredentials(t.prisma, {
      rigId: foreignRig,
      operatorId: null,
      actorId: null,
      via: "cli",
    }))!;
    expect(rotated).toMatchObject({ workerName: first.workerName, rotated: true });
    expect(rotated.secret).not.toBe(first.secret);
    const s = await session();
    expect((await s.client.request("mining.authorize", [first.workerName, first.secret])).result).toBe(false);
    expect((await s.client.request("mining.authorize", [rotated.workerName, rotated.secret])).result).toBe(true);
    s.client.close();
    const audit = await t.prisma.auditLog.findMany({ where: { entityId: foreignRig }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["stratum.credentials_issued", "stratum.credentials_rotated"]);
    expect(JSON.stringify(audit, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(
      rotated.secret,
    );
    const stored = await t.prisma.rigStratumCredential.findUniqueOrThrow({ where: { rigId: foreignRig } });
    expect(stored.secretSha256).not.toContain(rotated.secret);
    creds.set(foreignRig, rotated);
  });

  it("an operator cannot issue credentials for another operator's rig", async () => {
    const rig = await t.prisma.rig.findUniqueOrThrow({
      where: { id: shaRig },
      select: { facility: { select: { operatorId: true } } },
    });
    const other = await t.prisma.rig.findUniqueOrThrow({
      where: { id: foreignRig },
      select: { facility: { select: { operatorId: true } } },
    });
    expect(
      await issueRigCredentials(t.prisma, {
        rigId: foreignRig,
        operatorId: rig.facility.operatorId,
        actorId: rig.facility.operatorId,
        via: "operator_ui",
      }),
    ).toBeNull();
    expect(other.facility.operatorId).not.toBe(rig.facility.operatorId);
  });
});

describe("connections", () => {
  it("each connection gets its own extranonce1 with the instance prefix; a reconnect gets fresh work", async () => {
    const c = creds.get(shaRig)!;
    const a = await session(c.workerName, c.secret);
    const b = await session(c.workerName, c.secret);
    expect(a.extranonce1.equals(b.extranonce1)).toBe(false);
    expect(a.extranonce1.readUInt16BE(0)).toBe(server.instanceId & 0xffff);
    expect(a.extranonce2Size).toBe(4);
    a.client.close();
    const again = await session(c.workerName, c.secret);
    const en2 = Buffer.alloc(again.extranonce2Size, 1);
    expect((await submit(again, c.workerName, { en2, nonce: findNonce(again, sha, en2) })).result).toBe(true);
    again.client.close();
    b.client.close();
  });

  it("garbage lines get an error, an endless line drops the peer", async () => {
    const client = await StratumClient.connect(server.port);
    const unknown = await client.request("mining.nonsense", []);
    expect(unknown.error).toEqual([20, "Unknown method mining.nonsense", null]);
    const closed = new Promise<void>((resolve) => client.onClose(resolve));
    client.sendRaw("x".repeat(20_000));
    await closed;
  });
});
