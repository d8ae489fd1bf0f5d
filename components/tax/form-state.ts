// What the tax page's server actions answer, shared with the client forms.
export interface TaxFormState {
  status: "idle" | "error" | "done";
  message?: string;
  field?: "year" | "kind" | "confirm";
}

export const initialTaxFormState: TaxFormState = { status: "idle" };
