// Accessible form pieces: every input and select has a label, its hint and error are tied to it with
// aria-describedby, and aria-invalid marks a field with an error. No hooks, so both server
// and client components can use them.
import Link from "next/link";
import type { InputHTMLAttributes, ReactNode, RefObject, SelectHTMLAttributes } from "react";

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const joined = ids.filter(Boolean).join(" ");
  return joined || undefined;
}

/**
 * The frame every field shares: the label, the hint under it, the control, and the error
 * after it. The control gets the ids to point aria-describedby at.
 */
function FieldFrame({
  id,
  label,
  hint,
  error,
  className,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  className?: string;
  children: (aria: { "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      {children({ "aria-invalid": error ? true : undefined, "aria-describedby": describedBy(hintId, errorId) })}
      {error ? (
        <p id={errorId} className="field-error">
          <span className="sr-only">Error: </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A typed-in number (amounts, hashrates, prices): the decimal keypad on phones, no autofill. */
export const DECIMAL_INPUT = { inputMode: "decimal", autoComplete: "off" } as const;
/** A typed-in whole number (days, watts): the numeric keypad on phones, no autofill. */
export const INTEGER_INPUT = { inputMode: "numeric", autoComplete: "off" } as const;

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name" | "children"> {
  id: string;
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  inputRef?: RefObject<HTMLInputElement | null>;
}

export function TextField({ id, name, label, hint, error, inputRef, className, ...input }: TextFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      {(aria) => <input ref={inputRef} id={id} name={name} className="input mt-1.5" {...aria} {...input} />}
    </FieldFrame>
  );
}

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "name" | "children"> {
  id: string;
  name: string;
  label: string;
  options: { value: string; label: string }[];
  hint?: ReactNode;
  error?: string;
}

export function SelectField({ id, name, label, options, hint, error, className, ...select }: SelectFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      {(aria) => (
        <select id={id} name={name} className="input mt-1.5" {...aria} {...select}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export interface ErrorSummaryItem {
  /** The id of the field to jump to, or undefined for a form-level error. */
  fieldId?: string;
  message: string;
}

/** The current code of the person's authenticator app (TOTP), never refilled after a refusal. */
export function OneTimeCodeField({
  label = "Code from your authenticator app",
  ...props
}: Omit<TextFieldProps, "label"> & { label?: string }) {
  return (
    <TextField
      {...props}
      label={label}
      defaultValue=""
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={9}
    />
  );
}

/** The list of what went wrong, announced at once (role="alert") and linking to fields. */
export function ErrorSummary({ title = "There is a problem", items }: { title?: string; items: ErrorSummaryItem[] }) {
  if (items.length === 0) return null;
  return (
    <div role="alert" className="mb-6 rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
      <p className="font-semibold">{title}</p>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        {items.map((item) => (
          <li key={`${item.fieldId ?? "form"}:${item.message}`}>
            {item.fieldId ? (
              <a href={`#${item.fieldId}`} className="underline underline-offset-2 hover:text-red-950">
                {item.message}
              </a>
            ) : (
              item.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A one-line confirmation (role="status"), e.g. "Account created — sign in". */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <div
      role="status"
      className="mb-6 rounded-md border border-emerald-300 bg-emerald-50 p-4 text-sm font-medium text-emerald-900"
    >
      {children}
    </div>
  );
}

/**
 * A form action's answer beside its button: an alert when it failed, a polite status when it
 * worked; nothing before the first answer. `wide` puts it on a line of its own in a flex row.
 */
export function ActionOutcome({
  state,
  id,
  wide = false,
}: {
  state: { status: string; message?: string | null; twoFactorRequired?: boolean };
  id?: string;
  wide?: boolean;
}) {
  if (!state.message) return null;
  const failed = state.status === "error";
  const className = failed ? "field-error" : "text-sm text-emerald-800";
  return (
    <p id={id} role={failed ? "alert" : "status"} className={wide ? `${className} w-full` : className}>
      {state.message}
      {failed && state.twoFactorRequired ? (
        <>
          {" "}
          <Link href="/settings/security" className="link">
            Two-factor settings
          </Link>
        </>
      ) : null}
    </p>
  );
}
