// /docs/api — the OpenAPI document of /api/v1 rendered on the server: operations with their
// scope, parameters, bodies and answers, the schemas, and how to sign a request. No client
// JavaScript: the document is static, so the page is too.
import type { Metadata } from "next";
import { PageHeader, Section } from "@/components/ui";
import { openApiDocument, SIGNING_DESCRIPTION } from "@/lib/api/openapi";

export const metadata: Metadata = { title: "API reference" };

type Json = Record<string, unknown>;

const SIGNING_EXAMPLE = `import { createHash, createHmac, randomBytes } from "node:crypto";

const body = JSON.stringify({ day: "2026-11-24" });
const timestamp = Math.floor(Date.now() / 1000);
const nonce = randomBytes(16).toString("hex");
const canonical = ["POST", "/api/v1/payout-runs", "", createHash("sha256").update(body).digest("hex"), timestamp, nonce].join("\\n");
const signature = createHmac("sha256", SECRET).update(canonical).digest("hex");
await fetch("https://hashlease.example/api/v1/payout-runs", {
  method: "POST",
  body,
  headers: {
    "content-type": "application/json",
    "idempotency-key": "run-2026-11-24",
    authorization: \`HMAC apiKey="\${KEY_ID}", signature="\${signature}", timestamp="\${timestamp}", nonce="\${nonce}"\`,
  },
});`;

function refName(schema: unknown): string | null {
  const ref = (schema as Json | undefined)?.$ref;
  return typeof ref === "string" ? ref.replace("#/components/schemas/", "") : null;
}

/** A code block that may scroll sideways: focusable, so keyboard users can scroll it too. */
function CodeBlock({
  label,
  className = "bg-slate-50 p-2",
  children,
}: {
  label: string;
  className?: string;
  children: string;
}) {
  return (
    <pre role="region" aria-label={label} tabIndex={0} className={`overflow-x-auto rounded text-xs ${className}`}>
      {children}
    </pre>
  );
}

function SchemaText({ schema, label }: { schema: unknown; label: string }) {
  const name = refName(schema);
  if (name)
    return (
      <a className="font-mono text-sm text-indigo-700 underline" href={`#schema-${name}`}>
        {name}
      </a>
    );
  return <CodeBlock label={label}>{JSON.stringify(schema, null, 2)}</CodeBlock>;
}

export default function ApiDocsPage() {
  const doc = openApiDocument();
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const schemas = (doc.components as Json).schemas as Record<string, Json>;
  return (
    <div className="mx-auto max-w-5xl px-4 py-8">
      <PageHeader
        title="Hashlease API"
        description={
          <>
            Version {(doc.info as Json).version as string}. Machine-readable:{" "}
            <a className="underline" href="/api/v1/openapi.json">
              /api/v1/openapi.json
            </a>{" "}
            (OpenAPI 3.1).
          </>
        }
      />
      <Section id="signing" title="Signing a request">
        <pre className="rounded bg-slate-50 p-3 text-sm whitespace-pre-wrap">{SIGNING_DESCRIPTION}</pre>
        <h3 className="mt-4 font-semibold">Example (Node.js)</h3>
        <CodeBlock label="Signing example (Node.js)" className="bg-slate-900 p-3 text-slate-100">
          {SIGNING_EXAMPLE}
        </CodeBlock>
      </Section>
      <Section id="operations" title="Operations">
        <ul className="space-y-8">
          {Object.entries(paths).flatMap(([path, item]) =>
            Object.entries(item).map(([method, op]) => {
              const params = (op.parameters ?? []) as Json[];
              const body = ((op.requestBody as Json | undefined)?.content as Json | undefined)?.["application/json"] as
                Json | undefined;
              return (
                <li
                  key={`${method} ${path}`}
                  id={op.operationId as string}
                  className="rounded border border-slate-200 p-4"
                >
                  <h3 className="font-mono text-base font-semibold">
                    <span className="mr-2 rounded bg-slate-800 px-2 py-0.5 text-xs text-white uppercase">{method}</span>
                    {path}
                  </h3>
                  <p className="mt-1 text-sm text-slate-600">
                    {op.summary as string} · <code>{op.operationId as string}</code> · scope{" "}
                    <code>{(op["x-scope"] as string) ?? "none (public)"}</code>
                  </p>
                  <p className="mt-2 text-sm">{(op.description as string).split("\n\n")[0]}</p>
                  {params.length > 0 && (
                    <table className="mt-3 w-full text-left text-sm">
                      <caption className="sr-only">Parameters</caption>
                      <thead>
                        <tr>
                          <th scope="col">Parameter</th>
                          <th scope="col">In</th>
                          <th scope="col">Required</th>
                          <th scope="col">Schema</th>
                        </tr>
                      </thead>
                      <tbody>
                        {params.map((p) => (
                          <tr key={`${p.in}-${p.name}`} className="border-t border-slate-100 align-top">
                            <td className="font-mono">{p.name as string}</td>
                            <td>{p.in as string}</td>
                            <td>{p.required ? "yes" : "no"}</td>
                            <td>
                              <SchemaText
                                schema={p.schema}
                                label={`${method.toUpperCase()} ${path}: ${p.name as string} schema`}
                              />
                              {p.description ? (
                                <span className="block text-xs text-slate-500">{p.description as string}</span>
                              ) : null}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                  {body && (
                    <div className="mt-3 text-sm">
                      Body: <SchemaText schema={body.schema} label={`${method.toUpperCase()} ${path}: body schema`} />
                    </div>
                  )}
                  <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                    {Object.entries(op.responses as Record<string, Json>).map(([status, response]) => (
                      <div key={status} className="contents">
                        <dt className="font-mono">{status}</dt>
                        <dd>{response.description as string}</dd>
                      </div>
                    ))}
                  </dl>
                </li>
              );
            }),
          )}
        </ul>
      </Section>
      <Section id="schemas" title="Schemas">
        <ul className="space-y-4">
          {Object.entries(schemas).map(([name, schema]) => (
            <li key={name} id={`schema-${name}`}>
              <h3 className="font-mono font-semibold">{name}</h3>
              {schema.description ? <p className="text-sm text-slate-600">{schema.description as string}</p> : null}
              <CodeBlock label={`${name} schema (JSON)`} className="mt-1 bg-slate-50 p-2">
                {JSON.stringify(schema, null, 2)}
              </CodeBlock>
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
