// A real SMTP server for tests (smtp-server on a random loopback port), which parses every
// message it accepts (mailparser) so a test reads back headers, both parts and links. `refuse`
// makes it answer the next DATA commands with a chosen SMTP code (a 4xx to retry, a 5xx to fail);
// `holdAfter` makes it hang on a message, as a server that stops answering mid-delivery.
// No test-runner import here: the money simulation (lib/sim) runs one in its orchestrator too.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface CapturedMail {
  to: string;
  messageId: string;
  subject: string;
  text: string;
  html: string;
  headers: ParsedMail["headers"];
  from: string;
}

export interface TestSmtpServer {
  url: string;
  port: number;
  received: CapturedMail[];
  /** Answers the next `times` messages with `code` (e.g. 451 or 550) instead of accepting them. */
  refuse(code: number, times?: number): void;
  /** Reads every message after the next `accepted` ones but never answers it (a hung server); null ends it. */
  holdAfter(accepted: number | null): void;
  /** Messages read and left unanswered by holdAfter. */
  held: number;
  /** Resolves when `count` messages have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<CapturedMail[]>;
  stop(): Promise<void>;
}

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const received: CapturedMail[] = [];
  const waiters: (() => void)[] = [];
  let refusal: { code: number; times: number } | null = null;
  let holdFrom: number | null = null;
  const state = { held: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      if (refusal && refusal.times > 0) {
        refusal.times--;
        const { code } = refusal;
        stream.resume();
        stream.on("end", () => callback(Object.assign(new Error(`test refusal ${code}`), { responseCode: code })));
        return;
      }
      if (holdFrom !== null && received.length >= holdFrom) {
        stream.resume();
        stream.on("end", () => state.held++);
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address).join(","),
            messageId: mail.messageId ?? "",
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            html: typeof mail.html === "string" ? mail.html : "",
            headers: mail.headers,
            from: mail.from?.text ?? "",
          });
          waiters.splice(0).forEach((wake) => wake());
          callback();
        })
        .catch(callback);
    },
  });
  // A client that goes away mid-conversation (a sender SIGKILLed by the simulation) resets its
  // socket: the server reports that as an error event, which is the client's problem, not ours.
  server.on("error", () => {});
  server.listen(0, "127.0.0.1");
  await once(server.server, "listening");
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    refuse(code, times = 1) {
      refusal = { code, times };
    },
    holdAfter(accepted) {
      holdFrom = accepted;
    },
    get held() {
      return state.held;
    },
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} message(s), got ${received.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
