// Bulk registration of rigs from a CSV file. Every row is validated (fields, the operator's
// facility by name, duplicates within the file and against registered rigs) and every error
// is reported with its line, column and message; when any row is bad nothing is imported.
// A good file is inserted in one transaction with one audit line.
import { createHash } from "node:crypto";
import type { PrismaClient } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import type { Algorithm } from "../generated/prisma/enums";
import {
  checkCsvTable,
  csvFileRefusal,
  csvRowsRefusal,
  csvTooLarge,
  fieldCountError,
  isNotUtf8,
  NOT_UTF8_MESSAGE,
  type CsvImportRefusal,
  type CsvRowError,
} from "../shared/csv-upload";
import { operatorAudit } from "./audit";
import { csvField, readCsv } from "./csv";
import { csvStatusSchema, parseRigFields, rigSpecSchema, type NEW_RIG_STATUSES } from "./rig-fields";

export const RIG_CSV_COLUMNS = [
  "facility",
  "model",
  "serial_number",
  "algorithm",
  "nominal_hashrate",
  "hashrate_unit",
  "power_w",
  "status",
] as const;
export type RigCsvColumn = (typeof RIG_CSV_COLUMNS)[number];

/** 1 MB: well under the server action body limit (1 MiB with multipart overhead). */
export const MAX_RIG_CSV_BYTES = 1_000_000;
export const MAX_RIG_CSV_ROWS = 5_000;

/** What the page offers as a download: the header and three example rows. */
export function sampleRigCsv(facilityName = "Main Hall"): string {
  const rows = [
    [...RIG_CSV_COLUMNS],
    [facilityName, "Antminer S21 Pro", "S21PRO-0001", "SHA256", "234", "TH/s", "3510", "ACTIVE"],
    [facilityName, "Antminer L9", "L9-0001", "SCRYPT", "16", "GH/s", "3360", "ACTIVE"],
    [facilityName, "AMD EPYC 9654 node", "EPYC-0001", "RANDOMX", "110.5", "kH/s", "420", "MAINTENANCE"],
  ];
  return `${rows.map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`;
}

export interface RigCsvRow {
  line: number;
  facilityId: string;
  facilityName: string;
  model: string;
  serialNumber: string;
  algorithm: Algorithm;
  nominalHashrateHs: bigint;
  powerW: number;
  status: (typeof NEW_RIG_STATUSES)[number];
}

export interface ImportedRig {
  rigId: string;
  line: number;
  facilityName: string;
  model: string;
  serialNumber: string;
  algorithm: Algorithm;
  nominalHashrateHs: bigint;
  status: RigCsvRow["status"];
}

export type RigImportResult = { ok: true; imported: ImportedRig[] } | CsvImportRefusal;

const SPEC_COLUMNS: Record<string, RigCsvColumn> = {
  model: "model",
  serialNumber: "serial_number",
  algorithm: "algorithm",
  nominalHashrate: "nominal_hashrate",
  hashrateUnit: "hashrate_unit",
  powerW: "power_w",
};

const rigKey = (model: string, serialNumber: string) => `${model}\u0000${serialNumber}`;

/**
 * Pure validation of the file's text against the operator's facilities: the header, each
 * row's fields, and serial numbers repeated within the file. Rows are valid only when
 * `errors` is empty.
 */
export function checkRigCsv(
  text: string,
  facilities: { id: string; name: string }[],
): { ok: true; rows: RigCsvRow[]; errors: CsvRowError[] } | { ok: false; result: RigImportResult } {
  if (isNotUtf8(text)) return { ok: false, result: csvFileRefusal(NOT_UTF8_MESSAGE) };
  const read = readCsv(text);
  if (!read.ok)
    return { ok: false, result: csvRowsRefusal([{ line: read.line, field: "file", message: read.message }]) };
  const table = checkCsvTable(read.records, RIG_CSV_COLUMNS, {
    max: MAX_RIG_CSV_ROWS,
    noun: "rigs",
    none: "The file has a header but no rigs.",
  });
  if (!table.ok) return { ok: false, result: table.refusal };

  const { header, index } = table;
  const byName = new Map(facilities.map((f) => [f.name, f]));
  const byFoldedName = new Map<string, { id: string; name: string } | null>();
  for (const f of facilities) {
    const folded = f.name.toLowerCase();
    byFoldedName.set(folded, byFoldedName.has(folded) ? null : f);
  }
  const facilityList = facilities
    .map((f) => `“${f.name}”`)
    .slice(0, 10)
    .join(", ");

  const errors: CsvRowError[] = [];
  const rows: RigCsvRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const record of table.records) {
    const { line, fields } = record;
    const miscounted = fieldCountError(header, record);
    if (miscounted) {
      errors.push(miscounted);
      continue;
    }
    const value = (column: RigCsvColumn) => fields[index[column]]!;
    const before = errors.length;

    const facilityName = value("facility").trim();
    const facility = byName.get(facilityName) ?? byFoldedName.get(facilityName.toLowerCase()) ?? null;
    if (!facility) {
      errors.push({
        line,
        field: "facility",
        message: facilityName
          ? `You have no facility named “${facilityName}”.${facilities.length ? ` Yours: ${facilityList}.` : " Add the facility first."}`
          : "Enter the facility's name.",
      });
    }

    const spec = parseRigFields(rigSpecSchema, {
      model: value("model"),
      serialNumber: value("serial_number"),
      algorithm: value("algorithm"),
      nominalHashrate: value("nominal_hashrate"),
      hashrateUnit: value("hashrate_unit"),
      powerW: value("power_w"),
    });
    if (!spec.ok) {
      const columnOrder = (field: string) => (RIG_CSV_COLUMNS as readonly string[]).indexOf(field);
      const specErrors = Object.entries(spec.fieldErrors).map(([key, message]) => ({
        line,
        field: SPEC_COLUMNS[key] ?? "row",
        message,
      }));
      errors.push(...specErrors.sort((a, b) => columnOrder(a.field) - columnOrder(b.field)));
    }
    const status = csvStatusSchema.safeParse(value("status"));
    if (!status.success)
      errors.push({ line, field: "status", message: status.error.issues[0]?.message ?? "Check the status." });

    if (spec.ok) {
      const key = rigKey(spec.value.model, spec.value.serialNumber);
      const first = firstLineOf.get(key);
      if (first !== undefined) {
        errors.push({
          line,
          field: "serial_number",
          message: `Serial number “${spec.value.serialNumber}” of model “${spec.value.model}” is already on line ${first} of this file.`,
        });
      } else {
        firstLineOf.set(key, line);
      }
    }
    if (errors.length === before && facility && spec.ok && status.success) {
      rows.push({
        line,
        facilityId: facility.id,
        facilityName: facility.name,
        model: spec.value.model,
        serialNumber: spec.value.serialNumber,
        algorithm: spec.value.algorithm,
        nominalHashrateHs: spec.value.nominalHashrateHs,
        powerW: spec.value.powerW,
        status: status.data,
      });
    }
  }
  return { ok: true, rows, errors };
}

