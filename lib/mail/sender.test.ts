// The outbox through real SMTP: a message written in a business transaction is delivered by
// sendDueMail to an SMTP server started here and read back (headers, both parts, the
// anti-phishing phrase, a link that works once); 4xx answers are retried with backoff, 5xx and
// the last attempt fail for good, and two senders racing over the same outbox deliver each
// message exactly once.
import { beforeEach, describe, expect, it } from "vitest";
import { accountTokenFor, consumeAccountToken, issueAccountToken } from "../auth/account-tokens";
import { notify } from "../notifications/notify";
import { createUser } from "../testing/fixtures";
import { withTestSecrets } from "../testing/secrets";
import { withTestMailServer } from "../testing/smtp";
import { withTestDatabase } from "../testing/test-database";
import { enqueueMail } from "./outbox";
import { MAIL_MAX_ATTEMPTS, mailBackoffMs, sendDueMail } from "./sender";
import { smtpTransport } from "./transport";

const { authSecret } = withTestSecrets();
const t = withTestDatabase({ poolMax: 6 });
const inbox = withTestMailServer(authSecret);

beforeEach(async () => {
  await t.prisma.mailOutbox.deleteMany();
});

async function outboxRow(id: string) {
  return t.prisma.mailOutbox.findUniqueOrThrow({ where: { id } });
}

