// The anti-phishing phrase: trimmed, 4-40 characters (code points, as the column's CHECK counts),
// no control characters, empty clears it; refused input changes nothing; set and cleared are
// audited without the phrase. A notice written after setting it and sent by the outbox sender
// through a real SMTP server carries the phrase in both the HTML and the plain-text part, and one
// sent after clearing it does not.
import { describe, expect, it } from "vitest";
import { sendDueMail } from "../mail/sender";
import { notify } from "../notifications/notify";
import { createUser } from "../testing/fixtures";
import { withTestSecrets } from "../testing/secrets";
import { withTestMailServer } from "../testing/smtp";
import { withTestDatabase } from "../testing/test-database";
import { antiPhishingPhrase, normalizePhrase, setAntiPhishingPhrase } from "./anti-phishing";

const { authSecret } = withTestSecrets();
const t = withTestDatabase();
const inbox = withTestMailServer(authSecret);

describe("normalizePhrase", () => {
  it("trims, folds inner spaces, clears on empty and refuses bad lengths and control characters", () => {
    expect(normalizePhrase("  blue   heron 42 ")).toEqual({ ok: true, phrase: "blue heron 42" });
    expect(normalizePhrase("   ")).toEqual({ ok: true, phrase: null });
    expect(normalizePhrase("abcd")).toEqual({ ok: true, phrase: "abcd" });
    expect(normalizePhrase("x".repeat(40))).toEqual({ ok: true, phrase: "x".repeat(40) });
    expect(normalizePhrase("abc")).toEqual({ ok: false, message: "Use 4 to 40 characters (now 3)." });
    expect(normalizePhrase("x".repeat(41))).toEqual({ ok: false, message: "Use 4 to 40 characters (now 41)." });
    // Forty emoji are forty characters to PostgreSQL (eighty UTF-16 units to JavaScript).
    expect(normalizePhrase("🐦".repeat(40))).toMatchObject({ ok: true });
    expect(normalizePhrase("🐦".repeat(41))).toMatchObject({ ok: false });
    expect(normalizePhrase("blue\u0007heron")).toMatchObject({ ok: false, message: expect.stringMatching(/letters/) });
  });
});

describe("setAntiPhishingPhrase", () => {
  it("stores the phrase (and forty emoji pass the database's CHECK), refuses bad input unchanged", async () => {
    const user = await createUser(t.prisma);
    expect(
      await setAntiPhishingPhrase(t.prisma, { userId: user.id, phrase: " blue heron 42 ", ip: "10.0.0.4" }),
    ).toEqual({ ok: true, phrase: "blue heron 42" });
    expect(await antiPhishingPhrase(t.prisma, user.id)).toBe("blue heron 42");

    const short = await setAntiPhishingPhrase(t.prisma, { userId: user.id, phrase: "abc" });
    expect(short).toEqual({
      ok: false,
      code: "INVALID",
      message: "Use 4 to 40 characters (now 3).",
      fieldErrors: { phrase: "Use 4 to 40 characters (now 3)." },
    });
    expect(await antiPhishingPhrase(t.prisma, user.id)).toBe("blue heron 42");

    expect(await setAntiPhishingPhrase(t.prisma, { userId: user.id, phrase: "🐦".repeat(40) })).toMatchObject({
      ok: true,
    });
    expect(await setAntiPhishingPhrase(t.prisma, { userId: user.id, phrase: "" })).toEqual({ ok: true, phrase: null });
    expect(await antiPhishingPhrase(t.prisma, user.id)).toBeNull();

    const audit = await t.prisma.auditLog.findMany({ where: { entityId: user.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual([
      "auth.anti_phishing_phrase_set",
      "auth.anti_phishing_phrase_set",
      "auth.anti_phishing_phrase_cleared",
    ]);
    expect(audit[0]?.ip).toBe("10.0.0.4");
    expect(JSON.stringify(audit.map((a) => a.details))).not.toContain("heron");
    expect(audit.every((a) => a.details === null || JSON.stringify(a.details) === "{}")).toBe(true);
  });

  it("is printed in both parts of the next mail sent through SMTP, and gone once cleared", async () => {
    const user = await createUser(t.prisma);
    await setAntiPhishingPhrase(t.prisma, { userId: user.id, phrase: "  purple  otter 7 " });
    await t.prisma.$transaction((tx) =>
      notify(tx, { userId: user.id, kind: "security.two_factor_changed", params: { enabled: true } }),
    );
    expect(await sendDueMail(t.prisma, inbox.config)).toMatchObject({ sent: 1 });
    const [mail] = inbox.smtp.received;
    expect(mail?.to).toBe(user.email);
    expect(mail?.text).toContain("Your anti-phishing phrase: purple otter 7");
    expect(mail?.html).toContain("purple otter 7");

    await setAntiPhishingPhrase(t.prisma, { userId: user.id, phrase: "" });
    await t.prisma.$transaction((tx) =>
      notify(tx, { userId: user.id, kind: "security.two_factor_changed", params: { enabled: false } }),
    );
    expect(await sendDueMail(t.prisma, inbox.config)).toMatchObject({ sent: 1 });
    const second = inbox.smtp.received[1];
    expect(second?.subject).toBe("Two-factor authentication turned off");
    expect(second?.text).not.toContain("purple otter 7");
    expect(second?.html).not.toContain("purple otter 7");
  });
});
