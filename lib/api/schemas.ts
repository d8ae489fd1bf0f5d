// The HMAC API's contract: one zod schema per route's path parameters, query, body and answer.
// The route handlers under app/api/v1 validate with these very objects and lib/api/openapi.ts
// turns them into the OpenAPI 3.1 document, so the document cannot drift from what the routes
// accept. Amounts and hashrates are decimal strings of base units (never JSON numbers: a
// satoshi total or an ETC wei amount does not fit a double); days are UTC YYYY-MM-DD.
import { z } from "zod";
import { parseDay } from "../shared/days";
import { NETWORK_SNAPSHOT_REQUEST } from "./examples";
import type { ApiScopeName } from "./scopes";

export const COINS = ["BTC", "LTC", "DOGE", "BCH", "KAS", "ETC", "XMR"] as const;
export const ALGORITHMS = ["SHA256", "SCRYPT", "KHEAVYHASH", "ETCHASH", "RANDOMX"] as const;

/** The named schemas of the document (components.schemas); `id` is the component's name. */
export const apiRegistry = z.registry<{ id: string; description?: string; example?: unknown }>();

function named<T extends z.ZodType>(schema: T, id: string, description: string, example?: unknown): T {
  apiRegistry.add(schema, { id, description, ...(example === undefined ? {} : { example }) });
  return schema;
}

// ---- Scalars -------------------------------------------------------------------------------

const NOT_A_NUMBER = 'Send base units as a decimal string, e.g. "2500000" (not a JSON number).';

export const BaseUnits = named(
  z
    .string({ error: NOT_A_NUMBER })
    .regex(/^(0|[1-9][0-9]{0,39})$/, 'Send a whole number of base units as a decimal string, e.g. "2500000".'),
  "BaseUnits",
  "A non-negative integer in base units (coin base units, micro-USD or H/s), as a decimal string.",
  "1500000000000",
);
export const PositiveBaseUnits = named(
  z
    .string({ error: NOT_A_NUMBER })
    .regex(/^[1-9][0-9]{0,39}$/, 'Send a positive whole number of base units as a decimal string, e.g. "2500000".'),
  "PositiveBaseUnits",
  "A positive integer in base units, as a decimal string.",
  "10000000000000",
);
export const Day = named(
  z
    .string()
    .regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, "Send the day as YYYY-MM-DD (a UTC calendar day).")
    .refine((text) => parseDay(text) !== null, "This is not a calendar day."),
  "Day",
  "A UTC calendar day, YYYY-MM-DD.",
  "2026-11-24",
);
export const Id = z.uuid("Send an id (a UUID).");

/** A whole number in a query string: decimal digits only (Number() would also read "1e3" or "0x10"). */
function queryInt(min: number, max: number) {
  return z
    .string()
    .regex(/^[0-9]{1,9}$/, `Send a whole number from ${min} to ${max}, in digits.`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, `Send a whole number from ${min} to ${max}.`)
        .max(max, `Send a whole number from ${min} to ${max}.`),
    );
}
export const Coin = named(z.enum(COINS, "Send a coin: BTC, LTC, DOGE, BCH, KAS, ETC or XMR."), "Coin", "A mined coin.");
export const Asset = named(
  z.enum(["USD", ...COINS]),
  "Asset",
  "A ledger asset: USD (micro-dollars) or a coin (its base units).",
);
export const Algorithm = named(z.enum(ALGORITHMS, "Send an algorithm."), "Algorithm", "A mining algorithm.");
export const Timestamp = z.iso.datetime({ offset: false });

export const ApiErrorBody = named(
  z.object({
    error: z.object({
      code: z.string().describe("Stable machine-readable code, e.g. invalid_request, insufficient_funds."),
      message: z.string().describe("What went wrong, for a person."),
      field: z.string().optional().describe("The request field the error is about, when there is one."),
    }),
  }),
  "Error",
  "Every refusal: { error: { code, message } }.",
  { error: { code: "invalid_request", message: "Send the day as YYYY-MM-DD (a UTC calendar day).", field: "day" } },
);

// ---- Read models ---------------------------------------------------------------------------

