// withTestMailServer wires a real SMTP server (./smtp-server.ts) into a test file: started before,
// emptied before each test, stopped after.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { DEFAULT_MAIL_FROM, smtpTransport, type MailConfig } from "../mail/transport";
import { startTestSmtpServer, type TestSmtpServer } from "./smtp-server";

export { startTestSmtpServer, type CapturedMail, type TestSmtpServer } from "./smtp-server";

export interface TestMail {
  readonly smtp: TestSmtpServer;
  /** The sender's configuration: SMTP to the test server, links on http://app.test. */
  readonly config: MailConfig;
}

/** One test SMTP server for the file, with a mail config pointing at it; `received` empties before each test. */
export function withTestMailServer(authSecret: string): TestMail {
  let mail: { smtp: TestSmtpServer; config: MailConfig } | undefined;
  const current = () => {
    if (!mail) throw new Error("The test mail server exists from the file's first beforeAll on.");
    return mail;
  };
  beforeAll(async () => {
    const smtp = await startTestSmtpServer();
    mail = {
      smtp,
      config: { transport: smtpTransport(smtp.url), from: DEFAULT_MAIL_FROM, appUrl: "http://app.test", authSecret },
    };
  });
  afterAll(async () => {
    if (!mail) return;
    mail.config.transport.close();
    await mail.smtp.stop();
  });
  beforeEach(() => {
    if (mail) mail.smtp.received.length = 0;
  });
  return {
    get smtp() {
      return current().smtp;
    },
    get config() {
      return current().config;
    },
  };
}
