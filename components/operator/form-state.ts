// What an operator form's server action answers: the one FormState (components/forms/form-state.ts)
// with the operator forms' extras. Everything is display-ready text: no BigInt or database rows
// cross to the browser.
import { initialFormState as emptyFormState, type FormState } from "../forms/form-state";

export { fieldReaders, fieldValue } from "../forms/form-state";

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

export interface OperatorExtras {
  /** Rig status changes: what moved and what stays. */
  moved?: MovedRow[];
  stranded?: StrandedRowText[];
  /** CSV import: the problems per row (at most a few hundred), or the rigs imported. */
  importErrors?: ImportErrorRow[];
  importErrorCount?: number;
  imported?: ImportedRow[];
}

export type OperatorFormState = FormState<OperatorExtras>;

export const initialFormState: OperatorFormState = emptyFormState<OperatorExtras>();
