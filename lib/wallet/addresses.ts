// Withdrawal address validation per coin: decodes the address, verifies its checksum and
// network, and names its format — or says precisely what is wrong, so a typo, a testnet
// address or another coin's address never reaches the address book.
//
// Libraries: @scure/base (audited; Base58, Monero's block Base58, Bech32/Bech32m with the
// BIP-173 8<->5-bit regrouping and its padding rules) and @noble/hashes (SHA-256, Keccak-256).
// Hand-written here, because no maintained library covers them: the CashAddr/Kaspa 40-bit
// BCH-code polymod (`cashAddrPolymod`, a dozen lines from the CashAddr spec) and the checks
// around each format (version bytes, lengths, networks).
//
// Decisions (summarised in README.md, "Decisions where DESIGN.md is silent"):
// - ETC needs the EIP-55 checksummed form. EIP-55 lets all-lowercase/all-uppercase addresses
//   through as "unchecksummed", but they carry no checksum, and DESIGN.md requires one that
//   passed validation; a withdrawal to a mistyped lowercase address would be lost for good.
//   (A single-case address whose checksummed form is itself single-case passes.)
// - Bech32 witness versions 2..16, and v1 programs other than 32 bytes, decode fine
//   (BIP-350) but are not defined on the network yet: anyone could spend coins sent there.
//   They are refused for withdrawals; `decodeSegwitAddress` itself follows the BIPs exactly.
// - BCH accepts CashAddr (with or without the `bitcoincash:` prefix, stored with it) and
//   legacy Base58 (stored as typed). Token-aware CashAddr (z/r) is accepted: same scripts.
import { sha256 } from "@noble/hashes/sha2.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { base58, base58xmr, bech32, bech32m } from "@scure/base";

export const WITHDRAWAL_COINS = ["BTC", "LTC", "DOGE", "BCH", "ETC", "XMR", "KAS"] as const;
export type WithdrawalCoin = (typeof WITHDRAWAL_COINS)[number];

export const COIN_NAMES: Record<WithdrawalCoin, string> = {
  BTC: "Bitcoin",
  LTC: "Litecoin",
  DOGE: "Dogecoin",
  BCH: "Bitcoin Cash",
  ETC: "Ethereum Classic",
  XMR: "Monero",
  KAS: "Kaspa",
};

/** What mainnet addresses of each coin look like, for messages and form hints. */
export const ADDRESS_SHAPES: Record<WithdrawalCoin, string> = {
  BTC: "starts with 1, 3 or bc1",
  LTC: "starts with L, M, 3 or ltc1",
  DOGE: "starts with D, A or 9",
  BCH: "starts with bitcoincash:q or bitcoincash:p (legacy: 1 or 3)",
  ETC: "0x followed by 40 hex characters, in EIP-55 mixed case",
  XMR: "starts with 4 (integrated addresses too) or 8 (subaddresses)",
  KAS: "starts with kaspa:",
};

export function isWithdrawalCoin(value: string): value is WithdrawalCoin {
  return (WITHDRAWAL_COINS as readonly string[]).includes(value);
}

export type AddressCheck =
  | {
      ok: true;
      /** Normalised form to store and send to. */ address: string;
      /** e.g. "P2WPKH (bech32)". */ format: string;
    }
  | { ok: false; message: string };

const MAX_ADDRESS_LENGTH = 200;

