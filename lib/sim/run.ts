// The simulation's orchestrator (issue 8, "Money under stress"): builds a fresh world, draws
// the plan of operations from the seed, runs it through worker processes (lib/sim/actor.ts)
// that each host several sequential actors, SIGKILLs workers in the middle of purchases and
// payout runs and restarts them (the interrupted operation is retried with the same
// idempotency key or event id), and finally checks the money invariants (./invariants.ts).
//
// What the seed fixes: the plan (every operation, its actor, its parameters, its keys) and the
// kill decisions' random draws. What it cannot fix: the interleaving of concurrent actors, so
// a replay runs the same operations into possibly different outcomes (which contract a payment
// finds, which refusal a race ends in). Every invariant must hold for every interleaving.
//
// Clocks: purchases, webhooks and transitions run on the real clock (as the routes do), so
// every contract starts on the UTC day after the run began. The payout run and telemetry take
// a later `now` (the functions accept one): the run's operations advance a payout clock over
// the next PAYOUT_HORIZON_DAYS days, so days are settled, contracts complete and capacity is
// freed within minutes. Withdrawal requests take t0 + op id * 31 s, so each customer's TOTP
// codes are fresh (a code is accepted once per 30 s step).
//
// Mail: the orchestrator runs a real SMTP server (refusing the first deliveries with a 451, so
// retries happen); send_mail operations are the outbox job, killable mid-send. After the last
// operation the outbox is drained (leases and backoffs run out, as time would make them) and the
// invariants compare what the server received with the outbox rows.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PrismaClient } from "../db/client";
import { sendDueMail } from "../mail/sender";
import { DEFAULT_MAIL_FROM, smtpTransport } from "../mail/transport";
import { startTestSmtpServer } from "../testing/smtp-server";
import type { ParentMessage, WorkerMessage } from "./actor";
import { checkInvariants, formatInvariant, type InvariantResult } from "./invariants";
import type { OpResult } from "./operations";
import { KILLABLE, OP_KINDS, planOperations, type Op, type OpKind } from "./ops";
import { Random } from "./random";
import { buildWorld } from "./world";

const ACTOR_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "actor.ts");

export interface SimOptions {
  ops: number;
  seed: number;
  workers: number;
  /** Sequential actors per worker process (operations in flight at once per worker). */
  lanes?: number;
  /** Probability of a kill when a killable operation starts (kills are also capped). */
  killRate?: number;
  /** Upper bound on kills; default 1 per 100 operations, at least 3. */
  maxKills?: number;
  customers?: number;
  listings?: number;
  log?: (line: string) => void;
}

export interface KindCounts {
  ok: number;
  refused: number;
  error: number;
  /** Wall time of the kind's operations (ms): total and slowest. */
  totalMs: number;
  maxMs: number;
}

export interface SimError {
  /** -1 for a worker that died by itself (not killed by the simulation). */
  opId: number;
  kind: OpKind | "worker";
  code: string;
  detail: string;
}

export interface SimReport {
  seed: number;
  ops: number;
  workers: number;
  actors: number;
  durationMs: number;
  counts: Record<OpKind, KindCounts>;
  /** Expected refusals by code (rules that said no). */
  refusals: Record<string, number>;
  /** Unexpected errors: any one of them fails the run. */
  errors: SimError[];
  kills: number;
  /** Operations in flight in killed workers, by kind (each was then retried). */
  interrupted: Partial<Record<OpKind, number>>;
  /** Retries after a kill that found the first attempt committed (answer replayed). */
  replayedAfterKill: number;
  payoutContractDays: number;
  webhookEvents: number;
  /** Operations retried in the worker after a transient database failure (pool wait, deadlock). */
  transientRetries: number;
  /** Messages the SMTP server accepted, and send_mail operations in flight when a worker was killed. */
  mail: { delivered: number; interruptedSends: number };
  invariants: InvariantResult[];
  passed: boolean;
}

/** A worker process: a slot's current one, or the warm spare waiting to replace a killed one. */
interface Proc {
  child: ChildProcess;
  ready: boolean;
  slot: WorkerSlot | null;
}

interface WorkerSlot {
  index: number;
  proc: Proc | null;
  inFlight: Map<number, { op: Op; attempt: number }>; // by actor
  restarts: number;
}

