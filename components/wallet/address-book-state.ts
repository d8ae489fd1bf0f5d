// What the address book's server actions answer, shared with the client forms: the one
// FormState (values never hold the 2FA code). Display-ready text only: no dates or database
// rows cross to the browser.
import { initialFormState, type FormState } from "../forms/form-state";

export interface AddressBookExtras {
  /** The user has no 2FA yet: the form links to its set-up. */
  twoFactorRequired?: boolean;
}

export type AddressBookFormState = FormState<AddressBookExtras>;

export const initialAddressBookState: AddressBookFormState = initialFormState<AddressBookExtras>();