function refuse(message: string): AddressCheck {
  return { ok: false, message };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

const CHECKSUM_HINT = "a character is mistyped or two are swapped — copy the address again from the wallet";

// Base58Check (BTC, LTC, DOGE, BCH legacy) ---------------------------------------------------

type Network = "mainnet" | "testnet";
interface Base58Version {
  coin: WithdrawalCoin;
  network: Network;
  kind: "P2PKH" | "P2SH";
}

/** Version bytes of Base58Check addresses (chainparams of each coin). */
const VERSION_TABLE: [number, Base58Version][] = [
  [0x00, { coin: "BTC", network: "mainnet", kind: "P2PKH" }],
  [0x05, { coin: "BTC", network: "mainnet", kind: "P2SH" }],
  [0x6f, { coin: "BTC", network: "testnet", kind: "P2PKH" }],
  [0xc4, { coin: "BTC", network: "testnet", kind: "P2SH" }],
  [0x30, { coin: "LTC", network: "mainnet", kind: "P2PKH" }],
  [0x32, { coin: "LTC", network: "mainnet", kind: "P2SH" }],
  // Litecoin's P2SH used Bitcoin's 0x05 ("3...") before 0x32 ("M..."); still valid.
  [0x05, { coin: "LTC", network: "mainnet", kind: "P2SH" }],
  [0x6f, { coin: "LTC", network: "testnet", kind: "P2PKH" }],
  [0x3a, { coin: "LTC", network: "testnet", kind: "P2SH" }],
  [0xc4, { coin: "LTC", network: "testnet", kind: "P2SH" }],
  [0x1e, { coin: "DOGE", network: "mainnet", kind: "P2PKH" }],
  [0x16, { coin: "DOGE", network: "mainnet", kind: "P2SH" }],
  [0x71, { coin: "DOGE", network: "testnet", kind: "P2PKH" }],
  [0xc4, { coin: "DOGE", network: "testnet", kind: "P2SH" }],
  [0x00, { coin: "BCH", network: "mainnet", kind: "P2PKH" }],
  [0x05, { coin: "BCH", network: "mainnet", kind: "P2SH" }],
  [0x6f, { coin: "BCH", network: "testnet", kind: "P2PKH" }],
  [0xc4, { coin: "BCH", network: "testnet", kind: "P2SH" }],
];

const BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function notBase58(text: string): string | null {
  const bad = [...text].find((ch) => !BASE58_ALPHABET.includes(ch));
  return bad === undefined ? null : bad;
}

/** "a Bitcoin", "an Ethereum Classic". */
function article(text: string): string {
  return `${/^[AEIOU]/i.test(text) ? "an" : "a"} ${text}`;
}

function listNames(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/** Decodes Base58Check: 1 version byte + 20-byte hash + 4-byte double-SHA-256 checksum. */
export function decodeBase58Check(
  text: string,
): { ok: true; version: number; hash: Uint8Array } | { ok: false; message: string } {
  const bad = notBase58(text);
  if (bad !== null)
    return {
      ok: false,
      message: `“${bad}” cannot appear in this address (Base58 never uses 0, O, I or l): ${CHECKSUM_HINT}.`,
    };
  const bytes = base58.decode(text);
  if (bytes.length !== 25) {
    return {
      ok: false,
      message: `Wrong length: the address decodes to ${bytes.length} bytes, a Base58Check address has 25 — a character is missing or extra.`,
    };
  }
  const payload = bytes.subarray(0, 21);
  const checksum = bytes.subarray(21);
  if (!equalBytes(sha256(sha256(payload)).subarray(0, 4), checksum)) {
    return { ok: false, message: `Checksum mismatch: ${CHECKSUM_HINT}.` };
  }
  return { ok: true, version: payload[0]!, hash: payload.subarray(1) };
}

function validateBase58(coin: WithdrawalCoin, text: string): AddressCheck {
  const decoded = decodeBase58Check(text);
  if (!decoded.ok) return refuse(decoded.message);
  const matches = VERSION_TABLE.filter(([byte]) => byte === decoded.version).map(([, v]) => v);
  const own = matches.find((v) => v.coin === coin);
  if (own?.network === "mainnet")
    return { ok: true, address: text, format: `${coin === "BCH" ? "legacy " : ""}${own.kind} (Base58Check)` };
  if (own?.network === "testnet") {
    return refuse(
      `This is a testnet address: only ${COIN_NAMES[coin]} mainnet addresses can receive withdrawals (${ADDRESS_SHAPES[coin]}).`,
    );
  }
  const others = [...new Set(matches.filter((v) => v.network === "mainnet").map((v) => COIN_NAMES[v.coin]))];
  if (others.length > 0) {
    return refuse(
      `Wrong prefix for ${coin}: this is ${article(listNames(others))} address. A ${COIN_NAMES[coin]} address ${ADDRESS_SHAPES[coin]}.`,
    );
  }
  if (matches.length > 0)
    return refuse(
      `This is a testnet address of another coin: a ${COIN_NAMES[coin]} mainnet address ${ADDRESS_SHAPES[coin]}.`,
    );
  return refuse(
    `Wrong prefix for ${coin}: version byte 0x${decoded.version.toString(16).padStart(2, "0")} is not a ${COIN_NAMES[coin]} address. A ${COIN_NAMES[coin]} address ${ADDRESS_SHAPES[coin]}.`,
  );
}

// Bech32 / Bech32m segwit addresses (BIP-173, BIP-350) ---------------------------------------

const BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

export type SegwitDecoded =
  | { ok: true; hrp: string; version: number; program: Uint8Array; encoding: "bech32" | "bech32m" }
  | { ok: false; message: string };

/**
 * Decodes a native segwit address exactly as BIP-173 and BIP-350 specify, for any
 * human-readable part: case, charset, length <= 90, checksum variant per witness version
 * (v0 bech32, v1+ bech32m), version 0..16, program 2..40 bytes (v0: 20 or 32), padding.
 */
export function decodeSegwitAddress(text: string): SegwitDecoded {
  const fail = (message: string): SegwitDecoded => ({ ok: false, message });
  const lower = text.toLowerCase();
  if (text !== lower && text !== text.toUpperCase()) {
    return fail("Mixed case: a bech32 address is written all in lowercase or all in uppercase, never both.");
  }
  if (text.length > 90) return fail(`Too long: a bech32 address has at most 90 characters, this one ${text.length}.`);
  const separator = lower.lastIndexOf("1");
  if (separator < 1) return fail("Not a bech32 address: the prefix and the “1” separator are missing.");
  const hrp = lower.slice(0, separator);
  if ([...hrp].some((ch) => ch.charCodeAt(0) < 33 || ch.charCodeAt(0) > 126))
    return fail("Invalid character in the address prefix.");
  const data = lower.slice(separator + 1);
  const bad = [...data].find((ch) => !BECH32_CHARSET.includes(ch));
  if (bad !== undefined)
    return fail(
      `“${bad}” cannot appear after the “1” of a bech32 address (it never uses 1, b, i or o there): ${CHECKSUM_HINT}.`,
    );
  if (data.length < 6) return fail("Too short: the bech32 checksum alone takes 6 characters.");
  const asBech32 = bech32.decodeUnsafe(lower, 90);
  const asBech32m = asBech32 ? undefined : bech32m.decodeUnsafe(lower, 90);
  const decoded = asBech32 ?? asBech32m;
  if (!decoded) return fail(`Checksum mismatch: ${CHECKSUM_HINT}.`);
  const encoding = asBech32 ? "bech32" : "bech32m";
  const [version, ...programWords] = decoded.words;
  if (version === undefined) return fail("Empty data: the address has no witness version or program.");
  if (version > 16) return fail(`Invalid witness version ${version}: segwit versions run from 0 to 16.`);
  const program = bech32.fromWordsUnsafe(programWords);
  if (!program)
    return fail("Invalid padding: the witness program does not end on a whole byte with zero bits (BIP-173).");
  if (program.length < 2 || program.length > 40)
    return fail(`Invalid witness program length: ${program.length} bytes, segwit allows 2 to 40.`);
  if (version === 0 && program.length !== 20 && program.length !== 32) {
    return fail(`Invalid witness v0 program length: ${program.length} bytes, v0 allows 20 (P2WPKH) or 32 (P2WSH).`);
  }
  if (version === 0 && encoding === "bech32m")
    return fail("bech32m used for a v0 program (needs bech32): the checksum is of the wrong kind for this address.");
  if (version > 0 && encoding === "bech32") {
    return fail(
      `bech32 used for a v${version} program (needs bech32m, BIP-350): this address was made by outdated software; do not use it.`,
    );
  }
  return { ok: true, hrp, version, program, encoding };
}

const SEGWIT_HRPS: Partial<Record<WithdrawalCoin, { mainnet: string; testnet: string[] }>> = {
  BTC: { mainnet: "bc", testnet: ["tb", "bcrt"] },
  LTC: { mainnet: "ltc", testnet: ["tltc", "rltc"] },
};

/** A known segwit prefix, or any string with a valid bech32/bech32m checksum (another HRP). */
function looksLikeSegwit(text: string): boolean {
  const lower = text.toLowerCase();
  if (Object.values(SEGWIT_HRPS).some((h) => [h.mainnet, ...h.testnet].some((hrp) => lower.startsWith(`${hrp}1`))))
    return true;
  return (
    lower.length <= 90 &&
    (bech32.decodeUnsafe(lower, 90) !== undefined || bech32m.decodeUnsafe(lower, 90) !== undefined)
  );
}

function validateSegwit(coin: WithdrawalCoin, text: string): AddressCheck {
  const lower = text.toLowerCase();
  const hrps = SEGWIT_HRPS[coin];
  const hrp = lower.slice(0, Math.max(lower.lastIndexOf("1"), 0));
  if (hrps?.testnet.includes(hrp)) {
    return refuse(
      `This is a testnet address (${hrp}1…): only ${COIN_NAMES[coin]} mainnet addresses can receive withdrawals (${ADDRESS_SHAPES[coin]}).`,
    );
  }
  if (!hrps || hrp !== hrps.mainnet) {
    const owner = (Object.entries(SEGWIT_HRPS) as [WithdrawalCoin, { mainnet: string; testnet: string[] }][]).find(
      ([, h]) => h.mainnet === hrp || h.testnet.includes(hrp),
    );
    const what = owner
      ? `${hrp}1… is ${article(COIN_NAMES[owner[0]])} address`
      : `“${hrp}1” is not a ${COIN_NAMES[coin]} prefix`;
    return refuse(`Wrong prefix for ${coin}: ${what}. A ${COIN_NAMES[coin]} address ${ADDRESS_SHAPES[coin]}.`);
  }
  const decoded = decodeSegwitAddress(text);
  if (!decoded.ok) return refuse(decoded.message);
  const { version, program } = decoded;
  if (version === 0)
    return { ok: true, address: lower, format: program.length === 20 ? "P2WPKH (bech32)" : "P2WSH (bech32)" };
  if (version === 1 && program.length === 32) return { ok: true, address: lower, format: "P2TR taproot (bech32m)" };
  return refuse(
    `Witness v${version} with a ${program.length}-byte program is not defined on the network yet: anyone could take coins sent to it, so it cannot receive withdrawals.`,
  );
}

// CashAddr (BCH) and Kaspa: the 40-bit BCH-code checksum ------------------------------------

const CASHADDR_GENERATORS = [0x98f2bc8e61n, 0x79b76d99e2n, 0xf33e5fb3c4n, 0xae2eabe2a8n, 0x1e4f43e470n];

/**
 * PolyMod of the CashAddr specification (also Kaspa's): 0 for a valid prefix + payload +
 * checksum. Hand-written: no maintained JavaScript library exposes it.
 */
function cashAddrPolymod(values: number[]): bigint {
  let c = 1n;
  for (const d of values) {
    const c0 = c >> 35n;
    c = ((c & 0x07ffffffffn) << 5n) ^ BigInt(d);
    CASHADDR_GENERATORS.forEach((g, i) => {
      if ((c0 >> BigInt(i)) & 1n) c ^= g;
    });
  }
  return c ^ 1n;
}

function cashAddrChecksumValid(prefix: string, words: number[]): boolean {
  const prefixWords = [...prefix].map((ch) => ch.charCodeAt(0) & 0x1f);
  return cashAddrPolymod([...prefixWords, 0, ...words]) === 0n;
}

/** Splits "prefix:payload", checks case and charset, maps the payload to 5-bit words. */
function cashAddrWords(
  text: string,
): { ok: true; prefix: string | null; payload: string; words: number[] } | { ok: false; message: string } {
  const lower = text.toLowerCase();
  if (text !== lower && text !== text.toUpperCase()) {
    return {
      ok: false,
      message: "Mixed case: this address is written all in lowercase or all in uppercase, never both.",
    };
  }
  const colon = lower.indexOf(":");
  const prefix = colon === -1 ? null : lower.slice(0, colon);
  const payload = colon === -1 ? lower : lower.slice(colon + 1);
  const bad = [...payload].find((ch) => !BECH32_CHARSET.includes(ch));
  if (bad !== undefined)
    return {
      ok: false,
      message: `“${bad}” cannot appear in this address (it never uses 1, b, i or o): ${CHECKSUM_HINT}.`,
    };
  if (payload.length <= 8) return { ok: false, message: "Too short: the checksum alone takes 8 characters." };
  return { ok: true, prefix, payload, words: [...payload].map((ch) => BECH32_CHARSET.indexOf(ch)) };
}

const CASHADDR_HASH_BYTES = [20, 24, 28, 32, 40, 48, 56, 64];
const CASHADDR_TYPES: Record<number, string> = { 0: "P2PKH", 1: "P2SH", 2: "token-aware P2PKH", 3: "token-aware P2SH" };

function validateCashAddr(text: string): AddressCheck {
  const parsed = cashAddrWords(text);
  if (!parsed.ok) return refuse(parsed.message);
  const { prefix, payload, words } = parsed;
  if (prefix === "bchtest" || prefix === "bchreg") {
    return refuse(
      `This is a testnet address (${prefix}:): only Bitcoin Cash mainnet addresses can receive withdrawals (${ADDRESS_SHAPES.BCH}).`,
    );
  }
  if (prefix === "ecash")
    return refuse(
      `Wrong prefix for BCH: ecash: is an eCash (XEC) address. A Bitcoin Cash address ${ADDRESS_SHAPES.BCH}.`,
    );
  if (prefix !== null && prefix !== "bitcoincash") {
    return refuse(
      `Wrong prefix for BCH: “${prefix}:” is not Bitcoin Cash. A Bitcoin Cash address ${ADDRESS_SHAPES.BCH}.`,
    );
  }
  if (!cashAddrChecksumValid("bitcoincash", words)) {
    if (prefix === null && (cashAddrChecksumValid("bchtest", words) || cashAddrChecksumValid("bchreg", words))) {
      return refuse(
        `This is a testnet address: only Bitcoin Cash mainnet addresses can receive withdrawals (${ADDRESS_SHAPES.BCH}).`,
      );
    }
    return refuse(`Checksum mismatch: ${CHECKSUM_HINT}.`);
  }
  const bytes = bech32.fromWordsUnsafe(words.slice(0, -8));
  if (!bytes || bytes.length < 1)
    return refuse("Invalid padding: the address payload does not end on a whole byte with zero bits.");
  const versionByte = bytes[0]!;
  const hash = bytes.subarray(1);
  const type = (versionByte >> 3) & 0x0f;
  const expectedBytes = CASHADDR_HASH_BYTES[versionByte & 0x07]!;
  if (versionByte & 0x80) return refuse("Invalid CashAddr version byte (reserved bit set).");
  if (hash.length !== expectedBytes)
    return refuse(
      `Wrong length: the version byte announces a ${expectedBytes}-byte hash, the address holds ${hash.length}.`,
    );
  const typeName = CASHADDR_TYPES[type];
  const p2sh = type === 1 || type === 3;
  if (!typeName || !(hash.length === 20 || (p2sh && hash.length === 32))) {
    return refuse(`Unsupported CashAddr type ${type} with a ${hash.length}-byte hash: it cannot receive withdrawals.`);
  }
  return {
    ok: true,
    address: `bitcoincash:${payload}`,
    format: `CashAddr ${typeName}${hash.length === 32 ? "32" : ""}`,
  };
}

const KASPA_VERSIONS: Record<number, { name: string; bytes: number }> = {
  0: { name: "Schnorr P2PK", bytes: 32 },
  1: { name: "ECDSA P2PK", bytes: 33 },
  8: { name: "P2SH", bytes: 32 },
};

function validateKaspa(text: string): AddressCheck {
  const parsed = cashAddrWords(text);
  if (!parsed.ok) return refuse(parsed.message);
  const { prefix, payload, words } = parsed;
  if (prefix === null)
    return refuse("Wrong prefix for KAS: a Kaspa address starts with kaspa: — copy it again with its prefix.");
  if (["kaspatest", "kaspadev", "kaspasim"].includes(prefix)) {
    return refuse(
      `This is a testnet address (${prefix}:): only Kaspa mainnet addresses (kaspa:…) can receive withdrawals.`,
    );
  }
  if (prefix !== "kaspa")
    return refuse(`Wrong prefix for KAS: “${prefix}:” is not Kaspa. A Kaspa address ${ADDRESS_SHAPES.KAS}.`);
  if (!cashAddrChecksumValid("kaspa", words)) return refuse(`Checksum mismatch: ${CHECKSUM_HINT}.`);
  const bytes = bech32.fromWordsUnsafe(words.slice(0, -8));
  if (!bytes || bytes.length < 1)
    return refuse("Invalid padding: the address payload does not end on a whole byte with zero bits.");
  const version = KASPA_VERSIONS[bytes[0]!];
  if (!version)
    return refuse(`Unknown Kaspa address version ${bytes[0]}: only Schnorr, ECDSA and P2SH addresses exist.`);
  const key = bytes.subarray(1);
  if (key.length !== version.bytes)
    return refuse(
      `Wrong length: a Kaspa ${version.name} address holds ${version.bytes} bytes, this one ${key.length}.`,
    );
  if (bytes[0] === 1 && key[0] !== 0x02 && key[0] !== 0x03)
    return refuse("Invalid ECDSA public key in this Kaspa address.");
  return { ok: true, address: `kaspa:${payload}`, format: version.name };
}

// Monero ---------------------------------------------------------------------------------------

/** Network bytes (cryptonote_config.h): standard, integrated, subaddress. */
const MONERO_TAGS: Record<
  number,
  { network: "mainnet" | "testnet" | "stagenet"; kind: "standard" | "integrated" | "subaddress" }
> = {
  18: { network: "mainnet", kind: "standard" },
  19: { network: "mainnet", kind: "integrated" },
  42: { network: "mainnet", kind: "subaddress" },
  53: { network: "testnet", kind: "standard" },
  54: { network: "testnet", kind: "integrated" },
  63: { network: "testnet", kind: "subaddress" },
  24: { network: "stagenet", kind: "standard" },
  25: { network: "stagenet", kind: "integrated" },
  36: { network: "stagenet", kind: "subaddress" },
};

function validateMonero(text: string): AddressCheck {
  const bad = notBase58(text);
  if (bad !== null)
    return refuse(`“${bad}” cannot appear in a Monero address (Base58 never uses 0, O, I or l): ${CHECKSUM_HINT}.`);
  if (text.length !== 95 && text.length !== 106) {
    return refuse(
      `Wrong length: a Monero address has 95 characters (106 for an integrated address), this one ${text.length}.`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = base58xmr.decode(text);
  } catch {
    return refuse(`Not a valid Monero address encoding: ${CHECKSUM_HINT}.`);
  }
  const body = bytes.subarray(0, -4);
  if (!equalBytes(keccak_256(body).subarray(0, 4), bytes.subarray(-4)))
    return refuse(`Checksum mismatch: ${CHECKSUM_HINT}.`);
  const tag = MONERO_TAGS[bytes[0]!];
  if (!tag)
    return refuse(
      `Wrong prefix for XMR: network byte ${bytes[0]} is not a Monero network. A Monero address ${ADDRESS_SHAPES.XMR}.`,
    );
  if (tag.network !== "mainnet")
    return refuse(
      `This is a ${tag.network} address: only Monero mainnet addresses can receive withdrawals (${ADDRESS_SHAPES.XMR}).`,
    );
  // tag + spend key + view key (+ 8-byte payment id for integrated) + checksum
  const expected = tag.kind === "integrated" ? 77 : 69;
  if (bytes.length !== expected)
    return refuse(`Wrong length: a Monero ${tag.kind} address holds ${expected} bytes, this one ${bytes.length}.`);
  const format = {
    standard: "standard address",
    integrated: "integrated address (with payment ID)",
    subaddress: "subaddress",
  }[tag.kind];
  return { ok: true, address: text, format };
}

// Ethereum Classic (EIP-55) -------------------------------------------------------------------

/** The EIP-55 checksummed form of 40 hex digits (any case). */
export function eip55(hex40: string): string {
  const lower = hex40.toLowerCase();
  const hash = bytesToHex(keccak_256(utf8ToBytes(lower)));
  return [...lower].map((ch, i) => (/[a-f]/.test(ch) && parseInt(hash[i]!, 16) >= 8 ? ch.toUpperCase() : ch)).join("");
}

function validateEtc(text: string): AddressCheck {
  if (!text.startsWith("0x")) {
    if (/^[0-9a-fA-F]{40}$/.test(text))
      return refuse("Add the 0x prefix: an Ethereum Classic address is 0x followed by 40 hex characters.");
    return refuse(`Wrong prefix for ETC: an Ethereum Classic address is ${ADDRESS_SHAPES.ETC}.`);
  }
  const hex = text.slice(2);
  const bad = [...hex].find((ch) => !/[0-9a-fA-F]/.test(ch));
  if (bad !== undefined) return refuse(`“${bad}” is not a hex character (0-9, a-f): ${CHECKSUM_HINT}.`);
  if (hex.length !== 40)
    return refuse(`Wrong length: an Ethereum Classic address has 40 hex characters after 0x, this one ${hex.length}.`);
  if (/^0+$/.test(hex)) return refuse("This is the zero address: coins sent there are burned.");
  const checksummed = eip55(hex);
  // Some addresses' checksummed form is all one case (EIP-55's own "all caps"/"all lower"
  // examples); any other single-case address simply carries no checksum.
  if (hex !== checksummed && (hex === hex.toLowerCase() || hex === hex.toUpperCase())) {
    return refuse(
      "This address has no EIP-55 checksum (it is all lowercase or all uppercase), so a typo could not be caught. Copy the mixed-case form from your wallet.",
    );
  }
  if (checksummed !== hex)
    return refuse(`EIP-55 checksum mismatch: the capital letters do not match the address — ${CHECKSUM_HINT}.`);
  return { ok: true, address: text, format: "EIP-55" };
}

// Entry point ---------------------------------------------------------------------------------

const URI_SCHEMES = ["bitcoin", "litecoin", "dogecoin", "monero", "ethereum", "ethereumclassic"];

/**
 * Validates a withdrawal address for `coin`: the normalised address and its format, or why
 * not. An address of another supported coin is named as such ("wrong prefix for BTC: this
 * is a Litecoin address").
 */
export function validateWithdrawalAddress(coin: WithdrawalCoin, input: string): AddressCheck {
  const result = validateFor(coin, input);
  if (result.ok || /^Wrong prefix|testnet/i.test(result.message)) return result;
  const owners = WITHDRAWAL_COINS.filter((other) => other !== coin && validateFor(other, input).ok);
  if (owners.length === 0) return result;
  return refuse(
    `Wrong prefix for ${coin}: this is ${article(listNames(owners.map((o) => COIN_NAMES[o])))} address. A ${COIN_NAMES[coin]} address ${ADDRESS_SHAPES[coin]}.`,
  );
}

function validateFor(coin: WithdrawalCoin, input: string): AddressCheck {
  const text = input.trim();
  if (text === "") return refuse("Enter the address.");
  if (text.length > MAX_ADDRESS_LENGTH)
    return refuse(`Too long: no ${COIN_NAMES[coin]} address has more than ${MAX_ADDRESS_LENGTH} characters.`);
  if (/\s/.test(text)) return refuse("An address has no spaces or line breaks: copy it again in one piece.");
  const scheme = text.includes(":") ? text.slice(0, text.indexOf(":")).toLowerCase() : null;
  if (/[?=&]/.test(text) || (scheme !== null && URI_SCHEMES.includes(scheme))) {
    return refuse(
      "This is a payment link, not an address: paste the address alone (without “bitcoin:”, “?amount=” and the like).",
    );
  }
  switch (coin) {
    case "BTC":
    case "LTC":
      if (text.toLowerCase().startsWith("ltcmweb1"))
        return refuse("Litecoin MWEB addresses cannot receive withdrawals: use an L, M or ltc1 address.");
      return looksLikeSegwit(text) ? validateSegwit(coin, text) : validateBase58(coin, text);
    case "DOGE":
      return looksLikeSegwit(text) ? validateSegwit(coin, text) : validateBase58(coin, text);
    case "BCH": {
      const lower = text.toLowerCase();
      if (looksLikeSegwit(text)) return validateSegwit(coin, text);
      if (lower.includes(":") || /^[qpzr]/.test(lower)) return validateCashAddr(text);
      return validateBase58(coin, text);
    }
    case "ETC":
      return validateEtc(text);
    case "XMR":
      return validateMonero(text);
    case "KAS":
      return validateKaspa(text);
  }
}
