// The Stratum proxy as `npm start` and `npm run stratum` run it: pool-mode jobs for every coin
// whose algorithm the proxy verifies, upstream sessions for the facilities that name a pool
// (upstream.ts), and the server on STRATUM_PORT (default 3333).
import type { PrismaClient } from "../db/client";
import type { Asset } from "../generated/prisma/enums";
import { PoolJobSource } from "./jobs";
import { startStratumServer, type StratumServer } from "./server";
import { JobRouter } from "./upstream";
import { VERIFIED_ALGORITHMS } from "./work";

export const DEFAULT_STRATUM_PORT = 3333;

export function stratumPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.STRATUM_PORT;
  if (raw === undefined || raw === "") return DEFAULT_STRATUM_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`STRATUM_PORT must be a TCP port, not ${raw}`);
  return port;
}

/** The address miners are told to use (rig page, API): STRATUM_PUBLIC_URL, else this host and port. */
export function stratumPublicUrl(host: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.STRATUM_PUBLIC_URL ?? `stratum+tcp://${host}:${stratumPort(env)}`;
}

export interface StratumService {
  server: StratumServer;
  coins: Asset[];
  stop(): Promise<void>;
}

export async function startStratumService(
  prisma: PrismaClient,
  opts: { port?: number; host?: string; log?: (line: string) => void } = {},
): Promise<StratumService> {
  const coins = (
    await prisma.coin.findMany({
      where: { algorithm: { in: [...VERIFIED_ALGORITHMS.keys()] } },
      select: { asset: true },
    })
  ).map((c) => c.asset);
  const pool = new PoolJobSource(prisma, coins, { jobMs: 30_000, roundMs: 10 * 60_000 });
  await pool.start();
  const jobs = new JobRouter(prisma, pool, { log: opts.log });
  const server = await startStratumServer({
    prisma,
    jobs,
    host: opts.host ?? process.env.STRATUM_HOST ?? "0.0.0.0",
    port: opts.port ?? stratumPort(),
    mode: "pool",
    log: opts.log,
  });
  opts.log?.(
    `[stratum] pool mode for ${coins.join(", ") || "no coins yet"} (upstream pools where a facility names one) on port ${server.port} (instance ${server.instanceId})`,
  );
  return {
    server,
    coins,
    async stop() {
      jobs.stop();
      await server.close();
    },
  };
}
