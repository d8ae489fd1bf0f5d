// One template per message kind (lib/notifications/kinds.ts): the kind's params in, a subject, a
// heading, paragraphs, an optional button and detail rows out. renderMail turns that one content
// into the HTML part (React Email components) and the plain-text part (React Email's text
// conversion of the same tree), and prints the user's anti-phishing phrase at the top of both.
// No template ever receives a secret: a link's token is passed in by the sender (lib/mail/sender.ts).
import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";
import { render } from "@react-email/render";
import type { NotificationKind } from "../notifications/kinds";

export interface MailContent {
  subject: string;
  heading: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  details?: [label: string, value: string][];
  /** The in-app notification's link (a path inside the app), when the kind has one. */
  appPath?: string;
}

export interface RenderContext {
  /** Absolute URL of a path in the app (APP_URL or NEXTAUTH_URL). */
  url(path: string): string;
  /** Absolute URL of an emailed link: `path?token=...` for the params' tokenId. */
  tokenUrl(path: string): string;
}

type Params = Record<string, string | number | boolean | null | undefined>;
type Template = (params: Params, ctx: RenderContext) => MailContent;

const s = (value: unknown): string => (value === null || value === undefined ? "" : String(value));
const where = (p: Params) => [s(p.browser), s(p.ip) ? `IP ${s(p.ip)}` : ""].filter(Boolean).join(", ");
const NOT_YOU = "If this wasn't you, reset your password now and contact support.";

