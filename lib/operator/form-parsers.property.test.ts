// Hostile text against the server actions' form parsers (operator units and rig fields,
// network snapshot fields, withdrawal amounts, the calculator's inputs): every one answers
// with a value or a clear refusal, never throws, and reads back exactly what it prints.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_DIFFICULTY,
  parseSnapshot,
  SNAPSHOT_FIELD_NAMES,
  snapshotFields,
  type SnapshotCoin,
  type SnapshotValues,
} from "../network/fields";
import { parseMicroUsd, parseWholeDays } from "../profitability/parse";
import { microUsdText as calcUsdText, microUsdText, parseDecimal as parseScaledDecimal } from "../shared/decimal";
import { HASHRATE_UNIT_LABELS, hashrateText } from "../shared/hashrate-units";
import { btcSnapshotFields } from "../testing/fixtures";
import { coinText, parseCoinAmount } from "../wallet/amounts";
import { newRigSchema, parseRigFields } from "./rig-fields";
import { MAX_PRICE_MICRO_USD, MAX_RIG_HASHRATE_HS, parseHashrateInUnit, parseUsd } from "./units";

const HUGE = "9".repeat(100_000);
const hostileStrings = [
  "1e3",
  "1E3",
  "-1",
  "+1",
  "-0.5",
  "0x10",
  "0b1",
  "1_000",
  "1,5",
  "1 000",
  "1..2",
  ".",
  "",
  " ",
  "\t",
  "NaN",
  "Infinity",
  "-Infinity",
  "١٢٣",
  "۱۲۳",
  "１２３",
  "१२३",
  "½",
  "²",
  "1\u00002",
  "1\u200b",
  "\u202e1",
  "$-1",
  "$$1",
  "1$",
  "USD 1",
  "1 TH/s",
  "null",
  "undefined",
  "[]",
  "{}",
  "0.0000000000000000000000000000001",
  HUGE,
  `0.${HUGE}`,
  `${HUGE}.5`,
  "💰",
  "𝟏𝟐𝟑",
];
const textArb = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: fc.constantFrom(..."0123456789.,-+eE $ \u00a0٠١".split("")), maxLength: 30 }),
);

/** A plain decimal as the parsers accept it: ASCII digits, one optional point, outer white space. */
const PLAIN = /^(\d+\.?\d*|\.\d+)$/;
const ASCII_WS = (t: string) => t.trim();

function expectMessage(r: { ok: boolean; message?: string }) {
  expect(r.ok).toBe(false);
  expect(typeof r.message).toBe("string");
  expect(r.message!.trim().length).toBeGreaterThan(5);
}

