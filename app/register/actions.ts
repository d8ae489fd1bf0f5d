"use server";

// Sign-up, as formAction (app/_lib/form-action.ts) for anyone (no session): registerUser
// validates (zod, the same schema as here, then the password policy) and creates a customer or
// operator account with a verification mail, or mails the owner of a taken address; the answer is
// the same either way, and the password is never echoed back.
import { formAction } from "@/app/_lib/form-action";
import { registerUser, registrationSchema } from "@/lib/auth/register";
import { db } from "@/lib/db/client";

/** Creates a customer or operator account; validation lives in registerUser. */
export const registerAction = formAction({
  role: "ANYONE",
  path: "/register",
  schema: registrationSchema,
  secret: ["password"],
  run: ({ input, ip }) => registerUser(db(), input, { ip }),
  // The same answer for a new and a taken address (no email in the URL either): the mail tells.
  done: { redirect: "/login?registered=1" },
});
