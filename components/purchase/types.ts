// What the listing page hands to the purchase panel (owned by the purchase flow) and to the
// profitability calculator. Plain serialisable values: BigInts travel as decimal strings.

/** A listing's pricing and limits, as both the purchase panel and the calculator take them. */
export interface ListingTermsText {
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

export interface PurchasePanelListing extends ListingTermsText {
  listingId: string;
  title: string;
}

/** The signed-in customer, as the purchase panel shows them the money side of a purchase. */
export interface PurchaseAccount {
  /** Available USD, micro-USD (decimal string). */
  usdAvailable: string;
  /** Available balance in the listing's coin, base units (decimal string). */
  coinAvailable: string;
  coinDecimals: number;
  /** Their contracts on this listing from the last hour (a repeat of the same terms is warned about). */
  recent: { hashrateHs: string; days: number; createdAt: string }[];
}
