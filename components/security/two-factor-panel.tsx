"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import {
  cancelEnrolmentAction,
  confirmEnrolmentAction,
  disableAction,
  regenerateRecoveryCodesAction,
  startEnrolmentAction,
} from "@/app/settings/security/actions";
import { Button, buttonClass } from "@/components/ui";
import { ErrorSummary, Notice, TextField } from "../form-fields";
import { initialSecurityState, type SecurityFormState } from "./form-state";

export interface TwoFactorView {
  enabled: boolean;
  /** Display text, e.g. "25 Nov 2026, 14:03 UTC". */
  enabledAt: string | null;
  /** An enrolment waiting for its first code. */
  pending: { qrSvgDataUrl: string; manualKey: string } | null;
  recoveryCodesLeft: number;
  /** Display text of the end of a running lock, else null. */
  lockedUntil: string | null;
}

function Outcome({ state, title }: { state: SecurityFormState; title: string }) {
  if (state.status === "error")
    return <ErrorSummary title={title} items={[{ message: state.message ?? "Try again." }]} />;
  return null;
}

/**
 * One client component for every 2FA state, so the recovery codes returned by confirming or
 * regenerating stay on screen after the page data refreshes underneath them.
 */
export function TwoFactorPanel({ view }: { view: TwoFactorView }) {
  const [startState, startAction, starting] = useActionState(startEnrolmentAction, initialSecurityState);
  const [cancelState, cancelAction, cancelling] = useActionState(cancelEnrolmentAction, initialSecurityState);
  const [confirmState, confirmAction, confirming] = useActionState(confirmEnrolmentAction, initialSecurityState);
  const [regenState, regenAction, regenerating] = useActionState(regenerateRecoveryCodesAction, initialSecurityState);
  const [disableState, disableFormAction, disabling] = useActionState(disableAction, initialSecurityState);

  // The newest set of codes wins; "I have saved them" hides it for good.
  const codesFrom = regenState.recoveryCodes ? regenState : confirmState.recoveryCodes ? confirmState : null;
  const [dismissed, setDismissed] = useState<string[] | null>(null);
  const codes = codesFrom?.recoveryCodes && codesFrom.recoveryCodes !== dismissed ? codesFrom.recoveryCodes : null;

  return (
    <div className="space-y-6">
      {codes && codesFrom ? (
        <RecoveryCodes codes={codes} message={codesFrom.message ?? ""} onDone={() => setDismissed(codes)} />
      ) : null}

      {view.lockedUntil ? (
        <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
          Too many wrong codes: two-factor checks are locked until {view.lockedUntil}.
        </div>
      ) : null}

      {!view.enabled && disableState.status === "done" ? <Notice>{disableState.message}</Notice> : null}

      {view.enabled ? (
        <>
          <div className="card p-6">
            <p className="flex flex-wrap items-center gap-2">
              <span className="inline-flex items-center rounded-full bg-emerald-100 px-2.5 py-0.5 text-sm font-semibold text-emerald-800">
                On
              </span>
              <span className="text-slate-700">
                Since {view.enabledAt}. Sign-in and withdrawals ask for a code from your authenticator app.
              </span>
            </p>
            <p className="mt-3 text-sm text-slate-700">
              Recovery codes left: <span className="font-semibold">{view.recoveryCodesLeft} of 10</span>.
              {view.recoveryCodesLeft <= 3 ? " Make new ones before you run out." : null}
            </p>
          </div>

          <div className="grid gap-6 lg:grid-cols-2">
            <form action={regenAction} className="card p-6" noValidate>
              <h3 className="font-semibold text-slate-900">New recovery codes</h3>
              <p className="mt-1 text-sm text-slate-600">Ten new codes replace all the old ones, used or not.</p>
              <div className="mt-4">
                <Outcome state={regenState} title="No new codes" />
                <CodeField id="regenerate-code" label="Code from your authenticator app" />
              </div>
              <Button type="submit" variant="secondary" className="mt-4" disabled={regenerating}>
                {regenerating ? "Making codes…" : "Make new recovery codes"}
              </Button>
            </form>

            <form action={disableFormAction} className="card p-6" noValidate>
              <h3 className="font-semibold text-slate-900">Turn off two-factor authentication</h3>
              <p className="mt-1 text-sm text-slate-600">
                Lost your phone? A recovery code works here too. Withdrawals need two-factor authentication.
              </p>
              <div className="mt-4">
                <Outcome state={disableState} title="Still on" />
                <TextField
                  id="disable-code"
                  name="code"
                  label="Authenticator code or recovery code"
                  autoComplete="one-time-code"
                  spellCheck={false}
                  autoCapitalize="none"
                  required
                  maxLength={32}
                />
              </div>
              <Button type="submit" variant="secondary" className="mt-4" disabled={disabling}>
                {disabling ? "Turning off…" : "Turn off"}
              </Button>
            </form>
          </div>
        </>
      ) : view.pending ? (
        <div className="card p-6">
          <ol className="space-y-6">
            <li>
              <h3 className="font-semibold text-slate-900">1. Scan this QR code with your authenticator app</h3>
              <p className="mt-1 text-sm text-slate-600">
                Google Authenticator, Authy, 1Password, Bitwarden and others work.
              </p>
              {/* eslint-disable-next-line @next/next/no-img-element -- a server-made SVG data URL, nothing to optimise */}
              <img
                src={view.pending.qrSvgDataUrl}
                alt="QR code holding your two-factor key (the same key is written out below)"
                width={200}
                height={200}
                className="mt-3 h-48 w-48 rounded-md border border-slate-200 bg-white p-1 sm:h-52 sm:w-52"
              />
            </li>
            <li>
              <h3 className="font-semibold text-slate-900">Or type the key in by hand</h3>
              <p className="mt-1 text-sm text-slate-600">Time-based, 6 digits, every 30 seconds.</p>
              <p className="mt-2">
                <span className="sr-only">Key: </span>
                <code
                  id="totp-manual-key"
                  className="rounded bg-slate-100 px-2 py-1 font-mono text-base tracking-wider break-all text-slate-900"
                >
                  {view.pending.manualKey}
                </code>
              </p>
            </li>
            <li>
              <form action={confirmAction} noValidate>
                <h3 className="font-semibold text-slate-900">2. Enter the code the app shows</h3>
                <div className="mt-3 max-w-xs">
                  <Outcome state={confirmState} title="Not turned on" />
                  <CodeField id="confirm-code" label="6-digit code" autoFocus={startState.status === "done"} />
                </div>
                <div className="mt-4 flex flex-wrap gap-3">
                  <Button type="submit" disabled={confirming}>
                    {confirming ? "Checking…" : "Turn on two-factor authentication"}
                  </Button>
                </div>
              </form>
            </li>
          </ol>
          <form action={cancelAction} className="mt-4 border-t border-slate-200 pt-4">
            <Outcome state={cancelState} title="Not cancelled" />
            <Button type="submit" variant="ghost" disabled={cancelling}>
              {cancelling ? "Cancelling…" : "Cancel set-up"}
            </Button>
          </form>
        </div>
      ) : (
        <div className="card p-6">
          {cancelState.status === "done" ? <Notice>{cancelState.message}</Notice> : null}
          <p className="flex flex-wrap items-center gap-2">
            <span className="inline-flex items-center rounded-full bg-slate-100 px-2.5 py-0.5 text-sm font-semibold text-slate-700">
              Off
            </span>
            <span className="text-slate-700">
              Your account is protected by your password only. Withdrawals need two-factor authentication.
            </span>
          </p>
          <form action={startAction} className="mt-4">
            <Outcome state={startState} title="Could not start" />
            <Button type="submit" disabled={starting}>
              {starting ? "Preparing…" : "Set up two-factor authentication"}
            </Button>
          </form>
        </div>
      )}
    </div>
  );
}

