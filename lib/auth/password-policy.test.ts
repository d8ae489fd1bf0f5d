import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-policy";

describe("passwordProblem", () => {
  it("accepts a long, unguessable passphrase", () => {
    expect(passwordProblem("copper-otter-rides-9-trams", { email: "ann@example.com", name: "Ann Lee" })).toBeNull();
    expect(passwordProblem("Xq7#vLp2!mRt9wZk")).toBeNull();
  });

  it("refuses short and overlong passwords", () => {
    expect(passwordProblem("Tr0ub4dor&3")).toMatch(/at least 12 characters/);
    expect(passwordProblem("a".repeat(201))).toMatch(/too long/);
  });

  it("refuses the account's own email, in any case, and its name part", () => {
    expect(passwordProblem("Customer.Long@Hashlease.test", { email: "customer.long@hashlease.test" })).toMatch(
      /cannot be your email/,
    );
    expect(passwordProblem("verylongmailbox", { email: "verylongmailbox@example.com" })).toMatch(
      /cannot be your email/,
    );
  });

  it("refuses passwords from the bundled common and leaked list", () => {
    expect(passwordProblem("password1234")).toMatch(/common or leaked/);
    expect(passwordProblem("1q2w3e4r5t6y")).toMatch(/common or leaked/);
  });

  it("refuses passwords the estimator guesses quickly, using the person's own details", () => {
    expect(passwordProblem("aaaaaaaaaaaaaaaa")).toMatch(/too easy to guess/);
    expect(passwordProblem("abcdefghijklmnop")).toMatch(/too easy to guess/);
    expect(passwordProblem("annabelle2026!", { email: "annabelle@example.com", name: "Annabelle" })).toMatch(
      /too easy to guess/,
    );
  });
});
