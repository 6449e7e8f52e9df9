/**
 * The two brands. Pure data plus hostname resolution: imported by the worker, the PWA build and tests.
 * Each brand is one hostname (one wrangler environment, one Pages project) with its own look and defaults.
 */
export type BrandId = "swaggystacks" | "scientiacapital";

export interface Brand {
  id: BrandId;
  name: string;
  hostname: string;
  tagline: string;
  audience: string;
  themeColor: string;
  backgroundColor: string;
  /** What a new workspace starts on, and which models the PWA suggests first. */
  defaults: { plan: "free" | "pro" | "team" | "enterprise"; model: string; showEnterpriseFeatures: boolean };
  /** Set when an Enterprise workspace's own branding serves this hostname (white-label.ts). */
  whiteLabel?: { workspaceId: string; logoUrl: string | null };
}

export const BRANDS: Record<BrandId, Brand> = {
  swaggystacks: {
    id: "swaggystacks",
    name: "SwaggyStacks",
    hostname: "swaggystacks.com",
    tagline: "Ship on open models. Pay a fraction.",
    audience: "developers and indie hackers",
    themeColor: "#7c3aed",
    backgroundColor: "#0b0b12",
    defaults: { plan: "free", model: "openai/gpt-4o-mini", showEnterpriseFeatures: false },
  },
  scientiacapital: {
    id: "scientiacapital",
    name: "ScientiaCapital",
    hostname: "scientiacapital.com",
    tagline: "Governed AI inference for enterprise and research teams.",
    audience: "enterprise and research teams",
    themeColor: "#0f4c81",
    backgroundColor: "#f7f9fc",
    defaults: { plan: "team", model: "anthropic/claude-sonnet-4-5", showEnterpriseFeatures: true },
  },
};

export const DEFAULT_BRAND: BrandId = "swaggystacks";

export function isBrandId(value: string | undefined | null): value is BrandId {
  return value === "swaggystacks" || value === "scientiacapital";
}

/**
 * The brand for a request. A brand pinned by the deployment (the env's BRAND var) wins; otherwise the
 * hostname decides: `scientiacapital.com`, `*.scientiacapital.com` and `scientiacapital.localhost` are
 * ScientiaCapital; everything else (including plain localhost) is SwaggyStacks.
 */
export function resolveBrand(host: string | undefined | null, pinned?: string): Brand {
  return knownBrand(host, pinned) ?? BRANDS[DEFAULT_BRAND];
}

/** The built-in brand for a hostname, or undefined for one that is not ours (perhaps a customer's white-label). */
export function knownBrand(host: string | undefined | null, pinned?: string): Brand | undefined {
  if (isBrandId(pinned)) return BRANDS[pinned];
  const hostname = hostnameOf(host);
  for (const brand of Object.values(BRANDS)) {
    const label = brand.id;
    if (
      hostname === brand.hostname ||
      hostname.endsWith(`.${brand.hostname}`) ||
      hostname === `${label}.localhost` ||
      hostname.endsWith(`.${label}.localhost`)
    ) {
      return brand;
    }
  }
  return undefined;
}

/** A request's hostname, lower-cased, without port or trailing dot. */
export function hostnameOf(host: string | undefined | null): string {
  return (host ?? "").toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
}

/** The web app manifest for a brand (served per hostname so each brand installs as its own app). */
export function webManifest(brand: Brand) {
  return {
    id: "/",
    name: brand.name,
    short_name: brand.name,
    description: brand.tagline,
    start_url: "/",
    scope: "/",
    display: "standalone",
    orientation: "any",
    theme_color: brand.themeColor,
    background_color: brand.backgroundColor,
    icons: [
      { src: `/icons/${brand.id}-192.png`, sizes: "192x192", type: "image/png", purpose: "any" },
      { src: `/icons/${brand.id}-512.png`, sizes: "512x512", type: "image/png", purpose: "any" },
      { src: `/icons/${brand.id}-maskable-512.png`, sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
