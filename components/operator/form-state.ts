// What an operator form's server action answers, shared by the actions and the client forms.
// Everything is display-ready text: no BigInt or database rows cross to the browser.

export interface MovedRow {
  contract: string;
  status: string;
  moved: string;
  to: string;
}

export interface StrandedRowText {
  contract: string;
  status: string;
  hashrate: string;
}

export interface ImportErrorRow {
  line: number;
  field: string;
  message: string;
}

export interface ImportedRow {
  line: number;
  facility: string;
  model: string;
  serialNumber: string;
  algorithm: string;
  hashrate: string;
  status: string;
}

export interface OperatorFormState {
  status: "idle" | "error" | "done";
  /** A sentence for the whole form: what went wrong, or what was done. */
  message?: string;
  fieldErrors: Record<string, string>;
  /** What was submitted, to refill the fields after an error. */
  values: Record<string, string | string[]>;
  /** Rig status changes: what moved and what stays. */
  moved?: MovedRow[];
  stranded?: StrandedRowText[];
  /** CSV import: the problems per row (at most a few hundred), or the rigs imported. */
  importErrors?: ImportErrorRow[];
  importErrorCount?: number;
  imported?: ImportedRow[];
}

export const initialFormState: OperatorFormState = { status: "idle", fieldErrors: {}, values: {} };

/** The submitted value of a field, else the initial one. */
export function fieldValue(state: OperatorFormState, initial: Record<string, string | string[]>, name: string): string {
  const value = state.status === "error" && name in state.values ? state.values[name] : initial[name];
  return typeof value === "string" ? value : "";
}