export const ListingSchema = named(
  z.object({
    id: Id,
    title: z.string(),
    coin: Coin,
    algorithm: Algorithm,
    status: z.enum(["DRAFT", "PUBLISHED", "UNPUBLISHED"]),
    priceMicroUsdPerUnitDay: BaseUnits.describe("Price in micro-USD per pricing unit per day."),
    maintenanceFeeMicroUsdPerUnitDay: BaseUnits.describe("Maintenance fee in micro-USD per pricing unit per day."),
    unitHs: PositiveBaseUnits.describe("The coin's pricing unit in H/s (10^12 for TH/s)."),
    unitLabel: z.string(),
    minDays: z.int(),
    maxDays: z.int(),
    minHashrateHs: PositiveBaseUnits,
    totalHs: BaseUnits.describe("Nominal hashrate of the listing's active rigs, H/s."),
    freeHs: BaseUnits.describe("Capacity still for sale, H/s."),
    activeRigs: z.int(),
  }),
  "Listing",
  "A listing of hashrate capacity.",
);

export const ListingsQuery = z.object({
  coin: Coin.optional(),
  algorithm: Algorithm.optional(),
  page: queryInt(1, 100_000).default(1).describe("1-based page."),
  pageSize: queryInt(1, 100).default(50),
});
export const ListingPage = named(
  z.object({ listings: z.array(ListingSchema), total: z.int(), page: z.int(), pageSize: z.int() }),
  "ListingPage",
  "A page of published listings, cheapest first.",
);
export const OperatorListings = named(
  z.object({ listings: z.array(ListingSchema) }),
  "OperatorListings",
  "The key owner's listings, all statuses.",
);

export const ContractSchema = named(
  z.object({
    id: Id,
    listingId: Id,
    coin: Coin,
    status: z.enum(["PENDING_PAYMENT", "ACTIVE", "COMPLETED", "EXPIRED", "CANCELLED"]),
    paymentMethod: z.enum(["CARD", "BALANCE_USD", "BALANCE_COIN"]),
    hashrateHs: PositiveBaseUnits,
    days: z.int(),
    priceMicroUsdPerUnitDay: BaseUnits,
    maintenanceFeeMicroUsdPerUnitDay: BaseUnits,
    unitHs: PositiveBaseUnits,
    poolFeeBps: z.int(),
    dailyPriceMicroUsd: BaseUnits,
    totalPriceMicroUsd: BaseUnits,
    startDay: Day.nullable(),
    endDay: Day.nullable(),
    activatedAt: Timestamp.nullable(),
    createdAt: Timestamp,
  }),
  "Contract",
  "A hashrate contract with the terms copied from the listing at purchase.",
);
export const ContractList = named(
  z.object({ contracts: z.array(ContractSchema) }),
  "ContractList",
  "The key owner's contracts, newest first.",
);
export const ContractParams = z.object({ id: Id });

export const HashrateSource = named(
  z.enum(["SHARES", "TELEMETRY", "MIXED", "NONE"]),
  "HashrateSource",
  "Where a payout's delivered hashrate came from: every rig measured from shares verified by the Hashlease Stratum endpoint (SHARES), every rig reported by its operator (TELEMETRY), some of each (MIXED), or no data (NONE: delivered 0).",
);

