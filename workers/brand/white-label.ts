import { z } from "zod";
import { BRANDS, isBrandId, type Brand, type BrandId } from "./brands";

/**
 * White-label for Enterprise workspaces (pure): the customer's name, colours, tagline and logo on its own
 * hostname, over one of the built-in brands (whose defaults and icons it keeps). The brand middleware
 * applies it to requests for that hostname, so the PWA, its manifest and /api/brand all speak as the
 * customer.
 */
export interface WhiteLabel {
  workspaceId: string;
  hostname: string;
  baseBrand: BrandId;
  name: string;
  tagline: string | null;
  themeColor: string;
  backgroundColor: string;
  logo: string | null;
}

/** A logo is a data URL: PNG or SVG, at most 64 KB encoded (it is stored in D1 and sent with the shell). */
export const MAX_LOGO_CHARS = 64 * 1024;
const LOGO = /^data:image\/(png|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;
/** A DNS name with at least two labels; no IPs, ports or wildcards. */
const HOSTNAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The hostnames the platform itself answers on cannot be claimed by a customer. */
export function reservedHostname(hostname: string): boolean {
  return Object.values(BRANDS).some((b) => hostname === b.hostname || hostname.endsWith(`.${b.hostname}`)) || hostname.endsWith(".localhost");
}

export const whiteLabelBody = z
  .object({
    hostname: z
      .string()
      .transform((h) => h.trim().toLowerCase().replace(/\.$/, ""))
      .refine((h) => HOSTNAME.test(h), "a hostname such as ai.example.com")
      .refine((h) => !reservedHostname(h), "a hostname of your own, not one of the platform's"),
    baseBrand: z.enum(["swaggystacks", "scientiacapital"]).default("scientiacapital"),
    name: z.string().trim().min(1).max(40),
    tagline: z.string().trim().max(120).nullable().default(null),
    themeColor: z.string().regex(COLOR, "a colour as #rrggbb"),
    backgroundColor: z.string().regex(COLOR, "a colour as #rrggbb"),
    logo: z.string().max(MAX_LOGO_CHARS, `at most ${MAX_LOGO_CHARS} characters`).regex(LOGO, "a data:image/png or data:image/svg+xml base64 URL").nullable().default(null),
  })
  .strict();

export type WhiteLabelInput = z.output<typeof whiteLabelBody>;

/** The brand a white-labelled hostname serves: the base brand with the customer's look. */
export function whiteLabeled(label: WhiteLabel): Brand {
  const base = BRANDS[isBrandId(label.baseBrand) ? label.baseBrand : "scientiacapital"];
  return {
    ...base,
    name: label.name,
    hostname: label.hostname,
    tagline: label.tagline ?? base.tagline,
    themeColor: label.themeColor,
    backgroundColor: label.backgroundColor,
    whiteLabel: { workspaceId: label.workspaceId, logoUrl: label.logo ? "/brand/logo" : null },
  };
}

/** The logo's bytes and type from its data URL (validated on the way in). */
export function decodeLogo(dataUrl: string): { type: string; bytes: Uint8Array<ArrayBuffer> } | undefined {
  const m = /^data:(image\/(?:png|svg\+xml));base64,(.+)$/.exec(dataUrl);
  if (!m) return undefined;
  const bin = atob(m[2]!);
  return { type: m[1]!, bytes: Uint8Array.from(bin, (ch) => ch.charCodeAt(0)) };
}