describe("sendDueMail", () => {
  it("delivers a notice with both parts, its headers and the user's anti-phishing phrase", async () => {
    const user = await createUser(t.prisma);
    await t.prisma.user.update({ where: { id: user.id }, data: { antiPhishingPhrase: "blue heron 42" } });
    const { mailId, notificationId } = await t.prisma.$transaction((tx) =>
      notify(tx, {
        userId: user.id,
        kind: "security.api_key_created",
        params: { name: "trading bot", scopes: "read" },
      }),
    );
    expect(notificationId).not.toBeNull();
    expect(mailId).not.toBeNull();

    expect(await sendDueMail(t.prisma, inbox.config)).toEqual({ sent: 1, retried: 0, failed: 0 });
    const [mail] = inbox.smtp.received;
    expect(mail?.to).toBe(user.email);
    expect(mail?.from).toBe(`"Hashlease" <no-reply@hashlease.test>`);
    expect(mail?.subject).toBe("A new API key was created");
    expect(mail?.messageId).toBe(`<${mailId}@hashlease.test>`);
    expect(mail?.headers.get("auto-submitted")).toBe("auto-generated");
    expect(mail?.text).toContain("Your anti-phishing phrase: blue heron 42");
    expect(mail?.text).toContain("trading bot");
    expect(mail?.html).toContain("blue heron 42");
    expect(mail?.html).toContain("<strong>Name:</strong>");

    const row = await outboxRow(mailId!);
    expect(row.status).toBe("SENT");
    expect(row.attempts).toBe(1);
    expect(row.smtpResponse).toMatch(/^250/);
    expect(row.sentAt).not.toBeNull();
    // Sent once: another run finds nothing due.
    expect(await sendDueMail(t.prisma, inbox.config)).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(inbox.smtp.received).toHaveLength(1);
  });

  it("puts a link whose token works once and is stored nowhere", async () => {
    const user = await createUser(t.prisma);
    const mailId = await t.prisma.$transaction(async (tx) => {
      const token = await issueAccountToken(tx, authSecret, {
        userId: user.id,
        purpose: "VERIFY_EMAIL",
        ttlMs: 60_000,
      });
      return enqueueMail(tx, {
        userId: user.id,
        to: user.email,
        kind: "account.verify_email",
        params: { name: user.name, tokenId: token.id },
      });
    });
    await sendDueMail(t.prisma, inbox.config);
    const link = /http:\/\/app\.test\/account\/verify\?token=([A-Za-z0-9_-]+)/.exec(inbox.smtp.received[0]?.text ?? "");
    expect(link).not.toBeNull();
    const token = link![1]!;
    expect(inbox.smtp.received[0]?.text).not.toContain("Your anti-phishing phrase");
    // Neither the outbox nor the token table holds the token itself.
    const stored = JSON.stringify([await outboxRow(mailId), await t.prisma.accountToken.findMany()]);
    expect(stored).not.toContain(token);

    expect(await t.prisma.$transaction((tx) => consumeAccountToken(tx, token, "RESET_PASSWORD"))).toBeNull();
    const used = await t.prisma.$transaction((tx) => consumeAccountToken(tx, token, "VERIFY_EMAIL"));
    expect(used?.userId).toBe(user.id);
    expect(await t.prisma.$transaction((tx) => consumeAccountToken(tx, token, "VERIFY_EMAIL"))).toBeNull();
  });

  it("around a rotation of the auth secret: mails a link issued under the previous secret, and holds one issued under a secret it does not have yet", async () => {
    const user = await createUser(t.prisma);
    const queueLink = (secret: string) =>
      t.prisma.$transaction(async (tx) => {
        const token = await issueAccountToken(tx, secret, { userId: user.id, purpose: "VERIFY_EMAIL", ttlMs: 60_000 });
        return enqueueMail(tx, {
          userId: user.id,
          to: user.email,
          kind: "account.verify_email",
          params: { name: user.name, tokenId: token.id },
        });
      });
    const rotated = `${authSecret}-rotated`;
    // This worker already holds the new secret; the link's row was issued by an instance still on the old one.
    await queueLink(authSecret);
    expect(
      await sendDueMail(t.prisma, { ...inbox.config, authSecret: rotated, previousAuthSecret: authSecret }),
    ).toEqual({ sent: 1, retried: 0, failed: 0 });
    const token = /\/account\/verify\?token=([A-Za-z0-9_-]+)/.exec(inbox.smtp.received[0]?.text ?? "")?.[1];
    expect((await t.prisma.$transaction((tx) => consumeAccountToken(tx, token!, "VERIFY_EMAIL")))?.userId).toBe(
      user.id,
    );
    // This worker is behind: the row was issued under a secret it does not hold. No broken link goes out.
    const waiting = await queueLink(rotated);
    expect(await sendDueMail(t.prisma, inbox.config)).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect((await outboxRow(waiting)).lastError).toMatch(/auth secret this worker does not hold yet/);
    expect(inbox.smtp.received).toHaveLength(1);
  });

  it("refuses expired and replaced tokens, and redeems a raced token once", async () => {
    const user = await createUser(t.prisma);
    const issue = (ttlMs: number, replace = false) =>
      t.prisma.$transaction((tx) =>
        issueAccountToken(tx, authSecret, { userId: user.id, purpose: "RESET_PASSWORD", ttlMs, replace }),
      );
    const expired = await issue(-1);
    expect(
      await t.prisma.$transaction((tx) =>
        consumeAccountToken(tx, accountTokenFor(expired.id, authSecret), "RESET_PASSWORD"),
      ),
    ).toBeNull();
    const first = await issue(60_000);
    const second = await issue(60_000, true);
    const redeem = (id: string) =>
      t.prisma.$transaction((tx) => consumeAccountToken(tx, accountTokenFor(id, authSecret), "RESET_PASSWORD"));
    expect(await redeem(first.id)).toBeNull();
    const raced = await Promise.all([redeem(second.id), redeem(second.id), redeem(second.id)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
  });

  it("retries a 4xx answer with backoff and records the error, then delivers", async () => {
    const user = await createUser(t.prisma);
    const id = await t.prisma.$transaction((tx) =>
      enqueueMail(tx, { userId: user.id, to: user.email, kind: "admin.withdrawals_waiting", params: { count: 3 } }),
    );
    inbox.smtp.refuse(451);
    const before = Date.now();
    expect(await sendDueMail(t.prisma, inbox.config)).toEqual({ sent: 0, retried: 1, failed: 0 });
    let row = await outboxRow(id);
    expect(row.status).toBe("PENDING");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/^451 /);
    expect(row.lockedUntil).toBeNull();
    expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + mailBackoffMs(1) - 1_000);
    // Not due yet: nothing happens.
    expect(await sendDueMail(t.prisma, inbox.config)).toEqual({ sent: 0, retried: 0, failed: 0 });

    await t.prisma.mailOutbox.update({ where: { id }, data: { nextAttemptAt: new Date() } });
    expect(await sendDueMail(t.prisma, inbox.config)).toEqual({ sent: 1, retried: 0, failed: 0 });
    row = await outboxRow(id);
    expect(row.status).toBe("SENT");
    expect(row.attempts).toBe(2);
    expect(row.lastError).toBeNull();
    expect(inbox.smtp.received).toHaveLength(1);
  });

  it("fails for good on a 5xx answer and after the last attempt", async () => {
    const user = await createUser(t.prisma);
    const enqueue = () =>
      t.prisma.$transaction((tx) =>
        enqueueMail(tx, { userId: user.id, to: user.email, kind: "admin.withdrawals_waiting", params: { count: 1 } }),
      );
    const rejected = await enqueue();
    inbox.smtp.refuse(550);
    expect(await sendDueMail(t.prisma, inbox.config)).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(await outboxRow(rejected)).toMatchObject({ status: "FAILED", attempts: 1, sentAt: null });
    expect((await outboxRow(rejected)).lastError).toMatch(/^550 /);

    const tired = await enqueue();
    await t.prisma.mailOutbox.update({ where: { id: tired }, data: { attempts: MAIL_MAX_ATTEMPTS - 1 } });
    inbox.smtp.refuse(421);
    expect(await sendDueMail(t.prisma, inbox.config)).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(await outboxRow(tired)).toMatchObject({ status: "FAILED", attempts: MAIL_MAX_ATTEMPTS });
    expect(inbox.smtp.received).toHaveLength(0);
    expect(mailBackoffMs(1)).toBe(30_000);
    expect(mailBackoffMs(4)).toBe(240_000);
    expect(mailBackoffMs(20)).toBe(3_600_000);
  });

  it("does not send a message another sender holds, until its lease runs out", async () => {
    const user = await createUser(t.prisma);
    const id = await t.prisma.$transaction((tx) =>
      enqueueMail(tx, { userId: user.id, to: user.email, kind: "admin.withdrawals_waiting", params: { count: 2 } }),
    );
    await t.prisma.mailOutbox.update({
      where: { id },
      data: { attempts: 1, lockedUntil: new Date(Date.now() + 60_000) },
    });
    expect(await sendDueMail(t.prisma, inbox.config)).toEqual({ sent: 0, retried: 0, failed: 0 });
    await t.prisma.mailOutbox.update({ where: { id }, data: { lockedUntil: new Date(Date.now() - 1) } });
    expect(await sendDueMail(t.prisma, inbox.config)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await outboxRow(id)).toMatchObject({ status: "SENT", attempts: 2 });
  });

  it("delivers every message exactly once when two senders race", async () => {
    const user = await createUser(t.prisma);
    const ids = await t.prisma.$transaction(async (tx) => {
      const out: string[] = [];
      for (let i = 0; i < 24; i++) {
        out.push(
          await enqueueMail(tx, {
            userId: user.id,
            to: user.email,
            kind: "admin.withdrawals_waiting",
            params: { count: i },
          }),
        );
      }
      return out;
    });
    const second = { ...inbox.config, transport: smtpTransport(inbox.smtp.url) };
    const [a, b] = await Promise.all([sendDueMail(t.prisma, inbox.config), sendDueMail(t.prisma, second)]);
    second.transport.close();
    expect(a.sent + b.sent).toBe(24);
    await inbox.smtp.waitFor(24);
    expect(inbox.smtp.received).toHaveLength(24);
    expect(new Set(inbox.smtp.received.map((m) => m.messageId))).toEqual(
      new Set(ids.map((id) => `<${id}@hashlease.test>`)),
    );
    expect(await t.prisma.mailOutbox.count({ where: { status: "SENT", attempts: 1 } })).toBe(24);
  });
});

