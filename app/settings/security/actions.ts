"use server";

// Server actions of the security settings. Each one: parse the form with zod -> check the
// session (the user id always comes from the session, never from the form) -> one core
// function in one transaction -> revalidate. Refusals come back as form state.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { SecurityFormState } from "@/components/security/form-state";
import { requireUser } from "@/lib/auth/session";
import { reissueSessionCookie } from "@/lib/auth/session-cookie";
import {
  cancelTotpEnrolment,
  confirmTotpEnrolment,
  disableTwoFactor,
  regenerateRecoveryCodes,
  startTotpEnrolment,
} from "@/lib/auth/two-factor";
import { db } from "@/lib/db/client";
import { requestIp } from "@/lib/http/next";

const PATH = "/settings/security";
const codeSchema = z.string().trim().min(1, "Enter a code.").max(64, "That is not a code.");

function parseCode(formData: FormData): { ok: true; code: string } | { ok: false; state: SecurityFormState } {
  const parsed = codeSchema.safeParse(formData.get("code") ?? "");
  if (!parsed.success) return { ok: false, state: { status: "error", message: parsed.error.issues[0]?.message ?? "Enter a code." } };
  return { ok: true, code: parsed.data };
}

async function actor() {
  const user = await requireUser(PATH);
  return { userId: user.id, ip: await requestIp() };
}

export async function startEnrolmentAction(): Promise<SecurityFormState> {
  const result = await startTotpEnrolment(db(), await actor());
  revalidatePath(PATH);
  return result.ok ? { status: "done", message: "Scan the QR code, then enter the code your app shows." } : { status: "error", message: result.message };
}

export async function cancelEnrolmentAction(): Promise<SecurityFormState> {
  const result = await cancelTotpEnrolment(db(), await actor());
  revalidatePath(PATH);
  return result.ok ? { status: "done", message: "Set-up cancelled. Two-factor authentication stays off." } : { status: "error", message: result.message };
}

export async function confirmEnrolmentAction(_state: SecurityFormState, formData: FormData): Promise<SecurityFormState> {
  const input = parseCode(formData);
  if (!input.ok) return input.state;
  const who = await actor();
  const result = await confirmTotpEnrolment(db(), { ...who, code: input.code });
  if (!result.ok) return { status: "error", message: result.message };
  // Every other session is now void; this browser keeps its sign-in.
  const kept = await reissueSessionCookie(who.userId, result.sessionsValidAfter);
  revalidatePath(PATH);
  return {
    status: "done",
    message: kept
      ? "Two-factor authentication is on. Other sessions were signed out."
      : "Two-factor authentication is on. All sessions were signed out: sign in again with your code.",
    recoveryCodes: result.recoveryCodes,
  };
}

export async function regenerateRecoveryCodesAction(_state: SecurityFormState, formData: FormData): Promise<SecurityFormState> {
  const input = parseCode(formData);
  if (!input.ok) return input.state;
  const result = await regenerateRecoveryCodes(db(), { ...(await actor()), code: input.code });
  revalidatePath(PATH);
  if (!result.ok) return { status: "error", message: result.message };
  return { status: "done", message: "New recovery codes made. The old ones no longer work.", recoveryCodes: result.recoveryCodes };
}

export async function disableAction(_state: SecurityFormState, formData: FormData): Promise<SecurityFormState> {
  const input = parseCode(formData);
  if (!input.ok) return input.state;
  const result = await disableTwoFactor(db(), { ...(await actor()), code: input.code });
  revalidatePath(PATH);
  if (!result.ok) return { status: "error", message: result.message };
  return { status: "done", message: "Two-factor authentication is off. Your recovery codes no longer work." };
}