export const VerifiedHashrateQuery = z.object({
  hours: queryInt(1, 168).default(24).describe("How many hours back, ending at the last full 10 minutes."),
});
const HashratePoint = z.object({
  at: Timestamp.describe("Start of the 10-minute bucket (UTC)."),
  hashrateHs: BaseUnits.describe("floor(accepted share work in the bucket / 600 s), H/s."),
});
const ShareCountsSchema = z.object({
  accepted: z.int(),
  stale: z.int(),
  duplicate: z.int(),
  lowDifficulty: z.int(),
  invalid: z.int(),
});
export const RigHashrateSchema = named(
  z.object({
    rigId: Id,
    verifiable: z.boolean().describe("False for algorithms the proxy cannot verify yet: the rig stays on telemetry."),
    online: z.boolean().describe("An accepted share in the last 10 minutes."),
    lastShareAt: Timestamp.nullable(),
    points: z.array(HashratePoint),
    today: ShareCountsSchema.extend({
      hashrateHs: BaseUnits.describe("Today's accepted work / seconds elapsed (UTC)."),
    }),
    days: z.array(
      z.object({
        day: Day,
        hashrateHs: BaseUnits.describe("The payout run's rep for the day: floor(accepted work / 86,400)."),
        accepted: z.int(),
        rejected: z.int(),
      }),
    ),
  }),
  "RigHashrate",
  "A rig's hashrate measured from its verified Stratum shares: 10-minute buckets and measured days.",
);
export const ContractHashrateSchema = named(
  z.object({
    contractId: Id,
    points: z
      .array(HashratePoint)
      .describe("Per bucket: sum over the contract's rigs of floor(alloc x min(measured, nominal) / nominal)."),
    counts: ShareCountsSchema,
    measuredRigs: z.int().describe("Rigs of the contract with shares in the window."),
    rigs: z.int(),
  }),
  "ContractHashrate",
  "A contract's hashrate measured from the verified shares of its rigs, as the daily payout counts it.",
);

export const PayoutsQuery = z.object({
  contractId: Id.optional().describe("Only this contract's payouts."),
  from: Day.optional().describe("First day, inclusive."),
  to: Day.optional().describe("Last day, inclusive."),
  limit: queryInt(1, 1000).default(500).describe("At most this many payouts, newest day first."),
});
export const PayoutSchema = named(
  z.object({
    id: PositiveBaseUnits.describe("The payout's id."),
    contractId: Id,
    runId: Id,
    day: Day,
    coin: Coin,
    allocatedHashrateHs: BaseUnits.describe("H: the contract's allocated hashrate that day."),
    deliveredHashrateHs: BaseUnits.describe("Hd: delivered hashrate after telemetry."),
    networkHashrateHs: BaseUnits.describe("N: network hashrate (derived from difficulty for Bitcoin-family coins)."),
    blockTimeMs: z.int().describe("T in milliseconds."),
    blockSubsidyBase: BaseUnits.describe("R."),
    avgFeesPerBlockBase: BaseUnits.describe("F."),
    priceMicroUsd: BaseUnits.describe("P: micro-USD per whole coin."),
    decimals: z.int().describe("d: the coin's decimals."),
    poolFeeBps: z.int(),
    maintenanceFeeMicroUsdPerUnitDay: BaseUnits.describe("m."),
    unitHs: PositiveBaseUnits.describe("u."),
    dailyPriceMicroUsd: BaseUnits,
    grossBase: BaseUnits.describe("G."),
    poolFeeBase: BaseUnits.describe("Fp."),
    maintenanceFeeBase: BaseUnits.describe("M."),
    netBase: BaseUnits.describe("Credited net coins."),
    curtailed: z.boolean(),
    hashrateSource: HashrateSource,
    underDeliveryCreditMicroUsd: BaseUnits,
    usdValueAtReceiptMicroUsd: BaseUnits,
  }),
  "Payout",
  "One contract-day payout with every stored input and figure of the formula (DESIGN.md).",
);
export const PayoutList = named(
  z.object({ payouts: z.array(PayoutSchema) }),
  "PayoutList",
  "Payouts, newest day first.",
);

export const BalanceSchema = named(
  z.object({
    asset: Asset,
    decimals: z.int(),
    available: BaseUnits,
    held: BaseUnits,
    priceMicroUsd: BaseUnits.nullable(),
    usdValueMicroUsd: BaseUnits.nullable(),
  }),
  "Balance",
  "Available and held balance of one asset.",
);
export const BalanceList = named(
  z.object({ balances: z.array(BalanceSchema) }),
  "BalanceList",
  "Non-zero balances, USD first.",
);

