// Rig telemetry: an operator reports, per rig per UTC day, the rig's average hashrate (the
// payout run's input "rep", DESIGN.md "Daily payout" step 1) and optionally its uptime.
// One plain function for every channel (the forms here, later the HMAC API
// `POST /api/v1/telemetry`): it takes the operator's id, never a session.
//
// Rules (lib/operator/README.md "Telemetry"):
//  - only the operator's own rigs; any other rig id, existing or not, is FORBIDDEN (403) with
//    the same message, so the answer never tells whether someone else's rig exists;
//  - only a day that has ended (UTC), at most MAX_TELEMETRY_AGE_DAYS back;
//  - the hashrate is a decimal in the rig's display unit (or the unit given), converted to
//    whole H/s exactly; 0 is allowed (the rig did not hash), more than twice the nominal is
//    refused as a typo or a wrong unit; uptime 0-100 % with up to 2 decimals;
//  - a rig-day whose payouts are settled (a payout of that day exists for a contract whose
//    allocation on the rig was in force that day) is final: payouts keep their inputs;
//  - a rig-day the Stratum proxy measured (it mined through it that day) takes no telemetry:
//    measured data always wins over a declaration (DESIGN.md "Delivered hashrate: measured");
//  - all entries or none, one transaction, one audit line listing every entry and what it
//    replaced.
// Race with the payout run: the run settles a day under an exclusive transaction-scoped
// advisory lock; this transaction takes the same lock in shared mode before it checks for
// payouts. So a run that started first finishes before the check (which then sees its
// payouts), and a run that starts later waits for this commit (and then reads the new
// telemetry): a payout never silently disagrees with the telemetry stored for its day.
import type { PrismaClient, Tx } from "../db/client";
import type { TelemetrySource } from "../generated/prisma/enums";
import { PAYOUT_RUN_LOCK } from "../payouts/run";
import { DAY_MS, dayText, parseDay, startOfUtcDay } from "../shared/days";
import { parseDecimal, powerOfTenDecimals } from "../shared/decimal";
import { hashrateText, hashrateUnitHs, naturalHashrateUnit, type HashrateUnitLabel } from "../shared/hashrate-units";
import type { Refusal } from "../shared/result";
import { operatorAudit } from "./audit";

/** The payout run's advisory lock key, defined once by the run itself. */
export { PAYOUT_RUN_LOCK };
/** Entries per call (a form page or one API request). */
export const MAX_TELEMETRY_ENTRIES = 1_000;
/** How far back telemetry can still be entered or corrected. */
export const MAX_TELEMETRY_AGE_DAYS = 366;
/** A report above this multiple of the nominal hashrate is refused (typo or wrong unit). */
export const MAX_REPORTED_TO_NOMINAL = 2n;
/** How long to wait for a payout run in progress before giving up. */
const RUN_WAIT = "15s";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TelemetryEntryInput {
  rigId: string;
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  /** Average hashrate of the day as a plain decimal in `unit`, e.g. "228.75". */
  avgHashrate: string;
  /** Unit of `avgHashrate`; default the rig's display unit (the largest in which its nominal is >= 1). */
  unit?: HashrateUnitLabel;
  /** Uptime of the day in percent ("99.5"); empty or absent when not reported. */
  uptimePercent?: string | null;
}

export type TelemetryField = "rigId" | "day" | "avgHashrate" | "uptime" | "row";

export interface TelemetryRowError {
  /** Position of the entry in the input (0-based). */
  index: number;
  rigId: string;
  day: string;
  field: TelemetryField;
  message: string;
}

export interface SavedTelemetry {
  rigId: string;
  day: string;
  reportedHashrateHs: bigint;
  uptimeBps: number | null;
  /** What this replaced, or null for a new rig-day. */
  previous: { reportedHashrateHs: bigint; uptimeBps: number | null; source: TelemetrySource } | null;
}

