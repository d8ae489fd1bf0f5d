import type { Metadata } from "next";
import Link from "next/link";
import { PreferenceSwitch } from "@/components/notifications/preference-switch";
import { PageHeader, Section, StatusBadge } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { notificationPreferences } from "@/lib/notifications/preferences";
import { setPreferenceAction } from "./actions";

export const metadata: Metadata = { title: "Notification settings" };
export const dynamic = "force-dynamic";

export default async function NotificationSettingsPage() {
  const user = await requireUser("/settings/notifications");
  const groups = await notificationPreferences(db(), user);

  return (
    <div className="page">
      <PageHeader
        title="Notification settings"
        description={
          <>
            Which notices are also sent to {user.email}. Notices marked “in the app” always appear in your{" "}
            <Link href="/notifications" className="underline underline-offset-2">
              notification list
            </Link>
            , whatever you choose for email.
          </>
        }
      />
      {groups.map((group) => (
        <Section key={group.category} id={`kinds-${group.category}`} title={group.label}>
          <ul className="card divide-y divide-slate-200">
            {group.kinds.map((pref) => (
              <li
                key={pref.kind}
                aria-label={pref.label}
                className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between"
              >
                <div className="min-w-0">
                  <div className="flex flex-wrap items-center gap-2">
                    <p className="font-medium text-slate-900">{pref.label}</p>
                    {pref.inApp ? <StatusBadge status="IN_APP" label="In the app" tone="slate" /> : null}
                  </div>
                  {pref.lockedReason ? (
                    <p className="mt-1 text-sm text-slate-600">Always emailed. {pref.lockedReason}</p>
                  ) : null}
                </div>
                {pref.optional ? (
                  <PreferenceSwitch
                    action={setPreferenceAction}
                    kind={pref.kind}
                    label={pref.label}
                    email={pref.email}
                  />
                ) : (
                  <StatusBadge status="ALWAYS_ON" label="Email always on" tone="green" />
                )}
              </li>
            ))}
          </ul>
        </Section>
      ))}
    </div>
  );
}
