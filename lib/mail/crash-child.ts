// A process of crash.test.ts, SIGKILLed by the test to play a crash. MAIL_CHILD=enqueue: commits
// one security notice per transaction for USER_ID, forever, and reports each committed outbox id.
// MAIL_CHILD=send: the send-mail job's loop against SMTP_URL, reporting each pass.
import { createPrismaClient } from "../db/client";
import { notify } from "../notifications/notify";
import { sendDueMail } from "./sender";
import { DEFAULT_MAIL_FROM, smtpTransport } from "./transport";

async function main(): Promise<void> {
  const prisma = createPrismaClient(process.env.DATABASE_URL!);
  const userId = process.env.USER_ID!;
  process.send!({ ready: true });
  if (process.env.MAIL_CHILD === "enqueue") {
    for (;;) {
      const { mailId } = await prisma.$transaction((tx) =>
        notify(tx, { userId, kind: "security.password_changed", params: {} }),
      );
      process.send!({ committed: mailId });
    }
  }
  const config = {
    transport: smtpTransport(process.env.SMTP_URL!),
    from: DEFAULT_MAIL_FROM,
    appUrl: "http://app.test",
    authSecret: "unused: these notices carry no link",
  };
  for (;;) {
    const report = await sendDueMail(prisma, config, 1);
    process.send!({ report });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
