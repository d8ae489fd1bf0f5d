// JSON whose numbers are read exactly. JSON.parse turns every number into a double, which cannot
// hold a price of 67187.3358936566 USD or a hashrate of 230086716765559200000 H/s exactly; here each
// number literal stays its text (a JsonNumber) and is scaled to a fixed-point bigint by string
// arithmetic, with the rounding named. Used for public APIs' answers (lib/network/live/).

/** A JSON number literal as it was written ("-1.5e-3", "28587155782195.14"). */
export class JsonNumber {
  constructor(readonly text: string) {}

  /**
   * The number times 10^scale as a bigint, truncated toward zero (for the non-negative figures
   * this reads, that is floor); `exact` says whether nothing was cut off.
   */
  scaled(scale: number): { value: bigint; exact: boolean } {
    const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(this.text);
    if (!match) throw new SyntaxError(`not a JSON number: ${this.text}`);
    const [, sign, whole, fraction = "", exponent = "0"] = match;
    const digits = (whole! + fraction).replace(/^0+(?=\d)/, "");
    // value = digits * 10^(exponent - fraction length); times 10^scale.
    const shift = Number(exponent) - fraction.length + scale;
    if (!Number.isSafeInteger(shift) || Math.abs(shift) > 400)
      throw new RangeError(`number out of range: ${this.text}`);
    let value: bigint;
    let exact = true;
    if (shift >= 0) value = BigInt(digits) * 10n ** BigInt(shift);
    else {
      const divisor = 10n ** BigInt(-shift);
      value = BigInt(digits) / divisor;
      exact = BigInt(digits) % divisor === 0n;
    }
    return { value: sign === "-" ? -value : value, exact };
  }
}

const MARK = "\u0000json-number:";

/**
 * Parses JSON like JSON.parse, except that every number becomes a JsonNumber. Throws SyntaxError
 * on text that is not JSON.
 */
export function parseExactJson(text: string): unknown {
  // Outside strings, wrap each number literal in quotes with a mark; JSON.parse then checks the
  // syntax and the reviver turns the marked strings back into numbers.
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === "-" || (ch >= "0" && ch <= "9")) {
      const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!match) throw new SyntaxError(`Unexpected token in JSON at position ${i}`);
      out += `"\\u0000json-number:${match[0]}"`; // JSON.parse decodes the escape to MARK
      i += match[0].length;
    } else {
      out += ch;
      i += 1;
    }
  }
  return JSON.parse(out, (_key, value: unknown) =>
    typeof value === "string" && value.startsWith(MARK) ? new JsonNumber(value.slice(MARK.length)) : value,
  );
}