export async function runSimulation(options: SimOptions): Promise<SimReport> {
  const log = options.log ?? (() => undefined);
  const workers = Math.max(1, options.workers);
  const lanes = Math.max(1, options.lanes ?? 4);
  const actors = workers * lanes;
  const customers = options.customers ?? Math.max(actors, Math.min(60, Math.ceil(options.ops / 150)));
  const listings = options.listings ?? 6;
  const killRate = options.killRate ?? 0.03;
  const maxKills = options.maxKills ?? Math.max(3, Math.ceil(options.ops / 100));
  const started = Date.now();

  const built = await buildWorld({ customers, listings });
  const { world, prisma } = built;
  const smtp = await startTestSmtpServer();
  smtp.refuse(451, 2);
  log(
    `world: ${customers} customers, ${listings} listings (${listings * 4} rigs), payout days ${world.days[0]} .. ${world.days.at(-1)}`,
  );
  try {
    const plan = planOperations({
      seed: options.seed,
      ops: options.ops,
      actors,
      customers,
      listings,
      days: world.days.length,
    });
    const queues: Op[][] = Array.from({ length: actors }, () => []);
    for (const op of plan) queues[op.actor]!.push(op);
    const attempts = new Map<number, number>();
    const results = new Map<number, OpResult>();

    const counts = Object.fromEntries(
      OP_KINDS.map((k) => [k, { ok: 0, refused: 0, error: 0, totalMs: 0, maxMs: 0 }]),
    ) as Record<OpKind, KindCounts>;
    const refusals: Record<string, number> = {};
    const errors: SimError[] = [];
    const interrupted: Partial<Record<OpKind, number>> = {};
    const acked = new Set<string>();
    let kills = 0;
    let forcedPayoutKill = false;
    let replayedAfterKill = 0;
    let payoutContractDays = 0;
    let webhookEvents = 0;
    let transientRetries = 0;
    let interruptedSends = 0;
    let done = 0;
    const killRng = new Random(options.seed ^ 0x5eed);

    const slots: WorkerSlot[] = Array.from({ length: workers }, (_, index) => ({
      index,
      proc: null,
      inFlight: new Map(),
      restarts: 0,
    }));
    let spare: Proc | null = null;
    let stopping = false;
    let finish: (() => void) | null = null;
    let fail: ((e: Error) => void) | null = null;
    const finished = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });

    const record = (op: Op, attempt: number, result: OpResult, ms: number) => {
      let outcome = result;
      // An idempotent retry must answer what the first request answered.
      const of = op.p.of as number | undefined;
      if (of !== undefined) {
        const original = results.get(of);
        if (original?.outcome === "ok" && original.fingerprint) {
          if (op.p.changed && result.outcome === "ok") {
            outcome = {
              outcome: "error",
              code: "KEY_REUSE_ACCEPTED",
              detail: `key of op ${of} accepted for a different request`,
            };
          } else if (!op.p.changed && (result.fingerprint !== original.fingerprint || !result.replayed)) {
            outcome = {
              outcome: "error",
              code: "REPLAY_DIFFERS",
              detail: `op ${of} answered ${original.fingerprint}, the retry ${result.code} ${result.fingerprint ?? ""}`,
            };
          }
        }
      }
      if (attempt > 1 && result.replayed) replayedAfterKill++;
      results.set(op.id, outcome);
      const kindCounts = counts[op.kind];
      kindCounts[outcome.outcome]++;
      kindCounts.totalMs += ms;
      kindCounts.maxMs = Math.max(kindCounts.maxMs, ms);
      if (outcome.outcome === "refused") refusals[outcome.code] = (refusals[outcome.code] ?? 0) + 1;
      if (outcome.outcome === "error") {
        errors.push({ opId: op.id, kind: op.kind, code: outcome.code, detail: outcome.detail ?? "" });
        log(`unexpected error: op ${op.id} ${op.kind} (attempt ${attempt}): ${outcome.code} ${outcome.detail ?? ""}`);
      }
      for (const id of outcome.ackedEventIds ?? []) acked.add(id);
      if (outcome.ackedEventIds) webhookEvents += outcome.ackedEventIds.length;
      payoutContractDays += outcome.settled ?? 0;
      transientRetries += result.transientRetries ?? 0;
      done++;
      if (done % 1000 === 0)
        log(`${done}/${plan.length} operations, ${kills} kills, ${errors.length} unexpected errors`);
    };

    const dispatch = (slot: WorkerSlot) => {
      const proc = slot.proc;
      if (!proc?.ready) return;
      for (let actor = slot.index; actor < actors; actor += workers) {
        if (slot.inFlight.has(actor)) continue;
        const op = queues[actor]!.shift();
        if (!op) continue;
        const attempt = (attempts.get(op.id) ?? 0) + 1;
        attempts.set(op.id, attempt);
        slot.inFlight.set(actor, { op, attempt });
        proc.child.send({ type: "op", op, attempt } satisfies ParentMessage);
      }
      if (done === plan.length) finish?.();
    };

    const maybeKill = (slot: WorkerSlot, op: Op) => {
      if (!KILLABLE.has(op.kind) || kills >= maxKills) return;
      const forced = !forcedPayoutKill && op.kind === "payout_double";
      if (!forced && !killRng.chance(killRate)) return;
      if (forced) forcedPayoutKill = true;
      const proc = slot.proc;
      // Purchases are one statement: kill within their few milliseconds; payout runs take longer.
      const delay = op.kind.startsWith("payout")
        ? killRng.int(5, 120)
        : killRng.int(0, op.kind === "send_mail" ? 40 : 12);
      setTimeout(() => {
        const inFlight = [...slot.inFlight.values()].some((f) => f.op.id === op.id);
        if (slot.proc !== proc || !proc || !inFlight || kills >= maxKills) return;
        kills++;
        proc.child.kill("SIGKILL");
      }, delay);
    };

    const onMessage = (slot: WorkerSlot, message: WorkerMessage) => {
      if (message.type === "started") {
        const flight = [...slot.inFlight.values()].find((f) => f.op.id === message.id);
        if (flight) maybeKill(slot, flight.op);
      } else if (message.type === "done") {
        for (const [actor, flight] of slot.inFlight) {
          if (flight.op.id !== message.id || flight.attempt !== message.attempt) continue;
          slot.inFlight.delete(actor);
          record(flight.op, flight.attempt, message.result, message.ms);
        }
        dispatch(slot);
      }
    };

    // A worker process takes a few seconds to start (tsx, Prisma, the route modules): one is
    // kept warm, so a killed worker is replaced at once and its actors hardly wait.
    const assign = (slot: WorkerSlot) => {
      let proc = spare;
      spare = null;
      proc ??= startProc();
      proc.slot = slot;
      slot.proc = proc;
      if (!stopping) spare = startProc();
      dispatch(slot);
    };

    const onExit = (slot: WorkerSlot, code: number | null, signal: NodeJS.Signals | null) => {
      slot.proc = null;
      if (stopping) return;
      // Everything in flight goes back to the front of its actor's queue: retried as is.
      for (const [actor, flight] of slot.inFlight) {
        queues[actor]!.unshift(flight.op);
        interrupted[flight.op.kind] = (interrupted[flight.op.kind] ?? 0) + 1;
        if (flight.op.kind === "send_mail") interruptedSends++;
      }
      slot.inFlight.clear();
      if (signal !== "SIGKILL") {
        slot.restarts++;
        errors.push({
          opId: -1,
          kind: "worker",
          code: "WORKER_EXIT",
          detail: `worker ${slot.index} exited with ${code ?? signal}`,
        });
        if (slot.restarts > 5) {
          fail?.(new Error(`worker ${slot.index} keeps exiting (last: ${code ?? signal})`));
          return;
        }
      }
      assign(slot);
    };

    const startProc = (): Proc => {
      const child = fork(ACTOR_SCRIPT, [], {
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        env: {
          ...process.env,
          ...world.env,
          STRIPE_SECRET_KEY: "",
          SECRETS_MANAGER_SECRET_ID: "",
          DATABASE_URL: world.databaseUrl,
          DATABASE_POOL_MAX: String(lanes * 2 + 2),
          SIM_WORLD: JSON.stringify(world),
          SIM_SEED: String(options.seed),
          SIM_SMTP_URL: smtp.url,
        },
      });
      const proc: Proc = { child, ready: false, slot: null };
      child.on("message", (message: WorkerMessage) => {
        if (message.type === "ready") {
          proc.ready = true;
          if (proc.slot) dispatch(proc.slot);
        } else if (proc.slot) {
          onMessage(proc.slot, message);
        }
      });
      child.on("exit", (code, signal) => {
        if (proc.slot) onExit(proc.slot, code, signal);
        else if (spare === proc && !stopping) spare = startProc();
      });
      return proc;
    };

    // Interrupted (Ctrl-C): stop the workers and drop the database on the way out.
    const interruptedRun = () => {
      stopping = true;
      for (const proc of [...slots.map((slot) => slot.proc), spare]) proc?.child.kill("SIGKILL");
      fail?.(new Error("interrupted"));
    };
    process.once("SIGINT", interruptedRun);
    process.once("SIGTERM", interruptedRun);
    slots.forEach(assign);
    await finished.finally(() => {
      stopping = true;
      process.off("SIGINT", interruptedRun);
      process.off("SIGTERM", interruptedRun);
    });
    const procs = [...slots.map((slot) => slot.proc), spare].filter((p): p is Proc => p !== null);
    await Promise.all(
      procs.map(
        (proc) =>
          new Promise<void>((resolve) => {
            if (proc.child.exitCode !== null || proc.child.signalCode !== null) return resolve();
            proc.child.once("exit", () => resolve());
            if (proc.ready) proc.child.send({ type: "stop" } satisfies ParentMessage);
            else proc.child.kill("SIGTERM");
          }),
      ),
    );

    log(`operations done in ${((Date.now() - started) / 1000).toFixed(1)} s; draining the outbox, checking invariants`);
    await drainOutbox(prisma, smtp.url, world.env.AUTH_SECRET!);
    const invariants = await checkInvariants(prisma, {
      ackedEventIds: acked,
      mail: { deliveredIds: smtp.received.map((m) => m.messageId), interruptedSends },
    });
    const passed = errors.length === 0 && invariants.every((i) => i.ok);
    return {
      seed: options.seed,
      ops: plan.length,
      workers,
      actors,
      durationMs: Date.now() - started,
      counts,
      refusals,
      errors,
      kills,
      interrupted,
      replayedAfterKill,
      payoutContractDays,
      webhookEvents,
      transientRetries,
      mail: { delivered: smtp.received.length, interruptedSends },
      invariants,
      passed,
    };
  } finally {
    await smtp.stop();
    await built.drop();
  }
}

