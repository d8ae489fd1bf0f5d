"use client";

// The banner of a page that hosts money actions (lib/auth/two-factor-guard.ts) when this account
// or session may not take them, and the context its forms read: their submit buttons are
// disabled and described by the banner (why, and where 2FA is turned on). The server refuses the
// action anyway; this only spares a click that cannot succeed. Outside a gate nothing is blocked.
import Link from "next/link";
import { createContext, useContext, type ReactNode } from "react";
import type { MoneyActionReadiness } from "@/lib/auth/two-factor-guard";

const SETTINGS_PATH = "/settings/security";
const BANNER_ID = "two-factor-required";

interface Gate {
  blocked: boolean;
  /** The id of the banner's sentence, for the disabled buttons' aria-describedby. */
  describedBy?: string;
}

const GateContext = createContext<Gate>({ blocked: false });

/** Whether this page's money buttons are disabled, and what explains it. */
export function useTwoFactorGate(): Gate {
  return useContext(GateContext);
}

export function TwoFactorGate({
  readiness,
  purpose,
  children,
}: {
  readiness: MoneyActionReadiness;
  /** What the page's actions do, as a sentence ends: "approve, reject and send withdrawals". */
  purpose: string;
  children: ReactNode;
}) {
  if (readiness.ready) return <>{children}</>;
  return (
    <GateContext.Provider value={{ blocked: true, describedBy: BANNER_ID }}>
      <div
        role="region"
        aria-labelledby={`${BANNER_ID}-title`}
        className="mb-6 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950"
      >
        <h2 id={`${BANNER_ID}-title`} className="font-semibold">
          {readiness.reason === "off" ? "Two-factor authentication is off" : "Signed in without an authenticator code"}
        </h2>
        <p id={BANNER_ID} className="mt-1">
          {readiness.reason === "off"
            ? `Turn on two-factor authentication to ${purpose}. Until then the buttons that move money are disabled.`
            : `Sign out and sign in again with your authenticator code to ${purpose}. Until then the buttons that move money are disabled.`}
        </p>
        {readiness.reason === "off" ? (
          <p className="mt-2">
            <Link href={SETTINGS_PATH} className="link font-medium">
              Turn on two-factor authentication
            </Link>
          </p>
        ) : null}
      </div>
      {children}
    </GateContext.Provider>
  );
}

/** Beside a disabled money button: why it is disabled. */
export function TwoFactorNote() {
  const gate = useTwoFactorGate();
  if (!gate.blocked) return null;
  return <span className="text-xs text-amber-900">Needs two-factor authentication (see above)</span>;
}
