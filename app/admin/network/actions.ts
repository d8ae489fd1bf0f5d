"use server";

// Server actions of /admin/network. Each one: parse the input -> check the session's ADMIN
// role (the core checks the actor again in its transaction) -> one core function, one
// transaction, audited -> revalidate. Refusals come back as form state.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { AdminFormState } from "@/components/admin/form-state";
import { formatInteger } from "@/components/format";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { importSnapshotCsv, MAX_SNAPSHOT_CSV_BYTES } from "@/lib/network/csv-import";
import { parseSnapshot, SNAPSHOT_FIELD_NAMES } from "@/lib/network/fields";
import { saveSnapshot, snapshotCoins } from "@/lib/network/snapshots";
import { requestIp } from "@/lib/http/next";
import { dayText } from "@/lib/shared/days";

function texts(formData: FormData): Record<string, string> {
  return Object.fromEntries(SNAPSHOT_FIELD_NAMES.map((name) => [name, typeof formData.get(name) === "string" ? (formData.get(name) as string) : ""]));
}

/** The warning every correction of a settled day carries. */
function settledWarning(coin: string, day: string, payouts: number): string {
  return `${day} already has ${formatInteger(payouts)} settled ${coin} ${payouts === 1 ? "payout" : "payouts"}. Settled payouts keep the inputs they were computed with and are not changed; the corrected figures apply only to contracts of that day not settled yet.`;
}

export async function saveSnapshotAction(_state: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const values = texts(formData);
  const user = await requireRole("ADMIN", "/admin/network");
  const prisma = db();
  const parsed = parseSnapshot(values, await snapshotCoins(prisma));
  if (!parsed.ok) {
    const count = Object.keys(parsed.fieldErrors).length;
    return {
      status: "error",
      message: count === 1 ? "Check the field marked below; nothing was saved." : `Check the ${count} fields marked below; nothing was saved.`,
      fieldErrors: parsed.fieldErrors as Record<string, string>,
      values,
    };
  }
  const result = await saveSnapshot(prisma, { actorId: user.id, snapshot: parsed.value, ip: await requestIp() });
  if (!result.ok) return { status: "error", message: result.message, fieldErrors: {}, values };
  const day = dayText(result.snapshot.day);
  revalidatePath("/admin/network");
  revalidatePath("/admin");
  const message =
    result.outcome === "created"
      ? `Snapshot for ${result.snapshot.coin} on ${day} saved.`
      : result.outcome === "updated"
        ? `Snapshot for ${result.snapshot.coin} on ${day} corrected.`
        : `Nothing changed: the snapshot for ${result.snapshot.coin} on ${day} already has these figures.`;
  return {
    status: "done",
    message,
    fieldErrors: {},
    values: {},
    warning: result.outcome === "updated" && result.payoutsOnDay > 0 ? settledWarning(result.snapshot.coin, day, result.payoutsOnDay) : undefined,
  };
}

export async function importSnapshotsAction(_state: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const upload = z.instanceof(File).refine((f) => f.size > 0, "Choose a CSV file to upload.").safeParse(formData.get("file"));
  if (!upload.success) return { status: "error", message: "Choose a CSV file to upload.", fieldErrors: { file: "Choose a CSV file to upload." }, values: {} };
  const user = await requireRole("ADMIN", "/admin/network");
  const file = upload.data;
  if (file.size > MAX_SNAPSHOT_CSV_BYTES) {
    const message = "The file is larger than 1 MB. Split it into files of at most 5,000 rows.";
    return { status: "error", message, fieldErrors: { file: message }, values: {} };
  }
  const result = await importSnapshotCsv(db(), {
    actorId: user.id,
    content: await file.text(),
    byteLength: file.size,
    fileName: file.name.slice(0, 200),
    ip: await requestIp(),
  });
  if (!result.ok) {
    if (result.code !== "INVALID") return { status: "error", message: result.message, fieldErrors: { file: result.message }, values: {} };
    const fileOnly = result.errors.length === 1 && result.errors[0]!.line === 0;
    return {
      status: "error",
      message: result.message,
      fieldErrors: fileOnly ? { file: result.message } : {},
      values: {},
      importErrors: fileOnly ? undefined : result.errors,
      importErrorCount: result.errorCount,
    };
  }
  revalidatePath("/admin/network");
  revalidatePath("/admin");
  const settled = result.rows.filter((r) => r.outcome === "updated" && r.payoutsOnDay > 0);
  return {
    status: "done",
    message: `Imported ${file.name}: ${result.created} new, ${result.updated} corrected, ${result.unchanged} unchanged.`,
    fieldErrors: {},
    values: {},
    lines: result.rows.map((r) => `Line ${r.line}: ${r.coin} ${r.day} — ${r.outcome}`),
    warning: settled.length
      ? `Corrected days with settled payouts (they keep the inputs they were computed with and are not changed): ${settled
          .map((r) => `${r.coin} ${r.day} (${formatInteger(r.payoutsOnDay)} ${r.payoutsOnDay === 1 ? "payout" : "payouts"})`)
          .join(", ")}.`
      : undefined,
  };
}
