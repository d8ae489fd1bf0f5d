// The register form's state, shared by the server action and the client form.
export type RegisterField = "name" | "email" | "password" | "accountType";

export interface RegisterFormState {
  fieldErrors: Partial<Record<RegisterField, string>>;
  /** What was entered, to refill the form; never the password. */
  values: { name: string; email: string; accountType: string };
}

export const initialRegisterState: RegisterFormState = {
  fieldErrors: {},
  values: { name: "", email: "", accountType: "CUSTOMER" },
};
