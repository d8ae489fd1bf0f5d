import { describe, expect, it } from "vitest";
import {
  API_CONTENT_SECURITY_POLICY,
  createNonce,
  OFFLINE_PAGE_CONTENT_SECURITY_POLICY,
  pageContentSecurityPolicy,
  SERVICE_WORKER_CONTENT_SECURITY_POLICY,
} from "./csp";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe("content security policy", () => {
  it("gives every request a different 128-bit nonce", () => {
    const nonces = new Set(Array.from({ length: 100 }, () => createNonce()));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });

  it("allows scripts only with the nonce in production: no inline, no eval", () => {
    const nonce = createNonce();
    const policy = directives(pageContentSecurityPolicy({ nonce }));
    expect(policy.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.has("upgrade-insecure-requests")).toBe(false);
  });

  it("adds 'unsafe-eval' only for next dev and upgrades requests only over https", () => {
    const nonce = createNonce();
    expect(directives(pageContentSecurityPolicy({ nonce, dev: true })).get("script-src")).toContain("'unsafe-eval'");
    expect(directives(pageContentSecurityPolicy({ nonce, https: true })).has("upgrade-insecure-requests")).toBe(true);
  });

  it("refuses a nonce that could break out of the header", () => {
    expect(() => pageContentSecurityPolicy({ nonce: "abc'; script-src *" })).toThrow(/nonce/);
    expect(() => pageContentSecurityPolicy({ nonce: "short" })).toThrow(/nonce/);
  });

  it("lets nothing run on API responses", () => {
    const policy = directives(API_CONTENT_SECURITY_POLICY);
    expect(policy.get("default-src")).toEqual(["'none'"]);
    expect(policy.has("script-src")).toBe(false);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
  });

  it("lets pages register the same-origin service worker and manifest, nothing else's", () => {
    const policy = directives(pageContentSecurityPolicy({ nonce: createNonce() }));
    expect(policy.get("worker-src")).toEqual(["'self'"]);
    expect(policy.get("manifest-src")).toEqual(["'self'"]);
  });

  it("lets the offline page show styles and the icon but run nothing, and keeps the worker same-origin", () => {
    const offline = directives(OFFLINE_PAGE_CONTENT_SECURITY_POLICY);
    expect(offline.get("default-src")).toEqual(["'none'"]);
    expect(offline.has("script-src")).toBe(false);
    expect(offline.get("img-src")).toEqual(["'self'"]);
    expect(offline.get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives(SERVICE_WORKER_CONTENT_SECURITY_POLICY).get("default-src")).toEqual(["'self'"]);
  });
});
