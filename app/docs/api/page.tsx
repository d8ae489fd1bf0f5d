// /docs/api — the OpenAPI document of /api/v1 rendered on the server, as API users expect a
// reference: a table of contents by tag, each operation with its method and path, parameters in
// a real table, request and response examples (from the document's `example`s), schemas as field
// lists, descriptions' Markdown rendered (a tiny safe subset, ./_lib/markdown.ts), and a worked
// signing example in Node and curl (lib/api/signing-examples.ts, which a test runs against the
// API). No client JavaScript and no inline style: it fits the per-request nonce CSP as it is.
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { PageHeader } from "@/components/ui";
import { openApiDocument, SIGNING_DESCRIPTION } from "@/lib/api/openapi";
import { CURL_SIGNING_EXAMPLE, NODE_SIGNING_EXAMPLE } from "@/lib/api/signing-examples";
import { InlineMarkdown, Markdown } from "./_lib/markdown-view";
import { DocsTable, refName, SchemaFields, TypeLabel, type Components, type Json } from "./_lib/schema-view";

export const metadata: Metadata = { title: "API reference" };

interface Operation {
  method: string;
  path: string;
  op: Json;
}

const METHOD_CLASS: Record<string, string> = {
  get: "bg-sky-700",
  post: "bg-emerald-700",
  put: "bg-amber-800",
  delete: "bg-red-700",
};

function MethodBadge({ method }: { method: string }) {
  return (
    <span
      className={`inline-block min-w-12 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold text-white uppercase ${METHOD_CLASS[method] ?? "bg-slate-700"}`}
    >
      {method}
    </span>
  );
}

/** A code block that may scroll sideways: focusable, so keyboard users can scroll it too. */
function CodeBlock({ label, children }: { label: string; children: string }) {
  return (
    <pre
      role="region"
      aria-label={label}
      tabIndex={0}
      className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-5 text-slate-100"
    >
      <code>{children}</code>
    </pre>
  );
}

function Subheading({ children }: { children: ReactNode }) {
  return <h4 className="mt-5 mb-2 text-sm font-semibold text-slate-900">{children}</h4>;
}

const media = (holder: unknown): Json | undefined =>
  (((holder as Json | undefined)?.content as Json | undefined)?.["application/json"] as Json | undefined) ?? undefined;

/** A $ref resolved to its component (for the field list), else the schema itself. */
function resolved(schema: Json, components: Components): Json {
  const name = refName(schema);
  return name ? (components[name] ?? schema) : schema;
}

function BodySchema({ schema, components, label }: { schema: Json; components: Components; label: string }) {
  const name = refName(schema);
  return (
    <>
      {name ? (
        <p className="mb-2 text-xs text-slate-600">
          Schema <TypeLabel schema={schema} />
        </p>
      ) : null}
      <SchemaFields schema={resolved(schema, components)} components={components} label={label} />
    </>
  );
}