describe("operator units (properties)", () => {
  it("parseScaledDecimal accepts exactly plain decimals, and then the exact scaled value", () => {
    fc.assert(
      fc.property(textArb, fc.integer({ min: 0, max: 18 }), (text, scale) => {
        let r!: ReturnType<typeof parseScaledDecimal>;
        expect(() => (r = parseScaledDecimal(text, scale))).not.toThrow();
        const t = ASCII_WS(text);
        if (!PLAIN.test(t) || t.split(".")[0]!.length > 24 || (t.split(".")[1] ?? "").length > 30) {
          expect(r).toEqual({ ok: false, reason: "format" });
          return;
        }
        const [whole = "", fraction = ""] = t.split(".");
        const significant = fraction.replace(/0+$/, "");
        if (significant.length > scale) expect(r).toEqual({ ok: false, reason: "fractionTooLong" });
        else expect(r).toEqual({ ok: true, value: BigInt((whole || "0") + significant.padEnd(scale, "0")) });
      }),
      { numRuns: 1000 },
    );
  });

  it("hashrate and USD fields: hostile text gets a message, printed values read back exactly", () => {
    fc.assert(
      fc.property(textArb, fc.constantFrom(...HASHRATE_UNIT_LABELS), (text, unit) => {
        let h!: ReturnType<typeof parseHashrateInUnit>;
        expect(() => (h = parseHashrateInUnit(text, unit))).not.toThrow();
        if (h.ok) expect(h.value > 0n && h.value <= MAX_RIG_HASHRATE_HS).toBe(true);
        else expectMessage(h);
        let u!: ReturnType<typeof parseUsd>;
        expect(() => (u = parseUsd(text, { what: "The price" }))).not.toThrow();
        if (u.ok) expect(u.value > 0n && u.value <= MAX_PRICE_MICRO_USD).toBe(true);
        else expectMessage(u);
        // signs, exponents and non-ASCII digits never get through
        if (/[-+eE]|[^\x00-\x7f\s]/.test(text.trim().replace(/^\$/, ""))) {
          expect(h.ok).toBe(false);
          expect(u.ok).toBe(false);
        }
      }),
      { numRuns: 800 },
    );
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: MAX_RIG_HASHRATE_HS }),
        fc.constantFrom(...HASHRATE_UNIT_LABELS),
        fc.bigInt({ min: 1n, max: MAX_PRICE_MICRO_USD }),
        (hs, unit, usd) => {
          expect(parseHashrateInUnit(hashrateText(hs, unit), unit)).toEqual({ ok: true, value: hs });
          expect(parseUsd(microUsdText(usd), { what: "The price" })).toEqual({ ok: true, value: usd });
          expect(parseUsd(`$${microUsdText(usd)}`, { what: "The price" })).toEqual({ ok: true, value: usd });
        },
      ),
      { numRuns: 400 },
    );
  });

  it("rig form fields: hostile values give field errors, never a throw", () => {
    const field = fc.oneof(textArb, fc.constantFrom<unknown>(undefined, null, 1, 1.5, Number.NaN, true, [], {}, ["1"]));
    fc.assert(
      fc.property(
        fc.record({
          model: field,
          serialNumber: field,
          algorithm: field,
          nominalHashrate: field,
          hashrateUnit: field,
          powerW: field,
          status: field,
          facilityId: field,
        }),
        (raw) => {
          let r!: ReturnType<typeof parseRigFields>;
          expect(() => (r = parseRigFields(newRigSchema, raw as Record<string, unknown>))).not.toThrow();
          if (r.ok) return; // generated text can happen to be a valid rig; the assertions below are for refusals
          const messages: string[] = Object.values(r.fieldErrors as Record<string, string>);
          expect(messages.length).toBeGreaterThan(0);
          for (const m of messages) expect(m.trim().length).toBeGreaterThan(5);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("network snapshot fields (properties)", () => {
  const coins: SnapshotCoin[] = [
    { asset: "BTC", name: "Bitcoin", decimals: 8, difficultyBased: true },
    { asset: "KAS", name: "Kaspa", decimals: 8, difficultyBased: false },
    { asset: "ETC", name: "Ethereum Classic", decimals: 18, difficultyBased: false },
    { asset: "XMR", name: "Monero", decimals: 12, difficultyBased: false },
  ];
  const now = new Date("2026-11-23T12:00:00Z");

  it("reads back every snapshot it prints (18-decimal coins and huge figures included)", () => {
    const valuesArb = fc
      .record({
        coin: fc.constantFrom(...coins),
        dayOffset: fc.integer({ min: 0, max: 5000 }),
        measure: fc.oneof(fc.bigInt({ min: 1n, max: MAX_DIFFICULTY }), fc.bigInt({ min: 1n, max: 1000n })),
        blockTimeMs: fc.integer({ min: 1, max: 3_600_000 }),
        subsidy: fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 1000n })),
        fees: fc.bigInt({ min: 0n, max: 10n ** 30n }),
        price: fc.bigInt({ min: 1n, max: 100_000_000n * 1_000_000n }),
        source: fc
          .string({ unit: "grapheme-ascii", minLength: 1, maxLength: 100 })
          .filter((s) => s.trim() === s && s.length > 0),
      })
      .map((r): [SnapshotValues, SnapshotCoin] => [
        {
          coin: r.coin.asset,
          day: new Date(Date.UTC(2026, 10, 23) - r.dayOffset * 86_400_000),
          difficulty: r.coin.difficultyBased ? r.measure : null,
          networkHashrateHs: r.coin.difficultyBased ? null : r.measure,
          blockTimeMs: r.blockTimeMs,
          blockSubsidyBase: r.subsidy,
          avgFeesPerBlockBase: r.fees,
          priceMicroUsd: r.price,
          source: r.source,
        },
        r.coin,
      ]);
    fc.assert(
      fc.property(valuesArb, ([values, coin]) => {
        const parsed = parseSnapshot(snapshotFields(values, coin), coins, now);
        // The form reads at most 24 whole digits (parseScaledDecimal), below MAX_DIFFICULTY (10^30):
        // a difficulty beyond that is refused as implausibly large (clearly, not as a format error).
        if (values.difficulty !== null && values.difficulty >= 10n ** 24n) {
          expect(parsed).toEqual({
            ok: false,
            fieldErrors: { difficulty: "The difficulty is implausibly large; check the figure and its unit." },
          });
        } else expect(parsed).toEqual({ ok: true, value: values });
      }),
      { numRuns: 300 },
    );
  });

  it("refuses hostile figures field by field with a message, never throws", () => {
    const names = SNAPSHOT_FIELD_NAMES;
    const valid = btcSnapshotFields("2026-11-20");
    expect(parseSnapshot(valid, coins, now).ok).toBe(true);
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.oneof(textArb, fc.constantFrom<unknown>(1, null, [], {}, true)),
        (name, bad) => {
          let r!: ReturnType<typeof parseSnapshot>;
          expect(() => (r = parseSnapshot({ ...valid, [name]: bad } as never, coins, now))).not.toThrow();
          if (r.ok) {
            // only a harmless rewrite of the same field can pass: check it is still a sane snapshot
            expect(r.value.blockTimeMs >= 1).toBe(true);
            expect(r.value.priceMicroUsd > 0n).toBe(true);
            return;
          }
          const messages = Object.values(r.fieldErrors);
          expect(messages.length).toBeGreaterThan(0);
          for (const m of messages) expect(m!.trim().length).toBeGreaterThan(5);
          if (
            typeof bad === "string" &&
            ["difficulty", "blockTime", "blockSubsidy", "avgFees", "price"].includes(name) &&
            /[-+eE]|[^\x00-\x7f\s]/.test(bad.trim().replace(/^\$/, ""))
          ) {
            expect(r.fieldErrors[name]).toBeDefined();
          }
        },
      ),
      { numRuns: 600 },
    );
  });
});

