import { useState } from "preact/hooks";
import { EstimateCard } from "../components/EstimateCard";
import { api, ApiError, type DeployEstimate } from "../lib/api";

/**
 * Price a deployment before the tap: any Hugging Face model id, how many workers, and what it costs
 * against the Western models it replaces (or why it cannot be deployed). No sign-in needed.
 */
export function Estimate() {
  const [model, setModel] = useState("Qwen/Qwen2.5-7B-Instruct");
  const [workersMin, setWorkersMin] = useState(0);
  const [workersMax, setWorkersMax] = useState(2);
  const [result, setResult] = useState<DeployEstimate | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await api.estimate({ model: model.trim(), workersMin, workersMax: Math.max(workersMin, workersMax) }));
    } catch (err) {
      setResult(null);
      setError(err instanceof ApiError ? err.message : "Could not reach the platform; check your connection.");
    } finally {
      setBusy(false);
    }
  }

  const workers = (label: string, value: number, set: (n: number) => void, min: number) => (
    <label>
      {label}
      <select value={value} onChange={(e) => set(Number((e.target as HTMLSelectElement).value))}>
        {Array.from({ length: 11 - min }, (_, i) => i + min).map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section aria-labelledby="estimate-title">
      <h2 id="estimate-title">Price a deployment</h2>
      <form class="estimate-form" onSubmit={submit}>
        <label class="wide">
          Hugging Face model
          <input name="model" value={model} onInput={(e) => setModel((e.target as HTMLInputElement).value)} autocomplete="off" spellcheck={false} placeholder="owner/name" required />
        </label>
        {workers("Min workers", workersMin, setWorkersMin, 0)}
        {workers("Max workers", workersMax, setWorkersMax, 1)}
        <button type="submit" disabled={busy}>
          {busy ? "Pricing…" : "Price it"}
        </button>
      </form>
      {error && (
        <p role="alert" class="refusal" data-testid="estimate-error">
          {error}
        </p>
      )}
      {result && <EstimateCard data={result} />}
    </section>
  );
}
