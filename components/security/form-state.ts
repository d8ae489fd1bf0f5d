// What the security settings' server actions answer, shared with the client forms.
export interface SecurityFormState {
  status: "idle" | "error" | "done";
  /** A sentence for the whole form: what went wrong, or what was done. */
  message?: string;
  /** Fresh recovery codes: returned once, shown once, never stored in plaintext. */
  recoveryCodes?: string[];
}

export const initialSecurityState: SecurityFormState = { status: "idle" };
