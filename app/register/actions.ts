"use server";

import { redirect } from "next/navigation";
import { registerUser } from "@/lib/auth/register";
import { db } from "@/lib/db/client";
import type { RegisterFormState } from "@/components/register-state";

function text(formData: FormData, key: string): string {
  const value = formData.get(key);
  return typeof value === "string" ? value : "";
}

/** Creates a customer or operator account; validation lives in registerUser (zod). */
export async function registerAction(_previous: RegisterFormState, formData: FormData): Promise<RegisterFormState> {
  const input = {
    name: text(formData, "name"),
    email: text(formData, "email"),
    password: text(formData, "password"),
    accountType: text(formData, "accountType"),
  };
  const result = await registerUser(db(), input);
  if (!result.ok) {
    return {
      fieldErrors: result.fieldErrors,
      values: { name: input.name, email: input.email, accountType: input.accountType },
    };
  }
  redirect(`/login?registered=1&email=${encodeURIComponent(input.email.trim().toLowerCase())}`);
}
