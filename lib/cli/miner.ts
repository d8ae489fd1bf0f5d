// npm run miner -- --rig <rigId> [--difficulty 0.001] [--user <worker> --pass <secret>]
//                  [--host 127.0.0.1] [--port 3333] [--shares N]
// The bundled test miner: hashes for real on one CPU core with the rig's algorithm and
// submits valid shares, so you can watch a rig go from offline to verified. Without --pass it
// rotates the rig's Stratum secret to get a login (demo use; say so to the rig's operator).
import { parseArgs } from "node:util";
import { createPrismaClient } from "../db/client";
import { withDatabase } from "../db/embedded";
import { issueRigCredentials } from "../stratum/credentials";
import { runMiner } from "../stratum/miner";
import { stratumPort } from "../stratum/service";
import { powAlgorithm } from "../stratum/work";

const { values } = parseArgs({
  options: {
    rig: { type: "string" },
    difficulty: { type: "string" },
    user: { type: "string" },
    pass: { type: "string" },
    host: { type: "string" },
    port: { type: "string" },
    shares: { type: "string" },
  },
});
if (!values.rig) {
  console.error(
    "Usage: npm run miner -- --rig <rigId> [--difficulty 0.001] [--user <worker> --pass <secret>] [--port 3333]",
  );
  process.exit(2);
}
const rigId = values.rig;

const login = await withDatabase(async (url) => {
  const prisma = createPrismaClient(url);
  try {
    const rig = await prisma.rig.findUnique({ where: { id: rigId }, select: { algorithm: true } });
    if (!rig) throw new Error(`No rig ${rigId}.`);
    const pow = powAlgorithm(rig.algorithm);
    if (!pow) throw new Error(`${rig.algorithm} shares cannot be verified yet: this rig stays on reported telemetry.`);
    if (values.user && values.pass) return { pow, user: values.user, password: values.pass };
    const issued = await issueRigCredentials(prisma, { rigId, operatorId: null, actorId: null, via: "cli" });
    console.log(`[miner] new Stratum login for the rig: ${issued!.workerName} (the previous secret no longer works)`);
    return { pow, user: issued!.workerName, password: issued!.secret };
  } finally {
    await prisma.$disconnect();
  }
});

const difficulty = values.difficulty
  ? Number(values.difficulty)
  : login.pow.algorithm === "SHA256"
    ? 2 ** -12
    : 2 ** -8;
const port = values.port ? Number(values.port) : stratumPort();
const miner = await runMiner({
  port,
  host: values.host ?? "127.0.0.1",
  user: login.user,
  password: login.password,
  pow: login.pow,
  suggestDifficulty: difficulty,
  maxShares: values.shares ? Number(values.shares) : undefined,
  log: (line) => console.log(line),
});
const started = Date.now();
const report = setInterval(() => {
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `[miner] ${Math.round(miner.stats.hashes / seconds)} H/s, ${miner.stats.accepted} shares accepted, ${miner.stats.rejected.length} rejected`,
  );
}, 10_000);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, miner.stop);
const stats = await miner.done;
clearInterval(report);
console.log(`[miner] done: ${stats.accepted} accepted, ${stats.rejected.length} rejected, ${stats.hashes} hashes`);
