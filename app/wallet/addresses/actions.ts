"use server";

// Server actions of the withdrawal address book, each one formAction (app/_lib/form-action.ts):
// check the session and the CUSTOMER role (the entry's owner is the signed-in user, never an
// id from the form) -> parse the form with zod (the 2FA code is never echoed back) -> one core
// function, one transaction -> revalidate. Refusals come back as form state; only unexpected
// failures throw.
import { z } from "zod";
import { formAction } from "@/app/_lib/form-action";
import type { AddressBookFormState } from "@/components/wallet/address-book-state";
import { db } from "@/lib/db/client";
import { formatInstantUtc } from "@/lib/shared/days";
import { addAddressInputSchema, addWithdrawalAddress, deleteWithdrawalAddress } from "@/lib/wallet/address-book";

const PATH = "/wallet/addresses";

export const addAddressAction = formAction({
  role: "CUSTOMER",
  path: PATH,
  schema: addAddressInputSchema,
  secret: ["totpCode"],
  run: ({ user, ip, input }) => addWithdrawalAddress(db(), { userId: user.id, input, ip }),
  refused: (refusal): Partial<AddressBookFormState> => ({ twoFactorRequired: refusal.code === "TWO_FACTOR_REQUIRED" }),
  done: {
    revalidate: [PATH, "/wallet"],
    message: (result, _args, { input }) =>
      `Address “${input.label}” added (${result.format}). It can receive withdrawals from ${formatInstantUtc(result.usableAfter)}, 48 hours from now.`,
  },
});

export const deleteAddressAction = formAction({
  role: "CUSTOMER",
  path: PATH,
  schema: z.object({ addressId: z.string() }),
  run: ({ user, ip, input }) => deleteWithdrawalAddress(db(), { userId: user.id, addressId: input.addressId, ip }),
  done: { revalidate: [PATH, "/wallet"], redirect: `${PATH}?notice=address-deleted` },
});
