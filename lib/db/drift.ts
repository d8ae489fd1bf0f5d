// Compares a live database with prisma/schema.prisma as Prisma itself reads it (DMMF from
// Prisma's schema parser): every model's table, every scalar field's column with its type
// and nullability, every enum value, every primary key, unique and index, every foreign
// key. Returns the differences in words; an empty list means no drift.
import { readFileSync } from "node:fs";
import internals from "@prisma/internals";
import pg from "pg";
import { schemaPath } from "./schema-engine";

type Dmmf = Awaited<ReturnType<typeof internals.getDMMF>>;
type DmmfModel = Dmmf["datamodel"]["models"][number];
type DmmfField = DmmfModel["fields"][number];

export async function readDmmf(): Promise<Dmmf> {
  return internals.getDMMF({ datamodel: readFileSync(schemaPath, "utf8") });
}

interface ColumnInfo {
  table_name: string;
  column_name: string;
  is_nullable: "YES" | "NO";
  data_type: string;
  udt_name: string;
  numeric_precision: number | null;
  numeric_scale: number | null;
  datetime_precision: number | null;
  character_maximum_length: number | null;
}

interface IndexInfo {
  table_name: string;
  index_name: string;
  is_unique: boolean;
  is_primary: boolean;
  columns: string[];
}

interface ForeignKeyInfo {
  table_name: string;
  columns: string[];
  foreign_table: string;
  foreign_columns: string[];
}

/** The Postgres column Prisma creates for a scalar or enum field. */
function expectedColumn(field: DmmfField, enumDbNames: Map<string, string>) {
  const native = field.nativeType as [string, string[]] | null | undefined;
  const nativeName = native?.[0];
  const args = (native?.[1] ?? []).map(Number);
  let udt: string;
  let precision: number | null = null;
  let scale: number | null = null;
  let datetimePrecision: number | null = null;
  let charLength: number | null = null;
  if (field.kind === "enum") {
    udt = enumDbNames.get(field.type) ?? field.type;
  } else {
    switch (field.type) {
      case "String":
        udt =
          nativeName === "Uuid"
            ? "uuid"
            : nativeName === "Char"
              ? "bpchar"
              : nativeName === "VarChar"
                ? "varchar"
                : "text";
        if (nativeName === "Char" || nativeName === "VarChar") charLength = args[0] ?? null;
        break;
      case "Int":
        udt = nativeName === "SmallInt" ? "int2" : "int4";
        break;
      case "BigInt":
        udt = "int8";
        break;
      case "Float":
        udt = nativeName === "Real" ? "float4" : "float8";
        break;
      case "Boolean":
        udt = "bool";
        break;
      case "Json":
        udt = "jsonb";
        break;
      case "Decimal":
        udt = "numeric";
        precision = args[0] ?? 65;
        scale = args[1] ?? 30;
        break;
      case "DateTime":
        if (nativeName === "Date") {
          udt = "date";
        } else {
          udt = nativeName === "Timestamptz" ? "timestamptz" : "timestamp";
          datetimePrecision = args[0] ?? 3;
        }
        break;
      default:
        throw new Error(`drift check does not know Prisma type ${field.type}`);
    }
  }
  return { udt: field.isList ? `_${udt}` : udt, precision, scale, datetimePrecision, charLength };
}

