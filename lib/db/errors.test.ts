import { describe, expect, it } from "vitest";
import { isDeadlock, isTransient, isUniqueViolation, retryOnDeadlock } from "./errors";

describe("database errors", () => {
  it("recognise a unique violation from Prisma, PostgreSQL or the adapter", () => {
    expect(isUniqueViolation({ code: "P2002" })).toBe(true);
    expect(isUniqueViolation({ code: "23505" })).toBe(true);
    expect(isUniqueViolation({ cause: { code: "23505" } })).toBe(true);
    expect(isUniqueViolation({ meta: { driverAdapterError: { cause: { kind: "UniqueConstraintViolation" } } } })).toBe(
      true,
    );
    expect(isUniqueViolation({ code: "23503" })).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });

  it("recognise a deadlock, and count it as transient", () => {
    for (const e of [
      { code: "40P01" },
      { code: "P2034" },
      { cause: { code: "40P01" } },
      new Error("ERROR: deadlock detected"),
    ]) {
      expect(isDeadlock(e)).toBe(true);
      expect(isTransient(e)).toBe(true);
    }
    expect(isDeadlock({ code: "40001" })).toBe(false);
    expect(isTransient({ code: "40001" })).toBe(true);
    expect(isTransient({ code: "P2028" })).toBe(true);
    expect(isTransient(new Error("boom"))).toBe(false);
  });

  it("retry a deadlock victim, and nothing else", async () => {
    let calls = 0;
    await expect(retryOnDeadlock(async () => (++calls < 3 ? Promise.reject({ code: "40P01" }) : "done"))).resolves.toBe(
      "done",
    );
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryOnDeadlock(async () => (++calls, Promise.reject({ code: "40P01" })), 2)).rejects.toEqual({
      code: "40P01",
    });
    expect(calls).toBe(2);
    calls = 0;
    await expect(retryOnDeadlock(async () => (++calls, Promise.reject(new Error("other"))))).rejects.toThrow("other");
    expect(calls).toBe(1);
  });
});
