// A Stratum server in its own process for crash.test.ts: pool mode on 127.0.0.1, no vardiff,
// counters flushed every FLUSH_MS. Sends { port, instanceId } when listening; on "stop" it
// closes cleanly (the last flush) and exits. The test SIGKILLs it to play a crash.
import { createPrismaClient } from "../db/client";
import { startTestProxy } from "../testing/stratum";

async function main(): Promise<void> {
  const prisma = createPrismaClient(process.env.DATABASE_URL!);
  const proxy = await startTestProxy(prisma, {
    coins: ["BTC"],
    initialExp: { SHA256: Number(process.env.CRASH_EXP ?? -22) },
    flushMs: Number(process.env.FLUSH_MS ?? 200),
  });
  process.send!({ port: proxy.server.port, instanceId: proxy.server.instanceId });
  process.on("message", (message) => {
    if (message !== "stop") return;
    void proxy
      .stop()
      .then(() => prisma.$disconnect())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
