import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { VerifyEmailBanner } from "@/components/account/verify-email-banner";
import { ServiceWorkerRegistration } from "@/components/service-worker-registration";
import { SiteFooter } from "@/components/site-footer";
import { SiteHeader } from "@/components/site-header";
import { getUnreadCount } from "./_lib/unread";
import { getViewer } from "./_lib/viewer";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Hashlease — rent mining hashrate, get paid daily", template: "%s · Hashlease" },
  description:
    "Rent hashrate on professionally hosted mining rigs. Daily payouts net of pool and maintenance fees, a transparent payout formula, 2FA withdrawals and a tax ledger.",
  applicationName: "Hashlease",
};

export const viewport: Viewport = {
  themeColor: "#4f46e5",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  const unread = viewer ? await getUnreadCount(viewer.id) : 0;
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col">
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <SiteHeader viewer={viewer ? { email: viewer.email, roles: viewer.roles, unread } : null} />
        {viewer && !viewer.emailVerified ? <VerifyEmailBanner email={viewer.email} /> : null}
        <main id="main" tabIndex={-1} className="flex-1">
          {children}
        </main>
        <SiteFooter viewer={viewer} />
        <ServiceWorkerRegistration />
      </body>
    </html>
  );
}