export const WithdrawalSchema = named(
  z.object({
    id: Id,
    coin: Coin,
    status: z.enum(["REQUESTED", "APPROVED", "SENT", "CONFIRMED", "REJECTED", "CANCELLED"]),
    address: z.string(),
    amountBase: BaseUnits,
    networkFeeBase: BaseUnits,
    netBase: BaseUnits,
    reviewRequired: z.boolean(),
    reviewReason: z.string().nullable(),
    txid: z.string().nullable(),
    requestedAt: Timestamp,
    awaitingEmailConfirmation: z
      .boolean()
      .describe(
        "REQUESTED and not yet confirmed through the link mailed to the account's address: nothing happens to it until then.",
      ),
    confirmBy: Timestamp.nullable().describe(
      "While awaitingEmailConfirmation: when the link expires and the withdrawal is cancelled (hold released).",
    ),
  }),
  "Withdrawal",
  "A withdrawal to an address of the owner's address book.",
);
export const WithdrawalList = named(
  z.object({ withdrawals: z.array(WithdrawalSchema) }),
  "WithdrawalList",
  "Withdrawals, newest first.",
);

// ---- Writes --------------------------------------------------------------------------------

export const PAY_WITH = /^balance:(USD|BTC|LTC|DOGE|BCH|KAS|ETC|XMR)$/;
export const OrderBody = named(
  z.strictObject({
    listingId: Id,
    hashrate: PositiveBaseUnits.describe("Hashrate to buy in H/s."),
    days: z.int("Send days as a whole number.").min(1).max(3650),
    payWith: z
      .string()
      .regex(PAY_WITH, 'payWith is "balance:USD" or "balance:<COIN>" (BTC, LTC, DOGE, BCH, KAS, ETC or XMR).')
      .describe(
        "balance:USD, or balance:<COIN> paid from that coin's balance (any coin, not only the listing's) converted at the coin's latest network price.",
      ),
  }),
  "OrderRequest",
  "Buy a contract from balance.",
  { listingId: "0b1c9a52-3e43-4a57-9e4c-6d8e8f0a1b2c", hashrate: "10000000000000", days: 30, payWith: "balance:USD" },
);
export const OrderSchema = named(
  z.object({
    contractId: Id,
    status: z.enum(["ACTIVE", "PENDING_PAYMENT"]),
    paymentMethod: z.enum(["CARD", "BALANCE_USD", "BALANCE_COIN"]),
    hashrateHs: PositiveBaseUnits,
    days: z.int(),
    totalPriceMicroUsd: BaseUnits,
    paidCoinBase: BaseUnits.nullable().describe(
      "Coins taken for a balance:<COIN> order: ceil(totalPriceMicroUsd * 10^decimals / P) at the paid coin's latest network price P (same as paidAmountBase).",
    ),
    paidAsset: z
      .enum(["BTC", "LTC", "DOGE", "BCH", "KAS", "ETC", "XMR"])
      .nullable()
      .describe("The coin paid with for a balance:<COIN> order; null for balance:USD."),
    paidAmountBase: BaseUnits.nullable().describe(
      "Amount of paidAsset taken, in its base units; stored on the contract.",
    ),
    rateMicroUsd: BaseUnits.nullable().describe(
      "The rate used: micro-USD per whole paidAsset coin, its latest network snapshot price on or before the purchase day; stored on the contract.",
    ),
  }),
  "Order",
  "The contract bought.",
);

export const WithdrawalBody = named(
  z.strictObject({
    coin: Coin,
    amount: PositiveBaseUnits.describe("Amount in the coin's base units, network fee included."),
    addressId: Id.describe("An address of your address book past its 48 h lock."),
    totp: z.string().regex(/^[0-9]{6}$/, "Send the 6-digit code of your authenticator app."),
  }),
  "WithdrawalRequest",
  "Withdraw coins (2FA code required).",
);

