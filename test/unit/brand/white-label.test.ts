import { describe, expect, it } from "vitest";
import { BRANDS } from "../../../workers/brand/brands";
import { decodeLogo, MAX_LOGO_CHARS, reservedHostname, whiteLabelBody, whiteLabeled } from "../../../workers/brand/white-label";

const PNG = `data:image/png;base64,${Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]).toString("base64")}`;
const valid = { hostname: "AI.Acme-Corp.com.", name: "Acme AI", themeColor: "#112233", backgroundColor: "#ffffff" };

describe("white-label branding", () => {
  it("normalises a customer's hostname and fills the defaults", () => {
    expect(whiteLabelBody.parse(valid)).toEqual({ ...valid, hostname: "ai.acme-corp.com", baseBrand: "scientiacapital", tagline: null, logo: null });
  });

  it("refuses the platform's own hostnames, IPs, ports, wildcards and localhost", () => {
    for (const hostname of ["swaggystacks.com", "app.scientiacapital.com", "acme.localhost", "10.0.0.1", "ai.acme.com:8443", "*.acme.com", "acme", "-bad.acme.com"]) {
      expect(whiteLabelBody.safeParse({ ...valid, hostname }).success, hostname).toBe(false);
    }
    expect(reservedHostname("swaggystacks.com")).toBe(true);
    expect(reservedHostname("notswaggystacks.com")).toBe(false);
  });

  it("takes colours as #rrggbb and logos as PNG or SVG data URLs within the size limit", () => {
    expect(whiteLabelBody.safeParse({ ...valid, themeColor: "red" }).success).toBe(false);
    expect(whiteLabelBody.safeParse({ ...valid, logo: PNG }).success).toBe(true);
    expect(whiteLabelBody.safeParse({ ...valid, logo: `data:image/svg+xml;base64,${btoa("<svg/>")}` }).success).toBe(true);
    expect(whiteLabelBody.safeParse({ ...valid, logo: "data:text/html;base64,PGgxPg==" }).success).toBe(false);
    expect(whiteLabelBody.safeParse({ ...valid, logo: `data:image/png;base64,${"A".repeat(MAX_LOGO_CHARS)}` }).success).toBe(false);
    expect(whiteLabelBody.safeParse({ ...valid, extra: 1 }).success).toBe(false);
  });

  it("serves the base brand's defaults and icons with the customer's name, colours, tagline and logo", () => {
    const brand = whiteLabeled({ workspaceId: "ws_1", hostname: "ai.acme.com", baseBrand: "swaggystacks", name: "Acme AI", tagline: null, themeColor: "#112233", backgroundColor: "#000000", logo: PNG });
    expect(brand).toMatchObject({ id: "swaggystacks", name: "Acme AI", hostname: "ai.acme.com", tagline: BRANDS.swaggystacks.tagline, themeColor: "#112233", defaults: BRANDS.swaggystacks.defaults, whiteLabel: { workspaceId: "ws_1", logoUrl: "/brand/logo" } });
    expect(decodeLogo(PNG)).toEqual({ type: "image/png", bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) });
  });
});
