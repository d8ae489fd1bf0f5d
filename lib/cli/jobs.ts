// npm run jobs — the scheduled jobs on their own (a separate worker process).
import { createPrismaClient } from "../db/client";
import { withDatabase } from "../db/embedded";
import { startJobs } from "../jobs/worker";

await withDatabase(async (url) => {
  const prisma = createPrismaClient(url);
  const stop = startJobs(prisma);
  console.log("[jobs] running; Ctrl-C to stop");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await stop();
  await prisma.$disconnect();
});
