import type { Metadata } from "next";
import { formatInstantUtc } from "@/components/format";
import { SessionsPanel, type DeviceRow } from "@/components/sessions/sessions-panel";
import { PageHeader, Section } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { listActiveSessions } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";
import { describeUserAgent } from "@/lib/http/user-agent";

export const metadata: Metadata = { title: "Devices" };
export const dynamic = "force-dynamic";

export default async function SessionsPage() {
  const user = await requireUser("/settings/sessions");
  const sessions = await listActiveSessions(db(), user.id);
  const rows: DeviceRow[] = sessions
    .map((session) => ({
      id: session.id,
      browser: describeUserAgent(session.userAgent),
      ip: session.ip ?? "unknown",
      signedIn: formatInstantUtc(session.createdAt),
      lastSeen: formatInstantUtc(session.lastSeenAt),
      current: session.id === user.sessionId,
    }))
    // This device first, then the most recently seen.
    .sort((a, b) => Number(b.current) - Number(a.current));

  return (
    <div className="page">
      <PageHeader
        title="Devices"
        description={<>Where your account is signed in. Sign out any device you do not recognise.</>}
      />
      <Section
        id="devices"
        title="Signed-in devices"
        description="A session ends when you sign out, after 8 hours without use, when two-factor authentication is turned on, or from here."
      >
        <SessionsPanel rows={rows} />
      </Section>
    </div>
  );
}
