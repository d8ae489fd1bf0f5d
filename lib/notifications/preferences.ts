// Which notices a user gets by email (issue 15, DESIGN.md "Mail and notices"). Every kind of
// NOTIFICATION_KINDS is listed generically, so a kind added there appears in settings without a
// change here. An optional kind's email is the user's stored choice, else the kind's default (the
// same rule notify() applies through wantsEmail); a kind that is not optional (security notices,
// withdrawal states, links the user asked for) is always on and cannot be switched off: setting it
// is refused. The in-app notice is written whatever the email choice. A change is one upsert and its
// audit line in one transaction, like every other account setting.
import { appendUserAudit } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import type { Role } from "../generated/prisma/enums";
import { refuse, type Refusal } from "../shared/result";
import {
  isNotificationKind,
  kindInfo,
  NOTIFICATION_KINDS,
  type NotificationCategory,
  type NotificationKind,
} from "./kinds";

export const CATEGORY_LABELS: Record<NotificationCategory, string> = {
  security: "Security",
  account: "Account",
  customer: "Contracts and payouts",
  operator: "Operator",
  admin: "Administration",
};

/** A category that is a role's work is shown to the users who have that role; the others to everyone. */
const CATEGORY_ROLE: Partial<Record<NotificationCategory, Role>> = {
  customer: "CUSTOMER",
  operator: "OPERATOR",
  admin: "ADMIN",
};

/** Why a kind that is not optional cannot be switched off, in the words settings show. */
export function lockedReason(kind: NotificationKind): string | null {
  const info = kindInfo(kind);
  if (info.optional) return null;
  if (info.category === "security")
    return "It tells you when something changes in your account, so you can act if it was not you.";
  if (info.category === "account") return "It is sent only when you ask for it: a link to verify, reset or confirm.";
  return "It is part of how the service works.";
}

export interface PreferenceView {
  kind: NotificationKind;
  category: NotificationCategory;
  label: string;
  optional: boolean;
  /** Is the email sent (the effective choice)? */
  email: boolean;
  /** Does the kind also appear in the in-app list? */
  inApp: boolean;
  /** For kinds that cannot be switched off: why. */
  lockedReason: string | null;
}

export interface PreferenceGroup {
  category: NotificationCategory;
  label: string;
  kinds: PreferenceView[];
}

/** The effective email choice of every kind the user can receive, grouped by category in catalogue order. */
export async function notificationPreferences(
  prisma: PrismaClient,
  user: { id: string; roles: readonly Role[] },
): Promise<PreferenceGroup[]> {
  const stored = await prisma.notificationPreference.findMany({
    where: { userId: user.id },
    select: { kind: true, email: true },
  });
  const chosen = new Map(stored.map((p) => [p.kind, p.email]));
  const groups = new Map<NotificationCategory, PreferenceGroup>();
  for (const kind of Object.keys(NOTIFICATION_KINDS) as NotificationKind[]) {
    const info = kindInfo(kind);
    const role = CATEGORY_ROLE[info.category];
    if (role && !user.roles.includes(role)) continue;
    let group = groups.get(info.category);
    if (!group) {
      group = { category: info.category, label: CATEGORY_LABELS[info.category], kinds: [] };
      groups.set(info.category, group);
    }
    group.kinds.push({
      kind,
      category: info.category,
      label: info.label,
      optional: info.optional,
      email: info.optional ? (chosen.get(kind) ?? info.emailByDefault) : true,
      inApp: info.inApp,
      lockedReason: lockedReason(kind),
    });
  }
  return [...groups.values()];
}

export type SetPreferenceResult =
  { ok: true; kind: NotificationKind; label: string; email: boolean } | Refusal<"UNKNOWN_KIND" | "NOT_OPTIONAL">;

/** Stores the user's email choice for one optional kind, with its audit line. */
export async function setNotificationPreference(
  prisma: PrismaClient,
  input: { userId: string; kind: string; email: boolean; ip?: string | null },
): Promise<SetPreferenceResult> {
  if (!isNotificationKind(input.kind)) return refuse("UNKNOWN_KIND", "There is no such kind of notice.");
  const kind = input.kind;
  const info = kindInfo(kind);
  if (!info.optional) {
    return refuse("NOT_OPTIONAL", `"${info.label}" cannot be turned off. ${lockedReason(kind)}`);
  }
  return prisma.$transaction(async (tx) => {
    const before = await tx.notificationPreference.findUnique({
      where: { userId_kind: { userId: input.userId, kind } },
      select: { email: true },
    });
    await tx.notificationPreference.upsert({
      where: { userId_kind: { userId: input.userId, kind } },
      create: { userId: input.userId, kind, email: input.email },
      update: { email: input.email },
    });
    await appendUserAudit(tx, input.userId, {
      action: "notifications.preference_changed",
      ip: input.ip ?? null,
      details: { kind, email: input.email, before: before?.email ?? info.emailByDefault },
    });
    return { ok: true, kind, label: info.label, email: input.email };
  });
}
