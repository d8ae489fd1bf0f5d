// A form's typed-in fields declared once, as data: each renders as a TextField bound to the form
// state (fieldReaders(...).field), and the same list names the fields in the error summary. A
// field's summary name is its label without a trailing unit in parentheses ("Power draw (W)" is
// "Power draw"), unless `summary` says otherwise. No hooks.
import { TextField, type TextFieldProps } from "../form-fields";

export type TextFieldSpec = Omit<TextFieldProps, "id" | "defaultValue" | "error"> & {
  /** The field's name in the error summary, when it is not the label without its unit. */
  summary?: string;
};

/** A field's binding to the form state: id, name, the value to show and the error. */
export type FieldBinding = (name: string) => { id: string; name: string; defaultValue: string; error?: string };

/** The fields in order, each bound by `field`. */
export function TextFieldList({ fields, field }: { fields: readonly TextFieldSpec[]; field: FieldBinding }) {
  return (
    <>
      {fields.map(({ summary: _summary, ...spec }) => (
        <TextField key={spec.name} {...field(spec.name)} {...spec} />
      ))}
    </>
  );
}

/** The fields as the error summary lists them (FormErrors/FormFeedback `fields`). */
export function summaryFields(fields: readonly TextFieldSpec[]): { name: string; label: string }[] {
  return fields.map((f) => ({ name: f.name, label: f.summary ?? f.label.replace(/ \([^)]*\)$/, "") }));
}