export const TEMPLATES: Record<NotificationKind, Template> = {
  "account.verify_email": (p, ctx) => ({
    subject: "Verify your email for Hashlease",
    heading: `Welcome, ${s(p.name)}`,
    paragraphs: [
      "Confirm that this address is yours to start buying hashrate and withdrawing coins. The link works once and expires in 24 hours.",
      "If you did not create a Hashlease account, ignore this message.",
    ],
    action: { label: "Verify email", url: ctx.tokenUrl("/account/verify") },
  }),
  "account.registration_attempt": (_p, ctx) => ({
    subject: "Someone tried to register with your email",
    heading: "A sign-up with your address",
    paragraphs: [
      "Someone tried to create a Hashlease account with this email address. You already have one, so nothing was created.",
      "If it was you, sign in instead, or reset your password if you forgot it.",
    ],
    action: { label: "Reset password", url: ctx.url("/forgot-password") },
  }),
  "account.reset_password": (p, ctx) => ({
    subject: "Reset your Hashlease password",
    heading: "Reset your password",
    paragraphs: [
      "Use this link to choose a new password. It works once and expires in 30 minutes. Resetting signs out every session; two-factor authentication still applies at the next sign-in.",
      "If you did not ask for a reset, ignore this message: your password stays as it is.",
    ],
    action: { label: "Choose a new password", url: ctx.tokenUrl("/reset-password") },
    details: p.ip ? [["Requested from", where(p)]] : undefined,
  }),
  "account.confirm_email_change": (p, ctx) => ({
    subject: "Confirm your new email for Hashlease",
    heading: "Confirm your new email",
    paragraphs: [
      `Confirm that Hashlease should send everything for ${s(p.name) || "your account"} to this address from now on. The link works once and expires in 30 minutes.`,
    ],
    action: { label: "Confirm new email", url: ctx.tokenUrl("/account/confirm-email") },
  }),
  "withdrawal.confirm": (p, ctx) => ({
    subject: `Confirm your withdrawal of ${s(p.amount)} ${s(p.coin)}`,
    heading: "Confirm your withdrawal",
    paragraphs: [
      "Your withdrawal waits for this confirmation before it is approved or sent; until then the amount is held. The link works once and expires in 30 minutes; after that the request is cancelled and the funds are released.",
      "If you did not request it, do not confirm: change your password and contact support.",
    ],
    action: { label: "Confirm withdrawal", url: ctx.tokenUrl("/wallet/withdrawals/confirm") },
    details: [
      ["Amount", `${s(p.amount)} ${s(p.coin)}`],
      ["Network fee", `${s(p.fee)} ${s(p.coin)}`],
      ["To address", s(p.address)],
    ],
  }),
  "security.email_changed": (p) => ({
    subject: "Your Hashlease email was changed",
    heading: "Email address changed",
    paragraphs: [`Your account's email is now ${s(p.newEmail)}. Messages go there from now on.`, NOT_YOU],
    appPath: "/settings/security",
  }),
  "security.password_changed": (p) => ({
    subject: "Your Hashlease password was changed",
    heading: "Password changed",
    paragraphs: [
      p.reset
        ? "Your password was reset with an emailed link. Every session was signed out."
        : "Your password was changed. Your other sessions were signed out.",
      NOT_YOU,
    ],
    details: p.ip ? [["From", where(p)]] : undefined,
    appPath: "/settings/security",
  }),
  "security.new_sign_in": (p) => ({
    subject: "New sign-in to your Hashlease account",
    heading: "A sign-in from a new place",
    paragraphs: [
      "Your account was signed in to from an IP address or browser it has not used before.",
      "If this wasn't you, sign it out on the devices page, change your password and turn on two-factor authentication.",
    ],
    details: [
      ["Browser", s(p.browser) || "unknown"],
      ["IP address", s(p.ip) || "unknown"],
      ["When", s(p.at)],
    ],
    appPath: "/settings/sessions",
  }),
  "security.two_factor_changed": (p) => ({
    subject: p.enabled ? "Two-factor authentication turned on" : "Two-factor authentication turned off",
    heading: p.enabled ? "Two-factor authentication is on" : "Two-factor authentication is off",
    paragraphs: [
      p.enabled
        ? "Signing in and withdrawing now need a code from your authenticator app."
        : "Your account no longer asks for an authenticator code. Withdrawals need it turned on again.",
      NOT_YOU,
    ],
    appPath: "/settings/security",
  }),
  "security.new_withdrawal_address": (p, ctx) => ({
    subject: `New ${s(p.coin)} withdrawal address added`,
    heading: "A new withdrawal address",
    paragraphs: [
      "A withdrawal address was added to your address book. It can be used after its 48-hour lock.",
      "If this wasn't you, freeze withdrawals now with the button below; an admin will look at your account.",
    ],
    action: { label: "This wasn't me: freeze withdrawals", url: ctx.tokenUrl("/account/freeze") },
    details: [
      ["Coin", s(p.coin)],
      ["Label", s(p.label)],
      ["Address", s(p.address)],
    ],
    appPath: "/wallet/addresses",
  }),
  "security.withdrawals_frozen": (p) => ({
    subject: "Withdrawals from your Hashlease account are frozen",
    heading: "Withdrawals are frozen",
    paragraphs: [
      `Withdrawals were frozen with the "this wasn't me" link${s(p.address) ? ` for the ${s(p.coin)} address ${s(p.address)}` : ""}. That address was removed from your address book; ${s(p.cancelled) || "0"} withdrawal(s) not yet sent were cancelled and their funds returned to your available balance.`,
      "Every session was signed out. You can still sign in, but no withdrawal can be requested until an admin has looked at your account and lifted the freeze. Change your password now, and contact support if you need help.",
    ],
    details: [["Frozen at", s(p.at)]],
    appPath: "/wallet",
  }),
  "security.withdrawals_unfrozen": (p) => ({
    subject: "Withdrawals from your Hashlease account are possible again",
    heading: "Withdrawals freeze lifted",
    paragraphs: [
      "An admin looked at your account and lifted the withdrawals freeze: you can request withdrawals again.",
      NOT_YOU,
    ],
    details: [["Lifted at", s(p.at)]],
    appPath: "/wallet",
  }),
  "security.api_key_created": (p) => ({
    subject: "A new API key was created",
    heading: "API key created",
    paragraphs: ["An API key was created for your account.", NOT_YOU],
    details: [
      ["Name", s(p.name)],
      ["Scopes", s(p.scopes)],
    ],
    appPath: "/settings/api-keys",
  }),
  "withdrawal.status": (p) => ({
    subject: `Withdrawal ${s(p.status).toLowerCase()}: ${s(p.amount)} ${s(p.coin)}`,
    heading: `Withdrawal ${s(p.status).toLowerCase()}`,
    paragraphs: [s(p.message) || `Your withdrawal is now ${s(p.status).toLowerCase()}.`],
    details: [
      ["Amount", `${s(p.amount)} ${s(p.coin)}`],
      ["To address", s(p.address)],
      ...(p.txid ? ([["Transaction", s(p.txid)]] as [string, string][]) : []),
    ],
    appPath: "/wallet",
  }),
  "operator.rig_offline": (p) => ({
    subject: `Rig ${s(p.serial)} is offline`,
    heading: "A rig went offline",
    paragraphs: [
      `Rig ${s(p.serial)}${s(p.model) ? ` (${s(p.model)})` : ""} has sent no shares or telemetry since ${s(p.since)}. Its contracts are not being delivered.`,
      "You hear of this outage once; when the rig sends shares or telemetry again and then stops, you hear again.",
    ],
    appPath: p.rigId ? `/operator/rigs/${s(p.rigId)}` : "/operator",
  }),
  "operator.listing_sold_out": (p) => ({
    subject: `Listing sold out: ${s(p.title)}`,
    heading: "A listing sold out",
    paragraphs: [`All capacity of "${s(p.title)}" is sold. Add rigs or open another listing to sell more.`],
    appPath: p.listingId ? `/operator/listings/${s(p.listingId)}` : "/operator",
  }),
  "operator.contract_bought": (p) => ({
    subject: `New contract: ${s(p.hashrate)} for ${s(p.days)} days`,
    heading: "A contract was bought",
    paragraphs: [`A customer bought ${s(p.hashrate)} for ${s(p.days)} days from "${s(p.title)}".`],
    appPath: p.listingId ? `/operator/listings/${s(p.listingId)}` : "/operator",
  }),
  "customer.payout_digest": (p) => ({
    subject: `Payouts for ${s(p.day)}`,
    heading: `Your payouts for ${s(p.day)}`,
    paragraphs: [
      `${s(p.contracts)} contract(s) paid ${s(p.amounts)} for ${s(p.day)} (UTC), net of pool and maintenance fees.`,
    ],
    details: [
      ["Net", s(p.amounts)],
      ["Contracts", s(p.contracts)],
    ],
    appPath: "/dashboard",
  }),
  "customer.contract_ending": (p) => ({
    subject: `Your contract ends on ${s(p.endsOn)}`,
    heading: "A contract is ending",
    paragraphs: [
      `Your contract for ${s(p.hashrate)} ("${s(p.title)}") mines its last day on ${s(p.endsOn)} (UTC). Buy again on the marketplace to keep mining.`,
    ],
    appPath: p.contractId ? `/dashboard/contracts/${s(p.contractId)}` : "/dashboard",
  }),
  "admin.withdrawals_waiting": (p) => ({
    subject: `${s(p.count)} withdrawal(s) wait for review`,
    heading: "Withdrawals wait for review",
    paragraphs: [`${s(p.count)} withdrawal(s) above the review threshold wait for an admin.`],
    appPath: "/admin/withdrawals",
  }),
  "admin.withdrawals_frozen": (p) => ({
    subject: `Withdrawals frozen by ${s(p.email)}`,
    heading: "A customer froze their withdrawals",
    paragraphs: [
      `${s(p.email)} used the "this wasn't me" link of a new-address notice: withdrawals are frozen, ${s(p.cancelled) || "0"} unsent withdrawal(s) cancelled, every session signed out. Look at the account and lift the freeze when it is safe.`,
    ],
    details: [
      ["Address", `${s(p.coin)} ${s(p.address)}`],
      ["Frozen at", s(p.at)],
    ],
    appPath: p.userId ? `/admin/users/${s(p.userId)}` : "/admin/users",
  }),
};

