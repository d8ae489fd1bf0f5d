import type { Metadata } from "next";
import Link from "next/link";
import { ApiKeysPanel, type ApiKeyRow } from "@/components/api-keys/api-keys-panel";
import { formatInstantUtc } from "@/components/format";
import { PageHeader, Section } from "@/components/ui";
import { listApiKeys } from "@/lib/api/keys";
import { SCOPE_DESCRIPTIONS, scopesForRoles } from "@/lib/api/scopes";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";

export const metadata: Metadata = { title: "API keys" };
export const dynamic = "force-dynamic";

export default async function ApiKeysPage() {
  const user = await requireUser("/settings/api-keys");
  const keys = await listApiKeys(db(), user.id);
  const rows: ApiKeyRow[] = keys.map((key) => ({
    id: key.id,
    keyId: key.keyId,
    label: key.label,
    scopes: key.scopes,
    ipAllowlist: key.ipAllowlist,
    createdAt: formatInstantUtc(key.createdAt),
    lastUsed: key.lastUsedAt
      ? `${formatInstantUtc(key.lastUsedAt)}${key.lastUsedIp ? ` from ${key.lastUsedIp}` : ""}`
      : null,
    revokedAt: key.revokedAt ? formatInstantUtc(key.revokedAt) : null,
    previousValidUntil:
      key.previousValidUntil && key.previousValidUntil > new Date() ? formatInstantUtc(key.previousValidUntil) : null,
  }));
  const scopes = scopesForRoles(user.roles).map((scope) => ({ scope, description: SCOPE_DESCRIPTIONS[scope] }));

  return (
    <div className="page">
      <PageHeader
        title="API keys"
        description={
          <>
            Keys let your programs call the Hashlease API with HMAC-signed requests.{" "}
            <Link href="/docs/api" className="underline underline-offset-2">
              How to sign requests
            </Link>
            .
          </>
        }
      />
      <Section
        id="api-keys"
        title="Your keys"
        description="The secret is shown once, when a key is created or rotated. After a rotation the old secret keeps working for 24 hours."
      >
        <ApiKeysPanel keys={rows} scopes={scopes} />
      </Section>
    </div>
  );
}
