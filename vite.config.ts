import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";
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
  plugins: [preact(), brandManifest()],
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
    },
  },
});
