import { describe, expect, it } from "vitest";
import { malformedAuthBody, unsupportedAuthRoute } from "../auth/auth-routes";
import { ACTION_BODY_LIMIT_BYTES, refuseMalformedAction } from "./action-guard";

const HOST = "hashlease.test:3000";

function action(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request(`http://${HOST}/settings/security`, {
    method: "POST",
    body,
    headers: { host: HOST, origin: `http://${HOST}`, "next-action": "7f00aa", ...headers },
  });
}

async function multipart(fields: Record<string, string>): Promise<Request> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  const request = new Request(`http://${HOST}/x`, { method: "POST", body: form });
  return action(await request.arrayBuffer(), { "content-type": request.headers.get("content-type")! });
}

describe("refuseMalformedAction", () => {
  it("lets through what Next decodes: JSON arguments, multipart forms, no Origin, non-actions", async () => {
    expect(await refuseMalformedAction(action('["$K1",{"a":1}]', { "content-type": "text/plain;charset=UTF-8" }))).toBe(
      null,
    );
    expect(
      await refuseMalformedAction(await multipart({ "0": '["$K1"]', "1_label": "Cold wallet", "1_coin": "BTC" })),
    ).toBe(null);
    // Chromium's boundary is mixed case, and a boundary is case-sensitive.
    const boundary = "----WebKitFormBoundary1LxhxQVSN8cVrF0b";
    const chromium = `--${boundary}\r\nContent-Disposition: form-data; name="0"\r\n\r\n["$K1"]\r\n--${boundary}\r\nContent-Disposition: form-data; name="1_email"\r\n\r\na@b.example\r\n--${boundary}--\r\n`;
    expect(
      await refuseMalformedAction(action(chromium, { "content-type": `multipart/form-data; boundary=${boundary}` })),
    ).toBe(null);
    const noOrigin = action("[]");
    noOrigin.headers.delete("origin");
    expect(await refuseMalformedAction(noOrigin)).toBe(null);
    expect(await refuseMalformedAction(new Request(`http://${HOST}/`, { method: "POST", body: "garbage" }))).toBe(null);
    expect(
      await refuseMalformedAction(
        action("[]", { "x-forwarded-host": "app.hashlease.example", origin: "https://app.hashlease.example" }),
      ),
    ).toBe(null);
  });

  it("403 for a foreign, null or unparsable Origin", async () => {
    for (const origin of ["http://evil.example", "null", "not a url", `http://${HOST}.evil.example`]) {
      expect(await refuseMalformedAction(action("[]", { origin })), origin).toMatchObject({ status: 403 });
    }
  });

  it("413 over 1 MB, declared or not; 400 for a body Next cannot decode", async () => {
    const big = "x".repeat(ACTION_BODY_LIMIT_BYTES + 1);
    expect(await refuseMalformedAction(action(JSON.stringify([big])))).toMatchObject({ status: 413 });
    expect(await refuseMalformedAction(action("[]", { "content-length": String(20 * 1024 * 1024) }))).toMatchObject({
      status: 413,
    });
    expect(await refuseMalformedAction(action(JSON.stringify(["y".repeat(ACTION_BODY_LIMIT_BYTES - 100)])))).toBe(null);
    for (const body of ["{not json", "", "\u0000"]) {
      expect(await refuseMalformedAction(action(body)), JSON.stringify(body)).toMatchObject({ status: 400 });
    }
    expect(await refuseMalformedAction(action(new Uint8Array([0x5b, 0xff, 0xfe, 0x5d])))).toMatchObject({
      status: 400,
    });
    // A form without the arguments' part "0", or with one that is not JSON.
    expect(await refuseMalformedAction(await multipart({ "1_label": "Cold wallet" }))).toMatchObject({ status: 400 });
    expect(await refuseMalformedAction(await multipart({ "0": "[oops", "1_label": "x" }))).toMatchObject({
      status: 400,
    });
    expect(
      await refuseMalformedAction(
        action("--x\r\nContent-Disposition: form-data\r\n\r\nbroken", {
          "content-type": "multipart/form-data; boundary=zzz",
        }),
      ),
    ).toMatchObject({ status: 400 });
  });
});

describe("unsupportedAuthRoute", () => {
  it("405 for a GET of the credentials callback, 404 for unknown providers; next-auth's own routes pass", () => {
    const get = unsupportedAuthRoute("GET", ["callback", "credentials"]);
    expect(get?.status).toBe(405);
    expect(get?.headers.get("allow")).toBe("POST");
    expect(unsupportedAuthRoute("POST", ["callback", "github"])?.status).toBe(404);
    expect(unsupportedAuthRoute("GET", ["signin", "google"])?.status).toBe(404);
    expect(unsupportedAuthRoute("POST", ["callback", "credentials", "extra"])?.status).toBe(404);
    for (const [method, segments] of [
      ["POST", ["callback", "credentials"]],
      ["GET", ["session"]],
      ["GET", ["csrf"]],
      ["GET", ["signin"]],
      ["POST", ["signout"]],
    ] as const) {
      expect(unsupportedAuthRoute(method, [...segments]), segments.join("/")).toBe(null);
    }
  });
});

describe("malformedAuthBody", () => {
  const post = (body: string, type: string) =>
    new Request(`http://${HOST}/api/auth/session`, { method: "POST", body, headers: { "content-type": type } });
  it("400 for a POST declared as JSON that is not; JSON, forms and GETs pass to next-auth", async () => {
    expect((await malformedAuthBody(post("a".repeat(1000), "application/json")))?.status).toBe(400);
    expect((await malformedAuthBody(post("", "application/json")))?.status).toBe(400);
    expect(await malformedAuthBody(post('{"csrfToken":"x"}', "application/json"))).toBe(null);
    expect(await malformedAuthBody(post("csrfToken=x", "application/x-www-form-urlencoded"))).toBe(null);
    expect(await malformedAuthBody(new Request(`http://${HOST}/api/auth/session`))).toBe(null);
  });
});