function OperationCard({ method, path, op, components }: Operation & { components: Components }) {
  const id = op.operationId as string;
  const title = `${method.toUpperCase()} ${path}`;
  const params = (op.parameters ?? []) as Json[];
  const body = media(op.requestBody);
  const responses = Object.entries(op.responses as Record<string, Json>);
  return (
    <article id={id} aria-labelledby={`${id}-title`} className="card scroll-mt-20 p-4 sm:p-5" data-operation={id}>
      <h3 id={`${id}-title`} className="flex flex-wrap items-center gap-2 text-base font-semibold text-slate-900">
        <MethodBadge method={method} />
        <code className="font-mono text-sm break-all">{path}</code>
      </h3>
      <p className="mt-2 font-medium text-slate-900">{op.summary as string}</p>
      <Markdown text={op.description as string} className="mt-1" />
      <p className="mt-2 text-xs text-slate-600">
        Operation id <code className="font-mono">{id}</code> ·{" "}
        {op["x-scope"] ? (
          <>
            signed, scope <code className="font-mono">{op["x-scope"] as string}</code>
          </>
        ) : (
          "public, no signature"
        )}
      </p>

      {params.length > 0 ? (
        <>
          <Subheading>Parameters</Subheading>
          <DocsTable
            caption={`Parameters of ${title}`}
            rows={params}
            rowKey={(p) => `${p.in as string}-${p.name as string}`}
            columns={[
              { header: "Name", rowHeader: true, className: "font-mono", cell: (p) => p.name as string },
              { header: "In", cell: (p) => p.in as string },
              { header: "Type", cell: (p) => <TypeLabel schema={p.schema as Json} /> },
              { header: "Required", cell: (p) => (p.required ? "yes" : "no") },
              {
                header: "Description",
                cell: (p) => (p.description ? <InlineMarkdown text={p.description as string} /> : null),
              },
            ]}
          />
        </>
      ) : null}

      {body ? (
        <>
          <Subheading>Request body (application/json)</Subheading>
          <BodySchema schema={body.schema as Json} components={components} label={`Request body of ${title}`} />
          <p className="mt-3 mb-1 text-xs font-semibold text-slate-700">Example request</p>
          <CodeBlock label={`Example request of ${title}`}>{JSON.stringify(body.example, null, 2)}</CodeBlock>
        </>
      ) : null}

      <Subheading>Responses</Subheading>
      <DocsTable
        caption={`Responses of ${title}`}
        rows={responses}
        rowKey={([status]) => status}
        columns={[
          { header: "Status", rowHeader: true, className: "font-mono", cell: ([status]) => status },
          {
            header: "Description",
            cell: ([, response]) => <InlineMarkdown text={response.description as string} />,
          },
          {
            header: "Body",
            cell: ([, response]) => {
              const content = media(response);
              return content ? <TypeLabel schema={content.schema as Json} /> : "none";
            },
          },
        ]}
      />
      {responses
        .filter(([status]) => status.startsWith("2"))
        .map(([status, response]) => {
          const content = media(response);
          return content ? (
            <div key={status}>
              <p className="mt-3 mb-1 text-xs font-semibold text-slate-700">Example response {status}</p>
              <CodeBlock label={`Example response ${status} of ${title}`}>
                {JSON.stringify(content.example, null, 2)}
              </CodeBlock>
            </div>
          ) : null;
        })}
    </article>
  );
}

