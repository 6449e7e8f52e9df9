/**
 * Which URLs a webhook may be sent to (server-side request forgery guard). Pure: it judges the URL as the
 * WHATWG parser (the one `fetch` uses) normalises it, so decimal, octal, hex and short IPv4 forms
 * (`http://2130706433`, `http://0x7f.1`, `http://017700000001`) arrive here as dotted quads and are judged
 * as the address they are. It is checked when an endpoint is registered or changed and again before every
 * attempt; the delivery itself never follows redirects (`redirect: "manual"`), so a public URL cannot
 * bounce the request to a private one.
 *
 * Production: https only, no credentials in the URL, no single-label or reserved names (localhost,
 * *.localhost, *.local, *.internal, *.home.arpa, *.lan, *.intranet, *.corp), and no literal address in a
 * private, loopback, link-local (169.254.169.254 metadata), CGNAT, "this network", benchmarking,
 * documentation, multicast or reserved range, IPv6 included (::1, ::, fc00::/7, fe80::/10, ff00::/8, and
 * IPv4-mapped, NAT64 and 6to4 forms of any refused IPv4 address).
 * Local development (`allowLoopback`): http is allowed and loopback (127/8, ::1, localhost, *.localhost)
 * is too, so tests can receive on 127.0.0.1; every other private range is still refused.
 *
 * What a pure check cannot see: a public name whose DNS answer is private (rebinding). Workers' fetch does
 * not reach private networks from Cloudflare's edge, which closes that in production.
 */
export interface SsrfPolicy {
  /** Local development: http and loopback targets allowed. */
  allowLoopback: boolean;
  requireHttps: boolean;
}

export const PRODUCTION_POLICY: SsrfPolicy = { allowLoopback: false, requireHttps: true };
export const LOCAL_DEV_POLICY: SsrfPolicy = { allowLoopback: true, requireHttps: false };

export type TargetCheck = { ok: true; url: string } | { ok: false; reason: string };

const RESERVED_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".lan", ".intranet", ".corp", ".localdomain", ".test", ".invalid", ".example", ".onion"];
const LOOPBACK_NAMES = ["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"];

type V4 = [number, number, number, number];

export function parseIPv4(host: string): V4 | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number) as V4;
  return parts.every((n) => n <= 255) ? parts : null;
}

/** Eight 16-bit groups, or null when `host` (without brackets) is not an IPv6 address. */
export function parseIPv6(host: string): number[] | null {
  let h = host.toLowerCase();
  const zone = h.indexOf("%");
  if (zone >= 0) h = h.slice(0, zone);
  if (!/^[0-9a-f:.]+$/.test(h) || !h.includes(":")) return null;
  let tail: number[] = [];
  const lastColon = h.lastIndexOf(":");
  const maybeV4 = h.slice(lastColon + 1);
  if (maybeV4.includes(".")) {
    const v4 = parseIPv4(maybeV4);
    if (!v4) return null;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    h = h.slice(0, lastColon + 1) + "0:0"; // placeholder groups, replaced below
  }
  const halves = h.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  let all: number[];
  const parse = (gs: string[]) => gs.map((g) => parseInt(g, 16));
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return null;
    all = [...parse(head), ...new Array<number>(missing).fill(0), ...parse(rest)];
  } else {
    if (head.length !== 8) return null;
    all = parse(head);
  }
  if (tail.length) all = [...all.slice(0, 6), ...tail];
  return all.length === 8 ? all : null;
}

const inV4 = (ip: V4, base: V4, bits: number) => {
  const n = ((ip[0] << 24) | (ip[1] << 16) | (ip[2] << 8) | ip[3]) >>> 0;
  const b = ((base[0] << 24) | (base[1] << 16) | (base[2] << 8) | base[3]) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (n & mask) === (b & mask);
};

/** Why an IPv4 address may not be a webhook target, or null when it may. Loopback is reported as "loopback". */
export function refusedIPv4(ip: V4): string | null {
  const ranges: Array<[V4, number, string]> = [
    [[127, 0, 0, 0], 8, "loopback"],
    [[0, 0, 0, 0], 8, "'this network' (0.0.0.0/8)"],
    [[10, 0, 0, 0], 8, "private (10.0.0.0/8)"],
    [[100, 64, 0, 0], 10, "carrier-grade NAT (100.64.0.0/10)"],
    [[169, 254, 0, 0], 16, "link-local (169.254.0.0/16, cloud metadata)"],
    [[172, 16, 0, 0], 12, "private (172.16.0.0/12)"],
    [[192, 0, 0, 0], 24, "IETF protocol assignments (192.0.0.0/24)"],
    [[192, 0, 2, 0], 24, "documentation (192.0.2.0/24)"],
    [[192, 88, 99, 0], 24, "6to4 relay anycast (192.88.99.0/24)"],
    [[192, 168, 0, 0], 16, "private (192.168.0.0/16)"],
    [[198, 18, 0, 0], 15, "benchmarking (198.18.0.0/15)"],
    [[198, 51, 100, 0], 24, "documentation (198.51.100.0/24)"],
    [[203, 0, 113, 0], 24, "documentation (203.0.113.0/24)"],
    [[224, 0, 0, 0], 4, "multicast (224.0.0.0/4)"],
    [[240, 0, 0, 0], 4, "reserved (240.0.0.0/4, broadcast)"],
  ];
  for (const [base, bits, why] of ranges) if (inV4(ip, base, bits)) return why;
  return null;
}

