// The request and response examples of every /api/v1 operation. lib/api/openapi.ts puts them
// into the OpenAPI document (the media types' `example`), so the document is their single source
// and /docs/api renders them from it; examples.test.ts parses each with the very zod schema the
// route validates (requests) or answers with (responses), so an example cannot drift from the
// contract. Figures are one consistent story: a 10 TH/s BTC contract bought for 30 days, its
// payout of 24 November 2026 computed by the DESIGN.md formula from the snapshot shown.
import type { ApiOperationId } from "./schemas";

export interface OperationExamples {
  /** The request body, for operations that take one. */
  request?: unknown;
  /** The success response's body. */
  response: unknown;
}

const LISTING_ID = "0b1c9a52-3e43-4a57-9e4c-6d8e8f0a1b2c";
const CONTRACT_ID = "7d3e2f10-4b5a-4c6d-8e9f-0a1b2c3d4e5f";
const RIG_ID = "5f0c3b0e-8d1d-4c58-b1a4-1a2b3c4d5e6f";
const FACILITY_ID = "2a4b6c8d-1e3f-4a5b-9c7d-8e9f0a1b2c3d";
const RUN_ID = "9e8d7c6b-5a49-4837-a625-14f3e2d1c0b9";
const WITHDRAWAL_ID = "c1d2e3f4-a5b6-4c7d-8e9f-a0b1c2d3e4f5";
const ADDRESS_ID = "e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9";

/** The network inputs of the story's day (also the NetworkSnapshotRequest schema's example). */
export const NETWORK_SNAPSHOT_REQUEST = {
  difficulty: "102289407543323",
  blockTimeMs: 600000,
  blockSubsidyBase: "312500000",
  avgFeesPerBlockBase: "2500000",
  priceMicroUsd: "97250000000",
  source: "api",
};

const LISTING = {
  id: LISTING_ID,
  title: "Reykjavik S21 fleet, hydro power",
  coin: "BTC",
  algorithm: "SHA256",
  status: "PUBLISHED",
  priceMicroUsdPerUnitDay: "60000",
  maintenanceFeeMicroUsdPerUnitDay: "20000",
  unitHs: "1000000000000",
  unitLabel: "TH/s",
  minDays: 7,
  maxDays: 365,
  minHashrateHs: "1000000000000",
  totalHs: "2000000000000000",
  freeHs: "1250000000000000",
  activeRigs: 10,
};

const CONTRACT = {
  id: CONTRACT_ID,
  listingId: LISTING_ID,
  coin: "BTC",
  status: "ACTIVE",
  paymentMethod: "BALANCE_USD",
  hashrateHs: "10000000000000",
  days: 30,
  priceMicroUsdPerUnitDay: "60000",
  maintenanceFeeMicroUsdPerUnitDay: "20000",
  unitHs: "1000000000000",
  poolFeeBps: 150,
  dailyPriceMicroUsd: "600000",
  totalPriceMicroUsd: "18000000",
  startDay: "2026-11-24",
  endDay: "2026-12-23",
  activatedAt: "2026-11-23T09:12:44.512Z",
  createdAt: "2026-11-23T09:12:44.512Z",
};

const POINTS = [
  { at: "2026-11-24T10:00:00.000Z", hashrateHs: "9968000000000" },
  { at: "2026-11-24T10:10:00.000Z", hashrateHs: "10031000000000" },
];
const COUNTS = { accepted: 1204, stale: 3, duplicate: 0, lowDifficulty: 1, invalid: 0 };

const RIG = {
  id: RIG_ID,
  facilityId: FACILITY_ID,
  listingId: LISTING_ID,
  model: "Antminer S21",
  serialNumber: "S21-2024-000117",
  algorithm: "SHA256",
  nominalHashrateHs: "200000000000000",
  powerDrawW: 3500,
  status: "ACTIVE",
};

const WITHDRAWAL = {
  id: WITHDRAWAL_ID,
  coin: "BTC",
  status: "REQUESTED",
  address: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
  amountBase: "250000",
  networkFeeBase: "2000",
  netBase: "248000",
  reviewRequired: false,
  reviewReason: null,
  txid: null,
  requestedAt: "2026-11-25T08:30:00.000Z",
  awaitingEmailConfirmation: true,
  confirmBy: "2026-11-25T09:00:00.000Z",
};

