// SI hashrate units as written on spec sheets, for every form and file that takes a hashrate
// in a unit (operator rigs, network snapshots): sizes in H/s, exact text in a unit.
import { decimalText, powerOfTenDecimals } from "./decimal";

export const HASHRATE_UNITS = [
  { label: "H/s", hs: 1n },
  { label: "kH/s", hs: 10n ** 3n },
  { label: "MH/s", hs: 10n ** 6n },
  { label: "GH/s", hs: 10n ** 9n },
  { label: "TH/s", hs: 10n ** 12n },
  { label: "PH/s", hs: 10n ** 15n },
  { label: "EH/s", hs: 10n ** 18n },
] as const;
export type HashrateUnitLabel = (typeof HASHRATE_UNITS)[number]["label"];
export const HASHRATE_UNIT_LABELS = HASHRATE_UNITS.map((u) => u.label) as HashrateUnitLabel[];

/** "th/s", "TH/S", " TH/s " -> "TH/s"; null for anything else. */
export function hashrateUnit(text: string): { label: HashrateUnitLabel; hs: bigint } | null {
  const wanted = text.trim().toLowerCase();
  return HASHRATE_UNITS.find((u) => u.label.toLowerCase() === wanted) ?? null;
}

/** The size of `unit` in H/s: "TH/s" -> 10^12. */
export function hashrateUnitHs(unit: HashrateUnitLabel): bigint {
  return HASHRATE_UNITS.find((u) => u.label === unit)!.hs;
}

/** H/s as the plain decimal text of `unit` that parses back to the same value: "234.5". */
export function hashrateText(hs: bigint, unit: HashrateUnitLabel): string {
  return decimalText(hs, powerOfTenDecimals(hashrateUnitHs(unit)));
}

/** The largest unit in which `hs` is at least 1, for prefilling a form ("234.5" "TH/s"). */
export function naturalHashrateUnit(hs: bigint): HashrateUnitLabel {
  let unit: HashrateUnitLabel = "H/s";
  for (const u of HASHRATE_UNITS) if (hs >= u.hs) unit = u.label;
  return unit;
}
