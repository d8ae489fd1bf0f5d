// Where mail goes: one nodemailer SMTP transport for SMTP_URL (from the secrets source, else the
// environment), the sender address MAIL_FROM and the app's public base URL for links (APP_URL,
// else NEXTAUTH_URL). `npm start` on the embedded database points SMTP_URL at its local maildev
// inbox (lib/cli/start.ts); without SMTP_URL nothing is sent and messages wait in the outbox.
import nodemailer, { type Transporter } from "nodemailer";
import { getSecrets } from "../secrets";

export const DEFAULT_MAIL_FROM = "Hashlease <no-reply@hashlease.test>";

export interface MailConfig {
  transport: Transporter;
  from: string;
  /** The public base URL links in messages point to, without a trailing slash. */
  appUrl: string;
  /** Derives the token of an emailed link from its account_tokens id (account-tokens.ts). */
  authSecret: string;
  /** The auth secret before its rotation: a link issued under it is still mailed right (sender.ts). */
  previousAuthSecret?: string | null;
}

export function smtpTransport(url: string): Transporter {
  return nodemailer.createTransport(url, {
    // A hung server must not hold a claimed message past its lease (sender.ts).
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

export function appBaseUrl(): string {
  return (process.env.APP_URL || process.env.NEXTAUTH_URL || "http://localhost:3000").replace(/\/+$/, "");
}

let cached: { url: string; transport: Transporter } | undefined;

/** The configured mail server, or null when none is configured. */
export async function mailConfig(): Promise<MailConfig | null> {
  const secrets = await getSecrets();
  if (!secrets.smtpUrl) return null;
  if (cached?.url !== secrets.smtpUrl) {
    cached?.transport.close();
    cached = { url: secrets.smtpUrl, transport: smtpTransport(secrets.smtpUrl) };
  }
  return {
    transport: cached.transport,
    from: process.env.MAIL_FROM?.trim() || DEFAULT_MAIL_FROM,
    appUrl: appBaseUrl(),
    authSecret: secrets.authSecret,
    previousAuthSecret: secrets.previousAuthSecret,
  };
}
