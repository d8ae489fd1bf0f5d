import { describe, expect, it } from "vitest";
import { footerLinks, homeForRoles, roleLinks } from "./role-home";

describe("where a user lands after signing in", () => {
  it("is the most specific role's area", () => {
    expect(homeForRoles(["CUSTOMER"])).toBe("/dashboard");
    // Operators are customers too (registration gives both): they land on their rigs.
    expect(homeForRoles(["OPERATOR", "CUSTOMER"])).toBe("/operator");
    expect(homeForRoles(["CUSTOMER", "OPERATOR"])).toBe("/operator");
    expect(homeForRoles(["ADMIN"])).toBe("/admin");
    expect(homeForRoles(["CUSTOMER", "ADMIN"])).toBe("/admin");
    expect(homeForRoles([])).toBe("/marketplace");
  });

  it("keeps the navigation in its fixed order", () => {
    expect(roleLinks(["OPERATOR", "CUSTOMER"]).map((l) => l.href)).toEqual([
      "/dashboard",
      "/wallet",
      "/tax",
      "/operator",
    ]);
  });
});

const DOCUMENTS = ["Help", "Support", "Terms", "Risk disclosure", "Privacy"];
const labels = (roles: readonly string[] | null) => footerLinks(roles ? { roles } : null).map((link) => link.label);

describe("footerLinks", () => {
  it("offers a visitor an account, help and the documents", () => {
    expect(labels(null)).toEqual(["Marketplace", "API docs", "Create account", ...DOCUMENTS]);
  });

  it("offers no account to a signed-in user, but the area they land in and their settings", () => {
    expect(labels(["CUSTOMER"])).toEqual(["Marketplace", "API docs", "Dashboard", "Account settings", ...DOCUMENTS]);
    expect(labels(["OPERATOR", "CUSTOMER"])).toEqual([
      "Marketplace",
      "API docs",
      "Operator",
      "Account settings",
      ...DOCUMENTS,
    ]);
    expect(labels(["ADMIN"])).toEqual(["Marketplace", "API docs", "Admin", "Account settings", ...DOCUMENTS]);
  });

  it("links a signed-in user's area to where they land after signing in", () => {
    for (const roles of [["CUSTOMER"], ["OPERATOR", "CUSTOMER"], ["ADMIN"]]) {
      const area = footerLinks({ roles })[2];
      expect(area?.href).toBe(homeForRoles(roles));
    }
  });

  it("gives a user without an area only the settings", () => {
    expect(labels([])).toEqual(["Marketplace", "API docs", "Account settings", ...DOCUMENTS]);
  });
});