const v4Of = (a: number, b: number): V4 => [a >> 8, a & 255, b >> 8, b & 255];

/** Why an IPv6 address may not be a webhook target, or null when it may. */
export function refusedIPv6(g: number[]): string | null {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return "unspecified (::)";
  if (zeroUpTo(7) && g[7] === 1) return "loopback";
  // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible): judged as the IPv4 address inside.
  if (zeroUpTo(5) && (g[5] === 0xffff || g[5] === 0)) {
    const inner = refusedIPv4(v4Of(g[6]!, g[7]!));
    return inner ? (inner === "loopback" ? "loopback" : `IPv4-mapped ${inner}`) : g[5] === 0 ? "IPv4-compatible (deprecated)" : null;
  }
  // 64:ff9b::/96 NAT64 and 2002::/16 6to4 carry an IPv4 address too.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    const inner = refusedIPv4(v4Of(g[6]!, g[7]!));
    return inner ? `NAT64 of ${inner}` : null;
  }
  if (g[0] === 0x2002) {
    const inner = refusedIPv4(v4Of(g[1]!, g[2]!));
    return inner ? `6to4 of ${inner}` : null;
  }
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return "unique local (fc00::/7)";
  if ((first & 0xffc0) === 0xfe80) return "link-local (fe80::/10)";
  if ((first & 0xffc0) === 0xfec0) return "site-local (fec0::/10)";
  if ((first & 0xff00) === 0xff00) return "multicast (ff00::/8)";
  if (first === 0x2001 && g[1] === 0x0db8) return "documentation (2001:db8::/32)";
  if (first === 0x0100 && zeroUpTo(4)) return "discard (100::/64)";
  return null;
}

/** Whether `raw` may receive webhooks under `policy`; the URL as it will be fetched, or the reason it may not. */
export function checkTarget(raw: string, policy: SsrfPolicy): TargetCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid absolute URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: `scheme ${url.protocol.replace(":", "")} is not allowed; use https` };
  if (url.protocol === "http:" && policy.requireHttps) return { ok: false, reason: "https is required" };
  if (url.username || url.password) return { ok: false, reason: "credentials in the URL are not allowed; authenticate with the signature" };
  let host = url.hostname.toLowerCase();
  if (!host) return { ok: false, reason: "the URL has no host" };
  if (host.endsWith(".")) host = host.slice(0, -1);
  const loopbackOk = policy.allowLoopback;

  if (host.startsWith("[") && host.endsWith("]")) {
    const groups = parseIPv6(host.slice(1, -1));
    if (!groups) return { ok: false, reason: "not a valid IPv6 address" };
    const why = refusedIPv6(groups);
    if (why && !(why === "loopback" && loopbackOk)) return { ok: false, reason: `${host} is a ${why} address` };
    return { ok: true, url: url.href };
  }
  const v4 = parseIPv4(host);
  if (v4) {
    const why = refusedIPv4(v4);
    if (why && !(why === "loopback" && loopbackOk)) return { ok: false, reason: `${host} is a ${why} address` };
    return { ok: true, url: url.href };
  }
  // A numeric-looking host the parser did not turn into an address (it should have) is refused outright.
  if (/^[0-9.]+$/.test(host) || /^0x[0-9a-f.x]*$/i.test(host)) return { ok: false, reason: `${host} is a numeric host` };
  if (LOOPBACK_NAMES.includes(host) || host.endsWith(".localhost")) {
    return loopbackOk ? { ok: true, url: url.href } : { ok: false, reason: `${host} is a loopback name` };
  }
  const suffix = RESERVED_SUFFIXES.find((s) => host.endsWith(s));
  if (suffix) return { ok: false, reason: `${host} is in the reserved domain ${suffix.slice(1)}` };
  if (!host.includes(".")) return { ok: false, reason: `${host} is a single-label (intranet) name` };
  return { ok: true, url: url.href };
}
