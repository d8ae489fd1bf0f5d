"use server";

// Server actions of /tax: choose hobby or business for a year, lock a year. The owner is
// always the signed-in user; the core (lib/tax/profiles.ts) runs each in one transaction
// with its audit line.
import { revalidatePath } from "next/cache";
import type { TaxFormState } from "@/components/tax/form-state";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { lockTaxYear, setTaxProfileKind } from "@/lib/tax/profiles";
import { requestIp } from "@/lib/http/next";

const PATH = "/tax";

export async function setProfileKindAction(_state: TaxFormState, formData: FormData): Promise<TaxFormState> {
  const user = await requireUser(PATH);
  const result = await setTaxProfileKind(db(), { userId: user.id, year: formData.get("year"), kind: formData.get("kind"), ip: await requestIp() });
  if (!result.ok) return { status: "error", message: result.message, field: Object.keys(result.fieldErrors ?? {})[0] as "year" | "kind" | undefined };
  revalidatePath(PATH);
  return { status: "done", message: `${result.year} is set to ${result.kind === "BUSINESS" ? "business" : "hobby"}.` };
}

export async function lockYearAction(_state: TaxFormState, formData: FormData): Promise<TaxFormState> {
  const user = await requireUser(PATH);
  if (formData.get("confirm") !== "yes") return { status: "error", message: "Tick the box to confirm that locking is final.", field: "confirm" };
  const result = await lockTaxYear(db(), { userId: user.id, year: formData.get("year"), expectedKind: formData.get("kind"), ip: await requestIp() });
  if (!result.ok) return { status: "error", message: result.message, field: Object.keys(result.fieldErrors ?? {})[0] as "year" | "kind" | undefined };
  revalidatePath(PATH);
  return { status: "done", message: `${result.year} is locked as ${result.kind === "BUSINESS" ? "business" : "hobby"}.` };
}
