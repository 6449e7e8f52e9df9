import { cleanup, fireEvent, screen, within } from "@testing-library/preact";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ModelDetail, ModelSummary } from "../../../web/src/lib/catalog-api";
import { apiError, hang, json, later, networkError, stubFetch, type Reply, type Route, type StubRequest } from "../fetch-stub";
import { estimate, signedIn, signedOut, UNREACHABLE } from "../fixtures";
import { goOffline, renderAt, setOnline } from "../render";

/**
 * The screen keeps the last results in module memory (and sessionStorage) for offline use and for coming
 * back to the list; each test starts from a fresh copy of it so one test's results cannot leak into the next.
 */
beforeEach(() => void vi.resetModules());
async function show(path: string) {
  const { Discover } = await import("../../../web/src/screens/Discover");
  return renderAt(path, <Discover brandName="SwaggyStacks" />);
}

function model(id: string, over: Partial<ModelSummary> = {}): ModelSummary {
  return {
    id,
    author: id.split("/")[0]!,
    task: "text-generation",
    library: "transformers",
    license: "apache-2.0",
    tags: [],
    downloads: 1_200_000,
    likes: 900,
    trendingScore: 40,
    createdAt: "2025-09-01T00:00:00.000Z",
    lastModified: "2026-04-01T00:00:00.000Z",
    gated: false,
    parameters: 7_600_000_000,
    contextLength: 32_768,
    architecture: "Qwen2ForCausalLM",
    sizeBucket: "small",
    categories: ["chat"],
    deployable: { vllm: true, sglang: true },
    hubUrl: `https://huggingface.co/${id}`,
    ...over,
  };
}
const QWEN = model("Qwen/Qwen2.5-7B-Instruct");
const LLAMA = model("meta-llama/Llama-3.1-8B-Instruct", { gated: "manual" });

/** GET /api/models serves both the search and (limit=1) the catalog-wide chip values. */
const search =
  (answer: (q: string) => Reply) =>
  (req: StubRequest): Reply =>
    req.url.searchParams.get("limit") === "1" ? json({ models: [], nextCursor: null }) : answer(req.url.searchParams.get("q") ?? "");
const page = (models: ModelSummary[], nextCursor: string | null = null) => json({ models, nextCursor });
/** The browse's side sections, present and empty, so the list is shown as soon as they are in. */
const sides: Record<string, Route> = {
  "GET /api/models/categories": json({ categories: [] }),
  "GET /api/models/popular": json({ brand: "swaggystacks", label: "Popular on SwaggyStacks", models: [] }),
  "GET /api/models/verticals": json({ brand: "swaggystacks", verticals: [] }),
};

function detail(over: Partial<ModelDetail> = {}): ModelDetail {
  const e = estimate();
  return {
    ...QWEN,
    fetchedOnDemand: false,
    platform: { requests7d: 1_234, deployments7d: 5 },
    deploy: { deployable: true, ...e.plan, gpu: { ...e.plan.gpu, usdPerSecond: 0.00033 }, needsHfToken: false, estimate: e.estimate },
    replaces: e.estimate.comparison,
    links: { hub: QWEN.hubUrl, deploy: "/api/deployments", estimate: "/api/deployments/estimate?model=Qwen%2FQwen2.5-7B-Instruct" },
    ...over,
  };
}
const QWEN_API = "GET /api/models/Qwen/Qwen2.5-7B-Instruct";

