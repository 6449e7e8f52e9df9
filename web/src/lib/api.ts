/** Typed calls to the platform API. The only module in the PWA that knows URLs. */
export interface BrandInfo {
  id: "swaggystacks" | "scientiacapital";
  name: string;
  tagline: string;
  audience: string;
  themeColor: string;
  backgroundColor: string;
}

export interface HealthInfo {
  status: "ok" | "degraded";
  version: string;
  sandbox: boolean;
  upstreams: Record<string, { mode: "real" | "sandbox" | "unconfigured"; url: string }>;
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: "application/json" } });
  if (!res.ok && res.status !== 503) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export const api = {
  brand: () => getJson<BrandInfo>("/api/brand"),
  health: () => getJson<HealthInfo>("/api/health"),
};
