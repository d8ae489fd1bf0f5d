// A Stratum proxy for tests: pool-mode jobs that only change when the test says so
// (source.newJob), no vardiff, and counters written only on ledger.flush() (or every flushMs).
import type { PrismaClient } from "../db/client";
import type { Algorithm, Asset } from "../generated/prisma/enums";
import { issueRigCredentials, type IssuedCredentials } from "../stratum/credentials";
import { PoolJobSource } from "../stratum/jobs";
import { startStratumServer, type StratumServer } from "../stratum/server";
import { addRig, createOperator } from "./operator-fixtures";

const NEVER = 3_600_000;

export interface TestProxy {
  source: PoolJobSource;
  server: StratumServer;
  stop(): Promise<void>;
}

export async function startTestProxy(
  prisma: PrismaClient,
  opts: {
    coins: Asset[];
    initialExp: Partial<Record<Algorithm, number>>;
    /** Coinbase extranonce bytes (a stand-in upstream pool offers more than the proxy's 8). */
    extranonceBytes?: number;
    port?: number;
    /** How often counters are written (default: only on ledger.flush() and close). */
    flushMs?: number;
  },
): Promise<TestProxy> {
  const source = new PoolJobSource(prisma, opts.coins, {
    jobMs: NEVER,
    roundMs: NEVER,
    extranonceBytes: opts.extranonceBytes,
  });
  await source.start();
  const server = await startStratumServer({
    prisma,
    jobs: source,
    host: "127.0.0.1",
    port: opts.port,
    vardiff: false,
    flushMs: opts.flushMs ?? NEVER,
    heartbeatMs: NEVER,
    initialExp: opts.initialExp,
  });
  return {
    source,
    server,
    async stop() {
      await server.close();
      source.stop();
    },
  };
}

/** A rig's Stratum login, issued as the CLI does. */
export async function rigLogin(prisma: PrismaClient, rigId: string): Promise<IssuedCredentials> {
  return (await issueRigCredentials(prisma, { rigId, operatorId: null, actorId: null, via: "cli" }))!;
}

/** A new operator's 100 TH/s rig with its Stratum login. */
export async function loggedInRig(prisma: PrismaClient): Promise<{ rigId: string; login: IssuedCredentials }> {
  const { facilityId } = await createOperator(prisma);
  const rigId = await addRig(prisma, facilityId, { th: 100 });
  return { rigId, login: await rigLogin(prisma, rigId) };
}
