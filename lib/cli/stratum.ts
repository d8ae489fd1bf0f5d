// npm run stratum: the Stratum proxy alone (STRATUM_PORT, default 3333). Any number may run
// behind one TCP load balancer on the same database: each registers its own instance id, the
// prefix of every extranonce1 it hands out, and writes its accounting in batches.
import { createPrismaClient } from "../db/client";
import { withDatabase } from "../db/embedded";
import { startStratumService } from "../stratum/service";

await withDatabase(async (url) => {
  const prisma = createPrismaClient(url);
  const service = await startStratumService(prisma, { log: (line) => console.log(line) });
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  console.log("[stratum] stopping: writing the last shares ...");
  await service.stop();
  await prisma.$disconnect();
});
