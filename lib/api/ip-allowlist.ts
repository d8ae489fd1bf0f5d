// IP allowlists of API keys: single addresses or CIDR blocks, IPv4 or IPv6. Stored as the
// normalised text of each entry; checked with node:net's BlockList. IPv4-mapped IPv6
// addresses (::ffff:1.2.3.4, as a dual-stack socket reports them) count as their IPv4 form.
import { BlockList, isIP } from "node:net";

export type AllowlistParse = { ok: true; entries: string[] } | { ok: false; message: string };

export const MAX_ALLOWLIST_ENTRIES = 32;

function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** Parses entries separated by commas, spaces or new lines; empty means "any address". */
export function parseIpAllowlist(input: string | readonly string[]): AllowlistParse {
  const raw = (typeof input === "string" ? input.split(/[\s,]+/) : input).map((s) => s.trim()).filter(Boolean);
  if (raw.length > MAX_ALLOWLIST_ENTRIES)
    return { ok: false, message: `At most ${MAX_ALLOWLIST_ENTRIES} IP addresses or ranges.` };
  const entries: string[] = [];
  for (const entry of raw) {
    const [address = "", prefix, extra] = entry.split("/");
    const ip = normaliseAddress(address);
    const family = isIP(ip);
    if (family === 0 || extra !== undefined)
      return {
        ok: false,
        message: `"${entry}" is not an IP address or CIDR range (e.g. 203.0.113.7 or 203.0.113.0/24).`,
      };
    if (prefix !== undefined) {
      const max = family === 4 ? 32 : 128;
      if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) {
        return { ok: false, message: `"${entry}": the prefix length must be 0-${max}.` };
      }
      entries.push(`${ip.toLowerCase()}/${Number(prefix)}`);
    } else {
      entries.push(ip.toLowerCase());
    }
  }
  return { ok: true, entries: [...new Set(entries)] };
}

/** A checker for stored entries; null when the list is empty (every address allowed). */
export function allowlistChecker(entries: readonly string[]): ((ip: string | null) => boolean) | null {
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", prefix] = entry.split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (ip) => {
    if (!ip) return false;
    const address = normaliseAddress(ip.trim());
    const family = isIP(address);
    if (family === 0) return false;
    return list.check(address, family === 6 ? "ipv6" : "ipv4");
  };
}
