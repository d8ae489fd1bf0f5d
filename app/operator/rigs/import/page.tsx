import type { Metadata } from "next";
import Link from "next/link";
import { RigImportForm } from "@/components/operator/rig-import-form";
import { DataTable, LinkButton, PageHeader, Section } from "@/components/ui";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { facilityChoices } from "@/lib/operator/queries";
import { MAX_RIG_CSV_BYTES, sampleRigCsv } from "@/lib/operator/rig-import";
import { HASHRATE_UNIT_LABELS } from "@/lib/operator/units";
import { importRigsAction } from "../../actions";

export const metadata: Metadata = { title: "Import rigs" };
export const dynamic = "force-dynamic";

const COLUMNS: { name: string; required: string; description: string }[] = [
  {
    name: "facility",
    required: "yes",
    description: "The name of one of your facilities, exactly as on your overview.",
  },
  { name: "model", required: "yes", description: "The rig's model, e.g. Antminer S21 Pro (at most 100 characters)." },
  {
    name: "serial_number",
    required: "yes",
    description:
      "The manufacturer's serial number. A model and serial pair is registered once: repeats in the file or of registered rigs are refused.",
  },
  {
    name: "algorithm",
    required: "yes",
    description: "SHA256, SCRYPT, KHEAVYHASH, ETCHASH or RANDOMX (SHA-256 and other spellings are fine).",
  },
  {
    name: "nominal_hashrate",
    required: "yes",
    description: "The nameplate hashrate in the unit of the next column, digits and a decimal point, e.g. 234.5.",
  },
  {
    name: "hashrate_unit",
    required: "yes",
    description: `One of ${HASHRATE_UNIT_LABELS.join(", ")}. The value must come to whole H/s.`,
  },
  { name: "power_w", required: "yes", description: "Power draw at the wall in whole watts, e.g. 3510." },
  { name: "status", required: "no", description: "ACTIVE (when empty), MAINTENANCE or OFFLINE." },
];

export default async function ImportRigsPage() {
  const user = await requireRole("OPERATOR", "/operator/rigs/import");
  const facilities = await facilityChoices(db(), user.id);
  const sample = sampleRigCsv(facilities[0]?.name);

  return (
    <div className="page max-w-5xl">
      <PageHeader
        title="Import rigs from a CSV file"
        description="Every row is checked before anything is saved: if any row has a problem, nothing is imported and each problem is listed with its line."
        actions={
          <LinkButton href="/operator" variant="ghost">
            Back to overview
          </LinkButton>
        }
      />

      <Section id="format" title="File format">
        <p className="mb-3 text-sm text-slate-700">
          Comma-separated, UTF-8, one rig per line after a header line with these columns (any order). Quote a field
          that contains a comma. At most 1 MB and 5,000 rigs per file.{" "}
          <a href="/operator/rigs/import/sample.csv" download="hashlease-rigs-sample.csv" className="link">
            Download a sample file
          </a>
          .
        </p>
        <DataTable
          label="CSV columns"
          exactLabel
          caption="Columns of the rig CSV file"
          rows={COLUMNS}
          rowKey={(column) => column.name}
          columns={[
            { header: "Column", rowHeader: true, className: "font-mono text-xs", cell: (column) => column.name },
            { header: "Required", cell: (column) => column.required },
            { header: "What it holds", cell: (column) => column.description },
          ]}
        />
        <p className="mt-4 text-sm font-medium text-slate-800" id="sample-title">
          Example
        </p>
        <pre
          aria-labelledby="sample-title"
          className="mt-2 overflow-x-auto rounded-md bg-slate-900 p-4 text-xs text-slate-100"
          tabIndex={0}
        >
          {sample}
        </pre>
      </Section>

      <Section id="upload" title="Upload">
        {facilities.length === 0 ? (
          <p className="text-sm text-slate-700">
            You have no facilities yet.{" "}
            <Link href="/operator/facilities/new" className="link">
              Add a facility
            </Link>{" "}
            first: every rig is hosted in one.
          </p>
        ) : (
          <RigImportForm action={importRigsAction} maxBytes={MAX_RIG_CSV_BYTES} />
        )}
      </Section>
    </div>
  );
}
