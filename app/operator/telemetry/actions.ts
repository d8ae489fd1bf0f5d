"use server";

// Telemetry entry by the operator: one rig-day from the rig's page, or several rigs of one day
// from /operator/telemetry. Both are formAction (app/_lib/form-action.ts) and call
// recordTelemetry (all entries or none, one transaction, audited) with the signed-in
// operator's id; refusals come back as form state keyed by field.
import { z } from "zod";
import { formAction } from "@/app/_lib/form-action";
import { db } from "@/lib/db/client";
import {
  recordTelemetry,
  SETTLED_DAY,
  type TelemetryEntryInput,
  type TelemetryRefusal,
} from "@/lib/operator/telemetry";
import { refuse, type FieldErrors } from "@/lib/shared/result";

const isId = (value: string) => z.uuid().safeParse(value).success;

/** Field key of a refusal's row error on the day sheet: the rig's hashrate, uptime or row. */
function sheetErrors(refusal: TelemetryRefusal, rigIds: string[]): FieldErrors {
  const errors: FieldErrors = {};
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

/** What was written, counted apart from the prefilled rows sent again as they were. */
function savedMessage(result: { saved: unknown[]; unchanged: number }, day: string): string {
  const count = result.saved.length;
  const rigs = (n: number) => `${n} ${n === 1 ? "rig" : "rigs"}`;
  if (count === 0) return `Nothing changed: the values for ${day} are the ones already saved.`;
  const unchanged = result.unchanged ? ` (${rigs(result.unchanged)} unchanged)` : "";
  return `Saved the average hashrate of ${rigs(count)} for ${day}${unchanged}.`;
}

/** The day sheet's cells, `hashrate:<rigId>` and `uptime:<rigId>`, in the order of the form. */
function sheetCells(formData: FormData): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const [name, value] of formData.entries()) {
    if (/^(hashrate|uptime):(.+)$/.test(name) && !(name in cells)) cells[name] = typeof value === "string" ? value : "";
  }
  return cells;
}

/** The day sheet: every rig row with a hashrate (or an uptime) typed in is one entry. */
export const recordTelemetryDayAction = formAction({
  role: "OPERATOR",
  path: (day: string) => `/operator/telemetry?day=${encodeURIComponent(day)}`,
  schema: z.record(z.string(), z.string()),
  read: sheetCells,
  run: async ({ user, ip, input: cells, args: [day] }) => {
    const rigIds: string[] = [];
    const entries: TelemetryEntryInput[] = [];
    for (const name of Object.keys(cells)) {
      const rigId = name.slice(name.indexOf(":") + 1);
      if (rigIds.includes(rigId)) continue;
      const hashrate = cells[`hashrate:${rigId}`] ?? "";
      const uptime = cells[`uptime:${rigId}`] ?? "";
      if (hashrate.trim() === "" && uptime.trim() === "") continue;
      if (!isId(rigId)) continue;
      rigIds.push(rigId);
      entries.push({ rigId, day, avgHashrate: hashrate, uptimePercent: uptime });
    }
    if (entries.length === 0)
      return refuse("NOTHING_ENTERED", "Nothing was saved: enter or change the average hashrate of at least one rig.");
    const result = await recordTelemetry(db(), { operatorId: user.id, entries, source: "OPERATOR_UI", ip });
    return result.ok ? result : refuse(result.code, result.message, sheetErrors(result, rigIds));
  },
  done: {
    revalidate: ["/operator/telemetry", "/operator/performance"],
    message: (result, [day]) => savedMessage(result, day),
  },
});

/** One rig-day from the rig's page. */
export const recordRigTelemetryAction = formAction({
  role: "OPERATOR",
  path: (rigId: string) => `/operator/rigs/${encodeURIComponent(rigId)}`,
  schema: z.object({ day: z.string(), hashrate: z.string(), uptime: z.string() }),
  run: async ({ user, ip, input, args: [rigId] }) => {
    const result = await recordTelemetry(db(), {
      operatorId: user.id,
      entries: [{ rigId, day: input.day, avgHashrate: input.hashrate, uptimePercent: input.uptime }],
      source: "OPERATOR_UI",
      ip,
    });
    if (result.ok) return result;
    const fieldErrors: FieldErrors = {};
    for (const e of result.errors) {
      const key =
        e.field === "avgHashrate" ? "hashrate" : e.field === "uptime" ? "uptime" : e.field === "day" ? "day" : "form";
      fieldErrors[key] ??= e.message;
    }
    return refuse(
      result.code,
      result.code === "INVALID" ? "Nothing was saved: check the field marked below." : result.message,
      fieldErrors,
    );
  },
  done: {
    revalidate: (_saved, [rigId]) => [`/operator/rigs/${rigId}`, "/operator/telemetry", "/operator/performance"],
    message: (result, _args, { input }) => savedMessage(result, input.day.trim()),
  },
});
