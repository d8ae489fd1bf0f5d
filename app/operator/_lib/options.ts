// Choices the operator forms offer, as plain { value, label } lists for the client forms.
import { formatAlgorithm, formatBps, formatHashrate } from "@/components/format";
import type { ListingCoinOption, ListingRigOption } from "@/components/operator/listing-form";
import { humanize } from "@/components/ui";
import type { listingCoins, RigChoice } from "@/lib/operator/queries";
import { ALGORITHMS, NEW_RIG_STATUSES, RIG_STATUSES } from "@/lib/operator/rig-fields";
import { DEFAULT_UNIT_BY_ALGORITHM, HASHRATE_UNIT_LABELS } from "@/lib/operator/units";

export const algorithmOptions = ALGORITHMS.map((a) => ({ value: a, label: formatAlgorithm(a) }));
export const unitOptions = HASHRATE_UNIT_LABELS.map((u) => ({ value: u, label: u }));
export const newRigStatusOptions = NEW_RIG_STATUSES.map((s) => ({ value: s, label: humanize(s) }));
export const rigStatusOptions = RIG_STATUSES.map((s) => ({ value: s, label: humanize(s) }));
export const defaultUnits: Record<string, string> = { ...DEFAULT_UNIT_BY_ALGORITHM };

export function coinOptions(coins: Awaited<ReturnType<typeof listingCoins>>): ListingCoinOption[] {
  return coins.map((c) => ({
    asset: c.asset,
    name: c.name,
    algorithm: c.algorithm,
    algorithmLabel: formatAlgorithm(c.algorithm),
    unitLabel: c.hashrateUnitLabel,
    poolFee: formatBps(c.poolFeeBps),
  }));
}

export function rigOptions(rigs: RigChoice[]): ListingRigOption[] {
  return rigs.map((r) => ({
    id: r.id,
    model: r.model,
    serialNumber: r.serialNumber,
    algorithm: r.algorithm,
    status: r.status,
    hashrate: formatHashrate(r.nominalHashrateHs),
    facility: r.facilityName,
    carriesContracts: r.carriesContracts,
  }));
}
