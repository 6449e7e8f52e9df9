import { describe, expect, it } from "vitest";
import { BRANDS, resolveBrand, webManifest } from "../../../workers/brand/brands";

describe("resolveBrand", () => {
  it.each([
    ["swaggystacks.com", "swaggystacks"],
    ["www.swaggystacks.com", "swaggystacks"],
    ["scientiacapital.com", "scientiacapital"],
    ["app.scientiacapital.com", "scientiacapital"],
    ["scientiacapital.localhost:8787", "scientiacapital"],
    ["SCIENTIACAPITAL.LOCALHOST:8787", "scientiacapital"],
    ["swaggystacks.localhost:8787", "swaggystacks"],
    ["localhost:8787", "swaggystacks"],
    ["127.0.0.1:8787", "swaggystacks"],
    ["", "swaggystacks"],
    ["evilscientiacapital.com", "swaggystacks"],
    ["scientiacapital.com.evil.example", "swaggystacks"],
  ])("%s -> %s", (host, id) => {
    expect(resolveBrand(host).id).toBe(id);
  });

  it("lets the deployment's pinned brand win over the hostname", () => {
    expect(resolveBrand("swaggystacks.com", "scientiacapital").id).toBe("scientiacapital");
    expect(resolveBrand("scientiacapital.com", "").id).toBe("scientiacapital");
    expect(resolveBrand("scientiacapital.com", "nonsense").id).toBe("scientiacapital");
  });
});

describe("webManifest", () => {
  it("is installable: name, standalone display, start_url and 192/512 icons including a maskable one", () => {
    const m = webManifest(BRANDS.scientiacapital);
    expect(m.name).toBe("ScientiaCapital");
    expect(m.display).toBe("standalone");
    expect(m.start_url).toBe("/");
    expect(m.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    expect(m.icons.some((i) => i.purpose === "maskable")).toBe(true);
  });
});
