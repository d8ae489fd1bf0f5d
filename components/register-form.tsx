"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui";
import { ErrorSummary, TextField, type ErrorSummaryItem } from "./form-fields";
import { fieldValue } from "./forms/form-state";
import {
  initialRegisterState,
  initialRegisterValues,
  type RegisterField,
  type RegisterFormState,
} from "./register-state";

const FIELD_ORDER: { field: RegisterField; fieldId: string; label: string }[] = [
  { field: "name", fieldId: "name", label: "Full name" },
  { field: "email", fieldId: "email", label: "Email" },
  { field: "password", fieldId: "password", label: "Password" },
  { field: "accountType", fieldId: "accountType-CUSTOMER", label: "Account type" },
  { field: "acceptTerms", fieldId: "acceptTerms", label: "Terms of service" },
];

const ACCOUNT_TYPES = [
  { value: "CUSTOMER", label: "Rent hashrate", hint: "Buy contracts and receive daily payouts." },
  { value: "OPERATOR", label: "Host mining rigs", hint: "List your facilities' capacity. You can rent hashrate too." },
] as const;

export function RegisterForm({
  action,
}: {
  action: (state: RegisterFormState, formData: FormData) => Promise<RegisterFormState>;
}) {
  const [state, formAction, pending] = useActionState(action, initialRegisterState);
  const { fieldErrors } = state;
  const value = (name: RegisterField) => fieldValue(state, initialRegisterValues, name);
  // The summary names the fields and links to them; each message is shown once, at its field.
  const summary: ErrorSummaryItem[] = FIELD_ORDER.flatMap(({ field, fieldId, label }) =>
    fieldErrors[field] ? [{ fieldId, message: label }] : [],
  );
  const accountTypeError = fieldErrors.accountType;

  return (
    // After each answer React resets the uncontrolled fields to their defaults, which are the
    // values just submitted, so nothing but the password is lost.
    <form action={formAction} noValidate>
      <ErrorSummary
        title={
          summary.length === 1
            ? "Check this field and try again:"
            : `Check these ${summary.length} fields and try again:`
        }
        items={summary}
      />
      <div className="space-y-5">
        <TextField
          id="name"
          name="name"
          label="Full name"
          autoComplete="name"
          required
          defaultValue={value("name")}
          error={fieldErrors.name}
        />
        <TextField
          id="email"
          name="email"
          label="Email"
          type="email"
          autoComplete="email"
          inputMode="email"
          spellCheck={false}
          required
          defaultValue={value("email")}
          error={fieldErrors.email}
        />
        <TextField
          id="password"
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters. A passphrase of a few words works well."
          minLength={12}
          required
          error={fieldErrors.password}
        />
        <fieldset aria-describedby={accountTypeError ? "accountType-error" : undefined}>
          <legend className="label">What will you use Hashlease for?</legend>
          <div className="mt-2 grid gap-3 sm:grid-cols-2">
            {ACCOUNT_TYPES.map((type) => (
              <label
                key={type.value}
                htmlFor={`accountType-${type.value}`}
                className="flex cursor-pointer gap-3 rounded-md border border-slate-300 bg-white p-3 hover:border-slate-400 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
              >
                <input
                  id={`accountType-${type.value}`}
                  type="radio"
                  name="accountType"
                  value={type.value}
                  defaultChecked={value("accountType") === type.value}
                  aria-describedby={`accountType-${type.value}-hint`}
                  className="mt-1 h-4 w-4 accent-brand-600"
                />
                <span>
                  <span className="block text-sm font-medium text-slate-900">{type.label}</span>
                  <span id={`accountType-${type.value}-hint`} className="block text-sm text-slate-600">
                    {type.hint}
                  </span>
                </span>
              </label>
            ))}
          </div>
          {accountTypeError ? (
            <p id="accountType-error" className="field-error">
              <span className="sr-only">Error: </span>
              {accountTypeError}
            </p>
          ) : null}
        </fieldset>
        <div>
          <label htmlFor="acceptTerms" className="flex items-start gap-3 text-sm text-slate-700">
            <input
              id="acceptTerms"
              name="acceptTerms"
              type="checkbox"
              required
              defaultChecked={value("acceptTerms") === "on"}
              aria-invalid={fieldErrors.acceptTerms ? true : undefined}
              aria-describedby={fieldErrors.acceptTerms ? "acceptTerms-error" : undefined}
              className="mt-0.5 h-4 w-4 accent-brand-600"
            />
            <span>
              I accept the{" "}
              <Link href="/terms" className="link" target="_blank">
                terms of service
              </Link>
              , the{" "}
              <Link href="/risk" className="link" target="_blank">
                risk disclosure
              </Link>{" "}
              and the{" "}
              <Link href="/privacy" className="link" target="_blank">
                privacy notice
              </Link>
              .
            </span>
          </label>
          {fieldErrors.acceptTerms ? (
            <p id="acceptTerms-error" className="field-error">
              <span className="sr-only">Error: </span>
              {fieldErrors.acceptTerms}
            </p>
          ) : null}
        </div>
      </div>
      <div className="mt-6 flex flex-wrap items-center gap-3">
        <Button type="submit" className="w-full sm:w-auto" disabled={pending}>
          {pending ? "Creating account…" : "Create account"}
        </Button>
        <p className="text-sm text-slate-600">
          Already have an account?{" "}
          <Link href="/login" className="link">
            Log in
          </Link>
        </p>
      </div>
    </form>
  );
}
