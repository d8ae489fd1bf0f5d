// Reading what the app sent: the e2e server's local inbox (maildev, started by lib/cli/start.ts)
// through its REST API. Each helper polls until the message is there, as a person refreshing
// their inbox would.
import { expect } from "@playwright/test";
import { e2eMailWebPort } from "./paths";

export interface InboxMail {
  id: string;
  subject: string;
  text: string;
  html: string;
  to: { address: string }[];
  headers: Record<string, string>;
  time: string;
}

const INBOX = `http://127.0.0.1:${e2eMailWebPort}/api/email`;

async function allMail(): Promise<InboxMail[]> {
  const response = await fetch(INBOX);
  if (!response.ok) throw new Error(`the mail inbox answered ${response.status}`);
  // Oldest first (a stable sort keeps the inbox's order within one second).
  return ((await response.json()) as InboxMail[]).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

/** The newest message to `address` whose subject contains `subject`, waiting up to 20 s for it. */
export async function latestMailTo(address: string, subject: string): Promise<InboxMail> {
  let found: InboxMail | undefined;
  await expect
    .poll(
      async () => {
        const mine = (await allMail()).filter(
          (m) => m.to.some((to) => to.address.toLowerCase() === address.toLowerCase()) && m.subject.includes(subject),
        );
        found = mine.at(-1);
        return mine.length;
      },
      { timeout: 20_000, message: `a mail to ${address} about "${subject}"` },
    )
    .toBeGreaterThan(0);
  return found!;
}

/** How many messages `address` has received so far. */
export async function mailCountTo(address: string): Promise<number> {
  return (await allMail()).filter((m) => m.to.some((to) => to.address.toLowerCase() === address.toLowerCase())).length;
}

/** The path and query of the mail's link to `path` (the app's own origin is the test's baseURL). */
export function linkIn(mail: InboxMail, path: string): string {
  const match = new RegExp(`https?://[^/\\s"]+(${path.replace(/[/?]/g, "\\$&")}\\?token=[A-Za-z0-9_-]+)`).exec(
    mail.text,
  );
  if (!match) throw new Error(`no ${path} link in "${mail.subject}"`);
  return match[1]!;
}
