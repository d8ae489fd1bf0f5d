// UTC calendar days, the unit of payouts, telemetry, network snapshots and contract terms: a day
// is its UTC midnight (a `@db.Date` value) and is written YYYY-MM-DD.

export const DAY_MS = 86_400_000;

/** The UTC midnight that starts the day `instant` falls on. */
export function startOfUtcDay(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}

/** An instant in UTC, to the minute, in words that do not depend on the reader's zone: "2026-11-23 14:05 UTC". */
export function formatInstantUtc(instant: Date): string {
  return `${instant.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A day as YYYY-MM-DD: "2026-11-23". */
export function dayText(day: Date): string {
  return day.toISOString().slice(0, 10);
}

/** YYYY-MM-DD -> that UTC midnight, or null when it is not a real calendar day. */
export function parseDay(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const day = new Date(`${text}T00:00:00.000Z`);
  return Number.isNaN(day.getTime()) || dayText(day) !== text ? null : day;
}
