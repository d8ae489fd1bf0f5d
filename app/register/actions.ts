"use server";

// Sign-up, as formAction (app/_lib/form-action.ts) for anyone (no session): registerUser
// validates (zod, the same schema as here) and creates a customer or operator account; the
// password is never echoed back.
import { formAction } from "@/app/_lib/form-action";
import { registerUser, registrationSchema } from "@/lib/auth/register";
import { db } from "@/lib/db/client";
import { invalid, type FieldErrors } from "@/lib/shared/result";

/** Creates a customer or operator account; validation lives in registerUser (zod). */
export const registerAction = formAction({
  role: "ANYONE",
  path: "/register",
  schema: registrationSchema,
  secret: ["password"],
  run: async ({ input }) => {
    const result = await registerUser(db(), input);
    return result.ok ? result : invalid("Check the field marked below.", result.fieldErrors as FieldErrors);
  },
  done: {
    redirect: (_created, _args, { input }) =>
      `/login?registered=1&email=${encodeURIComponent(input.email.trim().toLowerCase())}`,
  },
});
