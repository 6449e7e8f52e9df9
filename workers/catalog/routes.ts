import { Hono, type Context } from "hono";
import { blendedPerMillion } from "./blend";
import type { AppEnv, Env } from "../env";
import { api } from "../openapi/describe";
import { AppError, badRequest } from "../errors";
import { estimateFor } from "../deploy/service";
import { resolveUpstream } from "../platform/upstreams";
import { CATEGORY_LABELS, type Category } from "./categories";
import { fetchAndMirror } from "./on-demand";
import { popularityOf, popularOnPlatform } from "./popularity";
import { searchCatalog, toSummary } from "./search";
import { parseSearchQuery, ROW_COLUMNS } from "./search-query";
import { alternativesFor, switchSuggestions } from "./switch";
import { maybeStartBackfill } from "./sync-run";
import { verticalsFor } from "./verticals";

/**
 * /api/models: discovery over the Hub mirror, open to everyone (it is where people start, signed in or
 * not). Search with filters, sorts, facets and cursors; categories; the brand's verticals; what is
 * popular on this platform; the Western models with their open alternatives; and one model's detail
 * with its deploy plan and price from the planner.
 */
const HF_ID = /^[A-Za-z0-9][\w.-]{0,95}\/[\w.-]{1,96}$/;

function hub(env: Env) {
  return resolveUpstream(env as unknown as Record<string, unknown>, "huggingface");
}

async function rowById(db: D1Database, id: string) {
  return db.prepare(`SELECT ${ROW_COLUMNS} FROM hf_model m WHERE m.id = ?`).bind(id).first<Record<string, unknown>>();
}

/** Deployability from the planner: the plan and its price, or why not (never an error for the page). */
async function deployability(env: Env, id: string) {
  try {
    const { plan, estimate } = await estimateFor(env, id, {});
    return {
      deployable: true as const,
      engine: plan.engine,
      kind: plan.kind,
      gpu: plan.gpu,
      vram: plan.vram,
      needsHfToken: plan.needsHfToken,
      scaling: plan.scaling,
      warnings: plan.warnings,
      estimate,
    };
  } catch (err) {
    if (err instanceof AppError) return { deployable: false as const, code: err.code, reason: err.message };
    throw err;
  }
}

let categoryCounts: { at: number; counts: Map<string, number> } | undefined;

async function categories(db: D1Database) {
  if (!categoryCounts || Date.now() - categoryCounts.at > 5 * 60_000) {
    const { results } = await db.prepare("SELECT category, count(*) AS n FROM hf_model_category GROUP BY category").all<{ category: string; n: number }>();
    categoryCounts = { at: Date.now(), counts: new Map(results.map((r) => [r.category, Number(r.n)])) };
  }
  return (Object.keys(CATEGORY_LABELS) as Category[]).map((id) => ({ id, label: CATEGORY_LABELS[id], count: categoryCounts!.counts.get(id) ?? 0 }));
}

function modelId(c: Context<AppEnv>): string {
  const id = `${c.req.param("owner")}/${c.req.param("name")}`;
  if (!HF_ID.test(id)) throw badRequest("A Hugging Face model id is owner/name (letters, digits, . _ -)");
  return id;
}

export const catalogRoutes = new Hono<AppEnv>()
  .get("/", api({ tag: "Models", summary: "Search the model catalog (q, filters, facets, sort, cursor)", auth: "none" }), async (c) => {
    const parsed = parseSearchQuery(c.req.query());
    if (!parsed.ok) throw badRequest("Invalid search", parsed.errors);
    const result = await searchCatalog(c.env, parsed.query);
    if (!parsed.query.cursor && result.models.length === 0) maybeStartBackfill(c.env, (p) => c.executionCtx.waitUntil(p));
    return c.json(result, 200, { "cache-control": "public, max-age=30" });
  })
  .get("/categories", api({ tag: "Models", summary: "Model categories with counts", auth: "none" }), async (c) => c.json({ categories: await categories(c.env.DB) }))
  .get("/verticals", api({ tag: "Models", summary: "The brand's industry verticals and their suggested models", auth: "none" }), (c) => c.json({ brand: c.var.brand.id, verticals: verticalsFor(c.var.brand.id) }))
  .get("/popular", api({ tag: "Models", summary: "Popular on this platform in the last 7 days (?limit=)", auth: "none" }), async (c) => {
    const limit = Math.min(50, Math.max(1, Number(c.req.query("limit") ?? 20) || 20));
    const top = await popularOnPlatform(c.env.DB, limit);
    const rows = await Promise.all(top.map((t) => rowById(c.env.DB, t.modelId)));
    return c.json({
      brand: c.var.brand.id,
      label: `Popular on ${c.var.brand.name}`,
      models: top.map((t, i) => ({ ...(rows[i] ? toSummary(rows[i]!) : { id: t.modelId }), platform: { requests7d: t.requests7d, deployments7d: t.deployments7d } })),
    });
  })
  .get("/switch", api({ tag: "Models", summary: "Open alternatives to well-known Western models", auth: "none" }), (c) => c.json({ suggestions: switchSuggestions() }))
  .get("/switch/:provider/:model", api({ tag: "Models", summary: "Open alternatives to one Western model, priced", auth: "none", params: { provider: "openai, anthropic or google", model: "the provider's model name" } }), async (c) => {
    const western = `${c.req.param("provider")}/${c.req.param("model")}`;
    const found = alternativesFor(western);
    if (!found) throw new AppError(404, "not_found", `No Western model '${western}' in the catalog; see GET /api/models/switch`);
    const westernPerMillion = blendedPerMillion(found);
    const alternatives = await Promise.all(
      found.alternatives.map(async (a) => {
        try {
          const { plan, estimate } = await estimateFor(c.env, a.model, {});
          const open = estimate.perMillionTokens.usd;
          return { ...a, engine: plan.engine, gpu: plan.gpu, perMillionUsd: open, savingPercent: westernPerMillion > 0 ? Math.round((1 - open / westernPerMillion) * 1000) / 10 : null };
        } catch (err) {
          if (err instanceof AppError) return { ...a, unavailable: err.message };
          throw err;
        }
      }),
    );
    return c.json({ ...found, perMillionUsd: westernPerMillion, alternatives });
  })
  .get("/:owner/:name", api({ tag: "Models", summary: "A model's detail, deployability and cost", auth: "none", params: { owner: "the Hugging Face owner", name: "the model name" } }), async (c) => {
    const id = modelId(c);
    let row = await rowById(c.env.DB, id);
    let mirrored = true;
    if (!row) {
      const fetched = await fetchAndMirror(c.env.DB, hub(c.env), id);
      if (!fetched.ok) throw new AppError(fetched.status, fetched.status === 404 ? "model_not_found" : "hub_unavailable", fetched.message);
      row = await rowById(c.env.DB, id);
      mirrored = false;
    }
    const summary = toSummary(row!);
    const [platform, deploy] = await Promise.all([popularityOf(c.env.DB, id), deployability(c.env, id)]);
    return c.json({
      ...summary,
      fetchedOnDemand: !mirrored,
      platform,
      deploy,
      replaces: deploy.deployable ? deploy.estimate.comparison : [],
      links: { hub: summary.hubUrl, deploy: "/api/deployments", estimate: `/api/deployments/estimate?model=${encodeURIComponent(id)}` },
    });
  });
