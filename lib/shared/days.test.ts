import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DAY_MS, dayText, parseDay, startOfUtcDay } from "./days";

describe("UTC days", () => {
  it("starts a day at UTC midnight", () => {
    expect(startOfUtcDay(new Date("2026-11-23T23:59:59.999Z")).toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(startOfUtcDay(new Date("2026-11-23T00:00:00.000Z")).toISOString()).toBe("2026-11-23T00:00:00.000Z");
  });

  it("parses only real calendar days", () => {
    expect(parseDay("2026-11-23")?.toISOString()).toBe("2026-11-23T00:00:00.000Z");
    for (const bad of ["2026-02-30", "2026-13-01", "2026-1-1", "26-11-23", " 2026-11-23", ""])
      expect(parseDay(bad), bad).toBeNull();
  });

  it("dayText and parseDay round-trip every midnight", () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), (n) => {
        const day = new Date(n * DAY_MS);
        expect(parseDay(dayText(day))?.getTime()).toBe(day.getTime());
        expect(startOfUtcDay(new Date(day.getTime() + DAY_MS - 1)).getTime()).toBe(day.getTime());
      }),
    );
  });
});
