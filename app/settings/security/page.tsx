import type { Metadata } from "next";
import Link from "next/link";
import QRCode from "qrcode";
import { changeEmailAction, changePasswordAction } from "@/app/account/actions";
import { clearPhraseAction, setPhraseAction } from "@/app/settings/security/actions";
import { AccountForm } from "@/components/account/account-form";
import { formatInstantUtc } from "@/components/format";
import { ActionButton } from "@/components/forms/action-button";
import { PhraseForm } from "@/components/notifications/phrase-form";
import { TwoFactorPanel, type TwoFactorView } from "@/components/security/two-factor-panel";
import { PageHeader, Section } from "@/components/ui";
import { antiPhishingPhrase } from "@/lib/auth/anti-phishing";
import { requireUser } from "@/lib/auth/session";
import { totpUri } from "@/lib/auth/totp";
import { twoFactorStatus } from "@/lib/auth/two-factor";
import { db } from "@/lib/db/client";

export const metadata: Metadata = { title: "Security" };
export const dynamic = "force-dynamic";

/** "JBSW Y3DP EHPK 3PXP": easier to type; authenticator apps ignore the spaces. */
function groupKey(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

export default async function SecurityPage() {
  const user = await requireUser("/settings/security");
  const [status, phrase] = await Promise.all([twoFactorStatus(db(), user.id), antiPhishingPhrase(db(), user.id)]);

  let pending: TwoFactorView["pending"] = null;
  if (status.pendingSecret) {
    // Rendered on the server as SVG: no QR library in the browser bundle.
    const svg = await QRCode.toString(totpUri(status.pendingSecret, user.email), {
      type: "svg",
      margin: 1,
      errorCorrectionLevel: "M",
    });
    pending = {
      qrSvgDataUrl: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`,
      manualKey: groupKey(status.pendingSecret),
    };
  }
  const view: TwoFactorView = {
    enabled: status.enabled,
    enabledAt: status.enabledAt ? formatInstantUtc(status.enabledAt) : null,
    pending,
    recoveryCodesLeft: status.recoveryCodesLeft,
    lockedUntil: status.lockedUntil ? formatInstantUtc(status.lockedUntil) : null,
  };

  return (
    <div className="page">
      <PageHeader title="Security" description={<>Signed in as {user.email}.</>} />
      <Section
        id="two-factor"
        title="Two-factor authentication"
        description="A 6-digit code from an authenticator app on your phone, asked at sign-in and for every withdrawal."
      >
        <TwoFactorPanel view={view} />
      </Section>
      <Section
        id="anti-phishing"
        title="Anti-phishing phrase"
        description="Words you choose, printed at the top of every email Hashlease sends you. A message that claims to be from us without them is not from us: do not click its links."
      >
        <div className="max-w-md space-y-4">
          <p className="text-sm text-slate-700" data-testid="current-phrase">
            {phrase ? (
              <>
                Your emails start with: <strong className="font-semibold text-slate-900">{phrase}</strong>
              </>
            ) : (
              "No phrase set: your emails carry none."
            )}
          </p>
          <PhraseForm action={setPhraseAction} current={phrase} />
          {phrase ? (
            <ActionButton action={clearPhraseAction} variant="ghost" pendingLabel="Clearing…">
              Clear phrase
            </ActionButton>
          ) : null}
        </div>
      </Section>
      <Section
        id="password"
        title="Password"
        description="Changing it signs out every other session and sends a notice to your email."
      >
        <div className="max-w-md">
          <AccountForm
            action={changePasswordAction}
            fields={[
              { name: "current", label: "Current password", type: "password", autoComplete: "current-password" },
              {
                name: "next",
                label: "New password",
                type: "password",
                autoComplete: "new-password",
                hint: "At least 12 characters, not your email. A few unrelated words make a strong one.",
              },
            ]}
            submitLabel="Change password"
            pendingLabel="Saving…"
          />
        </div>
      </Section>
      <Section
        id="email"
        title="Email address"
        description={
          <>
            Now {user.email}. We send a link to the new address; your account moves there when you open it, and the old
            address gets a notice.
          </>
        }
      >
        <div className="max-w-md">
          <AccountForm
            action={changeEmailAction}
            fields={[
              { name: "newEmail", label: "New email", type: "email", autoComplete: "email" },
              { name: "password", label: "Current password", type: "password", autoComplete: "current-password" },
            ]}
            submitLabel="Send confirmation link"
            pendingLabel="Sending…"
          />
        </div>
      </Section>
      <Section
        id="devices"
        title="Signed-in devices"
        description="Every browser signed in to your account, with the IP address and when it was last used."
      >
        <p className="text-sm text-slate-700">
          <Link href="/settings/sessions" className="underline underline-offset-2">
            See your devices and sign them out
          </Link>
          .
        </p>
      </Section>
    </div>
  );
}