const page = { backgroundColor: "#f4f4f5", fontFamily: "Helvetica, Arial, sans-serif", margin: 0 };
const box = {
  backgroundColor: "#ffffff",
  margin: "24px auto",
  padding: "24px",
  maxWidth: "560px",
  borderRadius: "8px",
};
const phraseStyle = {
  backgroundColor: "#ecfdf5",
  color: "#065f46",
  padding: "8px 12px",
  borderRadius: "6px",
  fontSize: "13px",
};
const buttonStyle = {
  backgroundColor: "#0f766e",
  color: "#ffffff",
  padding: "12px 18px",
  borderRadius: "6px",
  fontWeight: 600,
};
const small = { color: "#52525b", fontSize: "12px" };

function Message({ content, phrase }: { content: MailContent; phrase: string | null }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{content.paragraphs[0] ?? content.subject}</Preview>
      <Body style={page}>
        <Container style={box}>
          {phrase ? <Text style={phraseStyle}>Your anti-phishing phrase: {phrase}</Text> : null}
          <Heading as="h1" style={{ fontSize: "20px" }}>
            {content.heading}
          </Heading>
          {content.paragraphs.map((paragraph) => (
            <Text key={paragraph}>{paragraph}</Text>
          ))}
          {content.details?.length ? (
            <Section>
              {content.details.map(([label, value]) => (
                <Text key={label} style={{ margin: "4px 0" }}>
                  <strong>{`${label}:`}</strong> {value}
                </Text>
              ))}
            </Section>
          ) : null}
          {content.action ? (
            <Section style={{ margin: "20px 0" }}>
              <Button href={content.action.url} style={buttonStyle}>
                {content.action.label}
              </Button>
              <Text style={small}>Or open this link: {content.action.url}</Text>
            </Section>
          ) : null}
          <Hr />
          <Text style={small}>
            Hashlease never asks for your password, 2FA codes or recovery codes by email.
            {phrase
              ? " A message without your anti-phishing phrase is not from us."
              : " Set an anti-phishing phrase in your security settings to recognise our messages."}
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export async function renderMail(content: MailContent, phrase: string | null): Promise<RenderedMail> {
  const element = <Message content={content} phrase={phrase} />;
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: content.subject, html, text };
}