/**
 * Validates the whole file and, only when every row is good, registers all its rigs in one
 * transaction. `content` is the file's text; `byteLength` its size as uploaded.
 */
export async function importRigCsv(
  prisma: PrismaClient,
  args: { operatorId: string; content: string; byteLength: number; fileName?: string; ip?: string | null },
): Promise<RigImportResult> {
  const { operatorId, content } = args;
  const tooLarge = csvTooLarge(args, { maxBytes: MAX_RIG_CSV_BYTES, maxRows: MAX_RIG_CSV_ROWS, noun: "rigs" });
  if (tooLarge) return tooLarge;
  try {
    return await prisma.$transaction(
      async (tx): Promise<RigImportResult> => {
        const facilities = await tx.facility.findMany({
          where: { operatorId },
          select: { id: true, name: true },
          orderBy: { name: "asc" },
        });
        const checked = checkRigCsv(content, facilities);
        if (!checked.ok) return checked.result;
        const { rows, errors } = checked;

        // Serial numbers already registered (any operator's: a machine is registered once).
        const candidates = rows.length
          ? await tx.$queryRaw<{ model: string; serial_number: string }[]>`
              SELECT r.model, r.serial_number FROM rigs r
                JOIN unnest(${rows.map((r) => r.model)}::text[], ${rows.map((r) => r.serialNumber)}::text[]) AS f(model, serial_number)
                  ON r.model = f.model AND r.serial_number = f.serial_number`
          : [];
        const registered = new Set(candidates.map((c) => rigKey(c.model, c.serial_number)));
        for (const row of rows) {
          if (registered.has(rigKey(row.model, row.serialNumber))) {
            errors.push({
              line: row.line,
              field: "serial_number",
              message: `A rig of model “${row.model}” with serial number “${row.serialNumber}” is already registered.`,
            });
          }
        }
        if (errors.length) return csvRowsRefusal(errors);

        const created = await tx.rig.createManyAndReturn({
          data: rows.map((row) => ({
            facilityId: row.facilityId,
            model: row.model,
            serialNumber: row.serialNumber,
            algorithm: row.algorithm,
            nominalHashrateHs: row.nominalHashrateHs,
            powerDrawW: row.powerW,
            status: row.status,
          })),
          select: { id: true, model: true, serialNumber: true },
        });
        const idByKey = new Map(created.map((c) => [rigKey(c.model, c.serialNumber), c.id]));
        const imported: ImportedRig[] = rows.map((row) => ({
          rigId: idByKey.get(rigKey(row.model, row.serialNumber))!,
          line: row.line,
          facilityName: row.facilityName,
          model: row.model,
          serialNumber: row.serialNumber,
          algorithm: row.algorithm,
          nominalHashrateHs: row.nominalHashrateHs,
          status: row.status,
        }));
        await operatorAudit(tx, args, "rigs.imported", ["rig", null], {
          fileName: args.fileName ?? null,
          fileSha256: createHash("sha256").update(content).digest("hex"),
          count: imported.length,
          rigIds: imported.map((r) => r.rigId),
        });
        return { ok: true, imported };
      },
      { timeout: 60_000 },
    );
  } catch (error) {
    // A rig with one of these serials was registered between the check and the insert.
    if (isUniqueViolation(error)) {
      return csvFileRefusal(
        "Another upload registered one of these rigs at the same moment; nothing was imported. Upload the file again to see which.",
      );
    }
    throw error;
  }
}
