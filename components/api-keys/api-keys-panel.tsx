"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { createApiKeyAction, revokeApiKeyAction, rotateApiKeyAction } from "@/app/settings/api-keys/actions";
import { Button } from "@/components/ui";
import { ErrorSummary, Notice, TextField } from "../form-fields";
import { initialApiKeyState, type ApiKeyFormState } from "./form-state";

export interface ApiKeyRow {
  id: string;
  keyId: string;
  label: string;
  scopes: string[];
  ipAllowlist: string[];
  createdAt: string;
  /** "25 Nov 2026, 14:03 UTC from 203.0.113.7", or null when never used. */
  lastUsed: string | null;
  revokedAt: string | null;
  /** Display text while a rotated-out secret still works. */
  previousValidUntil: string | null;
}

type Secret = NonNullable<ApiKeyFormState["secret"]>;

/**
 * Create form, the once-only secret, and the key list. One client component so the secret
 * returned by creating or rotating stays on screen after the list refreshes underneath it;
 * it lives only in this page's memory and is gone after a reload.
 */
export function ApiKeysPanel({
  keys,
  scopes,
}: {
  keys: ApiKeyRow[];
  scopes: { scope: string; description: string }[];
}) {
  const [createState, createAction, creating] = useActionState(createApiKeyAction, initialApiKeyState);
  const [rotateState, rotateAction, rotating] = useActionState(rotateApiKeyAction, initialApiKeyState);
  const [revokeState, revokeAction, revoking] = useActionState(revokeApiKeyAction, initialApiKeyState);
  const [dismissed, setDismissed] = useState<Secret | null>(null);

  const candidates = [createState.secret, rotateState.secret].filter((s): s is Secret => !!s);
  const newest = candidates.sort((a, b) => b.issuedAtMs - a.issuedAtMs)[0] ?? null;
  const secret = newest && newest !== dismissed ? newest : null;
  // A refused form keeps what was typed (React resets a form to its defaults after an action).
  const kept = createState.status === "error" ? createState.values : undefined;
  const active = keys.filter((k) => !k.revokedAt);
  const revoked = keys.filter((k) => k.revokedAt);

  return (
    <div className="space-y-8">
      {secret ? <SecretReveal secret={secret} onDone={() => setDismissed(secret)} /> : null}
      {revokeState.status === "done" ? <Notice>{revokeState.message}</Notice> : null}
      {revokeState.status === "error" || rotateState.status === "error" ? (
        <ErrorSummary
          title="Nothing changed"
          items={[
            { message: (revokeState.status === "error" ? revokeState.message : rotateState.message) ?? "Try again." },
          ]}
        />
      ) : null}

      {active.length === 0 ? (
        <div className="card border-dashed px-6 py-8 text-sm text-slate-600">
          <p className="font-medium text-slate-900">No active API keys</p>
          <p className="mt-1">Create one below to let a program read your account or act for you.</p>
        </div>
      ) : (
        <ul aria-label="Active API keys" className="space-y-4">
          {active.map((key) => (
            <KeyCard
              key={key.id}
              row={key}
              rotateAction={rotateAction}
              revokeAction={revokeAction}
              busy={rotating || revoking}
            />
          ))}
        </ul>
      )}

      <form action={createAction} className="card p-6" noValidate>
        <h3 className="font-semibold text-slate-900">Create a key</h3>
        <div className="mt-4 space-y-5">
          {createState.status === "error" ? (
            <ErrorSummary
              title="The key was not created"
              items={
                createState.fieldErrors && Object.keys(createState.fieldErrors).length > 0
                  ? Object.entries(createState.fieldErrors).map(([field, message]) => ({
                      fieldId: field === "scopes" ? "scope-options" : `key-${field}`,
                      message: message ?? "",
                    }))
                  : [{ message: createState.message ?? "Try again." }]
              }
            />
          ) : null}
          <TextField
            id="key-label"
            name="label"
            label="Label"
            hint="What the key is for, e.g. “tax export script”."
            maxLength={64}
            required
            defaultValue={kept?.label ?? ""}
            error={createState.fieldErrors?.label}
            className="max-w-md"
          />
          <fieldset id="scope-options" aria-describedby={createState.fieldErrors?.scopes ? "scope-error" : undefined}>
            <legend className="label">Scopes</legend>
            <p className="hint">Only the scopes your roles allow. Give a key the least it needs.</p>
            {scopes.length === 0 ? (
              <p className="mt-2 text-sm text-slate-600">Your account has no role that can use the API.</p>
            ) : (
              <div className="mt-2 space-y-2">
                {scopes.map(({ scope, description }) => (
                  <label key={scope} className="flex items-start gap-3 text-sm">
                    <input
                      type="checkbox"
                      name="scopes"
                      value={scope}
                      className="mt-1 h-4 w-4"
                      defaultChecked={kept ? (kept.scopes?.includes(scope) ?? false) : scope === "read"}
                    />
                    <span>
                      <span className="font-mono font-semibold text-slate-900">{scope}</span>
                      <span className="block text-slate-600">{description}</span>
                    </span>
                  </label>
                ))}
              </div>
            )}
            {createState.fieldErrors?.scopes ? (
              <p id="scope-error" className="field-error">
                <span className="sr-only">Error: </span>
                {createState.fieldErrors.scopes}
              </p>
            ) : null}
          </fieldset>
          <div className="max-w-md">
            <label htmlFor="key-ipAllowlist" className="label">
              IP allowlist (optional)
            </label>
            <p id="key-ipAllowlist-hint" className="hint">
              Addresses or CIDR ranges, separated by commas or new lines, e.g. 203.0.113.7, 198.51.100.0/24. Empty: any
              address.
            </p>
            <textarea
              id="key-ipAllowlist"
              name="ipAllowlist"
              rows={3}
              defaultValue={kept?.ipAllowlist ?? ""}
              className="input mt-1.5 font-mono"
              spellCheck={false}
              aria-invalid={createState.fieldErrors?.ipAllowlist ? true : undefined}
              aria-describedby={
                createState.fieldErrors?.ipAllowlist
                  ? "key-ipAllowlist-hint key-ipAllowlist-error"
                  : "key-ipAllowlist-hint"
              }
            />
            {createState.fieldErrors?.ipAllowlist ? (
              <p id="key-ipAllowlist-error" className="field-error">
                <span className="sr-only">Error: </span>
                {createState.fieldErrors.ipAllowlist}
              </p>
            ) : null}
          </div>
        </div>
        <Button type="submit" className="mt-5" disabled={creating || scopes.length === 0}>
          {creating ? "Creating…" : "Create key"}
        </Button>
      </form>

      {revoked.length > 0 ? (
        <details className="card p-6">
          <summary className="cursor-pointer font-semibold text-slate-900">Revoked keys ({revoked.length})</summary>
          <ul aria-label="Revoked API keys" className="mt-4 space-y-3 text-sm text-slate-700">
            {revoked.map((key) => (
              <li key={key.id} className="flex flex-wrap gap-x-4 gap-y-1">
                <span className="font-medium text-slate-900">{key.label}</span>
                <code className="font-mono">{key.keyId}</code>
                <span>revoked {key.revokedAt}</span>
                <span>last used {key.lastUsed ?? "never"}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function KeyCard({
  row,
  rotateAction,
  revokeAction,
  busy,
}: {
  row: ApiKeyRow;
  rotateAction: (formData: FormData) => void;
  revokeAction: (formData: FormData) => void;
  busy: boolean;
}) {
  const [confirming, setConfirming] = useState<"rotate" | "revoke" | null>(null);
  return (
    <li className="card p-5" aria-label={`Key ${row.label}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="font-semibold text-slate-900">{row.label}</p>
          <p className="mt-0.5 font-mono text-sm text-slate-700">{row.keyId}</p>
        </div>
        <ul aria-label="Scopes" className="flex flex-wrap gap-1.5">
          {row.scopes.map((scope) => (
            <li
              key={scope}
              className="rounded-full bg-brand-50 px-2.5 py-0.5 font-mono text-xs font-semibold text-brand-700"
            >
              {scope}
            </li>
          ))}
        </ul>
      </div>
      <dl className="mt-3 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
        <div>
          <dt className="inline text-slate-500">Created </dt>
          <dd className="inline text-slate-800">{row.createdAt}</dd>
        </div>
        <div>
          <dt className="inline text-slate-500">Last used </dt>
          <dd className="inline text-slate-800">{row.lastUsed ?? "never"}</dd>
        </div>
        <div className="sm:col-span-2">
          <dt className="inline text-slate-500">IP allowlist </dt>
          <dd className="inline font-mono text-slate-800">
            {row.ipAllowlist.length > 0 ? row.ipAllowlist.join(", ") : "any address"}
          </dd>
        </div>
        {row.previousValidUntil ? (
          <div className="sm:col-span-2">
            <dt className="inline text-slate-500">Previous secret </dt>
            <dd className="inline text-amber-800">still accepted until {row.previousValidUntil}</dd>
          </div>
        ) : null}
      </dl>
      {confirming ? (
        <form
          action={confirming === "rotate" ? rotateAction : revokeAction}
          className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm"
          onSubmit={() => setConfirming(null)}
        >
          <input type="hidden" name="key" value={row.id} />
          <p className="text-amber-900">
            {confirming === "rotate"
              ? "A new secret is issued now; the current one keeps working for 24 hours."
              : "Programs using this key stop working at once. This cannot be undone."}
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button type="submit" variant={confirming === "revoke" ? "danger" : "primary"} disabled={busy} autoFocus>
              {confirming === "rotate" ? "Rotate secret" : "Revoke key"}
            </Button>
            <Button type="button" variant="ghost" onClick={() => setConfirming(null)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div className="mt-4 flex flex-wrap gap-2">
          <Button
            type="button"
            variant="secondary"
            onClick={() => setConfirming("rotate")}
            aria-label={`Rotate ${row.label}`}
          >
            Rotate…
          </Button>
          <Button
            type="button"
            variant="secondary"
            onClick={() => setConfirming("revoke")}
            aria-label={`Revoke ${row.label}`}
          >
            Revoke…
          </Button>
        </div>
      )}
    </li>
  );
}

function SecretReveal({ secret, onDone }: { secret: Secret; onDone: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => headingRef.current?.focus(), [secret]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret.secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <section aria-labelledby="api-secret-title" className="rounded-lg border border-emerald-300 bg-emerald-50 p-6">
      <h3 id="api-secret-title" ref={headingRef} tabIndex={-1} className="text-lg font-semibold text-slate-900">
        Secret of “{secret.label}”
      </h3>
      <p className="mt-1 text-sm text-slate-700">
        Shown only now: copy it into your program’s configuration. Hashlease keeps it encrypted and cannot show it
        again.
        {secret.graceUntil ? ` The previous secret keeps working until ${secret.graceUntil}.` : null}
      </p>
      <dl className="mt-4 space-y-2 text-sm">
        <div>
          <dt className="text-slate-600">Key id</dt>
          <dd>
            <code className="font-mono text-base break-all text-slate-900">{secret.keyId}</code>
          </dd>
        </div>
        <div>
          <dt className="text-slate-600">Secret</dt>
          <dd>
            <code
              id="api-key-secret"
              className="rounded bg-white px-2 py-1 font-mono text-base break-all text-slate-900"
            >
              {secret.secret}
            </code>
          </dd>
        </div>
      </dl>
      <div className="mt-5 flex flex-wrap gap-3">
        <Button type="button" variant="secondary" onClick={copy}>
          {copied ? "Copied" : "Copy secret"}
        </Button>
        <Button type="button" onClick={onDone}>
          I have saved it
        </Button>
      </div>
    </section>
  );
}
