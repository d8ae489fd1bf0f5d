// The local mail catcher of `npm start` on the embedded database (and of the e2e server): maildev,
// an SMTP server on 127.0.0.1 that keeps every message in memory and shows them in a web inbox.
// Nothing it receives leaves the machine (no relay is configured).
import { MailDev } from "maildev";

export interface LocalInbox {
  smtpUrl: string;
  webUrl: string;
  stop(): Promise<void>;
}

export async function startLocalInbox(ports: { smtp: number; web: number }): Promise<LocalInbox> {
  const maildev = new MailDev({
    smtp: ports.smtp,
    ip: "127.0.0.1",
    web: ports.web,
    webIp: "127.0.0.1",
    silent: true,
    maxEmails: 500,
  });
  await maildev.start();
  return {
    smtpUrl: `smtp://127.0.0.1:${ports.smtp}`,
    webUrl: `http://localhost:${ports.web}`,
    stop: () => maildev.stop(),
  };
}
