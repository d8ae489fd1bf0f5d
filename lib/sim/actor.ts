// A simulation worker: a child process of lib/sim/run.ts that runs the operations it is sent,
// several at once (one per actor lane it hosts), against the simulation's database through
// the app's own client. It says "started" before and "done" after each operation, so the
// parent knows what is in flight when it kills this process with SIGKILL.
//
// Environment: SIM_WORLD (the world as JSON), SIM_SEED, SIM_SMTP_URL (the parent's mail server)
// and DATABASE_URL plus the secrets the app reads (set by the parent from the world).
import { db } from "../db/client";
import { isTransient } from "../db/errors";
import { DEFAULT_MAIL_FROM, smtpTransport } from "../mail/transport";
import { runOperation, type Context, type OpResult } from "./operations";
import type { Op } from "./ops";
import type { World } from "./world";

export type ParentMessage = { type: "op"; op: Op; attempt: number } | { type: "stop" };
export type WorkerMessage =
  | { type: "ready" }
  | { type: "started"; id: number; attempt: number }
  | { type: "done"; id: number; attempt: number; result: OpResult; ms: number };

function send(message: WorkerMessage): void {
  process.send?.(message);
}

/** How often an operation is retried after a transient database failure, as a client retries a 503. */
export const TRANSIENT_RETRIES = 3;

async function runWithRetries(ctx: Context, op: Op): Promise<OpResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await runOperation(ctx, op);
      return attempt > 0 ? { ...result, transientRetries: attempt } : result;
    } catch (e) {
      if (isTransient(e) && attempt < TRANSIENT_RETRIES) {
        await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
        continue;
      }
      const text = e instanceof Error ? e.message : String(e);
      return {
        outcome: "error",
        code: e instanceof Error ? e.constructor.name : "THROWN",
        detail: text.slice(0, 600),
        ...(attempt > 0 ? { transientRetries: attempt } : {}),
      };
    }
  }
}

async function main() {
  const world = JSON.parse(process.env.SIM_WORLD ?? "null") as World | null;
  if (!world || !process.send) throw new Error("lib/sim/actor.ts runs as a child of lib/sim/run.ts");
  const { POST } = await import("../../app/api/stripe/webhook/route");
  const prisma = db();
  await prisma.$queryRaw`SELECT 1`;
  const mail = {
    transport: smtpTransport(process.env.SIM_SMTP_URL ?? ""),
    from: DEFAULT_MAIL_FROM,
    appUrl: "http://sim.invalid",
    authSecret: world.env.AUTH_SECRET!,
  };
  const ctx: Context = { prisma, world, seed: Number(process.env.SIM_SEED), webhook: POST, mail };

  // The parent is gone (crashed or interrupted): nothing will collect our answers.
  process.on("disconnect", () => process.exit(0));
  process.on("message", (message: ParentMessage) => {
    if (message.type === "stop") {
      void prisma.$disconnect().finally(() => process.exit(0));
      return;
    }
    const { op, attempt } = message;
    send({ type: "started", id: op.id, attempt });
    const started = performance.now();
    runWithRetries(ctx, op).then((result) =>
      send({ type: "done", id: op.id, attempt, result, ms: performance.now() - started }),
    );
  });
  send({ type: "ready" });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
