import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { refuse } from "@/lib/shared/result";

const calls: string[] = [];

vi.mock("next/cache", () => ({ revalidatePath: (path: string) => calls.push(`revalidate ${path}`) }));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    calls.push(`redirect ${to}`);
    throw new Error("NEXT_REDIRECT");
  },
}));
vi.mock("@/lib/http/next", () => ({ requestIp: async () => "203.0.113.7" }));
vi.mock("@/lib/auth/session", () => ({
  requireUser: async (path: string) => {
    calls.push(`auth USER ${path}`);
    return { id: "u1", email: "a@example.com", name: "A", roles: ["CUSTOMER"] };
  },
  requireRole: async (role: string, path: string) => {
    calls.push(`auth ${role} ${path}`);
    return { id: "u1", email: "a@example.com", name: "A", roles: [role] };
  },
}));

const { asRefusal, formAction, objectAction } = await import("./form-action");
const { initialFormState } = await import("@/components/forms/form-state");

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v);
  return data;
}

const schema = z.object({
  label: z.string().trim().min(1, "Enter a label."),
  code: z.string().min(6, "Enter the code."),
  tags: z.array(z.string()).default([]),
});

beforeEach(() => {
  calls.length = 0;
});

describe("formAction", () => {
  it("authenticates before it parses, and refills all but the secret fields", async () => {
    const run = vi.fn();
    const action = formAction({ role: "CUSTOMER", path: "/things", schema, secret: ["code"], run, done: {} });
    const state = await action(initialFormState(), form({ label: " ", code: "123", tags: ["a", "b"] }));
    expect(calls).toEqual(["auth CUSTOMER /things"]);
    expect(run).not.toHaveBeenCalled();
    expect(state).toEqual({
      status: "error",
      message: "Check the 2 fields marked below.",
      fieldErrors: { label: "Enter a label.", code: "Enter the code." },
      values: { label: " ", tags: ["a", "b"] },
    });
  });

  it("passes the session's user, the IP, the bound arguments and the parsed input to run", async () => {
    const action = formAction({
      role: "OPERATOR",
      path: (rigId: string) => `/rigs/${rigId}`,
      schema,
      run: async ({ user, ip, input, args: [rigId] }) => ({
        ok: true as const,
        seen: `${user.id} ${ip} ${rigId} ${input.label}`,
      }),
      done: { revalidate: (_r, [rigId]) => [`/rigs/${rigId}`], message: (r) => r.seen },
    });
    const state = await action("r9", initialFormState(), form({ label: " Rig ", code: "123456" }));
    expect(calls).toEqual(["auth OPERATOR /rigs/r9", "revalidate /rigs/r9"]);
    expect(state).toEqual({ status: "done", message: "u1 203.0.113.7 r9 Rig", fieldErrors: {}, values: {} });
  });

  it("maps the core's refusal to the form state, with the form's extras", async () => {
    const action = formAction({
      role: "USER",
      path: "/things",
      schema,
      secret: ["code"],
      run: async () => refuse("TWO_FACTOR_REQUIRED", "Turn on 2FA first.", { code: "Turn on 2FA first." }),
      refused: (refusal) => ({ twoFactorRequired: refusal.code === "TWO_FACTOR_REQUIRED" }),
      done: {},
    });
    const state = await action(initialFormState(), form({ label: "x", code: "123456" }));
    expect(state).toEqual({
      status: "error",
      message: "Turn on 2FA first.",
      fieldErrors: { code: "Turn on 2FA first." },
      values: { label: "x", tags: [] },
      twoFactorRequired: true,
    });
  });

  it("redirects on success, after revalidating", async () => {
    const action = formAction({
      role: "ANYONE",
      path: "/register",
      schema,
      run: async () => ({ ok: true as const, id: "n1" }),
      done: { revalidate: "/list", redirect: (r) => `/things/${r.id}` },
    });
    await expect(action(initialFormState(), form({ label: "x", code: "123456" }))).rejects.toThrow("NEXT_REDIRECT");
    expect(calls).toEqual(["revalidate /list", "redirect /things/n1"]);
  });

  it("works for a button that sends no FormData", async () => {
    const action = formAction({
      role: "ADMIN",
      path: "/admin",
      schema: z.object({}),
      run: async () => ({ ok: true as const }),
      done: { message: "Done." },
    });
    const callWithStateOnly = action as unknown as (state: unknown) => Promise<unknown>;
    expect(await callWithStateOnly(initialFormState())).toEqual({
      status: "done",
      message: "Done.",
      fieldErrors: {},
      values: {},
    });
    expect(calls).toEqual(["auth ADMIN /admin"]);
  });
});

describe("objectAction", () => {
  it("takes the same steps for an object and echoes nothing back", async () => {
    const action = objectAction({
      role: "CUSTOMER",
      path: "/wallet",
      schema: z.object({ amount: z.string().catch(""), totpCode: z.string().catch("") }),
      run: async ({ input }) =>
        asRefusal({ ok: false, code: "TOTP_INVALID", message: `No: ${input.amount}`, field: "totpCode" }),
      done: {},
    });
    expect(await action({ amount: "1", totpCode: "000000" })).toEqual({
      status: "error",
      message: "No: 1",
      fieldErrors: { totpCode: "No: 1" },
      values: {},
    });
    expect(calls).toEqual(["auth CUSTOMER /wallet"]);
  });
});

describe("asRefusal", () => {
  it("turns one `field` into field errors, keeps given field errors, and gives a code", () => {
    expect(asRefusal({ ok: false, message: "Locked.", field: "year" })).toEqual({
      ok: false,
      code: "REFUSED",
      message: "Locked.",
      fieldErrors: { year: "Locked." },
    });
    expect(asRefusal({ ok: false, code: "INVALID", message: "Bad.", fieldErrors: { a: "A", b: undefined } })).toEqual({
      ok: false,
      code: "INVALID",
      message: "Bad.",
      fieldErrors: { a: "A" },
    });
    expect(asRefusal({ ok: false, code: "X", message: "No." })).toEqual({ ok: false, code: "X", message: "No." });
  });
});
