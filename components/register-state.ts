// The register form's state, shared by the server action and the client form: the one
// FormState (values never hold the password).
import { initialFormState, type FormState, type FormValues } from "./forms/form-state";

export type RegisterField = "name" | "email" | "password" | "accountType" | "acceptTerms";

export type RegisterFormState = FormState;

export const initialRegisterState: RegisterFormState = initialFormState();

/** What the fields show before the first submit. */
export const initialRegisterValues: FormValues = { name: "", email: "", accountType: "CUSTOMER" };
