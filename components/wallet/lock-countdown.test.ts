import { describe, expect, it } from "vitest";
import { remainingText } from "./lock-countdown";

describe("remainingText", () => {
  it("counts down in hours, minutes and seconds, rounding up so it never shows zero early", () => {
    expect(remainingText(48 * 3600 * 1000)).toBe("48 h 00 min 00 s");
    expect(remainingText(48 * 3600 * 1000 - 1)).toBe("48 h 00 min 00 s");
    expect(remainingText(47 * 3600 * 1000 + 5 * 60 * 1000 + 9 * 1000)).toBe("47 h 05 min 09 s");
    expect(remainingText(59 * 1000 + 1)).toBe("1 min 00 s");
    expect(remainingText(1)).toBe("0 min 01 s");
    expect(remainingText(0)).toBe("0 min 00 s");
    expect(remainingText(-5000)).toBe("0 min 00 s");
  });
});
