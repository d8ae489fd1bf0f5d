// What the demo database contains: coins, demo users, three hosting operators with two
// facilities each, ~50 rigs of real models, and their listings. Plain data; lib/demo/seed.ts
// writes it. Figures are rounded late-2026 values: rig specs are the manufacturers'
// nameplate figures, power prices are industrial hosting rates, and listing prices are set
// so that price + maintenance fee sits a little under the coin's hashprice at the demo
// network anchors (lib/demo/network.ts), as on a competitive cloud-mining market.
import { Algorithm, Asset, ListingStatus, RigStatus, Role } from "../generated/prisma/enums";

export const DEMO_PASSWORD = "hashlease-demo";

export interface DemoUser {
  email: string;
  name: string;
  roles: readonly Role[];
  /** What the account is for, printed with the credentials. */
  purpose: string;
}

export const DEMO_WITHDRAWER_EMAIL = "withdrawer@hashlease.test";
/**
 * The withdrawer's authenticator key (base32 of "hashlease-withdraw!!", 20 bytes; lib/demo/
 * withdrawer.ts enrols it). Public on purpose: it is a demo account's, printed by npm start so
 * anyone trying the demo can add it to an authenticator app. No real account gets a fixed key.
 */
export const DEMO_WITHDRAWER_TOTP_SECRET = "NBQXG2DMMVQXGZJNO5UXI2DEOJQXOIJB";
/**
 * The demo admin's authenticator key (base32 of "hashlease-admin-2fa!", 20 bytes; lib/demo/admin.ts
 * enrols it): admin money actions need 2FA (lib/auth/two-factor-guard.ts). Public on purpose, as
 * the withdrawer's, and printed by npm start on the embedded demo only.
 */
export const DEMO_ADMIN_TOTP_SECRET = "NBQXG2DMMVQXGZJNMFSG22LOFUZGMYJB";
/** The withdrawer's whitelisted BTC address (BIP-173's P2WPKH example) and its label. */
export const DEMO_WITHDRAWER_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
export const DEMO_WITHDRAWER_ADDRESS_LABEL = "Cold wallet (demo)";

const NORDIC = "operator@hashlease.test";
const TEXAS = "ops@texasrangemining.test";
const ANDES = "ops@andeshydrohash.test";

/** Every seeded account; all use DEMO_PASSWORD. */
export const DEMO_USERS: readonly DemoUser[] = [
  { email: "customer@hashlease.test", name: "Dana Whitfield", roles: [Role.CUSTOMER], purpose: "demo customer" },
  {
    email: NORDIC,
    name: "Nordic Hash AB",
    roles: [Role.OPERATOR, Role.CUSTOMER],
    purpose: "demo operator (Sweden/Iceland)",
  },
  {
    email: "admin@hashlease.test",
    name: "Hashlease Admin",
    roles: [Role.ADMIN],
    purpose: "demo admin (2FA on, see lib/demo/admin.ts)",
  },
  {
    email: DEMO_WITHDRAWER_EMAIL,
    name: "Wes Calloway",
    roles: [Role.CUSTOMER],
    purpose: "demo customer who can withdraw (2FA on, see lib/demo/withdrawer.ts)",
  },
  { email: TEXAS, name: "Texas Range Mining LLC", roles: [Role.OPERATOR], purpose: "operator (Texas)" },
  { email: ANDES, name: "Andes Hydro Hash S.A.", roles: [Role.OPERATOR], purpose: "operator (Paraguay)" },
];

export interface DemoCoin {
  asset: Asset;
  name: string;
  algorithm: Algorithm;
  decimals: number;
  difficultyBased: boolean;
  poolFeeBps: number;
  hashrateUnitHs: bigint;
  hashrateUnitLabel: string;
  withdrawalMinBase: bigint;
  withdrawalFeeBase: bigint;
  reviewThresholdBase: bigint;
  dailyLimitBase: bigint;
}

const TH = 1_000_000_000_000n;
const GH = 1_000_000_000n;
const KH = 1_000n;
const E8 = 100_000_000n;
const E12 = 1_000_000_000_000n;
const E18 = 1_000_000_000_000_000_000n;