export const TelemetryBody = named(
  z
    .array(
      z.strictObject({
        rigId: Id,
        day: Day,
        avgHashrate: BaseUnits.describe("Average hashrate of the day, H/s."),
      }),
    )
    .min(1, "Send at least one entry.")
    .max(1000, "Send at most 1,000 entries at once."),
  "TelemetryRequest",
  "Average hashrate per rig per UTC day (ended, not yet settled); all entries or none.",
  [{ rigId: "5f0c3b0e-8d1d-4c58-b1a4-1a2b3c4d5e6f", day: "2026-11-24", avgHashrate: "198500000000000" }],
);
export const TelemetryResult = named(
  z.object({
    saved: z.array(
      z.object({
        rigId: Id,
        day: Day,
        reportedHashrateHs: BaseUnits,
        replaced: z.boolean().describe("An earlier report of this rig-day was replaced."),
      }),
    ),
    unchanged: z
      .number()
      .int()
      .min(0)
      .describe(
        "Entries equal to what was already recorded for their rig-day (same value, uptime and source): not written again.",
      ),
  }),
  "TelemetryResult",
  "The rig-days recorded.",
);

export const RigSchema = named(
  z.object({
    id: Id,
    facilityId: Id,
    listingId: Id.nullable(),
    model: z.string(),
    serialNumber: z.string(),
    algorithm: Algorithm,
    nominalHashrateHs: PositiveBaseUnits,
    powerDrawW: z.int(),
    status: z.enum(["ACTIVE", "MAINTENANCE", "OFFLINE", "RETIRED"]),
  }),
  "Rig",
  "A mining rig of the key owner.",
);
export const RigList = named(z.object({ rigs: z.array(RigSchema) }), "RigList", "The key owner's rigs.");
export const RigBody = named(
  z.strictObject({
    facilityId: Id,
    model: z.string().min(1).max(100),
    serialNumber: z.string().min(1).max(100),
    algorithm: Algorithm,
    nominalHashrateHs: PositiveBaseUnits,
    powerW: z.int().min(1).max(1_000_000),
    status: z.enum(["ACTIVE", "MAINTENANCE", "OFFLINE"]).default("ACTIVE"),
  }),
  "RigRequest",
  "Register a rig in one of your facilities.",
);

export const ListingBody = named(
  z.strictObject({
    coin: Coin,
    title: z.string().min(3).max(120),
    priceMicroUsdPerUnitDay: PositiveBaseUnits,
    maintenanceFeeMicroUsdPerUnitDay: BaseUnits,
    minDays: z.int().min(1).max(3650),
    maxDays: z.int().min(1).max(3650),
    minHashrateHs: PositiveBaseUnits,
    rigIds: z.array(Id).max(10_000).default([]),
  }),
  "ListingRequest",
  "Create a listing (as a DRAFT) backed by some of your rigs.",
);

export const NetworkParams = z.object({ coin: Coin, day: Day });
export const NetworkBody = named(
  z.strictObject({
    difficulty: PositiveBaseUnits.optional().describe("D, for difficulty-based (Bitcoin-family) coins."),
    networkHashrateHs: PositiveBaseUnits.optional().describe("N in H/s, for the other coins."),
    blockTimeMs: z.int().min(1).max(3_600_000),
    blockSubsidyBase: BaseUnits,
    avgFeesPerBlockBase: BaseUnits,
    priceMicroUsd: PositiveBaseUnits,
    source: z.string().min(1).max(100).default("api"),
  }),
  "NetworkSnapshotRequest",
  "Network inputs of one coin on one UTC day.",
  NETWORK_SNAPSHOT_REQUEST,
);
export const NetworkSnapshotSchema = named(
  z.object({
    coin: Coin,
    day: Day,
    difficulty: BaseUnits.nullable(),
    networkHashrateHs: BaseUnits.nullable(),
    blockTimeMs: z.int(),
    blockSubsidyBase: BaseUnits,
    avgFeesPerBlockBase: BaseUnits,
    priceMicroUsd: BaseUnits,
    source: z.string(),
    outcome: z.enum(["created", "updated", "unchanged"]),
    payoutsOnDay: z.int().describe("Payouts already settled that day: they keep the inputs they were paid with."),
  }),
  "NetworkSnapshot",
  "The stored snapshot.",
);