/** FORBIDDEN: a rig that is not the operator's; INVALID: bad values; CONFLICT: settled day, or a payout run busy. */
export type TelemetryRefusal = Refusal<"FORBIDDEN" | "INVALID" | "CONFLICT"> & { errors: TelemetryRowError[] };

/**
 * `saved`: the rig-days written (new, or a value, uptime or source changed); `unchanged`: entries
 * equal to what was stored (a day sheet re-sends every prefilled row), neither written nor audited.
 */
export type TelemetryResult = { ok: true; saved: SavedTelemetry[]; unchanged: number } | TelemetryRefusal;

export const NOT_YOUR_RIG = "You have no rig with this id.";
export const SETTLED_DAY =
  "Payouts for this day are already settled for contracts on this rig; payouts keep the telemetry they were computed from, so it can no longer change.";

export const MEASURED_DAY =
  "This rig mined through the Hashlease Stratum endpoint that day: its delivered hashrate is measured from its verified shares and cannot be typed.";

/** The day's problem, or null: a real day that has ended and is not too old. */
export function telemetryDayProblem(text: string, now: Date): string | null {
  const day = parseDay(text.trim());
  if (!day) return "Enter the day as YYYY-MM-DD (a UTC calendar day).";
  const today = startOfUtcDay(now);
  if (day.getTime() > today.getTime()) return `${dayText(day)} is in the future; report a day once it has ended (UTC).`;
  if (day.getTime() === today.getTime())
    return `${dayText(day)} has not ended yet (UTC); report its average once it has.`;
  if (today.getTime() - day.getTime() > MAX_TELEMETRY_AGE_DAYS * DAY_MS) {
    return `Telemetry can be entered for the last ${MAX_TELEMETRY_AGE_DAYS} days only.`;
  }
  return null;
}

/** Uptime "99.5" (%) -> 9950 basis points; empty -> null. */
export function parseUptime(
  text: string | null | undefined,
): { ok: true; value: number | null } | { ok: false; message: string } {
  const trimmed = (text ?? "").trim().replace(/\s*%$/, "");
  if (trimmed === "") return { ok: true, value: null };
  const parsed = parseDecimal(trimmed, 2);
  if (!parsed.ok) {
    return {
      ok: false,
      message:
        parsed.reason === "format"
          ? "Enter the uptime as a percentage from 0 to 100, e.g. 99.5."
          : "Use at most 2 decimals for the uptime.",
    };
  }
  if (parsed.value > 10_000n) return { ok: false, message: "The uptime cannot be more than 100 %." };
  return { ok: true, value: Number(parsed.value) };
}

/**
 * The reported average hashrate typed in `unit`, as whole H/s: >= 0, a whole number of H/s,
 * at most MAX_REPORTED_TO_NOMINAL times the nominal.
 */
export function parseReportedHashrate(
  text: string,
  unit: HashrateUnitLabel,
  nominalHs: bigint,
): { ok: true; value: bigint } | { ok: false; message: string } {
  const decimals = powerOfTenDecimals(hashrateUnitHs(unit));
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, message: `Enter the day's average hashrate in ${unit}.` };
  const parsed = parseDecimal(trimmed, decimals);
  if (!parsed.ok) {
    return {
      ok: false,
      message:
        parsed.reason === "format"
          ? `Enter the average hashrate in ${unit} as a number with a decimal point, e.g. ${hashrateText(nominalHs, unit)}; 0 when the rig did not hash.`
          : decimals === 0
            ? "Enter a whole number of H/s."
            : `Use at most ${decimals} decimals in ${unit} (whole H/s).`,
    };
  }
  const limit = nominalHs * MAX_REPORTED_TO_NOMINAL;
  if (parsed.value > limit) {
    return {
      ok: false,
      message: `${trimmed} ${unit} is more than twice the rig's nominal ${hashrateText(nominalHs, unit)} ${unit}: check the value and the unit.`,
    };
  }
  return { ok: true, value: parsed.value };
}