// Withdrawal limits: minimum ≈ $10–50, review above ≈ $10,000, daily limit ≈ $200,000.
export const DEMO_COINS: readonly DemoCoin[] = [
  {
    asset: Asset.BTC,
    name: "Bitcoin",
    algorithm: Algorithm.SHA256,
    decimals: 8,
    difficultyBased: true,
    poolFeeBps: 150,
    hashrateUnitHs: TH,
    hashrateUnitLabel: "TH/s",
    withdrawalMinBase: 50_000n,
    withdrawalFeeBase: 10_000n,
    reviewThresholdBase: E8 / 10n,
    dailyLimitBase: 2n * E8,
  },
  {
    asset: Asset.LTC,
    name: "Litecoin",
    algorithm: Algorithm.SCRYPT,
    decimals: 8,
    difficultyBased: true,
    poolFeeBps: 200,
    hashrateUnitHs: GH,
    hashrateUnitLabel: "GH/s",
    withdrawalMinBase: E8 / 10n,
    withdrawalFeeBase: 50_000n,
    reviewThresholdBase: 100n * E8,
    dailyLimitBase: 2_000n * E8,
  },
  {
    asset: Asset.DOGE,
    name: "Dogecoin",
    algorithm: Algorithm.SCRYPT,
    decimals: 8,
    difficultyBased: true,
    poolFeeBps: 200,
    hashrateUnitHs: GH,
    hashrateUnitLabel: "GH/s",
    withdrawalMinBase: 100n * E8,
    withdrawalFeeBase: 2n * E8,
    reviewThresholdBase: 60_000n * E8,
    dailyLimitBase: 1_200_000n * E8,
  },
  {
    asset: Asset.BCH,
    name: "Bitcoin Cash",
    algorithm: Algorithm.SHA256,
    decimals: 8,
    difficultyBased: true,
    poolFeeBps: 150,
    hashrateUnitHs: TH,
    hashrateUnitLabel: "TH/s",
    withdrawalMinBase: 500_000n,
    withdrawalFeeBase: 10_000n,
    reviewThresholdBase: 20n * E8,
    dailyLimitBase: 400n * E8,
  },
  {
    asset: Asset.KAS,
    name: "Kaspa",
    algorithm: Algorithm.KHEAVYHASH,
    decimals: 8,
    difficultyBased: false,
    poolFeeBps: 100,
    hashrateUnitHs: TH,
    hashrateUnitLabel: "TH/s",
    withdrawalMinBase: 100n * E8,
    withdrawalFeeBase: E8 / 10n,
    reviewThresholdBase: 110_000n * E8,
    dailyLimitBase: 2_200_000n * E8,
  },
  {
    asset: Asset.ETC,
    name: "Ethereum Classic",
    algorithm: Algorithm.ETCHASH,
    decimals: 18,
    difficultyBased: false,
    poolFeeBps: 100,
    hashrateUnitHs: GH,
    hashrateUnitLabel: "GH/s",
    withdrawalMinBase: E18 / 10n,
    withdrawalFeeBase: E18 / 100n,
    reviewThresholdBase: 550n * E18,
    dailyLimitBase: 11_000n * E18,
  },
  {
    asset: Asset.XMR,
    name: "Monero",
    algorithm: Algorithm.RANDOMX,
    decimals: 12,
    difficultyBased: false,
    poolFeeBps: 50,
    hashrateUnitHs: KH,
    hashrateUnitLabel: "kH/s",
    withdrawalMinBase: E12 / 100n,
    withdrawalFeeBase: E12 / 2_000n,
    reviewThresholdBase: 30n * E12,
    dailyLimitBase: 600n * E12,
  },
];

export interface DemoFacility {
  /** Short code used in rig serial numbers. */
  code: string;
  operatorEmail: string;
  name: string;
  location: string;
  countryCode: string;
  powerPriceMicroUsdPerKwh: bigint;
}

