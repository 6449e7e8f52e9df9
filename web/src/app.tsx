import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";
import { SandboxBadge } from "./components/SandboxBadge";
import { api, type BrandInfo, type HealthInfo } from "./lib/api";

/** The shell: brand header and status. Screens arrive with their issues and load lazily from here. */
export function App() {
  const [brand, setBrand] = useState<BrandInfo | null>(null);
  const [health, setHealth] = useState<HealthInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Screens load on their own (code-split), so the shell paints first.
  const [Estimate, setEstimate] = useState<FunctionComponent | null>(null);
  useEffect(() => {
    void import("./screens/Estimate").then((m) => setEstimate(() => m.Estimate));
  }, []);

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
        <h1 data-testid="brand-name">{brand?.name ?? "…"}</h1>
        {sandboxed.length > 0 && <SandboxBadge upstreams={sandboxed} />}
      </header>
      {brand && <p class="tagline">{brand.tagline}</p>}
      {error && <p role="alert">{error}</p>}
      {health && (
        <p class="status" data-testid="status">
          API {health.status} · v{health.version}
        </p>
      )}
      {Estimate && <Estimate />}
    </main>
  );
}
