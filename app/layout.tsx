import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { VerifyEmailBanner } from "@/components/account/verify-email-banner";
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
        <footer className="border-t border-slate-200 bg-white">
          <div className="mx-auto flex w-full max-w-6xl flex-col gap-4 px-4 py-8 text-sm text-slate-600 sm:flex-row sm:items-center sm:justify-between sm:px-6 lg:px-8">
            <p>
              © {new Date().getUTCFullYear()} Hashlease. Mining income is volatile; payouts depend on network
              conditions. Tax figures are estimates, not advice.
            </p>
            <nav aria-label="Footer">
              <ul className="flex shrink-0 gap-4 whitespace-nowrap">
                <li>
                  <Link href="/marketplace" className="hover:text-slate-900 hover:underline">
                    Marketplace
                  </Link>
                </li>
                <li>
                  <Link href="/register" className="hover:text-slate-900 hover:underline">
                    Create account
                  </Link>
                </li>
              </ul>
            </nav>
          </div>
        </footer>
      </body>
    </html>
  );
}