export const DEMO_FACILITIES: readonly DemoFacility[] = [
  {
    code: "LUL",
    operatorEmail: NORDIC,
    name: "Luleå Data Hall",
    location: "Luleå, Norrbotten, Sweden",
    countryCode: "SE",
    powerPriceMicroUsdPerKwh: 38_000n,
  },
  {
    code: "REY",
    operatorEmail: NORDIC,
    name: "Reykjanes Geothermal Hall",
    location: "Reykjanesbær, Iceland",
    countryCode: "IS",
    powerPriceMicroUsdPerKwh: 42_000n,
  },
  {
    code: "PEC",
    operatorEmail: TEXAS,
    name: "Pecos Substation Site",
    location: "Pecos, Reeves County, Texas, USA",
    countryCode: "US",
    powerPriceMicroUsdPerKwh: 34_000n,
  },
  {
    code: "ABI",
    operatorEmail: TEXAS,
    name: "Abilene Wind Campus",
    location: "Abilene, Taylor County, Texas, USA",
    countryCode: "US",
    powerPriceMicroUsdPerKwh: 37_000n,
  },
  {
    code: "HER",
    operatorEmail: ANDES,
    name: "Hernandarias Hydro Hall",
    location: "Hernandarias, Alto Paraná, Paraguay",
    countryCode: "PY",
    powerPriceMicroUsdPerKwh: 30_000n,
  },
  {
    code: "VIL",
    operatorEmail: ANDES,
    name: "Villarrica Site",
    location: "Villarrica, Guairá, Paraguay",
    countryCode: "PY",
    powerPriceMicroUsdPerKwh: 33_000n,
  },
];

interface RigModel {
  model: string;
  /** Short code used in serial numbers. */
  code: string;
  algorithm: Algorithm;
  nominalHashrateHs: bigint;
  powerDrawW: number;
}

// Nameplate specs. RandomX "nodes" are whole servers (CPU, RAM, fans) at the wall.
const MODELS = {
  s21Pro: {
    model: "Antminer S21 Pro",
    code: "S21PRO",
    algorithm: Algorithm.SHA256,
    nominalHashrateHs: 234n * TH,
    powerDrawW: 3510,
  },
  s21Xp: {
    model: "Antminer S21 XP",
    code: "S21XP",
    algorithm: Algorithm.SHA256,
    nominalHashrateHs: 270n * TH,
    powerDrawW: 3645,
  },
  s21: {
    model: "Antminer S21",
    code: "S21",
    algorithm: Algorithm.SHA256,
    nominalHashrateHs: 200n * TH,
    powerDrawW: 3500,
  },
  m60s: {
    model: "Whatsminer M60S",
    code: "M60S",
    algorithm: Algorithm.SHA256,
    nominalHashrateHs: 186n * TH,
    powerDrawW: 3441,
  },
  l9: { model: "Antminer L9", code: "L9", algorithm: Algorithm.SCRYPT, nominalHashrateHs: 16n * GH, powerDrawW: 3360 },
  dg1Plus: {
    model: "Elphapex DG1+",
    code: "DG1P",
    algorithm: Algorithm.SCRYPT,
    nominalHashrateHs: 14_400_000_000n,
    powerDrawW: 3920,
  },
  ks5Pro: {
    model: "Antminer KS5 Pro",
    code: "KS5PRO",
    algorithm: Algorithm.KHEAVYHASH,
    nominalHashrateHs: 21n * TH,
    powerDrawW: 3150,
  },
  ks5m: {
    model: "IceRiver KS5M",
    code: "KS5M",
    algorithm: Algorithm.KHEAVYHASH,
    nominalHashrateHs: 15n * TH,
    powerDrawW: 3400,
  },
  x16q: {
    model: "Jasminer X16-Q",
    code: "X16Q",
    algorithm: Algorithm.ETCHASH,
    nominalHashrateHs: 1_950_000_000n,
    powerDrawW: 620,
  },
  ipolloV1: {
    model: "iPollo V1",
    code: "IPV1",
    algorithm: Algorithm.ETCHASH,
    nominalHashrateHs: 3_600_000_000n,
    powerDrawW: 3100,
  },
  epyc9654: {
    model: "AMD EPYC 9654 node",
    code: "EPYC9654",
    algorithm: Algorithm.RANDOMX,
    nominalHashrateHs: 110n * KH,
    powerDrawW: 420,
  },
  ryzen7950x: {
    model: "AMD Ryzen 9 7950X node",
    code: "R7950X",
    algorithm: Algorithm.RANDOMX,
    nominalHashrateHs: 25n * KH,
    powerDrawW: 180,
  },
} satisfies Record<string, RigModel>;

export interface DemoListing {
  key: string;
  operatorEmail: string;
  coin: Asset;
  title: string;
  priceMicroUsdPerUnitDay: bigint;
  minDays: number;
  maxDays: number;
  minHashrateHs: bigint;
  status: ListingStatus;
}

