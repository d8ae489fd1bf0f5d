"use server";

// Server actions of the withdrawal address book. Each one: parse the form with zod -> check
// the session and the CUSTOMER role (the entry's owner is the signed-in user, never an id
// from the form) -> one core function, one transaction -> revalidate. Refusals come back as
// form state; only unexpected failures throw.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { AddressBookFormState } from "@/components/wallet/address-book-state";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { parseInput } from "@/lib/shared/result";
import { addAddressInputSchema, addWithdrawalAddress, deleteWithdrawalAddress, utcMinute } from "@/lib/wallet/address-book";
import { requestIp } from "@/lib/http/next";

const PATH = "/wallet/addresses";

function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

export async function addAddressAction(_state: AddressBookFormState, formData: FormData): Promise<AddressBookFormState> {
  const values = { coin: text(formData, "coin"), address: text(formData, "address"), label: text(formData, "label") };
  const user = await requireRole("CUSTOMER", PATH);
  const parsed = parseInput(addAddressInputSchema, { ...values, totpCode: text(formData, "totpCode") });
  if (!parsed.ok) return { status: "error", message: parsed.message, fieldErrors: parsed.fieldErrors ?? {}, values };
  const result = await addWithdrawalAddress(db(), { userId: user.id, input: parsed.value, ip: await requestIp() });
  if (!result.ok) {
    return { status: "error", message: result.message, fieldErrors: result.fieldErrors ?? {}, values, twoFactorRequired: result.code === "TWO_FACTOR_REQUIRED" };
  }
  revalidatePath(PATH);
  revalidatePath("/wallet");
  return {
    status: "done",
    message: `Address “${parsed.value.label}” added (${result.format}). It can receive withdrawals from ${utcMinute(result.usableAfter)}, 48 hours from now.`,
    fieldErrors: {},
    values: {},
  };
}

export async function deleteAddressAction(_state: AddressBookFormState, formData: FormData): Promise<AddressBookFormState> {
  const user = await requireRole("CUSTOMER", PATH);
  const result = await deleteWithdrawalAddress(db(), { userId: user.id, addressId: text(formData, "addressId"), ip: await requestIp() });
  if (!result.ok) return { status: "error", message: result.message, fieldErrors: {}, values: {} };
  revalidatePath(PATH);
  revalidatePath("/wallet");
  redirect(`${PATH}?notice=address-deleted`);
}