function refusal(errors: TelemetryRowError[]): TelemetryRefusal {
  const sorted = [...errors].sort((a, b) => a.index - b.index);
  const code = sorted.some((e) => e.message === NOT_YOUR_RIG)
    ? "FORBIDDEN"
    : sorted.every((e) => e.message === SETTLED_DAY || e.message === MEASURED_DAY)
      ? "CONFLICT"
      : "INVALID";
  const rows = new Set(sorted.map((e) => e.index)).size;
  const these = rows === 1 ? "this rig-day" : `${rows} of these rig-days`;
  const message =
    code === "FORBIDDEN"
      ? `Nothing was saved: ${rows === 1 ? "a rig is" : `${rows} rigs are`} not among yours.`
      : code === "CONFLICT" && sorted.every((e) => e.message === MEASURED_DAY)
        ? `Nothing was saved: ${these} ${rows === 1 ? "is" : "are"} measured from verified Stratum shares, which always win over typed telemetry.`
        : code === "CONFLICT"
          ? `Nothing was saved: payouts are already settled for ${these}, and payouts keep their inputs.`
          : `Nothing was saved: ${sorted.length} ${sorted.length === 1 ? "problem" : "problems"} in ${rows} ${rows === 1 ? "entry" : "entries"}.`;
  return { ok: false, code, message, errors: sorted };
}

interface Checked {
  index: number;
  rigId: string;
  day: string;
  reportedHashrateHs: bigint;
  uptimeBps: number | null;
}

/** Rig-days (of `pairs`) whose payouts are settled for a contract allocated on the rig that day. */
/** Rig-days measured by the Stratum proxy (a share-day row): telemetry cannot override them. */
async function measuredRigDays(tx: Tx, rigIds: string[], days: string[]): Promise<Set<string>> {
  if (rigIds.length === 0) return new Set();
  const rows = await tx.$queryRaw<{ rig_id: string; day: string }[]>`
    SELECT m.rig_id::text AS rig_id, m.day::text AS day
      FROM unnest(${rigIds}::uuid[], ${days}::date[]) AS e(rig_id, day)
      JOIN rig_share_days m ON m.rig_id = e.rig_id AND m.day = e.day`;
  return new Set(rows.map((r) => `${r.rig_id}|${r.day}`));
}

async function settledRigDays(tx: Tx, rigIds: string[], days: string[]): Promise<Set<string>> {
  if (rigIds.length === 0) return new Set();
  const rows = await tx.$queryRaw<{ rig_id: string; day: string }[]>`
    SELECT DISTINCT e.rig_id::text AS rig_id, e.day::text AS day
      FROM unnest(${rigIds}::uuid[], ${days}::date[]) AS e(rig_id, day)
      JOIN allocations a ON a.rig_id = e.rig_id
                        AND a.created_at < ((e.day + 1)::timestamp AT TIME ZONE 'UTC')
                        AND (a.released_at IS NULL OR a.released_at >= ((e.day + 1)::timestamp AT TIME ZONE 'UTC'))
      JOIN daily_payouts p ON p.contract_id = a.contract_id AND p.day = e.day`;
  return new Set(rows.map((r) => `${r.rig_id}|${r.day}`));
}

/**
 * Records (inserts or replaces) telemetry for the operator's rigs, all entries or none, in one
 * transaction with one audit line. See the file comment for the rules.
 */
