// Where to send a user after sign-in. Only same-origin paths are accepted: "/x" yes;
// "//evil.example", "/\evil.example" (browsers read "\" as "/"), absolute URLs and
// anything with control characters no — otherwise the login page is an open redirect.
export function safeCallbackUrl(value: unknown): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return null;
  if (!value.startsWith("/") || value.startsWith("//")) return null;
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return null;
  return value;
}