function CodeField({ id, label, autoFocus }: { id: string; label: string; autoFocus?: boolean }) {
  return (
    <TextField
      id={id}
      name="code"
      label={label}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={7}
      required
      autoFocus={autoFocus}
      className="max-w-[12rem]"
    />
  );
}

function RecoveryCodes({ codes, message, onDone }: { codes: string[]; message: string; onDone: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => headingRef.current?.focus(), [codes]);
  const text = `Hashlease recovery codes (each works once)\n\n${codes.join("\n")}\n`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <section aria-labelledby="recovery-codes-title" className="rounded-lg border border-emerald-300 bg-emerald-50 p-6">
      <p role="status" className="text-sm font-medium text-emerald-900">
        {message}
      </p>
      <h3
        id="recovery-codes-title"
        ref={headingRef}
        tabIndex={-1}
        className="mt-3 text-lg font-semibold text-slate-900"
      >
        Your recovery codes
      </h3>
      <p className="mt-1 text-sm text-slate-700">
        Shown only now. Each code signs you in once instead of an authenticator code. Keep them somewhere safe, away
        from your phone.
      </p>
      <ul
        aria-label="Recovery codes"
        className="mt-4 grid max-w-md grid-cols-2 gap-x-6 gap-y-2 font-mono text-base text-slate-900"
      >
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="mt-5 flex flex-wrap gap-3">
        <Button type="button" variant="secondary" onClick={copy}>
          {copied ? "Copied" : "Copy codes"}
        </Button>
        <a
          className={buttonClass({ variant: "secondary" })}
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
          download="hashlease-recovery-codes.txt"
        >
          Download as text
        </a>
        <Button type="button" onClick={onDone}>
          I have saved them
        </Button>
      </div>
    </section>
  );
}
