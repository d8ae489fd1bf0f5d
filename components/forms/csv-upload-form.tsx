"use client";

// The CSV upload form of the imports (rigs, network snapshots): one file input with its hint,
// a size check before sending, the summary of a refused file and the submit button.
import { useRef, useState, type FormEvent } from "react";
import { TwoFactorNote, useTwoFactorGate } from "@/components/auth/two-factor-gate";
import { ErrorSummary } from "../form-fields";
import { Button } from "../ui";

export function CsvUploadForm({
  formAction,
  pending,
  maxBytes,
  fieldId,
  label,
  hint,
  tooLarge,
  title,
  serverError,
  showFieldError = false,
}: {
  formAction: (formData: FormData) => void;
  pending: boolean;
  maxBytes: number;
  fieldId: string;
  label: string;
  hint: string;
  /** The sentence when the file is over maxBytes. */
  tooLarge: string;
  /** The summary's title when the file is refused. */
  title: string;
  serverError?: string;
  /** Repeat the error under the input, too. */
  showFieldError?: boolean;
}) {
  const gate = useTwoFactorGate();
  const [localError, setLocalError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  // Checked here too so a large file is refused before it is sent (the server checks again).
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const file = inputRef.current?.files?.[0];
    const problem = !file ? "Choose a CSV file to upload." : file.size > maxBytes ? tooLarge : null;
    setLocalError(problem);
    if (problem) {
      event.preventDefault();
      inputRef.current?.focus();
    }
  }

  const fileError = localError ?? serverError;
  const hintId = `${fieldId}-hint`;
  const errorId = showFieldError && fileError ? `${fieldId}-error` : undefined;
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="card p-6 sm:p-8">
      {fileError ? <ErrorSummary title={title} items={[{ fieldId, message: fileError }]} /> : null}
      <label htmlFor={fieldId} className="label">
        {label}
      </label>
      <p id={hintId} className="hint">
        {hint}
      </p>
      <input
        ref={inputRef}
        id={fieldId}
        name="file"
        type="file"
        accept=".csv,text/csv"
        required
        aria-invalid={fileError ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ")}
        className="mt-2 block w-full text-sm text-slate-700 file:mr-4 file:rounded-md file:border-0 file:bg-brand-50 file:px-4 file:py-2 file:text-sm file:font-semibold file:text-brand-800 hover:file:bg-brand-100"
      />
      {errorId ? (
        <p id={errorId} className="field-error">
          <span className="sr-only">Error: </span>
          {fileError}
        </p>
      ) : null}
      <Button type="submit" className="mt-6" disabled={pending || gate.blocked} aria-describedby={gate.describedBy}>
        {pending ? "Checking and importing…" : "Upload and import"}
      </Button>
      <TwoFactorNote />
    </form>
  );
}
