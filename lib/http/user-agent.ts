// "Chrome on Linux" from a User-Agent header, for the devices list (lib/auth/sessions.ts):
// a label a person recognises, not device detection. The order of the checks matters because
// browsers borrow each other's tokens: Edge and Opera say "Chrome", Chrome says "Safari",
// every iOS browser is Safari underneath. Anything unrecognised is "Unknown browser"; the
// raw string stays on the session row.

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, "Edge"],
  [/\b(OPR|Opera|OPiOS)\//, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bVivaldi\//, "Vivaldi"],
  [/\bYaBrowser\//, "Yandex Browser"],
  [/\b(Firefox|FxiOS)\//, "Firefox"],
  [/\b(HeadlessChrome|Chrome|CriOS|Chromium)\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  [/\bcurl\//, "curl"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\b(iPhone|iPad|iPod)\b/, "iOS"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b|\bX11\b/, "Linux"],
];

function first(table: [RegExp, string][], userAgent: string): string | null {
  for (const [pattern, name] of table) if (pattern.test(userAgent)) return name;
  return null;
}

/** "Chrome on Linux", "Safari on iOS", "Firefox", "Unknown browser on Windows", "Unknown browser". */
export function describeUserAgent(userAgent: string | null | undefined): string {
  const ua = (userAgent ?? "").slice(0, 512);
  const browser = first(BROWSERS, ua) ?? "Unknown browser";
  const system = first(SYSTEMS, ua);
  return system ? `${browser} on ${system}` : browser;
}
