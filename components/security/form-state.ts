// What the security settings' server actions answer, shared with the client forms: the one
// FormState (never the code typed in) plus fresh recovery codes.
import { initialFormState, type FormState } from "../forms/form-state";

export interface SecurityExtras {
  /** Fresh recovery codes: returned once, shown once, never stored in plaintext. */
  recoveryCodes?: string[];
}

export type SecurityFormState = FormState<SecurityExtras>;

export const initialSecurityState: SecurityFormState = initialFormState<SecurityExtras>();
