// What the API key server actions answer, shared with the client forms.
export interface ApiKeyFormState {
  status: "idle" | "error" | "done";
  message?: string;
  /** What the create form sent, so a refused form keeps the user's input. */
  values?: { label: string; scopes: string[]; ipAllowlist: string };
  /** Field errors of the create form. */
  fieldErrors?: Partial<Record<"label" | "scopes" | "ipAllowlist", string>>;
  /** A fresh secret: returned once by create or rotate, shown once, stored only encrypted. */
  secret?: { keyId: string; label: string; secret: string; graceUntil: string | null; issuedAtMs: number };
}

export const initialApiKeyState: ApiKeyFormState = { status: "idle" };