/**
 * After the run, with every worker stopped: lets each lease and backoff run out (as time would)
 * and sends until no message waits. A message the run never delivered is sent now; none is lost.
 */
async function drainOutbox(prisma: PrismaClient, smtpUrl: string, authSecret: string): Promise<void> {
  const config = {
    transport: smtpTransport(smtpUrl),
    from: DEFAULT_MAIL_FROM,
    appUrl: "http://sim.invalid",
    authSecret,
  };
  try {
    for (let round = 0; round < 10; round++) {
      const waiting = await prisma.$executeRaw`
        UPDATE mail_outbox SET locked_until = NULL, next_attempt_at = now() WHERE status = 'PENDING'`;
      if (waiting === 0) return;
      await sendDueMail(prisma, config, 10_000);
    }
  } finally {
    config.transport.close();
  }
}

/** The report as the CLI prints it. */
export function formatReport(report: SimReport): string[] {
  const lines: string[] = [];
  lines.push(
    `seed ${report.seed}: ${report.ops} operations by ${report.actors} actors in ${report.workers} worker processes, ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  lines.push(
    `  ${"operation".padEnd(20)} ${"ok".padStart(6)} ${"refused".padStart(7)} ${"error".padStart(6)} ${"mean ms".padStart(8)} ${"max ms".padStart(8)}`,
  );
  for (const [kind, c] of Object.entries(report.counts)) {
    const n = c.ok + c.refused + c.error;
    if (n === 0) continue;
    lines.push(
      `  ${kind.padEnd(20)} ${String(c.ok).padStart(6)} ${String(c.refused).padStart(7)} ${String(c.error).padStart(6)} ` +
        `${(c.totalMs / n).toFixed(0).padStart(8)} ${c.maxMs.toFixed(0).padStart(8)}`,
    );
  }
  const refusals = Object.entries(report.refusals).sort((a, b) => b[1] - a[1]);
  lines.push(`expected refusals: ${refusals.map(([code, n]) => `${code} ${n}`).join(", ") || "none"}`);
  const interrupted = Object.entries(report.interrupted)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  lines.push(
    `kills: ${report.kills} (in flight when killed, then retried: ${interrupted || "none"}; ${report.replayedAfterKill} retries replayed a committed first attempt)`,
  );
  lines.push(
    `payout contract-days settled as reported by the runs: ${report.payoutContractDays} (a run killed after its commit reports nothing; ` +
      `the payouts table is counted below); webhook deliveries acknowledged: ${report.webhookEvents}`,
  );
  lines.push(`retries after a transient database failure (pool wait, deadlock; same keys): ${report.transientRetries}`);
  lines.push(
    `mail: ${report.mail.delivered} messages accepted by the SMTP server; ${report.mail.interruptedSends} sends interrupted by a kill`,
  );
  lines.push(`unexpected errors: ${report.errors.length}`);
  for (const e of report.errors.slice(0, 20)) lines.push(`  op ${e.opId} ${e.kind}: ${e.code} ${e.detail}`);
  lines.push("invariants:");
  for (const i of report.invariants) lines.push(`  ${formatInvariant(i)}`);
  lines.push(
    report.passed
      ? `PASSED (seed ${report.seed})`
      : `FAILED — replay with: npm run sim -- --ops ${report.ops} --seed ${report.seed} --workers ${report.workers}`,
  );
  return lines;
}
