// Form pieces the operator forms share beyond components/form-fields.tsx: a labelled select
// with hint and error, and the error summary built from a form state. No hooks.
import type { ReactNode, SelectHTMLAttributes } from "react";
import { ErrorSummary } from "../form-fields";
import type { OperatorFormState } from "./form-state";

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "name" | "children"> {
  id: string;
  name: string;
  label: string;
  options: { value: string; label: string }[];
  hint?: ReactNode;
  error?: string;
}

export function SelectField({ id, name, label, options, hint, error, className, ...select }: SelectFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
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
      <select
        id={id}
        name={name}
        className="input mt-1.5"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {error ? (
        <p id={errorId} className="field-error">
          <span className="sr-only">Error: </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The summary above a form after a refused submit: the form-level message, then each field
 * in form order, linking to it. Field ids are `${prefix}${field}`.
 */
export function FormErrors({
  state,
  fields,
  prefix = "",
}: {
  state: OperatorFormState;
  fields: { name: string; label: string; fieldId?: string }[];
  prefix?: string;
}) {
  if (state.status !== "error") return null;
  const items = fields.flatMap((field) =>
    state.fieldErrors[field.name]
      ? [
          {
            fieldId: field.fieldId ?? `${prefix}${field.name}`,
            message: `${field.label}: ${state.fieldErrors[field.name]}`,
          },
        ]
      : [],
  );
  const known = new Set(fields.map((f) => f.name));
  const other = Object.entries(state.fieldErrors)
    .filter(([name]) => !known.has(name))
    .map(([, message]) => ({ message }));
  const title = state.message ?? "There is a problem";
  if (items.length === 0 && other.length === 0)
    return <ErrorSummary title={title} items={[{ message: "Nothing was saved." }]} />;
  return <ErrorSummary title={title} items={[...other, ...items]} />;
}
