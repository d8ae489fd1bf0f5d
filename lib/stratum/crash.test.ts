// What a crash of a Stratum process costs the accounting (accounting.ts's claim): a SIGKILLed
// server loses at most its unflushed counters, only ever in the rig's disfavour (never work
// credited that no accepted share stands for), and a restarted one carries on with a new
// instance id (a fresh extranonce1 prefix) while the rows already written stay exact.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect } from "vitest";
import { Algorithm } from "../generated/prisma/enums";
import { itOnServer } from "../testing/server-only";
import { loggedInRig } from "../testing/stratum";
import { withTestDatabase } from "../testing/test-database";
import type { IssuedCredentials } from "./credentials";
import { runMiner } from "./miner";
import { powAlgorithm, shareWork } from "./work";

const sha = powAlgorithm(Algorithm.SHA256)!;
const EXP = -22;
const CHILD = path.join(__dirname, "crash-child.ts");
const REASON = "a second process on the test database";

const t = withTestDatabase();
let rigId: string;
let login: IssuedCredentials;

beforeAll(async () => {
  ({ rigId, login } = await loggedInRig(t.prisma));
}, 60_000);

function startServer(): Promise<{ child: ChildProcess; port: number; instanceId: number }> {
  const child = fork(CHILD, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, DATABASE_URL: t.url, CRASH_EXP: String(EXP), FLUSH_MS: "200" },
  });
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve({ child, ...(m as { port: number; instanceId: number }) }));
    child.once("exit", (code) => reject(new Error(`the server exited early (${code})`)));
  });
}

async function credited(): Promise<{ shares: number; work: bigint }> {
  // One statement, so one snapshot: two reads could straddle a flush of the running server.
  const [row] = await t.prisma.$queryRaw<{ shares: number; work: string; minute_shares: number }[]>`
    SELECT coalesce(sum(accepted_shares), 0)::int AS shares, coalesce(sum(accepted_work), 0)::text AS work,
           (SELECT coalesce(sum(accepted_shares), 0)::int FROM rig_share_minutes WHERE rig_id = ${rigId}::uuid) AS minute_shares
      FROM rig_share_days WHERE rig_id = ${rigId}::uuid`;
  expect(row!.minute_shares).toBe(row!.shares); // the minutes and the day are written together
  return { shares: row!.shares, work: BigInt(row!.work) };
}

describe("a Stratum process killed mid-stream", () => {
  itOnServer(
    "credits at most what was accepted, exactly per share, and a restarted server carries on",
    REASON,
    async () => {
      const first = await startServer();
      const miner = await runMiner({ port: first.port, user: login.workerName, password: login.secret, pow: sha });
      // Mine until some flushes have landed, then kill the server without warning.
      const start = Date.now();
      while ((await credited()).shares < 10 && Date.now() - start < 30_000) await new Promise((r) => setTimeout(r, 50));
      first.child.kill("SIGKILL");
      const stats = await miner.done;
      const afterCrash = await credited();
      expect(afterCrash.shares).toBeGreaterThanOrEqual(10);
      expect(afterCrash.shares).toBeLessThanOrEqual(stats.accepted);
      expect(afterCrash.work).toBe(BigInt(afterCrash.shares) * shareWork(sha, EXP));

      const second = await startServer();
      expect(second.instanceId).not.toBe(first.instanceId);
      const again = await runMiner({
        port: second.port,
        user: login.workerName,
        password: login.secret,
        pow: sha,
        maxShares: 12,
      });
      expect((await again.done).accepted).toBe(12);
      const exited = new Promise((r) => second.child.once("exit", r));
      second.child.send("stop");
      await exited;
      // A clean stop writes everything: exactly the 12 new shares on top.
      const afterRestart = await credited();
      expect(afterRestart.shares).toBe(afterCrash.shares + 12);
      expect(afterRestart.work).toBe(BigInt(afterRestart.shares) * shareWork(sha, EXP));
    },
    90_000,
  );
});
