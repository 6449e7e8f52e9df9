import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import { BRANDS, DEFAULT_BRAND, isBrandId, webManifest } from "./workers/brand/brands";

/**
 * The PWA build. `BRAND` picks which brand's manifest is written into the static output (the Pages
 * project per hostname); under `npm start` the worker serves /manifest.webmanifest per hostname instead.
 */
const brandId = isBrandId(process.env.BRAND) ? process.env.BRAND : DEFAULT_BRAND;

function brandManifest(): Plugin {
  return {
    name: "brand-manifest",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "manifest.webmanifest", source: JSON.stringify(webManifest(BRANDS[brandId]), null, 2) });
    },
  };
}

export default defineConfig({
  root: "web",
  publicDir: "public",
  plugins: [
    preact(),
    brandManifest(),
    // The service worker (Workbox, through vite-plugin-pwa): the shell precached so the app opens
    // offline, the last API answers kept for the screens that show them, and new versions announced
    // to the page (registerType "prompt") instead of swapping code under a person's hands. The
    // manifest is the brand's own (above, and per hostname from the worker), so the plugin writes none.
    VitePWA({
      registerType: "prompt",
      injectRegister: false,
      manifest: false,
      workbox: {
        globPatterns: ["**/*.{js,css,html,svg,png,webmanifest}"],
        navigateFallback: "/index.html",
        // Paths the worker answers itself never fall back to the shell.
        navigateFallbackDenylist: [/^\/api\//, /^\/v1/, /^\/mcp/, /^\/oauth\//, /^\/ide\/setup\//, /^\/webhooks\//, /^\/\.well-known\//, /^\/cdn-cgi\//, /^\/docs(\/|$)/],
        runtimeCaching: [
          {
            // The last data seen, for offline: network first, the cached answer when there is none.
            urlPattern: ({ url, request }) => request.method === "GET" && /^\/api\/(brand|health|me|usage|deployments|keys|billing|ide-config|models|reports|status)(\/|$|\?)/.test(url.pathname),
            handler: "NetworkFirst",
            options: { cacheName: "api-last-seen", networkTimeoutSeconds: 4, expiration: { maxEntries: 200, maxAgeSeconds: 7 * 86_400 }, cacheableResponse: { statuses: [200] } },
          },
        ],
      },
    }),
  ],
  build: {
    outDir: process.env.WEB_OUT_DIR ?? "../dist/web",
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    // `npm run dev`: vite serves the PWA and proxies the API to the worker.
    proxy: {
      "/api": "http://127.0.0.1:8787",
      "/v1": "http://127.0.0.1:8787",
      "/manifest.webmanifest": "http://127.0.0.1:8787",
      "/docs": "http://127.0.0.1:8787",
    },
  },
});
