// JSON Schema (the OpenAPI document's) as a person reads it: a field list with separate Field,
// Type, Required and Description columns, nested objects flattened to dotted names (`today.accepted`,
// `days[].day`), references linked to their schema, and no regular expressions for formats that
// have a name (UUID, date-time).
import type { ReactNode } from "react";
import { DataTable, type Column } from "@/components/ui";
import { InlineMarkdown } from "./markdown-view";

export type Json = Record<string, unknown>;
export type Components = Record<string, Json>;

const SAFE = Number.MAX_SAFE_INTEGER;

export function refName(schema: Json): string | null {
  return typeof schema.$ref === "string" ? schema.$ref.replace("#/components/schemas/", "") : null;
}

function Code({ children }: { children: ReactNode }) {
  return <code className="rounded bg-slate-100 px-1 font-mono text-xs break-all text-slate-900">{children}</code>;
}

function isObject(schema: Json): boolean {
  return schema.type === "object" && !!schema.properties;
}
function isArrayOfObjects(schema: Json): boolean {
  return schema.type === "array" && isObject((schema.items ?? {}) as Json);
}

/** The type of a schema in words, with its constraints. */
export function TypeLabel({ schema }: { schema: Json }): ReactNode {
  const name = refName(schema);
  if (name)
    return (
      <a className="link font-mono text-xs" href={`#schema-${name}`}>
        {name}
      </a>
    );
  const union = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (union)
    return (
      <>
        {union.map((part, i) => (
          <span key={i}>
            {i > 0 ? " or " : null}
            <TypeLabel schema={part} />
          </span>
        ))}
      </>
    );
  if (Array.isArray(schema.enum))
    return (
      <span>
        one of{" "}
        {(schema.enum as unknown[]).map((value, i) => (
          <span key={i}>
            {i > 0 ? ", " : null}
            <Code>{String(value)}</Code>
          </span>
        ))}
      </span>
    );
  const constraints: ReactNode[] = [];
  let base: ReactNode = String(schema.type ?? "any");
  switch (schema.type) {
    case "string":
      if (schema.format === "uuid") base = "UUID";
      else if (schema.format === "date-time") base = "date-time (ISO 8601, UTC)";
      else if (schema.pattern === "^[0-9]{1,9}$") base = "integer, in digits";
      else if (typeof schema.pattern === "string") constraints.push(<Code key="p">{schema.pattern}</Code>);
      if (typeof schema.minLength === "number")
        constraints.push(`${schema.minLength}–${schema.maxLength ?? "∞"} chars`);
      break;
    case "integer":
    case "number":
      if (typeof schema.minimum === "number" && schema.minimum > -SAFE)
        constraints.push(
          `${schema.minimum}–${typeof schema.maximum === "number" && schema.maximum < SAFE ? schema.maximum : "∞"}`,
        );
      break;
    case "array": {
      const items = (schema.items ?? {}) as Json;
      base = isObject(items) ? (
        "array of objects"
      ) : (
        <>
          array of <TypeLabel schema={items} />
        </>
      );
      if (typeof schema.minItems === "number" || typeof schema.maxItems === "number")
        constraints.push(`${schema.minItems ?? 0}–${schema.maxItems ?? "∞"} items`);
      break;
    }
    case "object":
      base = "object";
      break;
  }
  if (schema.default !== undefined)
    constraints.push(
      <span key="d">
        default <Code>{JSON.stringify(schema.default)}</Code>
      </span>,
    );
  return (
    <>
      {base}
      {constraints.map((c, i) => (
        <span key={i} className="text-slate-600">
          {", "}
          {c}
        </span>
      ))}
    </>
  );
}

interface FieldRow {
  name: string;
  schema: Json;
  required: boolean;
  description: string | undefined;
}

/** An object's properties, nested inline objects and arrays of them flattened after their parent. */
export function fieldRows(schema: Json, components: Components, prefix = ""): FieldRow[] {
  if (isArrayOfObjects(schema)) return fieldRows(schema.items as Json, components, `${prefix}[].`);
  if (!isObject(schema)) return [];
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(schema.properties as Record<string, Json>).flatMap(([key, property]) => {
    const name = `${prefix}${key}`;
    const ref = refName(property);
    const description = (property.description ?? (ref ? components[ref]?.description : undefined)) as
      string | undefined;
    const row = { name, schema: property, required: required.has(key), description };
    const nested =
      isObject(property) || isArrayOfObjects(property)
        ? fieldRows(property, components, `${name}${isArrayOfObjects(property) ? "" : "."}`)
        : [];
    return [row, ...nested];
  });
}

/** The fields of a schema as a table; a scalar schema as one line. */
export function SchemaFields({ schema, components, label }: { schema: Json; components: Components; label: string }) {
  const rows = fieldRows(schema, components);
  if (rows.length === 0)
    return (
      <p className="text-sm text-slate-800">
        Type: <TypeLabel schema={schema} />
      </p>
    );
  return (
    <DocsTable
      caption={label}
      rows={rows}
      rowKey={(row) => row.name}
      columns={[
        { header: "Field", rowHeader: true, className: "font-mono break-all", cell: (row) => row.name },
        { header: "Type", cell: (row) => <TypeLabel schema={row.schema} /> },
        { header: "Required", cell: (row) => (row.required ? "yes" : "no") },
        {
          header: "Description",
          cell: (row) => (row.description ? <InlineMarkdown text={row.description} /> : null),
        },
      ]}
    />
  );
}

/** A reference table: small text, a bordered box that scrolls sideways when the page is narrow. */
export function DocsTable<Row>({
  caption,
  rows,
  rowKey,
  columns,
}: {
  caption: string;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  columns: readonly Column<Row>[];
}) {
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 [&_td]:text-xs [&_th[scope=row]]:text-xs">
      <DataTable caption={caption} rows={rows} rowKey={rowKey} columns={columns} />
    </div>
  );
}
