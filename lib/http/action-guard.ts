// Server-action requests Next.js itself would refuse with an HTTP 500 (its digest page), answered
// by the proxy (proxy.ts) with a clear 4xx first: a 500 pages the operator and tells the client
// nothing. Each refusal is logged as a warning, never as an error.
//   403  Origin "null", unparsable, or another host than the request's (Next's own rule: the
//        Origin's host against X-Forwarded-Host, else Host). A request without Origin is left
//        to Next, which accepts it as it always has.
//   413  a body over Next's 1 MB server-action limit (Content-Length, or the bytes themselves).
//   400  a body Next cannot decode: broken multipart form data or one without the arguments'
//        JSON part "0", or a non-multipart body that is not UTF-8 JSON (React's encodeReply sends
//        the arguments as JSON text or as multipart).
// Only POSTs carrying a Next-Action header are looked at; nothing else pays for this.

export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

export interface ActionRefusal {
  status: 400 | 403 | 413;
  message: string;
}

function expectedHost(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || headers.get("host");
}

function originRefusal(headers: Headers): ActionRefusal | null {
  const origin = headers.get("origin");
  if (origin === null) return null;
  let host: string | null = null;
  try {
    host = origin === "null" ? null : new URL(origin).host;
  } catch {
    host = null;
  }
  if (host && host === expectedHost(headers)) return null;
  return {
    status: 403,
    message: "Forms of this site can only be sent from this site (the request's Origin is foreign).",
  };
}

const TOO_LARGE: ActionRefusal = {
  status: 413,
  message: `The form is too large: at most ${ACTION_BODY_LIMIT_BYTES / 1024 / 1024} MB can be sent.`,
};
const MALFORMED: ActionRefusal = {
  status: 400,
  message: "The form data could not be read. Reload the page and try again.",
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Null for a request that is not a server action or that Next can decode; else the 4xx answer. */
export async function refuseMalformedAction(request: Request): Promise<ActionRefusal | null> {
  if (request.method !== "POST" || !request.headers.has("next-action")) return null;
  const refused = originRefusal(request.headers);
  if (refused) return refused;
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > ACTION_BODY_LIMIT_BYTES) return TOO_LARGE;
  let bytes: ArrayBuffer;
  try {
    bytes = await request.clone().arrayBuffer();
  } catch {
    return MALFORMED;
  }
  if (bytes.byteLength > ACTION_BODY_LIMIT_BYTES) return TOO_LARGE;
  const type = request.headers.get("content-type") ?? "";
  if (type.toLowerCase().startsWith("multipart/form-data")) {
    try {
      // The header as sent: the boundary is case-sensitive (Chromium's is mixed case).
      const form = await new Response(bytes, { headers: { "content-type": type } }).formData();
      // React's encodeReply puts the arguments' JSON under "0" (the form's fields beside it as
      // "1_name"); without it React waits for a root that never comes ("Connection closed.").
      const root = form.get("0");
      if (typeof root !== "string") return MALFORMED;
      JSON.parse(root);
      return null;
    } catch {
      return MALFORMED;
    }
  }
  try {
    JSON.parse(utf8.decode(bytes));
    return null;
  } catch {
    return MALFORMED;
  }
}

/** The refusal as a short plain-text answer (no stack, no digest page). */
export function actionRefusalResponse(refusal: ActionRefusal): Response {
  return new Response(`${refusal.message}\n`, {
    status: refusal.status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
