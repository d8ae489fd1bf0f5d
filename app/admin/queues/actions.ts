"use server";

// Retry failed jobs of /admin/queues (one, or every failed job of a queue), as formAction
// (app/_lib/form-action.ts): admin only; the redrive and its audit line naming the admin are one
// transaction (lib/jobs/admin.ts).
import { z } from "zod";
import { formAction } from "@/app/_lib/form-action";
import { databaseUrl, db } from "@/lib/db/client";
import { retryDeadJobs } from "@/lib/jobs/admin";
import { queueClient } from "@/lib/jobs/queue";
import { retriedQuery } from "./notice";

const PATH = "/admin/queues";

export const retryFailedJobsAction = formAction({
  role: "ADMIN",
  twoFactor: "retry failed jobs",
  path: PATH,
  schema: z.object({ queue: z.string().min(1).max(100), jobId: z.union([z.literal(""), z.uuid()]) }),
  run: async ({ user, ip, input }) =>
    retryDeadJobs(db(), await queueClient(databaseUrl()), {
      adminId: user.id,
      ip,
      queue: input.queue,
      jobId: input.jobId || undefined,
    }),
  // The answer goes to the page's notice (./notice.ts): the retried row leaves the table, and with
  // it a message kept beside its button.
  done: {
    revalidate: [PATH],
    redirect: (result, _args, ctx) => `${PATH}?${retriedQuery(result, !!ctx.input.jobId)}`,
  },
});
