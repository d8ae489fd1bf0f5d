// What an admin form's server action answers: the operator forms' state (message, field
// errors, refill values, CSV problems per line) plus a warning and display-ready detail
// lines. Only text crosses to the browser.
import { initialFormState, type FormState } from "../forms/form-state";
import type { OperatorExtras } from "../operator/form-state";

export interface AdminExtras extends OperatorExtras {
  /** Something done that the admin must know about (e.g. settled payouts keep their inputs). */
  warning?: string;
  /** Detail lines of what was done: imported rows, the runs a settlement made. */
  lines?: string[];
  /** Pages about what was done, e.g. the payout runs a settlement made. */
  links?: { href: string; label: string }[];
}

export type AdminFormState = FormState<AdminExtras>;

export const initialAdminFormState: AdminFormState = initialFormState<AdminExtras>();
