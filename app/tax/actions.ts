"use server";

// Server actions of /tax: choose hobby or business for a year, lock a year. Both are
// formAction (app/_lib/form-action.ts); the owner is always the signed-in user; the core
// (lib/tax/profiles.ts) validates the year and kind and runs each in one transaction with its
// audit line.
import { z } from "zod";
import { asResult, firstFieldError, formAction } from "@/app/_lib/form-action";
import { db } from "@/lib/db/client";
import { lockTaxYear, setTaxProfileKind } from "@/lib/tax/profiles";

const PATH = "/tax";
const kindText = (kind: string) => (kind === "BUSINESS" ? "business" : "hobby");

export const setProfileKindAction = formAction({
  role: "USER",
  path: PATH,
  schema: z.object({ year: z.string(), kind: z.string() }),
  run: ({ user, ip, input }) =>
    asResult(setTaxProfileKind(db(), { userId: user.id, year: input.year, kind: input.kind, ip })),
  done: { revalidate: PATH, message: (result) => `${result.year} is set to ${kindText(result.kind)}.` },
});

export const lockYearAction = formAction({
  role: "USER",
  path: PATH,
  schema: z.object({
    year: z.string(),
    kind: z.string(),
    confirm: z.literal("yes", { error: "Tick the box to confirm that locking is final." }),
  }),
  invalidMessage: firstFieldError,
  run: ({ user, ip, input }) =>
    asResult(lockTaxYear(db(), { userId: user.id, year: input.year, expectedKind: input.kind, ip })),
  done: { revalidate: PATH, message: (result) => `${result.year} is locked as ${kindText(result.kind)}.` },
});
