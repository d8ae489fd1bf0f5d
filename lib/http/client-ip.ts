// The client's IP address, the one reading of it in the app (sign-in limits, API key allowlists,
// audit lines, rate limits). It starts from the TCP peer — the socket's address, which the web
// server (lib/cli/web.ts) writes into PEER_IP_HEADER on every request, replacing whatever a
// client sent under that name — and believes X-Forwarded-For only as far as the hops are trusted
// proxies (TRUSTED_PROXIES):
//   - "loopback" (the default): 127.0.0.0/8 and ::1, a proxy on the same machine;
//   - CIDRs and addresses, comma separated ("10.0.0.0/8, 192.0.2.7"), optionally with "loopback";
//   - a hop count ("2"): exactly that many proxies in front, whatever their addresses;
//   - "none": the socket's address always.
// With CIDRs, the address is the right-most entry of [X-Forwarded-For..., peer] that is not a
// trusted proxy (entries left of it are the client's own claims); with a hop count, the entry
// that many places left of the peer. A forged X-Forwarded-For from an untrusted peer is ignored.
// Without PEER_IP_HEADER (a handler called outside the web server) there is no address: null.
import { allowlistChecker, parseIpAllowlist } from "../api/ip-allowlist";

export const PEER_IP_HEADER = "x-hashlease-peer-ip";

export type TrustedProxies = { kind: "hops"; hops: number } | { kind: "ranges"; trusted: (ip: string) => boolean };

const LOOPBACK = ["127.0.0.0/8", "::1"];

/** Parses TRUSTED_PROXIES; throws with a clear message on a bad entry (checked at start). */
export function parseTrustedProxies(text: string | undefined): TrustedProxies {
  const value = text?.trim() || "loopback";
  if (value === "none") return { kind: "ranges", trusted: () => false };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10)
      throw new Error(`TRUSTED_PROXIES: ${hops} hops is more than any real chain of proxies (at most 10).`);
    return { kind: "hops", hops };
  }
  const entries = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .flatMap((entry) => (entry === "loopback" ? LOOPBACK : [entry]));
  const parsed = parseIpAllowlist(entries);
  if (!parsed.ok) throw new Error(`TRUSTED_PROXIES: ${parsed.message}`);
  const check = allowlistChecker(parsed.entries)!;
  return { kind: "ranges", trusted: (ip) => check(ip) };
}

function isAddress(text: string): boolean {
  return /^[0-9a-fA-F:.]{2,45}$/.test(text);
}

/** The client's address from the peer and the X-Forwarded-For chain, under `trust`. */
export function resolveClientIp(
  peer: string | null,
  forwardedFor: string | null,
  trust: TrustedProxies,
): string | null {
  if (!peer) return null;
  const claimed = (forwardedFor ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const chain = [...claimed, peer];
  if (trust.kind === "hops") {
    const entry = chain[Math.max(0, chain.length - 1 - trust.hops)]!;
    return isAddress(entry) ? entry : peer;
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const entry = chain[i]!;
    // A malformed entry is where the trusted part of the chain ends: the hop after it is the answer.
    if (!isAddress(entry)) return chain[i + 1] ?? peer;
    if (i === 0 || !trust.trusted(entry)) return entry;
  }
  return peer;
}

let cached: { text: string | undefined; trust: TrustedProxies } | undefined;

/** TRUSTED_PROXIES of this process, parsed once per value. */
export function trustedProxies(): TrustedProxies {
  const text = process.env.TRUSTED_PROXIES;
  if (!cached || cached.text !== text) cached = { text, trust: parseTrustedProxies(text) };
  return cached.trust;
}