describe("Discover screen: the list", () => {
  it("loading: a search says it is loading, with placeholder cards", async () => {
    stubFetch({ ...signedOut, ...sides, "GET /api/models": search(() => hang()) });
    const { container } = await show("/models?q=qwen");
    expect(await screen.findByText("Loading models…")).toBeTruthy();
    expect(container.querySelector(".skeletons")).not.toBeNull();
    expect(screen.queryByTestId("results")).toBeNull();
  });

  it("results: the cards, how many, and a way to the next page", async () => {
    stubFetch({ ...signedOut, ...sides, "GET /api/models": search(() => page([QWEN, LLAMA], "cursor-2")) });
    await show("/models?q=instruct");
    const results = await screen.findByTestId("results");
    expect(within(results).getAllByTestId("model-card").map((c) => c.getAttribute("data-model-id"))).toEqual([QWEN.id, LLAMA.id]);
    expect(screen.getByTestId("result-count").textContent).toBe("2 shown, more below");
    expect(screen.getByTestId("load-more").hasAttribute("disabled")).toBe(false);
  });

  it("a heart tapped before the favorites list arrives stays on when the (older) list comes in", async () => {
    const list = later();
    stubFetch({ ...signedIn(), ...sides, "GET /api/models": search(() => page([QWEN, LLAMA])), "GET /api/favorites": list.reply, [`PUT /api/favorites/${QWEN.id}`]: json({ modelId: QWEN.id, note: null }, 201) });
    await show("/models?q=instruct");
    const card = (await screen.findAllByTestId("model-card")).find((c) => c.getAttribute("data-model-id") === QWEN.id)!;
    const heart = within(card).getByTestId("favorite-toggle");
    expect(heart.getAttribute("aria-pressed")).toBe("false");
    fireEvent.click(heart);
    expect(heart.getAttribute("aria-pressed")).toBe("true");
    // The list was read before the tap: it does not have QWEN yet, and must not take the heart back.
    list.answer(json({ favorites: [{ modelId: LLAMA.id, note: null, createdAt: "2026-11-27T10:00:00.000Z" }] }));
    const llama = (await screen.findAllByTestId("model-card")).find((c) => c.getAttribute("data-model-id") === LLAMA.id)!;
    await vi.waitFor(() => expect(within(llama).getByTestId("favorite-toggle").getAttribute("aria-pressed")).toBe("true"));
    expect(within(card).getByTestId("favorite-toggle").getAttribute("aria-pressed")).toBe("true");
  });

  it("a next page that fails keeps the first and says why", async () => {
    stubFetch({
      ...signedOut,
      ...sides,
      "GET /api/models": (req) =>
        req.url.searchParams.get("cursor") ? apiError(400, "invalid_cursor", "That page is no longer available; search again.") : search(() => page([QWEN], "cursor-2"))(req),
    });
    await show("/models?q=instruct");
    fireEvent.click(await screen.findByTestId("load-more"));
    expect((await screen.findByTestId("load-more-error")).textContent).toBe("That page is no longer available; search again.");
    expect(screen.getAllByTestId("model-card")).toHaveLength(1);
  });

  it("empty browse: the catalog is still filling, said plainly", async () => {
    stubFetch({ ...signedOut, ...sides, "GET /api/models": search(() => page([])) });
    await show("/models");
    expect((await screen.findByTestId("empty-state")).textContent).toBe("The catalog is still filling from the Hugging Face Hub; try again in a minute.");
    expect(screen.getByTestId("result-count").textContent).toBe("");
  });

  it("empty search: says what matched nothing and clears it in one tap", async () => {
    const stub = stubFetch({ ...signedOut, ...sides, "GET /api/models": search((q) => (q ? page([]) : page([QWEN]))) });
    await show("/models?q=zzzz&license=mit");
    const empty = await screen.findByTestId("empty-state");
    expect(empty.textContent).toContain("No models match “zzzz” · license mit.");
    fireEvent.click(within(empty).getByRole("button", { name: "Clear search and filters" }));
    expect(await screen.findByTestId("results")).toBeTruthy();
    expect(location.search).toBe("");
    expect(stub.callsTo("GET /api/models").at(-1)!.url.searchParams.get("q")).toBeNull();
  });

  it("error: the API's sentence with the parameter problem, and Try again searches again", async () => {
    let searches = 0;
    stubFetch({
      ...signedOut,
      ...sides,
      "GET /api/models": search(() => (++searches === 1 ? json({ error: { code: "invalid_request", message: "Invalid search", details: [{ param: "task", message: "unknown task" }] } }, 400) : page([QWEN]))),
    });
    await show("/models?q=qwen");
    const error = await screen.findByTestId("discover-error");
    expect(within(error).getByText("Invalid search: task: unknown task")).toBeTruthy();
    fireEvent.click(within(error).getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("results")).toBeTruthy();
    expect(screen.queryByTestId("discover-error")).toBeNull();
  });

  it("error: a failed connection (while the browser thinks it is online) says to check it", async () => {
    stubFetch({ ...signedOut, ...sides, "GET /api/models": search(() => networkError()) });
    await show("/models?q=qwen");
    expect(within(await screen.findByTestId("discover-error")).getByText(UNREACHABLE)).toBeTruthy();
  });

  it("offline: going offline keeps the results with a banner; back online searches again", async () => {
    const stub = stubFetch({ ...signedOut, ...sides, "GET /api/models": search(() => page([QWEN])) });
    await show("/models?q=qwen");
    await screen.findByTestId("results");
    setOnline(false);
    expect((await screen.findByTestId("offline-banner")).textContent).toBe("You are offline; showing the last results. They refresh when you are back online.");
    expect(screen.getAllByTestId("model-card")).toHaveLength(1);
    const searches = () => stub.callsTo("GET /api/models").filter((c) => c.url.searchParams.get("q") === "qwen").length;
    const before = searches();
    setOnline(true);
    await vi.waitFor(() => expect(searches()).toBe(before + 1));
    await vi.waitFor(() => expect(screen.queryByTestId("offline-banner")).toBeNull());
  });

  it("offline on opening: the results kept from the last visit, without asking the network", async () => {
    stubFetch({ ...signedOut, ...sides, "GET /api/models": search(() => page([QWEN, LLAMA])) });
    await show("/models?q=instruct");
    await screen.findByTestId("results");
    cleanup(); // the tab closes; sessionStorage keeps the results
    vi.resetModules();
    const offline = goOffline();
    await show("/models?q=instruct");
    expect((await screen.findByTestId("offline-banner")).textContent).toContain("showing the last results");
    expect(screen.getAllByTestId("model-card")).toHaveLength(2);
    expect(offline.callsTo("GET /api/models").filter((c) => c.url.searchParams.get("q"))).toEqual([]);
  });

  it("offline with nothing kept: says there is nothing yet instead of claiming to show results", async () => {
    goOffline();
    await show("/models?q=qwen");
    expect((await screen.findByTestId("offline-banner")).textContent).toBe("You are offline, and no results were kept on this device yet. They load when you are back online.");
    expect(screen.queryByTestId("model-card")).toBeNull();
  });
});

