// What the tax page's server actions answer, shared with the client forms: the one FormState
// (a refused field is in fieldErrors: year, kind or confirm).
import { initialFormState, type FormState } from "../forms/form-state";

export type TaxFormState = FormState;

export const initialTaxFormState: TaxFormState = initialFormState();
