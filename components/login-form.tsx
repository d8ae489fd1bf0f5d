"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui";
import { loginErrorMessages, type LoginError } from "@/lib/auth/messages";
import { ErrorSummary, TextField } from "./form-fields";
import { homeForRoles } from "./role-home";

type Step = "password" | "code";
type CodeKind = "totp" | "recovery";

const GENERIC_FAILURE = "Sign-in failed. Check your connection and try again.";

function messageFor(code: string): string {
  return code in loginErrorMessages ? loginErrorMessages[code as LoginError] : GENERIC_FAILURE;
}

export interface LoginFormProps {
  /** Already validated as a same-origin path, or null. */
  callbackUrl: string | null;
  initialEmail: string;
}

/**
 * Two steps: email + password, then — only when the account has two-factor sign-in — a
 * 6-digit code or a recovery code. The password step leaves a signed, httpOnly ticket
 * cookie behind, so the code step sends only the code: the password is not kept here.
 */
export function LoginForm({ callbackUrl, initialEmail }: LoginFormProps) {
  const router = useRouter();
  const [step, setStep] = useState<Step>("password");
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [codeKind, setCodeKind] = useState<CodeKind>("totp");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (step === "code") codeRef.current?.focus();
  }, [step, codeKind]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (step === "password" && (!email.trim() || !password)) {
      setError("Enter your email and your password.");
      return;
    }
    if (step === "code" && codeKind === "totp" && !/^\d{6}$/.test(code)) {
      setError("Enter the 6-digit code from your authenticator app.");
      codeRef.current?.focus();
      return;
    }
    if (step === "code" && codeKind === "recovery" && code.replace(/[\s-]/g, "").length !== 10) {
      setError("Enter one of your recovery codes: ten letters and digits, like abcde-12345.");
      codeRef.current?.focus();
      return;
    }
    setPending(true);
    setError(null);
    try {
      // Loaded on submit, so next-auth's client code stays out of the page's first load.
      const { getSession, signIn } = await import("next-auth/react");
      const result = await signIn(
        "credentials",
        step === "code" ? { code: code.trim(), redirect: false } : { email, password, redirect: false },
      );
      if (!result || result.error) {
        const failure = result?.error ?? "";
        if (step === "password" && failure === "SECOND_FACTOR_REQUIRED") {
          setPassword("");
          setStep("code");
          return;
        }
        if (failure === "SECOND_FACTOR_EXPIRED") {
          startOver();
          setError(messageFor(failure));
          return;
        }
        setError(messageFor(failure));
        if (step === "password") {
          setPassword("");
          passwordRef.current?.focus();
        } else {
          setCode("");
          codeRef.current?.focus();
        }
        return;
      }
      const session = await getSession();
      router.push(callbackUrl ?? homeForRoles(session?.user.roles ?? []));
      router.refresh();
    } catch {
      setError(GENERIC_FAILURE);
    } finally {
      setPending(false);
    }
  }

  function startOver() {
    setStep("password");
    setPassword("");
    setCode("");
    setCodeKind("totp");
    setError(null);
  }

  function switchCodeKind() {
    setCodeKind((kind) => (kind === "totp" ? "recovery" : "totp"));
    setCode("");
    setError(null);
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      {error ? <ErrorSummary title="Could not sign in" items={[{ message: error }]} /> : null}

      {step === "password" ? (
        <div className="space-y-5">
          <TextField
            id="email"
            name="email"
            label="Email"
            type="email"
            autoComplete="username"
            inputMode="email"
            spellCheck={false}
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
          <TextField
            id="password"
            name="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            inputRef={passwordRef}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
      ) : (
        <div className="space-y-5">
          <p className="text-sm text-slate-700">
            Signing in as <span className="font-medium text-slate-900">{email}</span>.{" "}
            {codeKind === "totp" ? loginErrorMessages.SECOND_FACTOR_REQUIRED : "Enter one of your recovery codes."}
          </p>
          {codeKind === "totp" ? (
            <TextField
              key="totp"
              id="code"
              name="code"
              label="Authenticator code"
              hint="6 digits, changes every 30 seconds."
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
              inputRef={codeRef}
              aria-invalid={error ? true : undefined}
              value={code}
              onChange={(event) => setCode(event.target.value.replace(/\D/g, "").slice(0, 6))}
            />
          ) : (
            <TextField
              key="recovery"
              id="code"
              name="code"
              label="Recovery code"
              hint="One of the ten codes you saved when you turned on two-factor authentication. Each works once."
              type="text"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={11}
              required
              inputRef={codeRef}
              aria-invalid={error ? true : undefined}
              value={code}
              onChange={(event) => setCode(event.target.value.slice(0, 11))}
            />
          )}
          <button type="button" className="link text-sm" onClick={switchCodeKind}>
            {codeKind === "totp" ? "Use a recovery code instead" : "Use your authenticator app instead"}
          </button>
        </div>
      )}

      <div className="mt-6 flex flex-wrap items-center gap-3">
        <Button type="submit" className="w-full sm:w-auto" disabled={pending}>
          {pending ? "Signing in…" : step === "code" ? "Verify and sign in" : "Sign in"}
        </Button>
        {step === "code" ? (
          <Button type="button" variant="ghost" onClick={startOver}>
            Use a different account
          </Button>
        ) : (
          <p className="text-sm text-slate-600">
            New here?{" "}
            <Link href="/register" className="link">
              Create an account
            </Link>
            {" · "}
            <Link href="/forgot-password" className="link">
              Forgot your password?
            </Link>
          </p>
        )}
      </div>
    </form>
  );
}
