"use server";

// Server actions of /settings/api-keys, each one formAction (app/_lib/form-action.ts). The user
// id always comes from the session; the core functions (lib/api/keys.ts) check scopes against
// the user's roles and ownership, write the change and its audit line in one transaction.
import { z } from "zod";
import { asRefusal, doneState, firstFieldError, formAction, revalidate } from "@/app/_lib/form-action";
import type { ApiKeyFormState } from "@/components/api-keys/form-state";
import { formatInstantUtc } from "@/components/format";
import { createApiKey, revokeApiKey, rotateApiKey } from "@/lib/api/keys";
import { db } from "@/lib/db/client";
import { refuse } from "@/lib/shared/result";

const PATH = "/settings/api-keys";

const createSchema = z.object({
  label: z.string().trim().min(1, "Give the key a label.").max(64, "The label is at most 64 characters."),
  scopes: z.array(z.string()).min(1, "Choose at least one scope."),
  ipAllowlist: z.string().max(2000, "The allowlist is too long."),
});

const keySchema = z.object({ key: z.uuid("That is not a key.") });

export const createApiKeyAction = formAction({
  role: "USER",
  path: PATH,
  schema: createSchema,
  invalidMessage: () => "The key was not created.",
  run: async ({ user, ip, input }) => {
    const result = await createApiKey(db(), { userId: user.id, ip, ...input });
    if (result.ok) return result;
    // A refusal about the key itself (not a field of this form) is shown above the form only.
    const { key: _key, ...fieldErrors } = asRefusal(result).fieldErrors ?? {};
    return refuse(result.code, result.message, fieldErrors);
  },
  done: (result): ApiKeyFormState => {
    revalidate(PATH);
    return doneState(`Key "${result.key.label}" created.`, {
      secret: {
        keyId: result.key.keyId,
        label: result.key.label,
        secret: result.secret,
        graceUntil: null,
        issuedAtMs: Date.now(),
      },
    });
  },
});

export const rotateApiKeyAction = formAction({
  role: "USER",
  path: PATH,
  schema: keySchema,
  invalidMessage: firstFieldError,
  run: ({ user, ip, input }) => rotateApiKey(db(), { userId: user.id, ip, key: input.key }),
  refused: () => revalidate(PATH),
  done: (result): ApiKeyFormState => {
    revalidate(PATH);
    return doneState(`Key "${result.key.label}" rotated.`, {
      secret: {
        keyId: result.key.keyId,
        label: result.key.label,
        secret: result.secret,
        graceUntil: result.key.previousValidUntil ? formatInstantUtc(result.key.previousValidUntil) : null,
        issuedAtMs: Date.now(),
      },
    });
  },
});

export const revokeApiKeyAction = formAction({
  role: "USER",
  path: PATH,
  schema: keySchema,
  invalidMessage: firstFieldError,
  run: ({ user, ip, input }) => revokeApiKey(db(), { userId: user.id, ip, key: input.key }),
  refused: () => revalidate(PATH),
  done: {
    revalidate: PATH,
    message: (result) => `Key "${result.key.label}" revoked. Requests signed with it are refused from now on.`,
  },
});