export default function ApiDocsPage() {
  const doc = openApiDocument();
  const info = doc.info as Json;
  const components = (doc.components as Json).schemas as Components;
  const operations: Operation[] = Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(
    ([path, item]) => Object.entries(item).map(([method, op]) => ({ method, path, op })),
  );
  const tags = (doc.tags as { name: string; description: string }[])
    .map((tag) => ({ ...tag, operations: operations.filter((o) => (o.op.tags as string[])[0] === tag.name) }))
    .filter((tag) => tag.operations.length > 0);
  const errorSchema = components.Error ?? {};

  return (
    <div className="page">
      <PageHeader
        title="Hashlease API"
        description={
          <>
            Version {info.version as string}. The machine-readable document:{" "}
            <a className="link" href="/api/v1/openapi.json">
              /api/v1/openapi.json
            </a>{" "}
            (OpenAPI 3.1), for code generators and API clients.
          </>
        }
      />
      <div className="lg:grid lg:grid-cols-[15rem_minmax(0,1fr)] lg:gap-8">
        <nav
          aria-label="API reference contents"
          className="card mb-8 p-4 text-sm lg:sticky lg:top-20 lg:mb-0 lg:max-h-[calc(100vh-6rem)] lg:self-start lg:overflow-y-auto"
        >
          <h2 className="mb-2 text-sm font-semibold text-slate-900">Contents</h2>
          <ol className="space-y-2">
            <li>
              <a className="link" href="#signing">
                Signing a request
              </a>
            </li>
            <li>
              <a className="link" href="#errors">
                Errors
              </a>
            </li>
            {tags.map((tag) => (
              <li key={tag.name}>
                <a className="link" href={`#tag-${tag.name}`}>
                  {tag.name}
                </a>
                <ol className="mt-1 space-y-1 border-l border-slate-200 pl-3">
                  {tag.operations.map(({ method, path, op }) => (
                    <li key={op.operationId as string}>
                      <a
                        className="text-slate-700 hover:text-slate-900 hover:underline"
                        href={`#${op.operationId as string}`}
                      >
                        <span className="font-mono text-[0.7rem] text-slate-500 uppercase">{method}</span>{" "}
                        {op.summary as string}
                        <span className="sr-only"> ({path})</span>
                      </a>
                    </li>
                  ))}
                </ol>
              </li>
            ))}
            <li>
              <a className="link" href="#schemas">
                Schemas
              </a>
            </li>
          </ol>
        </nav>

        <div className="min-w-0 space-y-12">
          <section id="signing" aria-labelledby="signing-title" className="scroll-mt-20">
            <h2 id="signing-title" className="mb-3 text-xl font-semibold text-slate-900">
              Signing a request
            </h2>
            <Markdown text={SIGNING_DESCRIPTION} />
            <h3 className="mt-6 mb-2 font-semibold text-slate-900">Worked example in Node.js</h3>
            <p className="mb-2 text-sm text-slate-700">
              Save as <code className="font-mono">sign.mjs</code>, set your key id and secret, and run it: it prints{" "}
              <code className="font-mono">200</code> and your payouts of 2026.
            </p>
            <CodeBlock label="Signing example in Node.js">{NODE_SIGNING_EXAMPLE}</CodeBlock>
            <h3 className="mt-6 mb-2 font-semibold text-slate-900">The same request with curl and openssl</h3>
            <CodeBlock label="Signing example with curl">{CURL_SIGNING_EXAMPLE}</CodeBlock>
            <p className="mt-2 text-sm text-slate-700">
              A request with a body signs the SHA-256 of the exact bytes sent (e.g.{" "}
              <code className="font-mono">printf &apos;%s&apos; &quot;$BODY&quot; | openssl dgst -sha256</code>) and
              sends them with <code className="font-mono">content-type: application/json</code> and an{" "}
              <code className="font-mono">Idempotency-Key</code> header.
            </p>
          </section>

          <section id="errors" aria-labelledby="errors-title" className="scroll-mt-20">
            <h2 id="errors-title" className="mb-3 text-xl font-semibold text-slate-900">
              Errors
            </h2>
            <p className="mb-3 text-sm text-slate-700">
              Every refusal has the HTTP status of its kind (listed per operation) and this body:
            </p>
            <SchemaFields schema={errorSchema} components={components} label="Fields of an error body" />
            {errorSchema.example !== undefined ? (
              <>
                <p className="mt-3 mb-1 text-xs font-semibold text-slate-700">Example</p>
                <CodeBlock label="Example error body">{JSON.stringify(errorSchema.example, null, 2)}</CodeBlock>
              </>
            ) : null}
          </section>

          {tags.map((tag) => (
            <section
              key={tag.name}
              id={`tag-${tag.name}`}
              aria-labelledby={`tag-${tag.name}-title`}
              className="scroll-mt-20"
            >
              <h2 id={`tag-${tag.name}-title`} className="text-xl font-semibold text-slate-900">
                {tag.name}
              </h2>
              <p className="mt-1 mb-4 text-sm text-slate-700">
                <InlineMarkdown text={tag.description} />
              </p>
              <div className="space-y-6">
                {tag.operations.map((o) => (
                  <OperationCard key={o.op.operationId as string} {...o} components={components} />
                ))}
              </div>
            </section>
          ))}

          <section id="schemas" aria-labelledby="schemas-title" className="scroll-mt-20">
            <h2 id="schemas-title" className="mb-3 text-xl font-semibold text-slate-900">
              Schemas
            </h2>
            <ul className="mb-6 flex flex-wrap gap-x-3 gap-y-1 text-sm" aria-label="All schemas">
              {Object.keys(components).map((name) => (
                <li key={name}>
                  <a className="link font-mono text-xs" href={`#schema-${name}`}>
                    {name}
                  </a>
                </li>
              ))}
            </ul>
            <div className="space-y-6">
              {Object.entries(components).map(([name, schema]) => (
                <article
                  key={name}
                  id={`schema-${name}`}
                  aria-labelledby={`schema-${name}-title`}
                  className="scroll-mt-20"
                >
                  <h3 id={`schema-${name}-title`} className="font-mono font-semibold text-slate-900">
                    {name}
                  </h3>
                  {schema.description ? <Markdown text={schema.description as string} className="mb-2" /> : null}
                  <SchemaFields schema={schema} components={components} label={`Fields of ${name}`} />
                </article>
              ))}
            </div>
          </section>
        </div>
      </div>
    </div>
  );
}
