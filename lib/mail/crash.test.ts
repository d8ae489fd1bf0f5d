// The outbox's claim (sender.ts): a crash between a commit and the send loses no message and
// sends none twice. One process commits notices and is SIGKILLed mid-stream; a sender process is
// SIGKILLed while the SMTP server hangs on a message; a restarted sender then delivers every
// committed message exactly once, the one the killed sender held included.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { createUser } from "../testing/fixtures";
import { itOnServer } from "../testing/server-only";
import { startTestSmtpServer, type TestSmtpServer } from "../testing/smtp";
import { withTestDatabase } from "../testing/test-database";

const CHILD = path.join(__dirname, "crash-child.ts");
const REASON = "processes of their own on the test database";

const t = withTestDatabase();
let smtp: TestSmtpServer;
let userId: string;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  userId = (await createUser(t.prisma)).id;
}, 60_000);

afterAll(async () => {
  await smtp?.stop();
});

type ChildMessage = { ready?: true; committed?: string; report?: { sent: number } };

function start(mode: "enqueue" | "send", onMessage: (m: ChildMessage) => void = () => {}): Promise<ChildProcess> {
  const child = fork(CHILD, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, DATABASE_URL: t.url, SMTP_URL: smtp.url, USER_ID: userId, MAIL_CHILD: mode },
  });
  child.on("message", (m) => onMessage(m as ChildMessage));
  return new Promise((resolve, reject) => {
    child.once("message", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`the ${mode} process exited early (${code})`)));
  });
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

describe("the mail outbox across killed processes", () => {
  itOnServer(
    "delivers every committed message exactly once",
    REASON,
    async () => {
      // 1. Events commit their notices; the process dies without warning mid-stream.
      const reported: string[] = [];
      const writer = await start("enqueue", (m) => m.committed && reported.push(m.committed));
      await until("committed notices", () => reported.length >= 12);
      await killed(writer);
      const committed = (await t.prisma.mailOutbox.findMany({ select: { id: true } })).map((r) => r.id);
      expect(committed.length).toBeGreaterThanOrEqual(reported.length);
      expect(committed).toEqual(expect.arrayContaining(reported));
      expect(await t.prisma.mailOutbox.count({ where: { status: "PENDING", attempts: 0 } })).toBe(committed.length);

      // 2. A sender delivers a few, then the server hangs on one and the sender is killed.
      smtp.holdAfter(4);
      const sender = await start("send");
      await until("a message held by the server", () => smtp.held === 1);
      await killed(sender);
      expect(smtp.received).toHaveLength(4);
      const stuck = await t.prisma.mailOutbox.findMany({ where: { status: "PENDING", attempts: 1 } });
      expect(stuck).toHaveLength(1);
      expect(stuck[0]!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());

      // 3. The server answers again and the held message's lease runs out (here: at once).
      smtp.holdAfter(null);
      await t.prisma.mailOutbox.updateMany({ where: { status: "PENDING" }, data: { lockedUntil: new Date(0) } });
      const restarted = await start("send");
      await until(
        "every message sent",
        async () => (await t.prisma.mailOutbox.count({ where: { status: { not: "SENT" } } })) === 0,
      );
      await killed(restarted);

      expect(smtp.received).toHaveLength(committed.length);
      const ids = smtp.received.map((m) => /^<([0-9a-f-]+)@/.exec(m.messageId)?.[1]);
      expect(new Set(ids).size).toBe(committed.length);
      expect(new Set(ids)).toEqual(new Set(committed));
      const held = await t.prisma.mailOutbox.findUniqueOrThrow({ where: { id: stuck[0]!.id } });
      expect(held).toMatchObject({ status: "SENT", attempts: 2 });
    },
    90_000,
  );
});
