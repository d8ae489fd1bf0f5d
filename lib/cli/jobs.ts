// npm run jobs — the job queue's workers on their own (a separate worker process; run any number).
// SIGINT/SIGTERM stop gracefully: no new jobs are fetched, running ones get JOBS_STOP_TIMEOUT_MS
// (default 30 s) to finish, then the queue fails what is left so another worker retries it.
import { createPrismaClient } from "../db/client";
import { withDatabase } from "../db/embedded";
import { startJobs } from "../jobs/runner";

await withDatabase(async (url) => {
  const prisma = createPrismaClient(url);
  const running = await startJobs(url, prisma);
  console.log("[jobs] running; Ctrl-C to stop");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  console.log("[jobs] stopping ...");
  await running.stop(Number(process.env.JOBS_STOP_TIMEOUT_MS ?? 30_000));
  await prisma.$disconnect();
  console.log("[jobs] stopped");
});