export async function schemaDrift(connectionString: string, dmmf?: Dmmf): Promise<string[]> {
  const model = dmmf ?? (await readDmmf());
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const columns = (
      await client.query<ColumnInfo>(
        `SELECT table_name, column_name, is_nullable, data_type, udt_name, numeric_precision, numeric_scale,
                datetime_precision, character_maximum_length
           FROM information_schema.columns WHERE table_schema = 'public'`,
      )
    ).rows;
    const enumRows = (
      await client.query<{ enum_name: string; value: string }>(
        `SELECT t.typname AS enum_name, e.enumlabel AS value
           FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
           JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public'`,
      )
    ).rows;
    const indexes = (
      await client.query<IndexInfo>(
        `SELECT t.relname AS table_name, i.relname AS index_name, ix.indisunique AS is_unique,
                ix.indisprimary AS is_primary,
                array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
           FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'`,
      )
    ).rows;
    const foreignKeys = (
      await client.query<ForeignKeyInfo>(
        `SELECT c.conrelid::regclass::text AS table_name, c.confrelid::regclass::text AS foreign_table,
                array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
                array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS foreign_columns
           FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
          WHERE c.contype = 'f' AND n.nspname = 'public'`,
      )
    ).rows;

    const problems: string[] = [];
    const unquote = (name: string) => name.replace(/^"|"$/g, "");

    const enumDbNames = new Map(model.datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
    for (const e of model.datamodel.enums) {
      const dbName = e.dbName ?? e.name;
      const present = new Set(enumRows.filter((r) => r.enum_name === dbName).map((r) => r.value));
      if (present.size === 0) problems.push(`enum ${dbName} is missing`);
      for (const value of e.values) {
        const v = value.dbName ?? value.name;
        if (present.size > 0 && !present.has(v)) problems.push(`enum ${dbName} lacks value ${v}`);
      }
    }

    const modelTables = new Map(model.datamodel.models.map((m) => [m.name, m.dbName ?? m.name]));
    for (const m of model.datamodel.models) {
      const table = m.dbName ?? m.name;
      const tableColumns = new Map(columns.filter((c) => c.table_name === table).map((c) => [c.column_name, c]));
      if (tableColumns.size === 0) {
        problems.push(`table ${table} (model ${m.name}) is missing`);
        continue;
      }
      const columnOf = (fieldName: string) => {
        const f = m.fields.find((x) => x.name === fieldName);
        return f?.dbName ?? fieldName;
      };
      for (const field of m.fields) {
        if (field.kind === "object") continue;
        const name = field.dbName ?? field.name;
        const col = tableColumns.get(name);
        if (!col) {
          problems.push(`column ${table}.${name} (field ${m.name}.${field.name}) is missing`);
          continue;
        }
        const want = expectedColumn(field, enumDbNames);
        if (col.udt_name !== want.udt)
          problems.push(`column ${table}.${name} has type ${col.udt_name}, schema says ${want.udt}`);
        if (want.precision !== null && (col.numeric_precision !== want.precision || col.numeric_scale !== want.scale)) {
          problems.push(
            `column ${table}.${name} is numeric(${col.numeric_precision},${col.numeric_scale}), schema says numeric(${want.precision},${want.scale})`,
          );
        }
        if (want.datetimePrecision !== null && col.datetime_precision !== want.datetimePrecision) {
          problems.push(
            `column ${table}.${name} has time precision ${col.datetime_precision}, schema says ${want.datetimePrecision}`,
          );
        }
        if (want.charLength !== null && col.character_maximum_length !== want.charLength) {
          problems.push(
            `column ${table}.${name} has length ${col.character_maximum_length}, schema says ${want.charLength}`,
          );
        }
        const nullable = col.is_nullable === "YES";
        // Prisma creates scalar-list columns without NOT NULL.
        const wantNullable = field.isList || !field.isRequired;
        if (nullable !== wantNullable) {
          problems.push(
            `column ${table}.${name} is ${nullable ? "nullable" : "NOT NULL"}, schema says ${wantNullable ? "optional" : "required"}`,
          );
        }
      }

      const tableIndexes = indexes.filter((i) => i.table_name === table);
      for (const index of model.datamodel.indexes.filter((i) => i.model === m.name)) {
        const cols = index.fields.map((f) => columnOf(f.name));
        const match = tableIndexes.find(
          (i) =>
            i.columns.join(",") === cols.join(",") &&
            (index.type === "id" ? i.is_primary : index.type === "unique" ? i.is_unique : true),
        );
        if (!match)
          problems.push(`${index.type === "normal" ? "index" : index.type} on ${table}(${cols.join(", ")}) is missing`);
      }

      for (const field of m.fields) {
        if (field.kind !== "object" || !field.relationFromFields?.length) continue;
        const cols = field.relationFromFields.map(columnOf);
        const targetTable = modelTables.get(field.type) ?? field.type;
        const target = model.datamodel.models.find((x) => x.name === field.type);
        const targetCols = (field.relationToFields ?? []).map(
          (f) => target?.fields.find((x) => x.name === f)?.dbName ?? f,
        );
        const fk = foreignKeys.find(
          (k) =>
            unquote(k.table_name) === table &&
            unquote(k.foreign_table) === targetTable &&
            k.columns.join(",") === cols.join(",") &&
            k.foreign_columns.join(",") === targetCols.join(","),
        );
        if (!fk)
          problems.push(
            `foreign key ${table}(${cols.join(", ")}) -> ${targetTable}(${targetCols.join(", ")}) is missing`,
          );
      }
    }
    return problems;
  } finally {
    await client.end();
  }
}
