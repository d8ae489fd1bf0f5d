"use server";

// Retry failed jobs of /admin/queues (one, or every failed job of a queue), as formAction
// (app/_lib/form-action.ts): admin only; the redrive and its audit line naming the admin are one
// transaction (lib/jobs/admin.ts).
import { z } from "zod";
import { formAction } from "@/app/_lib/form-action";
import { databaseUrl, db } from "@/lib/db/client";
import { retryDeadJobs, type RetryResult } from "@/lib/jobs/admin";
import { queueClient } from "@/lib/jobs/queue";

const PATH = "/admin/queues";

function retriedMessage(result: RetryResult, one: boolean): string {
  const { queue, requeued, superseded } = result;
  const back =
    requeued === 0
      ? `No job of ${queue} was re-queued`
      : one
        ? `Retried: the failed job of ${queue} is back in its queue`
        : `Retried ${requeued} failed ${requeued === 1 ? "job" : "jobs"} of ${queue}: back in the queue`;
  const closed =
    superseded === 0
      ? ""
      : ` ${superseded} ${superseded === 1 ? "was" : "were"} not re-queued: ${queue} already has a job waiting or running, which does the same work, so ${superseded === 1 ? "it is" : "they are"} closed.`;
  return `${back}.${closed}`;
}

export const retryFailedJobsAction = formAction({
  role: "ADMIN",
  path: PATH,
  schema: z.object({ queue: z.string().min(1).max(100), jobId: z.union([z.literal(""), z.uuid()]) }),
  run: async ({ user, ip, input }) =>
    retryDeadJobs(db(), await queueClient(databaseUrl()), {
      adminId: user.id,
      ip,
      queue: input.queue,
      jobId: input.jobId || undefined,
    }),
  done: {
    revalidate: [PATH],
    message: (result, _args, ctx) => retriedMessage(result, !!ctx.input.jobId),
  },
});
