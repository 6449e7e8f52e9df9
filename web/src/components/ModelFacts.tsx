import type { ModelDetail } from "../lib/catalog-api";
import { compactNumber, contextLabel, ENGINE_LABELS, parameterLabel, taskLabel, usd, wholeNumber } from "../lib/discover-query";

/** A model's facts as the catalog has them, with links to its categories and the Hub. Presentational only. */
export function ModelFacts({ model, brandName, categoryLabel, categoryHref }: { model: ModelDetail; brandName: string; categoryLabel: (id: string) => string; categoryHref: (id: string) => string }) {
  const facts: [key: string, label: string, value: string, title?: string][] = [
    ["task", "Task", model.task ? taskLabel(model.task) : "unknown"],
    ["parameters", "Parameters", parameterLabel(model.parameters), model.parameters ? wholeNumber(model.parameters) : undefined],
    ["context", "Context", model.contextLength ? `${contextLabel(model.contextLength)} tokens` : "unknown", model.contextLength ? `${wholeNumber(model.contextLength)} tokens` : undefined],
    ["license", "License", model.license ?? "unknown"],
    ["gated", "Access", model.gated ? `gated (${model.gated === "manual" ? "approval by the authors" : "accept terms on the Hub"})` : "open"],
    ["architecture", "Architecture", model.architecture ?? "unknown"],
    ["downloads", "Downloads", compactNumber(model.downloads), wholeNumber(model.downloads)],
    ["likes", "Likes", compactNumber(model.likes), wholeNumber(model.likes)],
  ];
  return (
    <section class="card model-facts" aria-labelledby="facts-title" data-testid="model-facts">
      <h3 id="facts-title">Facts</h3>
      <dl class="fact-grid">
        {facts.map(([key, label, value, title]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd data-testid={`fact-${key}`} title={title}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      {model.categories.length > 0 && (
        <ul class="badges category-links" aria-label="Categories" data-testid="fact-categories">
          {model.categories.map((c) => (
            <li key={c}>
              <a href={categoryHref(c)}>{categoryLabel(c)}</a>
            </li>
          ))}
        </ul>
      )}
      <p class="muted small" data-testid="fact-platform">
        On {brandName} this week: {wholeNumber(model.platform.requests7d)} requests · {wholeNumber(model.platform.deployments7d)} deployments
      </p>
      <a class="hub-link" href={model.links.hub} target="_blank" rel="noopener noreferrer" data-testid="hub-link">
        View on Hugging Face <span aria-hidden="true">↗</span>
      </a>
    </section>
  );
}

/** The planner's verdict: where the model runs, or the reason it cannot be deployed here. */
export function DeployVerdict({ model }: { model: ModelDetail }) {
  const d = model.deploy;
  if (!d.deployable) {
    return (
      <section class="card verdict verdict-no" aria-labelledby="verdict-title" data-testid="deploy-verdict">
        <h3 id="verdict-title">Not deployable here</h3>
        <p class="refusal" data-testid="deploy-refusal" data-code={d.code}>
          {d.reason}
        </p>
      </section>
    );
  }
  const engines = (["vllm", "sglang"] as const).filter((e) => model.deployable[e]).map((e) => ENGINE_LABELS[e]);
  const best = [...model.replaces].sort((a, b) => b.savingPercent - a.savingPercent)[0];
  return (
    <section class="card verdict verdict-ok" aria-labelledby="verdict-title" data-testid="deploy-verdict">
      <h3 id="verdict-title">Deployable in one tap</h3>
      <p data-testid="deploy-plan">
        {ENGINE_LABELS[d.engine]} on {d.gpu.count}× {d.gpu.label}: {d.vram.totalGb.toFixed(1)} GB of VRAM, {wholeNumber(d.vram.maxModelLen)} tokens of context, {d.vram.concurrency} requests at once per worker.
      </p>
      {engines.length > 0 && <p class="muted small">Served by {engines.join(" and ")}.</p>}
      {d.needsHfToken && <p class="muted small">Gated on the Hub: deploying needs your Hugging Face token (it is sealed and handed only to RunPod).</p>}
      {model.replaces.length > 0 && (
        <div data-testid="replaces">
          <h4>What it replaces</h4>
          <p>
            Stands in for {model.replaces.map((r) => r.model).join(", ")}
            {best && best.savingPercent > 0 ? `, at up to ${best.savingPercent}% less per token (${usd(d.estimate.perMillionTokens.usd, 4)} per million at full use).` : "."}
          </p>
        </div>
      )}
      {d.warnings.length > 0 && (
        <ul class="warnings">
          {d.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
