"use server";

// Telemetry entry by the operator: one rig-day from the rig's page, or several rigs of one day
// from /operator/telemetry. Both call recordTelemetry (all entries or none, one transaction,
// audited) with the signed-in operator's id; refusals come back as form state keyed by field.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { OperatorFormState } from "@/components/operator/form-state";
import { requireRole } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { recordTelemetry, SETTLED_DAY, type TelemetryEntryInput, type TelemetryRefusal } from "@/lib/operator/telemetry";
import { requestIp } from "@/lib/http/next";

const id = z.uuid();

function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

/** Field key of a refusal's row error on the day sheet: the rig's hashrate, uptime or row. */
function sheetErrors(refusal: TelemetryRefusal, rigIds: string[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const e of refusal.errors) {
    const rigId = rigIds[e.index] ?? e.rigId;
    const key =
      e.field === "avgHashrate"
        ? `hashrate:${rigId}`
        : e.field === "uptime"
          ? `uptime:${rigId}`
          : e.field === "day" && e.message !== SETTLED_DAY
            ? "day"
            : `rig:${rigId}`;
    errors[key] ??= e.message;
  }
  return errors;
}

function savedMessage(count: number, day: string): string {
  return `Saved the average hashrate of ${count} ${count === 1 ? "rig" : "rigs"} for ${day}.`;
}

/** The day sheet: every rig row with a hashrate (or an uptime) typed in is one entry. */
export async function recordTelemetryDayAction(day: string, _state: OperatorFormState, formData: FormData): Promise<OperatorFormState> {
  const user = await requireRole("OPERATOR", `/operator/telemetry?day=${encodeURIComponent(day)}`);
  const values: Record<string, string> = {};
  const rigIds: string[] = [];
  const entries: TelemetryEntryInput[] = [];
  for (const name of new Set([...formData.keys()])) {
    const match = /^(hashrate|uptime):(.+)$/.exec(name);
    if (!match) continue;
    values[name] = text(formData, name);
    const rigId = match[2]!;
    if (rigIds.includes(rigId)) continue;
    const hashrate = text(formData, `hashrate:${rigId}`);
    const uptime = text(formData, `uptime:${rigId}`);
    if (hashrate.trim() === "" && uptime.trim() === "") continue;
    if (!id.safeParse(rigId).success) continue;
    rigIds.push(rigId);
    entries.push({ rigId, day, avgHashrate: hashrate, uptimePercent: uptime });
  }
  if (entries.length === 0) {
    return { status: "error", message: "Nothing was saved: enter the average hashrate of at least one rig.", fieldErrors: {}, values };
  }
  const result = await recordTelemetry(db(), { operatorId: user.id, entries, source: "OPERATOR_UI", ip: await requestIp() });
  if (!result.ok) return { status: "error", message: result.message, fieldErrors: sheetErrors(result, rigIds), values };
  revalidatePath("/operator/telemetry");
  revalidatePath("/operator/performance");
  return { status: "done", message: savedMessage(result.saved.length, day), fieldErrors: {}, values: {} };
}

/** One rig-day from the rig's page. */
export async function recordRigTelemetryAction(rigId: string, _state: OperatorFormState, formData: FormData): Promise<OperatorFormState> {
  const values = { day: text(formData, "day"), hashrate: text(formData, "hashrate"), uptime: text(formData, "uptime") };
  const user = await requireRole("OPERATOR", `/operator/rigs/${encodeURIComponent(rigId)}`);
  const result = await recordTelemetry(db(), {
    operatorId: user.id,
    entries: [{ rigId, day: values.day, avgHashrate: values.hashrate, uptimePercent: values.uptime }],
    source: "OPERATOR_UI",
    ip: await requestIp(),
  });
  if (!result.ok) {
    const fieldErrors: Record<string, string> = {};
    for (const e of result.errors) {
      const key = e.field === "avgHashrate" ? "hashrate" : e.field === "uptime" ? "uptime" : e.field === "day" ? "day" : "form";
      fieldErrors[key] ??= e.message;
    }
    const message = result.code === "INVALID" ? "Nothing was saved: check the field marked below." : result.message;
    return { status: "error", message, fieldErrors, values };
  }
  revalidatePath(`/operator/rigs/${rigId}`);
  revalidatePath("/operator/telemetry");
  revalidatePath("/operator/performance");
  return { status: "done", message: savedMessage(1, values.day.trim()), fieldErrors: {}, values: {} };
}
