// Form pieces the operator forms share beyond components/form-fields.tsx: the error summary
// built from a form state, the feedback (that summary, or the done message) above a form, and
// the save and leave buttons under it. No hooks here; the feedback takes focus through
// FocusOnShow (a client component).
import { FocusOnShow } from "../focus-on-show";
import { ErrorSummary } from "../form-fields";
import { Button, LinkButton } from "../ui";
import type { OperatorFormState } from "./form-state";

export { SelectField, type SelectFieldProps } from "../form-fields";

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

/** Above a form: the error summary after a refusal, or the one-line done message; either takes focus. */
export function FormFeedback({
  state,
  fields,
  prefix,
}: {
  state: OperatorFormState;
  fields: { name: string; label: string; fieldId?: string }[];
  prefix?: string;
}) {
  if (state.status === "idle") return null;
  return (
    <FocusOnShow signal={state}>
      <FormErrors state={state} fields={fields} prefix={prefix} />
      {state.status === "done" && state.message ? (
        <p
          role="status"
          className="mb-6 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm font-medium text-emerald-900"
        >
          {state.message}
        </p>
      ) : null}
    </FocusOnShow>
  );
}

/** Under an operator form: the save button (disabled while saving) and the way back to the overview. */
export function SaveOrLeave({
  pending,
  submitLabel,
  leaveLabel,
}: {
  pending: boolean;
  submitLabel: string;
  leaveLabel: string;
}) {
  return (
    <div className="mt-6 flex flex-wrap items-center gap-3">
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : submitLabel}
      </Button>
      <LinkButton href="/operator" variant="ghost">
        {leaveLabel}
      </LinkButton>
    </div>
  );
}