describe("network snapshot fields (regression)", () => {
  it("refuses a difficulty longer than the parser reads as implausibly large, not as a format error", () => {
    // shrunk counterexample: BTC, difficulty 10^24 (within MAX_DIFFICULTY = 10^30) printed by snapshotFields
    const coins: SnapshotCoin[] = [{ asset: "BTC", name: "Bitcoin", decimals: 8, difficultyBased: true }];
    const fields = {
      coin: "BTC",
      day: "2026-11-23",
      difficulty: "1000000000000000000000000",
      networkHashrate: "",
      hashrateUnit: "TH/s",
      blockTime: "0.001",
      blockSubsidy: "0.00000001",
      avgFees: "0",
      price: "0.000001",
      source: "!",
    };
    expect(parseSnapshot(fields, coins, new Date("2026-11-23T12:00:00Z"))).toEqual({
      ok: false,
      fieldErrors: { difficulty: "The difficulty is implausibly large; check the figure and its unit." },
    });
    expect(
      parseSnapshot({ ...fields, difficulty: "999999999999999999999999" }, coins, new Date("2026-11-23T12:00:00Z")).ok,
    ).toBe(true);
  });
});

describe("withdrawal amounts (properties)", () => {
  it("hostile amounts get a message; printed amounts read back exactly", () => {
    fc.assert(
      fc.property(textArb, fc.constantFrom(0, 8, 12, 18), (text, decimals) => {
        let r!: ReturnType<typeof parseCoinAmount>;
        expect(() => (r = parseCoinAmount(text, decimals))).not.toThrow();
        if (r.ok) {
          expect(r.value > 0n).toBe(true);
          expect(parseScaledDecimal(text, decimals)).toEqual({ ok: true, value: r.value });
        } else expectMessage(r);
        if (/[-+eE]|[^\x00-\x7f\s]/.test(text.trim())) expect(r.ok).toBe(false);
      }),
      { numRuns: 800 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 40n }), fc.constantFrom(0, 8, 12, 18), (base, decimals) => {
        const r = parseCoinAmount(coinText(base, decimals), decimals);
        // at most 24 whole digits are read: beyond that (10^24 coins) a refusal, never a throw
        if (base < 10n ** BigInt(24 + decimals)) expect(r).toEqual({ ok: true, value: base });
        else expectMessage(r);
      }),
      { numRuns: 400 },
    );
  });
});

describe("profitability calculator inputs (properties)", () => {
  it("parseMicroUsd and parseWholeDays: null for anything but plain figures, exact round trip", () => {
    fc.assert(
      fc.property(textArb, fc.integer({ min: 1, max: 3650 }), (text, max) => {
        let usd!: bigint | null;
        let days!: number | null;
        expect(() => (usd = parseMicroUsd(text))).not.toThrow();
        expect(() => (days = parseWholeDays(text, max))).not.toThrow();
        if (usd !== null) expect(usd >= 0n).toBe(true);
        if (days !== null) {
          expect(Number.isInteger(days) && days >= 1 && days <= max).toBe(true);
          expect(String(days)).toBe(text.trim().replace(/^0+/, ""));
        }
        if (/[-+eE]|[^\x00-\x7f\s]/.test(text.trim())) {
          expect(usd).toBeNull();
          expect(days).toBeNull();
        }
      }),
      { numRuns: 800 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 21n - 1n }), fc.integer({ min: 1, max: 3650 }), (v, d) => {
        expect(parseMicroUsd(calcUsdText(v))).toBe(v);
        expect(parseWholeDays(String(d), 3650)).toBe(d);
      }),
      { numRuns: 300 },
    );
  });
});
