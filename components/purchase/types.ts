// What the listing page hands to the purchase panel (owned by the purchase flow).
// Plain serialisable values: BigInts travel as decimal strings.
export interface PurchasePanelListing {
  listingId: string;
  title: string;
  coin: string;
  unitLabel: string;
  /** Pricing unit in H/s, decimal string (e.g. "1000000000000" for TH/s). */
  unitHs: string;
  priceMicroUsdPerUnitDay: string;
  maintenanceFeeMicroUsdPerUnitDay: string;
  minDays: number;
  maxDays: number;
  minHashrateHs: string;
  /** Capacity for sale right now, H/s. */
  freeHs: string;
}
