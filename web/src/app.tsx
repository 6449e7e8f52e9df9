import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";
import { SandboxBadge } from "./components/SandboxBadge";
import { OfflineBanner, UpdateBanner } from "./components/ConnectivityBanner";
import { useOnline } from "./lib/online";
import { api, type BrandInfo, type HealthInfo } from "./lib/api";
import { useHeadline } from "./lib/variants";

/** What every screen is given by the shell. */
export interface ScreenProps {
  brandName: string;
}

type Screen = FunctionComponent<ScreenProps>;

/**
 * Path → screen, each its own chunk. The worker serves index.html for any path it does not own, so a
 * scanned /device?user_code=… or a typed /ide lands here; anything unknown is the home screen.
 */
const ROUTES: Record<string, () => Promise<Screen>> = {
  "/device": () => import("./screens/Device").then((m) => m.Device),
  "/ide": () => import("./screens/IdeSetup").then((m) => m.IdeSetup),
  "/savings": () => import("./screens/Savings").then((m) => m.Savings),
  "/billing": () => import("./screens/Billing").then((m) => m.Billing),
  "/admin/funnel": () => import("./screens/AdminFunnel").then((m) => m.AdminFunnel),
  "/models": () => import("./screens/Discover").then((m) => m.Discover),
  "/deployments": () => import("./screens/Deployments").then((m) => m.Deployments),
  "/playground": () => import("./screens/Playground").then((m) => m.Playground),
  "/keys": () => import("./screens/Keys").then((m) => m.Keys),
  "/usage": () => import("./screens/Usage").then((m) => m.Usage),
  "/signin": () => import("./screens/Auth").then((m) => m.Auth),
  "/signup": () => import("./screens/Auth").then((m) => m.Auth),
  "/home": () => import("./screens/Home").then((m) => m.Home),
  "/settings": () => import("./screens/Settings").then((m) => m.Settings),
  "/team": () => import("./screens/Team").then((m) => m.Team),
  "/invitations": () => import("./screens/Team").then((m) => m.Team),
  "/status": () => import("./screens/Status").then((m) => m.Status),
};
const HOME = () => import("./screens/Estimate").then((m) => m.Estimate);

/**
 * The route a path belongs to: the exact path ("/device/" is "/device"), else its first segment, so a
 * screen owns its sub-paths (/models/Qwen/Qwen2.5-7B-Instruct belongs to /models, which reads the rest);
 * "/" for the home screen and anything unknown.
 */
function screenPath(pathname: string): string {
  const path = pathname.replace(/\/+$/, "");
  if (Object.hasOwn(ROUTES, path)) return path;
  const first = `/${path.split("/")[1] ?? ""}`;
  return Object.hasOwn(ROUTES, first) ? first : "/";
}
const screenFor = (pathname: string) => ROUTES[screenPath(pathname)] ?? HOME;
/** Screens one reaches by tapping; /device is opened from the CLI's QR code. */
const NAV: [href: string, label: string][] = [
  ["/home", "Home"],
  ["/", "Pricing"],
  ["/models", "Models"],
  ["/deployments", "Deployments"],
  ["/playground", "Playground"],
  ["/keys", "Keys"],
  ["/usage", "Usage"],
  ["/team", "Team"],
  ["/ide", "IDE setup"],
  ["/savings", "Savings"],
  ["/billing", "Billing"],
  ["/settings", "Settings"],
  ["/status", "Status"],
];

/** The shell: brand header and status; the screen for the path loads lazily from here. */
export function App() {
  const [brand, setBrand] = useState<BrandInfo | null>(null);
  const [health, setHealth] = useState<HealthInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The shell's headline: the visitor's copy arm (the brand's tagline in the control arm).
  const tagline = useHeadline(brand);

  // Screens load on their own (code-split), so the shell paints first.
  const [Screen, setScreen] = useState<Screen | null>(null);
  useEffect(() => {
    void screenFor(location.pathname)().then((s) => setScreen(() => s));
  }, []);

  // Offline: the shell says what still works. A new version: the person decides when to reload.
  const online = useOnline();
  const [applyUpdate, setApplyUpdate] = useState<(() => void) | null>(null);
  useEffect(() => void import("./lib/sw").then((sw) => sw.startServiceWorker((apply) => setApplyUpdate(() => apply))), []);

  // The funnel's visit (anonymous, first-party, skipped under Do Not Track) is recorded by useHeadline above,
  // which needs its answer for the headline.

  useEffect(() => {
    api.brand().then(setBrand, (e: Error) => setError(e.message));
    api.health().then(setHealth, (e: Error) => setError(e.message));
  }, []);

  useEffect(() => {
    if (!brand) return;
    document.title = brand.name;
    document.documentElement.style.setProperty("--brand", brand.themeColor);
    document.documentElement.dataset.brand = brand.id;
  }, [brand]);

  const sandboxed = health ? Object.entries(health.upstreams).filter(([, u]) => u.mode === "sandbox").map(([n]) => n) : [];

  return (
    <main class="shell">
      <header class="topbar">
        <h1 data-testid="brand-name">
          <a href="/">
            {brand?.whiteLabel?.logoUrl && <img class="brand-logo" src={brand.whiteLabel.logoUrl} alt="" width={28} height={28} />}
            {brand?.name ?? "…"}
          </a>
        </h1>
        {sandboxed.length > 0 && <SandboxBadge upstreams={sandboxed} />}
      </header>
      {!online && <OfflineBanner />}
      {applyUpdate && <UpdateBanner onReload={applyUpdate} />}
      <nav class="nav" aria-label="Screens">
        {NAV.map(([href, label]) => (
          <a key={href} href={href} aria-current={screenPath(location.pathname) === href ? "page" : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {/* Headline and status hold their line while their answers are on the way, so the screen under
          them does not jump down when they arrive; each is named (data-testid) once it has its words. */}
      <p class="tagline" data-testid={tagline === null ? undefined : "tagline"}>
        {tagline}
      </p>
      {error && <p role="alert">{error}</p>}
      <p class="status" data-testid={health ? "status" : undefined}>
        {health && `API ${health.status} · v${health.version}`}
      </p>
      {Screen && <Screen brandName={brand?.name ?? "this platform"} />}
    </main>
  );
}