describe("Discover screen: a model's page", () => {
  it("loading: names the model it is loading", async () => {
    stubFetch({ ...signedOut, ...sides, [QWEN_API]: hang() });
    await show("/models/Qwen/Qwen2.5-7B-Instruct");
    expect(await screen.findByText("Loading Qwen/Qwen2.5-7B-Instruct…")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Qwen/Qwen2.5-7B-Instruct" })).toBeTruthy();
  });

  it("signed out: the facts and the price, and a sign-in in place of the deploy button", async () => {
    stubFetch({ ...signedOut, ...sides, [QWEN_API]: json(detail()), "GET /api/deployments/estimate": json(estimate()) });
    await show("/models/Qwen/Qwen2.5-7B-Instruct");
    expect((await screen.findByTestId("fact-platform")).textContent).toBe("On SwaggyStacks this week: 1,234 requests · 5 deployments");
    expect(await within(screen.getByTestId("deploy-sign-in")).findByText("Sign in to deploy this model to your workspace.")).toBeTruthy();
    expect(screen.queryByTestId("deploy-button")).toBeNull();
  });

  it("not deployable: the planner's reason instead of a deploy form", async () => {
    stubFetch({ ...signedOut, ...sides, [QWEN_API]: json(detail({ deploy: { deployable: false, code: "too_large", reason: "Needs 640 GB of VRAM; the largest pool has 320 GB." } })) });
    await show("/models/Qwen/Qwen2.5-7B-Instruct");
    expect((await screen.findByTestId("deploy-refusal")).textContent).toBe("Needs 640 GB of VRAM; the largest pool has 320 GB.");
    expect(screen.queryByTestId("deploy-form")).toBeNull();
  });

  it("error: the API's message and Try again, which then shows the page", async () => {
    stubFetch({ ...signedOut, ...sides, [QWEN_API]: [apiError(502, "hub_unavailable", "The Hugging Face Hub did not answer."), json(detail())] });
    await show("/models/Qwen/Qwen2.5-7B-Instruct");
    const error = await screen.findByTestId("detail-error");
    expect(within(error).getByText("The Hugging Face Hub did not answer.")).toBeTruthy();
    expect(screen.queryByText("Loading Qwen/Qwen2.5-7B-Instruct…")).toBeNull();
    fireEvent.click(within(error).getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("model-facts")).toBeTruthy();
    expect(screen.queryByTestId("detail-error")).toBeNull();
  });

  it("deploying: the button waits, then the refusal in the API's words", async () => {
    const deploy = later();
    stubFetch({ ...signedIn(), ...sides, "GET /api/favorites": json({ favorites: [] }), [QWEN_API]: json(detail()), "GET /api/deployments/estimate": json(estimate()), "POST /api/deployments": deploy.reply });
    await show("/models/Qwen/Qwen2.5-7B-Instruct");
    const button = await screen.findByTestId("deploy-button");
    await vi.waitFor(() => expect(button.hasAttribute("disabled")).toBe(false));
    fireEvent.click(button);
    await vi.waitFor(() => expect(screen.getByTestId("deploy-button").textContent).toBe("Deploying…"));
    expect(screen.getByTestId("deploy-button").hasAttribute("disabled")).toBe(true);
    deploy.answer(apiError(402, "plan_required", "Deployments need a paid plan; upgrade on Billing."));
    expect((await screen.findByTestId("deploy-error")).textContent).toBe("Deployments need a paid plan; upgrade on Billing.");
    expect(screen.getByTestId("deploy-button").hasAttribute("disabled")).toBe(false);
  });

  it("offline: a page seen before opens from the service worker's copy", async () => {
    goOffline({ ...signedOut, [QWEN_API]: json(detail()) });
    await show("/models/Qwen/Qwen2.5-7B-Instruct");
    expect(await screen.findByTestId("model-facts")).toBeTruthy();
    expect(screen.queryByTestId("detail-error")).toBeNull();
  });

  it("offline, a page never seen: says it needs a connection", async () => {
    goOffline(signedOut);
    await show("/models/Qwen/Qwen2.5-7B-Instruct");
    expect(within(await screen.findByTestId("detail-error")).getByText("You are offline; this model's page needs a connection.")).toBeTruthy();
  });
});