export const DEMO_LISTINGS: readonly DemoListing[] = [
  {
    key: "lul-s21pro",
    operatorEmail: NORDIC,
    coin: Asset.BTC,
    title: "Antminer S21 Pro fleet — Luleå",
    priceMicroUsdPerUnitDay: 21_000n,
    minDays: 30,
    maxDays: 365,
    minHashrateHs: 1n * TH,
    status: ListingStatus.PUBLISHED,
  },
  {
    key: "rey-s21xp",
    operatorEmail: NORDIC,
    coin: Asset.BTC,
    title: "Antminer S21 XP fleet — Reykjanes geothermal",
    priceMicroUsdPerUnitDay: 22_000n,
    minDays: 30,
    maxDays: 180,
    minHashrateHs: 1n * TH,
    status: ListingStatus.PUBLISHED,
  },
  {
    key: "lul-randomx",
    operatorEmail: NORDIC,
    coin: Asset.XMR,
    title: "EPYC & Ryzen RandomX nodes — Luleå",
    priceMicroUsdPerUnitDay: 20_000n,
    minDays: 7,
    maxDays: 365,
    minHashrateHs: 5n * KH,
    status: ListingStatus.PUBLISHED,
  },
  // Not worth publishing at Icelandic power prices: its maintenance fee is near KAS hashprice.
  {
    key: "rey-ks5pro",
    operatorEmail: NORDIC,
    coin: Asset.KAS,
    title: "Antminer KS5 Pro — Reykjanes",
    priceMicroUsdPerUnitDay: 20_000n,
    minDays: 30,
    maxDays: 90,
    minHashrateHs: 1n * TH,
    status: ListingStatus.DRAFT,
  },
  {
    key: "pec-m60s",
    operatorEmail: TEXAS,
    coin: Asset.BTC,
    title: "Whatsminer M60S fleet — Pecos, Texas",
    priceMicroUsdPerUnitDay: 19_000n,
    minDays: 7,
    maxDays: 365,
    minHashrateHs: 1n * TH,
    status: ListingStatus.PUBLISHED,
  },
  {
    key: "abi-s21",
    operatorEmail: TEXAS,
    coin: Asset.BTC,
    title: "Antminer S21 — Abilene wind campus",
    priceMicroUsdPerUnitDay: 19_500n,
    minDays: 14,
    maxDays: 180,
    minHashrateHs: 1n * TH,
    status: ListingStatus.PUBLISHED,
  },
  {
    key: "abi-l9",
    operatorEmail: TEXAS,
    coin: Asset.LTC,
    title: "Antminer L9 Scrypt — Abilene",
    priceMicroUsdPerUnitDay: 62_000n,
    minDays: 30,
    maxDays: 180,
    minHashrateHs: GH / 2n,
    status: ListingStatus.PUBLISHED,
  },
  {
    key: "her-ks5pro",
    operatorEmail: ANDES,
    coin: Asset.KAS,
    title: "Antminer KS5 Pro — Itaipú hydro, Hernandarias",
    priceMicroUsdPerUnitDay: 33_000n,
    minDays: 30,
    maxDays: 180,
    minHashrateHs: 1n * TH,
    status: ListingStatus.PUBLISHED,
  },
  {
    key: "vil-etchash",
    operatorEmail: ANDES,
    coin: Asset.ETC,
    title: "Jasminer X16-Q & iPollo V1 Etchash — Villarrica",
    priceMicroUsdPerUnitDay: 290_000n,
    minDays: 7,
    maxDays: 90,
    minHashrateHs: GH / 10n,
    status: ListingStatus.PUBLISHED,
  },
  {
    key: "vil-dg1plus",
    operatorEmail: ANDES,
    coin: Asset.LTC,
    title: "Elphapex DG1+ Scrypt — Villarrica",
    priceMicroUsdPerUnitDay: 32_000n,
    minDays: 14,
    maxDays: 90,
    minHashrateHs: GH / 2n,
    status: ListingStatus.PUBLISHED,
  },
];

export interface DemoRig {
  facilityCode: string;
  model: string;
  serialNumber: string;
  algorithm: Algorithm;
  nominalHashrateHs: bigint;
  powerDrawW: number;
  status: RigStatus;
  /** Key of the listing this rig backs, if any. */
  listingKey: string | null;
}

interface RigBatch {
  facilityCode: string;
  model: RigModel;
  count: number;
  listingKey: string | null;
  /** Status by 1-based unit number; the rest are ACTIVE. */
  exceptions?: Record<number, RigStatus>;
}

