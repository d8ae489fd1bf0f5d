// Hashlease signs in with one next-auth provider, "credentials", whose callback is a POST.
// next-auth v4 answers anything else on its provider routes with a 500 ("Callback for provider
// type credentials not supported"), which would page an operator for a client's mistake: those
// requests get 405 for the wrong method and 404 for a provider that does not exist instead.
import { jsonError } from "../http/request";

const PROVIDER = "credentials";

/** A refusal for a provider route next-auth cannot serve, or null to let next-auth answer. */
export function unsupportedAuthRoute(method: string, segments: string[]): Response | null {
  const [action, provider, ...rest] = segments;
  if (action !== "callback" && action !== "signin") return null;
  if (provider === undefined) return null; // /signin is the sign-in page redirect; /callback alone is next-auth's 400
  if (provider !== PROVIDER || rest.length > 0) {
    return jsonError(404, "UNKNOWN_PROVIDER", `There is no sign-in provider "${provider}" here.`);
  }
  if (action === "callback" && method !== "POST") {
    const response = jsonError(405, "METHOD_NOT_ALLOWED", "The credentials callback only accepts POST.");
    response.headers.set("allow", "POST");
    return response;
  }
  return null;
}

/**
 * next-auth parses a POST declared as JSON with `req.json()` and answers a body that is not JSON
 * with a 500; such a request gets a 400 here first. Other bodies are next-auth's to read.
 */
export async function malformedAuthBody(request: Request): Promise<Response | null> {
  if (request.method !== "POST" || !request.headers.get("content-type")?.includes("application/json")) return null;
  try {
    JSON.parse(await request.clone().text());
    return null;
  } catch {
    return jsonError(400, "MALFORMED_BODY", "The request body is not valid JSON.");
  }
}