export const HashpriceQuery = z.object({
  coin: Coin.describe("The coin whose hashprice to answer."),
  from: Day.optional().describe("First day, inclusive (default: 89 days before `to`)."),
  to: Day.optional().describe("Last day, inclusive (default: today, UTC). At most 366 days from `from`."),
});
export const HashpriceDaySchema = named(
  z.object({
    day: Day,
    grossMicroBasePerUnitDay: BaseUnits.describe(
      "Coins one pricing unit mined that day (FPPS: block subsidy + fees), in millionths of a base unit, rounded down: floor(u x 10^6 x 86400 x (R + F) / (N x T)).",
    ),
    grossCoinPerUnitDay: z.string().describe("The same in whole coins, as exact decimal text."),
    grossMicroUsdPerUnitDay: BaseUnits.describe("Its USD value at the day's price, micro-USD, rounded down."),
    afterPoolFeeMicroBasePerUnitDay: BaseUnits.describe(
      "After the coin's pool fee (rounded up), millionths of a base unit.",
    ),
    afterPoolFeeMicroUsdPerUnitDay: BaseUnits.describe("After the pool fee, micro-USD, rounded down."),
    priceMicroUsd: BaseUnits.describe("P: the day's price, micro-USD per whole coin."),
    networkHashrateHs: BaseUnits.describe("N: network hashrate (derived from difficulty for Bitcoin-family coins)."),
  }),
  "HashpriceDay",
  "What one pricing unit of hashrate earned on one UTC day, from that day's network snapshot.",
);
export const HashpriceHistorySchema = named(
  z.object({
    coin: Coin,
    unitHs: PositiveBaseUnits.describe("The pricing unit in H/s (10^12 for TH/s)."),
    unitLabel: z.string(),
    decimals: z.int(),
    poolFeeBps: z.int(),
    from: Day,
    to: Day,
    days: z.array(HashpriceDaySchema).describe("Oldest first; days without a usable network snapshot are left out."),
  }),
  "HashpriceHistory",
  "A coin's hashprice per UTC day (Luxor's Hashprice Index is the public reference), per pricing unit.",
);

export const PayoutRunBody = named(
  z.strictObject({ day: Day }),
  "PayoutRunRequest",
  "Settle one UTC day that has ended.",
);
export const PayoutRunSummary = named(
  z.object({
    runId: Id,
    day: Day,
    contractsSettled: z.int(),
    contractsCurtailed: z.int(),
    contractsUnsettled: z.int(),
    unsettled: z.array(
      z.object({
        coin: Coin,
        reason: z.enum(["NO_NETWORK_SNAPSHOT", "NETWORK_SNAPSHOT_HELD", "NO_ALLOCATION"]),
        contracts: z.int(),
      }),
    ),
    contractsCompleted: z.int(),
    allocationsReleased: z.int(),
    totals: z.array(
      z.object({
        coin: Coin,
        contractsSettled: z.int(),
        contractsCurtailed: z.int(),
        minedBase: BaseUnits,
        customerNetBase: BaseUnits,
        poolFeesBase: BaseUnits,
        maintenanceFeesBase: BaseUnits,
        roundingBase: BaseUnits,
        underDeliveryCreditMicroUsd: BaseUnits,
      }),
    ),
    durationMs: z.number(),
  }),
  "PayoutRunSummary",
  "What the run settled, with its reconciliation per coin.",
);

// ---- Operations ----------------------------------------------------------------------------

export interface ApiOperationSpec {
  operationId: string;
  method: "GET" | "POST" | "PUT";
  /** OpenAPI path template under the server root, e.g. /api/v1/contracts/{id}. */
  path: string;
  /** Null: public (no signature). */
  scope: ApiScopeName | null;
  mutating: boolean;
  summary: string;
  description: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: { status: 200 | 201; schema: z.ZodType; description: string };
  /** Statuses this operation answers besides the signing refusals (401/403/429). */
  refusals: number[];
}

const op = <const T extends ApiOperationSpec>(spec: T) => spec;