const RIG_BATCHES: readonly RigBatch[] = [
  {
    facilityCode: "LUL",
    model: MODELS.s21Pro,
    count: 6,
    listingKey: "lul-s21pro",
    exceptions: { 4: RigStatus.MAINTENANCE },
  },
  { facilityCode: "LUL", model: MODELS.epyc9654, count: 3, listingKey: "lul-randomx" },
  { facilityCode: "LUL", model: MODELS.ryzen7950x, count: 2, listingKey: "lul-randomx" },
  { facilityCode: "REY", model: MODELS.s21Xp, count: 5, listingKey: "rey-s21xp" },
  { facilityCode: "REY", model: MODELS.ks5Pro, count: 3, listingKey: "rey-ks5pro" },
  { facilityCode: "PEC", model: MODELS.m60s, count: 6, listingKey: "pec-m60s", exceptions: { 3: RigStatus.OFFLINE } },
  { facilityCode: "ABI", model: MODELS.s21, count: 3, listingKey: "abi-s21" },
  { facilityCode: "ABI", model: MODELS.l9, count: 5, listingKey: "abi-l9", exceptions: { 2: RigStatus.MAINTENANCE } },
  { facilityCode: "HER", model: MODELS.ks5Pro, count: 4, listingKey: "her-ks5pro" },
  // Older, less efficient units idle while KAS hashprice stays below their power cost.
  {
    facilityCode: "HER",
    model: MODELS.ks5m,
    count: 2,
    listingKey: null,
    exceptions: { 1: RigStatus.OFFLINE, 2: RigStatus.OFFLINE },
  },
  { facilityCode: "VIL", model: MODELS.x16q, count: 4, listingKey: "vil-etchash" },
  { facilityCode: "VIL", model: MODELS.ipolloV1, count: 2, listingKey: "vil-etchash" },
  { facilityCode: "VIL", model: MODELS.dg1Plus, count: 3, listingKey: "vil-dg1plus" },
];

export const DEMO_RIGS: readonly DemoRig[] = RIG_BATCHES.flatMap((batch) =>
  Array.from({ length: batch.count }, (_, i): DemoRig => ({
    facilityCode: batch.facilityCode,
    model: batch.model.model,
    serialNumber: `${batch.facilityCode}-${batch.model.code}-${String(i + 1).padStart(3, "0")}`,
    algorithm: batch.model.algorithm,
    nominalHashrateHs: batch.model.nominalHashrateHs,
    powerDrawW: batch.model.powerDrawW,
    status: batch.exceptions?.[i + 1] ?? RigStatus.ACTIVE,
    listingKey: batch.listingKey,
  })),
);

/** Hosting margin on top of the electricity the listing's rigs draw, percent. */
const HOSTING_MARKUP_PERCENT = 115n;

export function coinOf(asset: Asset): DemoCoin {
  const coin = DEMO_COINS.find((c) => c.asset === asset);
  if (!coin) throw new Error(`no demo coin ${asset}`);
  return coin;
}

export function facilityOf(code: string): DemoFacility {
  const facility = DEMO_FACILITIES.find((f) => f.code === code);
  if (!facility) throw new Error(`no demo facility ${code}`);
  return facility;
}

/**
 * Maintenance fee of a listing, micro-USD per pricing unit per day: the electricity its rigs
 * draw at their facility's power price, plus the hosting markup, rounded up.
 * fee = ceil(sum(W * 24 h * price/kWh) / 1000 * unit / sum(H/s) * markup).
 */
export function maintenanceFeeMicroUsdPerUnitDay(listing: DemoListing): bigint {
  const rigs = DEMO_RIGS.filter((rig) => rig.listingKey === listing.key);
  if (rigs.length === 0) throw new Error(`demo listing ${listing.key} has no rigs`);
  const unitHs = coinOf(listing.coin).hashrateUnitHs;
  let microUsdPerDayTimes1000 = 0n;
  let hashrateHs = 0n;
  for (const rig of rigs) {
    microUsdPerDayTimes1000 += BigInt(rig.powerDrawW) * 24n * facilityOf(rig.facilityCode).powerPriceMicroUsdPerKwh;
    hashrateHs += rig.nominalHashrateHs;
  }
  const numerator = microUsdPerDayTimes1000 * unitHs * HOSTING_MARKUP_PERCENT;
  const denominator = 1000n * hashrateHs * 100n;
  return (numerator + denominator - 1n) / denominator;
}

export function listingAlgorithm(listing: DemoListing): Algorithm {
  return coinOf(listing.coin).algorithm;
}
