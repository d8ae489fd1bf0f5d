// What the address book's server actions answer, shared with the client forms. Display-ready
// text only: no dates or database rows cross to the browser.
export interface AddressBookFormState {
  status: "idle" | "error" | "done";
  /** A sentence for the whole form: what went wrong, or what was done. */
  message?: string;
  fieldErrors: Record<string, string>;
  /** What was submitted, to refill the fields after an error (never the 2FA code). */
  values: Record<string, string>;
  /** The user has no 2FA yet: the form links to its set-up. */
  twoFactorRequired?: boolean;
}

export const initialAddressBookState: AddressBookFormState = { status: "idle", fieldErrors: {}, values: {} };