export const operationExamples: Record<ApiOperationId, OperationExamples> = {
  listListings: { response: { listings: [LISTING], total: 1, page: 1, pageSize: 50 } },
  listContracts: { response: { contracts: [CONTRACT] } },
  getContract: { response: CONTRACT },
  getContractHashrate: {
    response: { contractId: CONTRACT_ID, points: POINTS, counts: COUNTS, measuredRigs: 1, rigs: 1 },
  },
  listPayouts: {
    response: {
      payouts: [
        {
          id: "48213",
          contractId: CONTRACT_ID,
          runId: RUN_ID,
          day: "2026-11-24",
          coin: "BTC",
          allocatedHashrateHs: "10000000000000",
          deliveredHashrateHs: "9950000000000",
          networkHashrateHs: "732216100209646646941",
          blockTimeMs: 600000,
          blockSubsidyBase: "312500000",
          avgFeesPerBlockBase: "2500000",
          priceMicroUsd: "97250000000",
          decimals: 8,
          poolFeeBps: 150,
          maintenanceFeeMicroUsdPerUnitDay: "20000",
          unitHs: "1000000000000",
          dailyPriceMicroUsd: "600000",
          grossBase: "616",
          poolFeeBase: "10",
          maintenanceFeeBase: "205",
          netBase: "401",
          curtailed: false,
          hashrateSource: "SHARES",
          underDeliveryCreditMicroUsd: "3000",
          usdValueAtReceiptMicroUsd: "389972",
        },
      ],
    },
  },
  listBalances: {
    response: {
      balances: [
        { asset: "USD", decimals: 6, available: "232000000", held: "0", priceMicroUsd: null, usdValueMicroUsd: null },
        {
          asset: "BTC",
          decimals: 8,
          available: "12030",
          held: "250000",
          priceMicroUsd: "97250000000",
          usdValueMicroUsd: "254824175",
        },
      ],
    },
  },
  listWithdrawals: { response: { withdrawals: [WITHDRAWAL] } },
  createOrder: {
    request: { listingId: LISTING_ID, hashrate: "10000000000000", days: 30, payWith: "balance:USD" },
    response: {
      contractId: CONTRACT_ID,
      status: "ACTIVE",
      paymentMethod: "BALANCE_USD",
      hashrateHs: "10000000000000",
      days: 30,
      totalPriceMicroUsd: "18000000",
      paidCoinBase: null,
      paidAsset: null,
      paidAmountBase: null,
      rateMicroUsd: null,
    },
  },
  createWithdrawal: {
    request: { coin: "BTC", amount: "250000", addressId: ADDRESS_ID, totp: "492039" },
    response: WITHDRAWAL,
  },
  postTelemetry: {
    request: [{ rigId: RIG_ID, day: "2026-11-24", avgHashrate: "198500000000000" }],
    response: {
      saved: [{ rigId: RIG_ID, day: "2026-11-24", reportedHashrateHs: "198500000000000", replaced: false }],
      unchanged: 0,
    },
  },
  listRigs: { response: { rigs: [RIG] } },
  getRigHashrate: {
    response: {
      rigId: RIG_ID,
      verifiable: true,
      online: true,
      lastShareAt: "2026-11-25T10:19:58.000Z",
      points: POINTS,
      today: { ...COUNTS, hashrateHs: "199120000000000" },
      days: [{ day: "2026-11-24", hashrateHs: "198500000000000", accepted: 172800, rejected: 41 }],
    },
  },
  createRig: {
    request: {
      facilityId: FACILITY_ID,
      model: "Antminer S21",
      serialNumber: "S21-2024-000117",
      algorithm: "SHA256",
      nominalHashrateHs: "200000000000000",
      powerW: 3500,
      status: "ACTIVE",
    },
    response: { ...RIG, listingId: null },
  },
  listMyListings: { response: { listings: [LISTING] } },
  createListing: {
    request: {
      coin: "BTC",
      title: "Reykjavik S21 fleet, hydro power",
      priceMicroUsdPerUnitDay: "60000",
      maintenanceFeeMicroUsdPerUnitDay: "20000",
      minDays: 7,
      maxDays: 365,
      minHashrateHs: "1000000000000",
      rigIds: [RIG_ID],
    },
    response: { ...LISTING, status: "DRAFT", totalHs: "200000000000000", freeHs: "200000000000000", activeRigs: 1 },
  },
  putNetworkSnapshot: {
    request: NETWORK_SNAPSHOT_REQUEST,
    response: {
      coin: "BTC",
      day: "2026-11-24",
      difficulty: "102289407543323",
      networkHashrateHs: null,
      blockTimeMs: 600000,
      blockSubsidyBase: "312500000",
      avgFeesPerBlockBase: "2500000",
      priceMicroUsd: "97250000000",
      source: "api",
      outcome: "created",
      payoutsOnDay: 0,
    },
  },
  createPayoutRun: {
    request: { day: "2026-11-24" },
    response: {
      runId: RUN_ID,
      day: "2026-11-24",
      contractsSettled: 1,
      contractsCurtailed: 0,
      contractsUnsettled: 0,
      unsettled: [],
      contractsCompleted: 0,
      allocationsReleased: 0,
      totals: [
        {
          coin: "BTC",
          contractsSettled: 1,
          contractsCurtailed: 0,
          minedBase: "616",
          customerNetBase: "401",
          poolFeesBase: "10",
          maintenanceFeesBase: "205",
          roundingBase: "0",
          underDeliveryCreditMicroUsd: "3000",
        },
      ],
      durationMs: 42,
    },
  },
  getHashprice: {
    response: {
      coin: "BTC",
      unitHs: "1000000000000",
      unitLabel: "TH/s",
      decimals: 8,
      poolFeeBps: 150,
      from: "2026-11-24",
      to: "2026-11-24",
      days: [
        {
          day: "2026-11-24",
          grossMicroBasePerUnitDay: "56610000",
          grossCoinPerUnitDay: "0.0000005661",
          grossMicroUsdPerUnitDay: "53779",
          afterPoolFeeMicroBasePerUnitDay: "55760850",
          afterPoolFeeMicroUsdPerUnitDay: "52972",
          priceMicroUsd: "95000000000",
          networkHashrateHs: "800000000000000000000",
        },
      ],
    },
  },
  getOpenApi: { response: { openapi: "3.1.0", info: { title: "Hashlease API", version: "1.0.0" }, paths: {} } },
};