export const apiOperations = {
  listListings: op({
    operationId: "listListings",
    method: "GET",
    path: "/api/v1/listings",
    scope: "read",
    mutating: false,
    summary: "Published listings",
    description: "Published listings with their free capacity, cheapest first.",
    query: ListingsQuery,
    response: { status: 200, schema: ListingPage, description: "A page of listings." },
    refusals: [400],
  }),
  listContracts: op({
    operationId: "listContracts",
    method: "GET",
    path: "/api/v1/contracts",
    scope: "read",
    mutating: false,
    summary: "Your contracts",
    description: "The key owner's contracts, newest first.",
    response: { status: 200, schema: ContractList, description: "Contracts." },
    refusals: [],
  }),
  getContract: op({
    operationId: "getContract",
    method: "GET",
    path: "/api/v1/contracts/{id}",
    scope: "read",
    mutating: false,
    summary: "One of your contracts",
    description: "404 for a contract that is not the key owner's.",
    params: ContractParams,
    response: { status: 200, schema: ContractSchema, description: "The contract." },
    refusals: [400, 404],
  }),
  getContractHashrate: op({
    operationId: "getContractHashrate",
    method: "GET",
    path: "/api/v1/contracts/{id}/hashrate",
    scope: "read",
    mutating: false,
    summary: "A contract's verified hashrate",
    description:
      "Measured from the shares its rigs submitted to the Hashlease Stratum endpoint; 404 for a contract that is not the key owner's.",
    params: ContractParams,
    query: VerifiedHashrateQuery,
    response: { status: 200, schema: ContractHashrateSchema, description: "10-minute buckets and share counts." },
    refusals: [400, 404],
  }),
  listPayouts: op({
    operationId: "listPayouts",
    method: "GET",
    path: "/api/v1/payouts",
    scope: "read",
    mutating: false,
    summary: "Your payouts",
    description: "Payouts of the key owner's contracts with every input and figure of the formula.",
    query: PayoutsQuery,
    response: { status: 200, schema: PayoutList, description: "Payouts." },
    refusals: [400],
  }),
  listBalances: op({
    operationId: "listBalances",
    method: "GET",
    path: "/api/v1/balances",
    scope: "read",
    mutating: false,
    summary: "Your balances",
    description: "Available and held balance per asset.",
    response: { status: 200, schema: BalanceList, description: "Balances." },
    refusals: [],
  }),
  listWithdrawals: op({
    operationId: "listWithdrawals",
    method: "GET",
    path: "/api/v1/withdrawals",
    scope: "read",
    mutating: false,
    summary: "Your withdrawals",
    description: "The key owner's most recent withdrawals.",
    response: { status: 200, schema: WithdrawalList, description: "Withdrawals." },
    refusals: [],
  }),
  createOrder: op({
    operationId: "createOrder",
    method: "POST",
    path: "/api/v1/orders",
    scope: "trade",
    mutating: true,
    summary: "Buy a contract",
    description:
      "Buys a contract from balance; it starts the UTC day after. balance:<COIN> pays from that coin's balance (any coin) at its latest network price, the rate stored on the contract.",
    body: OrderBody,
    response: { status: 201, schema: OrderSchema, description: "The contract bought." },
    refusals: [400, 404, 409, 422],
  }),
  createWithdrawal: op({
    operationId: "createWithdrawal",
    method: "POST",
    path: "/api/v1/withdrawals",
    scope: "withdraw",
    mutating: true,
    summary: "Withdraw coins",
    description:
      "Holds the amount and mails a confirmation link to the account's address (valid 30 minutes): the withdrawal answers REQUESTED with awaitingEmailConfirmation true, and is approved (large ones wait for review) only once the link is used in a browser; unconfirmed, it is cancelled at confirmBy and the hold released. Needs 2FA.",
    body: WithdrawalBody,
    response: {
      status: 201,
      schema: WithdrawalSchema,
      description: "The withdrawal requested, awaiting its email confirmation.",
    },
    refusals: [400, 403, 409, 422],
  }),
  postTelemetry: op({
    operationId: "postTelemetry",
    method: "POST",
    path: "/api/v1/telemetry",
    scope: "telemetry",
    mutating: true,
    summary: "Report rig telemetry",
    description: "Average hashrate per rig per day, for the key owner's rigs only; all or nothing.",
    body: TelemetryBody,
    response: { status: 201, schema: TelemetryResult, description: "Recorded." },
    refusals: [400, 403, 409, 422],
  }),
  listRigs: op({
    operationId: "listRigs",
    method: "GET",
    path: "/api/v1/rigs",
    scope: "operate",
    mutating: false,
    summary: "Your rigs",
    description: "The key owner's rigs in all facilities.",
    response: { status: 200, schema: RigList, description: "Rigs." },
    refusals: [],
  }),
  getRigHashrate: op({
    operationId: "getRigHashrate",
    method: "GET",
    path: "/api/v1/rigs/{id}/hashrate",
    scope: "operate",
    mutating: false,
    summary: "A rig's verified hashrate",
    description: "Measured from the rig's verified Stratum shares; 404 for a rig that is not the key owner's.",
    params: ContractParams,
    query: VerifiedHashrateQuery,
    response: {
      status: 200,
      schema: RigHashrateSchema,
      description: "10-minute buckets, today's counts, measured days.",
    },
    refusals: [400, 404],
  }),
  createRig: op({
    operationId: "createRig",
    method: "POST",
    path: "/api/v1/rigs",
    scope: "operate",
    mutating: true,
    summary: "Register a rig",
    description: "A rig in one of your facilities; (model, serial number) is unique.",
    body: RigBody,
    response: { status: 201, schema: RigSchema, description: "The rig." },
    refusals: [400, 409, 422],
  }),
  listMyListings: op({
    operationId: "listMyListings",
    method: "GET",
    path: "/api/v1/listings/mine",
    scope: "operate",
    mutating: false,
    summary: "Your listings",
    description: "The key owner's listings with capacity.",
    response: { status: 200, schema: OperatorListings, description: "Listings." },
    refusals: [],
  }),
  createListing: op({
    operationId: "createListing",
    method: "POST",
    path: "/api/v1/listings/mine",
    scope: "operate",
    mutating: true,
    summary: "Create a listing",
    description: "A DRAFT listing backed by the given rigs (publish it in the operator console).",
    body: ListingBody,
    response: { status: 201, schema: ListingSchema, description: "The listing." },
    refusals: [400, 409, 422],
  }),
  putNetworkSnapshot: op({
    operationId: "putNetworkSnapshot",
    method: "PUT",
    path: "/api/v1/network/{coin}/{day}",
    scope: "admin",
    mutating: true,
    summary: "Enter network data",
    description:
      "Enters or corrects a coin's network inputs for a day (audit-logged). Payouts already settled keep their inputs. The key's owner needs two-factor authentication on (403 two_factor_required).",
    params: NetworkParams,
    body: NetworkBody,
    response: { status: 200, schema: NetworkSnapshotSchema, description: "The snapshot." },
    refusals: [400, 409, 422],
  }),
  getHashprice: op({
    operationId: "getHashprice",
    method: "GET",
    path: "/api/v1/hashprice",
    scope: "read",
    mutating: false,
    summary: "Hashprice history",
    description:
      "Per UTC day, what one pricing unit of the coin's hashrate earned (coin and USD, before and after the pool fee), from the stored network snapshots through the payout formula. 400 when `from` is after `to` or the window is longer than 366 days.",
    query: HashpriceQuery,
    response: { status: 200, schema: HashpriceHistorySchema, description: "The coin's hashprice per day." },
    refusals: [400],
  }),
  createPayoutRun: op({
    operationId: "createPayoutRun",
    method: "POST",
    path: "/api/v1/payout-runs",
    scope: "admin",
    mutating: true,
    summary: "Run a payout day",
    description:
      "Settles a UTC day that has ended; safe to repeat (each contract-day is paid once). The key's owner needs two-factor authentication on (403 two_factor_required).",
    body: PayoutRunBody,
    response: { status: 201, schema: PayoutRunSummary, description: "The run summary." },
    refusals: [400, 409, 422],
  }),
  getOpenApi: op({
    operationId: "getOpenApi",
    method: "GET",
    path: "/api/v1/openapi.json",
    scope: null,
    mutating: false,
    summary: "This document",
    description: "The OpenAPI 3.1 document (public).",
    response: { status: 200, schema: z.object({ openapi: z.string() }).loose(), description: "The document." },
    refusals: [],
  }),
} as const;

export type ApiOperationId = keyof typeof apiOperations;
