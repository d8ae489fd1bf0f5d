// Display text for operator results (server side; the forms receive strings only).
import { formatHashrate, formatInteger } from "@/components/format";

/** A contract id as shown in tables: its first 8 hex digits. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** "1.5 TH/s (1,500,000,000,000 H/s)": rounded for reading, exact beside it. */
export function hashrateWithExact(hs: bigint): string {
  return `${formatHashrate(hs)} (${formatInteger(hs)} H/s)`;
}
