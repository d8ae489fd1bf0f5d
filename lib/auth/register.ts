import { z } from "zod";
import type { PrismaClient } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { Role } from "../generated/prisma/enums";
import { normalizeEmail } from "./login";
import { hashPassword } from "./password";

export const registrationSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(100, "Name is too long (100 characters at most)."),
  email: z.string().trim().max(254, "Email is too long.").pipe(z.email("Enter a valid email address.")),
  password: z
    .string()
    .min(12, "Use at least 12 characters for your password.")
    .max(200, "Password is too long (200 characters at most)."),
  /** People sign up to rent hashrate or to host rigs; admins are never self-registered. */
  accountType: z.enum(["CUSTOMER", "OPERATOR"], { error: "Choose an account type." }),
});

export type RegistrationInput = z.input<typeof registrationSchema>;
export type RegistrationResult =
  | { ok: true; userId: string }
  | {
      ok: false;
      code: "INVALID" | "CONFLICT";
      message: string;
      fieldErrors: Partial<Record<keyof RegistrationInput, string>>;
    };

const EMAIL_TAKEN = "An account with this email already exists. Sign in instead.";

export async function registerUser(prisma: PrismaClient, raw: unknown): Promise<RegistrationResult> {
  const parsed = registrationSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Partial<Record<keyof RegistrationInput, string>> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof RegistrationInput | undefined;
      if (key && !fieldErrors[key]) fieldErrors[key] = issue.message;
    }
    const count = Object.keys(fieldErrors).length;
    return {
      ok: false,
      code: "INVALID",
      message: count === 1 ? "Check the field marked below." : `Check the ${count} fields marked below.`,
      fieldErrors,
    };
  }
  const { name, email, password, accountType } = parsed.data;
  const roles: Role[] = accountType === "OPERATOR" ? [Role.OPERATOR, Role.CUSTOMER] : [Role.CUSTOMER];
  try {
    const user = await prisma.user.create({
      data: { name, email: normalizeEmail(email), passwordHash: await hashPassword(password), roles },
      select: { id: true },
    });
    return { ok: true, userId: user.id };
  } catch (error) {
    if (isUniqueViolation(error)) {
      return { ok: false, code: "CONFLICT", message: EMAIL_TAKEN, fieldErrors: { email: EMAIL_TAKEN } };
    }
    throw error;
  }
}
