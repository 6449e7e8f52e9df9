import { describe, expect, it } from "vitest";
import { checkTarget, LOCAL_DEV_POLICY, parseIPv6, PRODUCTION_POLICY } from "../../../workers/notify/ssrf";

/**
 * The SSRF guard as `fetch` would see each URL: the WHATWG parser normalises numeric tricks first (decimal,
 * octal, hex, short and percent-encoded IPv4; IPv4-mapped IPv6), and the guard judges what it produced.
 */
describe("the WHATWG parser normalises numeric hosts before the guard sees them", () => {
  const cases: Array<[string, string]> = [
    ["http://2130706433/", "127.0.0.1"],
    ["http://0x7f.1/", "127.0.0.1"],
    ["http://0x7f000001/", "127.0.0.1"],
    ["http://017700000001/", "127.0.0.1"],
    ["http://0177.0.0.1/", "127.0.0.1"],
    ["http://127.1/", "127.0.0.1"],
    ["http://%31%32%37.0.0.1/", "127.0.0.1"],
    ["http://0/", "0.0.0.0"],
    ["http://0xa9fea9fe/", "169.254.169.254"],
    ["http://[::ffff:127.0.0.1]/", "[::ffff:7f00:1]"],
    ["http://[0:0:0:0:0:0:0:1]/", "[::1]"],
    ["http://LOCALHOST./", "localhost."],
  ];
  for (const [raw, host] of cases) it(`${raw} -> ${host}`, () => expect(new URL(raw).hostname).toBe(host));
});

const refusedEverywhere = [
  "http://169.254.169.254/latest/meta-data/",
  "http://0xa9fea9fe/",
  "http://169.254.169.254./",
  "http://10.0.0.1/",
  "http://0x0a000001/",
  "http://172.16.0.1/",
  "http://172.31.255.255/",
  "http://192.168.1.1/",
  "http://100.64.0.1/",
  "http://100.127.255.255/",
  "http://0.0.0.0/",
  "http://0/",
  "http://224.0.0.1/",
  "http://255.255.255.255/",
  "http://198.18.0.1/",
  "http://192.0.2.10/",
  "http://[::]/",
  "http://[fd00::1]/",
  "http://[fc00::5]/",
  "http://[fe80::1]/",
  "http://[ff02::1]/",
  "http://[::ffff:169.254.169.254]/",
  "http://[::ffff:10.0.0.1]/",
  "http://[::ffff:192.168.0.1]/",
  "http://[64:ff9b::a9fe:a9fe]/",
  "http://[2002:a9fe:a9fe::]/",
  "http://[2001:db8::1]/",
  "http://metadata.google.internal/computeMetadata/v1/",
  "http://printer.local/",
  "http://router.lan/",
  "http://intranet/",
  "http://metadata/",
  "ftp://example.com/",
  "file:///etc/passwd",
  "gopher://example.com/",
  "javascript:alert(1)",
  "https://user:pass@example.com/",
  "not a url",
  "/relative/path",
];

const loopback = ["http://127.0.0.1:9999/hook", "http://127.255.0.1/", "http://2130706433/", "http://0x7f.1/", "http://localhost:3000/", "http://LOCALHOST./", "http://app.localhost/", "http://[::1]:8080/", "http://[::ffff:127.0.0.1]/"];

const publicHttps = ["https://example.com/webhooks", "https://hooks.example.com:8443/a/b?c=d", "https://8.8.8.8/", "https://100.128.0.1/", "https://172.15.255.255/", "https://172.32.0.1/", "https://[2606:4700:4700::1111]/", "https://EXAMPLE.com./x"];

describe("production", () => {
  for (const url of [...refusedEverywhere, ...loopback]) {
    it(`refuses ${url}`, () => {
      const r = checkTarget(url, PRODUCTION_POLICY);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(5);
    });
  }
  for (const url of publicHttps) it(`allows ${url}`, () => expect(checkTarget(url, PRODUCTION_POLICY).ok).toBe(true));
  it("requires https", () => {
    expect(checkTarget("http://example.com/hook", PRODUCTION_POLICY)).toEqual({ ok: false, reason: "https is required" });
  });
  it("names the range in its reason", () => {
    const r = checkTarget("https://169.254.169.254/", PRODUCTION_POLICY);
    expect(r.ok === false && r.reason).toMatch(/link-local/);
    const m = checkTarget("https://[::ffff:10.0.0.1]/", PRODUCTION_POLICY);
    expect(m.ok === false && m.reason).toMatch(/IPv4-mapped private/);
    const l = checkTarget("https://127.0.0.1/", PRODUCTION_POLICY);
    expect(l.ok === false && l.reason).toMatch(/loopback/);
  });
  it("returns the URL as it will be fetched", () => {
    expect(checkTarget("https://EXAMPLE.com/a b", PRODUCTION_POLICY)).toEqual({ ok: true, url: "https://example.com/a%20b" });
  });
});

describe("local development", () => {
  for (const url of loopback) it(`allows loopback ${url}`, () => expect(checkTarget(url, LOCAL_DEV_POLICY).ok).toBe(true));
  for (const url of refusedEverywhere) it(`still refuses ${url}`, () => expect(checkTarget(url, LOCAL_DEV_POLICY).ok).toBe(false));
  it("allows http to public hosts", () => expect(checkTarget("http://example.com/hook", LOCAL_DEV_POLICY).ok).toBe(true));
});

describe("IPv6 parsing", () => {
  it("expands compressed forms and embedded IPv4", () => {
    expect(parseIPv6("::1")).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6("fe80::1:2")).toEqual([0xfe80, 0, 0, 0, 0, 0, 1, 2]);
    expect(parseIPv6("::ffff:1.2.3.4")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(parseIPv6("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIPv6("1::2::3")).toBeNull();
    expect(parseIPv6("12345::")).toBeNull();
    expect(parseIPv6("example.com")).toBeNull();
  });
});
