"use server";

// Server actions of /settings/api-keys. The user id always comes from the session; the core
// functions (lib/api/keys.ts) check scopes against the user's roles and ownership, write the
// change and its audit line in one transaction.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ApiKeyFormState } from "@/components/api-keys/form-state";
import { formatInstantUtc } from "@/components/format";
import { requestIp } from "@/lib/http/next";
import { createApiKey, revokeApiKey, rotateApiKey, type KeyField } from "@/lib/api/keys";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";

const PATH = "/settings/api-keys";

const createSchema = z.object({
  label: z.string().trim().min(1, "Give the key a label.").max(64, "The label is at most 64 characters."),
  scopes: z.array(z.string()).min(1, "Choose at least one scope."),
  ipAllowlist: z.string().max(2000, "The allowlist is too long."),
});

const keySchema = z.object({ key: z.uuid("That is not a key.") });

async function actor() {
  const user = await requireUser(PATH);
  return { userId: user.id, ip: await requestIp() };
}

export async function createApiKeyAction(_state: ApiKeyFormState, formData: FormData): Promise<ApiKeyFormState> {
  const values = {
    label: String(formData.get("label") ?? ""),
    scopes: formData.getAll("scopes").map(String),
    ipAllowlist: String(formData.get("ipAllowlist") ?? ""),
  };
  const parsed = createSchema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: ApiKeyFormState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as "label" | "scopes" | "ipAllowlist";
      fieldErrors[field] ??= issue.message;
    }
    return { status: "error", message: "The key was not created.", fieldErrors, values };
  }
  const result = await createApiKey(db(), { ...(await actor()), ...parsed.data });
  if (!result.ok) {
    const field = (Object.keys(result.fieldErrors ?? {}).find((name) => name !== "key") ?? null) as Exclude<KeyField, "key"> | null;
    return { status: "error", message: result.message, fieldErrors: field ? { [field]: result.message } : undefined, values };
  }
  revalidatePath(PATH);
  return {
    status: "done",
    message: `Key "${result.key.label}" created.`,
    secret: { keyId: result.key.keyId, label: result.key.label, secret: result.secret, graceUntil: null, issuedAtMs: Date.now() },
  };
}

export async function rotateApiKeyAction(_state: ApiKeyFormState, formData: FormData): Promise<ApiKeyFormState> {
  const parsed = keySchema.safeParse({ key: formData.get("key") });
  if (!parsed.success) return { status: "error", message: "That is not a key." };
  const result = await rotateApiKey(db(), { ...(await actor()), key: parsed.data.key });
  revalidatePath(PATH);
  if (!result.ok) return { status: "error", message: result.message };
  return {
    status: "done",
    message: `Key "${result.key.label}" rotated.`,
    secret: {
      keyId: result.key.keyId,
      label: result.key.label,
      secret: result.secret,
      graceUntil: result.key.previousValidUntil ? formatInstantUtc(result.key.previousValidUntil) : null,
      issuedAtMs: Date.now(),
    },
  };
}

export async function revokeApiKeyAction(_state: ApiKeyFormState, formData: FormData): Promise<ApiKeyFormState> {
  const parsed = keySchema.safeParse({ key: formData.get("key") });
  if (!parsed.success) return { status: "error", message: "That is not a key." };
  const result = await revokeApiKey(db(), { ...(await actor()), key: parsed.data.key });
  revalidatePath(PATH);
  if (!result.ok) return { status: "error", message: result.message };
  return { status: "done", message: `Key "${result.key.label}" revoked. Requests signed with it are refused from now on.` };
}