describe("notify", () => {
  it("honours an opt-out of an optional kind but never of a security notice", async () => {
    const user = await createUser(t.prisma);
    await t.prisma.notificationPreference.createMany({
      data: [
        { userId: user.id, kind: "operator.rig_offline", email: false },
        // A stale row for a mandatory kind is ignored.
        { userId: user.id, kind: "security.password_changed", email: false },
      ],
    });
    const offline = await t.prisma.$transaction((tx) =>
      notify(tx, { userId: user.id, kind: "operator.rig_offline", params: { serial: "S-1", since: "09:00" } }),
    );
    expect(offline.mailId).toBeNull();
    expect(offline.notificationId).not.toBeNull();
    const digest = await t.prisma.$transaction((tx) =>
      notify(tx, { userId: user.id, kind: "customer.payout_digest", params: { day: "2026-12-05", summary: "x" } }),
    );
    expect(digest.mailId).toBeNull(); // off by default
    const password = await t.prisma.$transaction((tx) =>
      notify(tx, { userId: user.id, kind: "security.password_changed", params: {} }),
    );
    expect(password.mailId).not.toBeNull();
    const inApp = await t.prisma.notification.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    expect(inApp.map((n) => [n.kind, n.link])).toEqual([
      ["operator.rig_offline", "/operator"],
      ["customer.payout_digest", "/dashboard"],
      ["security.password_changed", "/settings/security"],
    ]);
  });

  it("writes nothing when the event's transaction rolls back", async () => {
    const user = await createUser(t.prisma);
    await expect(
      t.prisma.$transaction(async (tx) => {
        await notify(tx, { userId: user.id, kind: "security.password_changed", params: {} });
        throw new Error("the event failed");
      }),
    ).rejects.toThrow("the event failed");
    expect(await t.prisma.mailOutbox.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.prisma.notification.count({ where: { userId: user.id } })).toBe(0);
  });
});
