// What the API key server actions answer, shared with the client forms: the one FormState
// (the create form's field errors and refill values) plus the fresh secret.
import { initialFormState, type FormState } from "../forms/form-state";

export interface ApiKeyExtras {
  /** A fresh secret: returned once by create or rotate, shown once, stored only encrypted. */
  secret?: { keyId: string; label: string; secret: string; graceUntil: string | null; issuedAtMs: number };
}

export type ApiKeyFormState = FormState<ApiKeyExtras>;

export const initialApiKeyState: ApiKeyFormState = initialFormState<ApiKeyExtras>();