export async function recordTelemetry(
  prisma: PrismaClient,
  args: { operatorId: string; entries: TelemetryEntryInput[]; source: TelemetrySource; ip?: string | null; now?: Date },
): Promise<TelemetryResult> {
  const { operatorId, entries, source } = args;
  const now = args.now ?? new Date();
  if (entries.length === 0) {
    return { ok: false, code: "INVALID", message: "Enter at least one rig's average hashrate.", errors: [] };
  }
  if (entries.length > MAX_TELEMETRY_ENTRIES) {
    return {
      ok: false,
      code: "INVALID",
      message: `Send at most ${MAX_TELEMETRY_ENTRIES.toLocaleString("en-US")} entries at once (got ${entries.length.toLocaleString("en-US")}).`,
      errors: [],
    };
  }

  // Checks that need no database: ids, days, uptime, repeated rig-days.
  const errors: TelemetryRowError[] = [];
  const seen = new Map<string, number>();
  const rows = entries.map((entry, index) => {
    const rigId = String(entry.rigId ?? "")
      .trim()
      .toLowerCase();
    const dayInput = String(entry.day ?? "").trim();
    const base = { index, rigId, day: dayInput };
    const idOk = UUID.test(rigId);
    if (!idOk) errors.push({ ...base, field: "rigId", message: NOT_YOUR_RIG });
    const dayProblem = telemetryDayProblem(dayInput, now);
    if (dayProblem) errors.push({ ...base, field: "day", message: dayProblem });
    const uptime = parseUptime(entry.uptimePercent);
    if (!uptime.ok) errors.push({ ...base, field: "uptime", message: uptime.message });
    if (idOk && !dayProblem) {
      const key = `${rigId}|${dayInput}`;
      const first = seen.get(key);
      if (first !== undefined)
        errors.push({ ...base, field: "row", message: `The same rig and day are already entry ${first + 1}.` });
      else seen.set(key, index);
    }
    return { ...base, idOk, uptimeBps: uptime.ok ? uptime.value : null };
  });

  try {
    return await prisma.$transaction(
      async (tx): Promise<TelemetryResult> => {
        await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${RUN_WAIT}'`);
        await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${PAYOUT_RUN_LOCK})`;

        const rigIds = [...new Set(rows.filter((r) => r.idOk).map((r) => r.rigId))];
        const owned = rigIds.length
          ? await tx.$queryRaw<{ id: string; nominal: bigint }[]>`
              SELECT r.id::text AS id, r.nominal_hashrate_hs AS nominal
                FROM rigs r JOIN facilities f ON f.id = r.facility_id
               WHERE r.id = ANY(${rigIds}::uuid[]) AND f.operator_id = ${operatorId}::uuid`
          : [];
        const nominalOf = new Map(owned.map((r) => [r.id, BigInt(r.nominal)]));

        const checked: Checked[] = [];
        for (const row of rows) {
          if (!row.idOk) continue;
          const nominal = nominalOf.get(row.rigId);
          if (nominal === undefined) {
            errors.push({ index: row.index, rigId: row.rigId, day: row.day, field: "rigId", message: NOT_YOUR_RIG });
            continue;
          }
          const entry = entries[row.index]!;
          const unit = entry.unit ?? naturalHashrateUnit(nominal);
          const hashrate = parseReportedHashrate(String(entry.avgHashrate ?? ""), unit, nominal);
          if (!hashrate.ok) {
            errors.push({
              index: row.index,
              rigId: row.rigId,
              day: row.day,
              field: "avgHashrate",
              message: hashrate.message,
            });
            continue;
          }
          if (row.uptimeBps === 0 && hashrate.value > 0n) {
            errors.push({
              index: row.index,
              rigId: row.rigId,
              day: row.day,
              field: "uptime",
              message: "An uptime of 0 % cannot go with a hashrate above 0.",
            });
            continue;
          }
          checked.push({
            index: row.index,
            rigId: row.rigId,
            day: row.day,
            reportedHashrateHs: hashrate.value,
            uptimeBps: row.uptimeBps,
          });
        }
        const dated = checked.filter((c) => !errors.some((e) => e.index === c.index));
        const settled = await settledRigDays(
          tx,
          dated.map((c) => c.rigId),
          dated.map((c) => c.day),
        );
        const measured = await measuredRigDays(
          tx,
          dated.map((c) => c.rigId),
          dated.map((c) => c.day),
        );
        for (const c of dated) {
          const key = `${c.rigId}|${c.day}`;
          if (settled.has(key))
            errors.push({ index: c.index, rigId: c.rigId, day: c.day, field: "day", message: SETTLED_DAY });
          else if (measured.has(key))
            errors.push({ index: c.index, rigId: c.rigId, day: c.day, field: "day", message: MEASURED_DAY });
        }
        if (errors.length > 0) return refusal(errors);

        const ids = checked.map((c) => c.rigId);
        const days = checked.map((c) => c.day);
        const previous = await tx.$queryRaw<
          { rig_id: string; day: string; reported: bigint; uptime_bps: number | null; source: TelemetrySource }[]
        >`
          SELECT t.rig_id::text AS rig_id, t.day::text AS day, t.reported_hashrate_hs AS reported, t.uptime_bps, t.source::text AS source
            FROM rig_telemetry t JOIN unnest(${ids}::uuid[], ${days}::date[]) AS e(rig_id, day) ON t.rig_id = e.rig_id AND t.day = e.day
             FOR UPDATE OF t`;
        const before = new Map(previous.map((p) => [`${p.rig_id}|${p.day}`, p]));
        const changed = checked.filter((c) => {
          const p = before.get(`${c.rigId}|${c.day}`);
          return (
            !p || BigInt(p.reported) !== c.reportedHashrateHs || p.uptime_bps !== c.uptimeBps || p.source !== source
          );
        });
        const unchanged = checked.length - changed.length;
        if (changed.length === 0) return { ok: true, saved: [], unchanged };
        await tx.$executeRaw`
          INSERT INTO rig_telemetry (rig_id, day, reported_hashrate_hs, uptime_bps, source)
          SELECT e.rig_id, e.day, e.reported, e.uptime_bps, ${source}::telemetry_source
            FROM unnest(${changed.map((c) => c.rigId)}::uuid[], ${changed.map((c) => c.day)}::date[], ${changed.map((c) => c.reportedHashrateHs.toString())}::bigint[],
                        ${changed.map((c) => c.uptimeBps)}::int[]) AS e(rig_id, day, reported, uptime_bps)
          ON CONFLICT (rig_id, day) DO UPDATE
             SET reported_hashrate_hs = EXCLUDED.reported_hashrate_hs, uptime_bps = EXCLUDED.uptime_bps,
                 source = EXCLUDED.source, updated_at = now()`;

        const saved: SavedTelemetry[] = changed.map((c) => {
          const p = before.get(`${c.rigId}|${c.day}`);
          return {
            rigId: c.rigId,
            day: c.day,
            reportedHashrateHs: c.reportedHashrateHs,
            uptimeBps: c.uptimeBps,
            previous: p ? { reportedHashrateHs: BigInt(p.reported), uptimeBps: p.uptime_bps, source: p.source } : null,
          };
        });
        await operatorAudit(
          tx,
          args,
          "telemetry.recorded",
          ["rig_telemetry", saved.length === 1 ? saved[0]!.rigId : null],
          {
            source,
            count: saved.length,
            entries: saved.map((s) => ({
              rigId: s.rigId,
              day: s.day,
              reportedHashrateHs: s.reportedHashrateHs.toString(),
              uptimeBps: s.uptimeBps,
              previous: s.previous
                ? {
                    reportedHashrateHs: s.previous.reportedHashrateHs.toString(),
                    uptimeBps: s.previous.uptimeBps,
                    source: s.previous.source,
                  }
                : null,
            })),
          },
        );
        return { ok: true, saved, unchanged };
      },
      { timeout: 60_000, maxWait: 20_000 },
    );
  } catch (error) {
    if (isLockTimeout(error)) {
      return {
        ok: false,
        code: "CONFLICT",
        message: "A payout run is settling days right now; nothing was saved. Try again in a minute.",
        errors: [],
      };
    }
    throw error;
  }
}

/** PostgreSQL's lock_timeout fired (55P03). */
function isLockTimeout(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  return (
    e.code === "55P03" ||
    e.cause?.code === "55P03" ||
    (typeof e.message === "string" && e.message.includes("lock timeout"))
  );
}
