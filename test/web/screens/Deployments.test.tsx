import { act, fireEvent, screen, within } from "@testing-library/preact";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { Deployments } from "../../../web/src/screens/Deployments";
import { apiError, hang, json, networkError, stubFetch } from "../fetch-stub";
import { deployment, deploymentItem, signedIn, signedOut, UNREACHABLE } from "../fixtures";
import { goOffline, renderAt } from "../render";

const showList = () => renderAt("/deployments", <Deployments brandName="SwaggyStacks" />);
const showOne = (id = "dep-1") => renderAt(`/deployments/${id}`, <Deployments brandName="SwaggyStacks" />);

describe("Deployments screen: the list", () => {
  it("signed out: the sign-in form with why", async () => {
    stubFetch(signedOut);
    showList();
    expect(await screen.findByText("Sign in to see your workspace's deployments on SwaggyStacks.")).toBeTruthy();
  });

  it("loading: says so until the list arrives", async () => {
    stubFetch({ ...signedIn(), "GET /api/deployments": hang() });
    showList();
    expect(await screen.findByText("Loading deployments…")).toBeTruthy();
  });

  it("empty: nothing deployed yet, and where to find a model", async () => {
    stubFetch({ ...signedIn(), "GET /api/deployments": json({ deployments: [] }) });
    showList();
    const empty = await screen.findByTestId("deployments-empty");
    expect(empty.textContent).toContain("No deployments yet.");
    expect(within(empty).getByRole("link", { name: "Find a model to deploy" }).getAttribute("href")).toBe("/models");
    expect(screen.queryByText("Loading deployments…")).toBeNull();
  });

  it("lists each deployment as a link to its page, with why a failed one failed", async () => {
    stubFetch({ ...signedIn(), "GET /api/deployments": json({ deployments: [deploymentItem(), deploymentItem({ id: "dep-2", name: "llama", state: "failed", error: "No L4 capacity in any region." })] }) });
    showList();
    const link = await screen.findByRole("link", { name: "qwen-7b, Ready: Qwen/Qwen2.5-7B-Instruct" });
    expect(link.getAttribute("href")).toBe("/deployments/dep-1");
    expect(screen.getByText("No L4 capacity in any region.")).toBeTruthy();
  });

  it("error: the API's message instead of a spinner", async () => {
    stubFetch({ ...signedIn(), "GET /api/deployments": apiError(500, "internal", "Deployments are unavailable right now.") });
    showList();
    expect((await screen.findByTestId("deployments-error")).textContent).toBe("Deployments are unavailable right now.");
    expect(screen.queryByText("Loading deployments…")).toBeNull();
  });

  it("error: a failed connection says to check it", async () => {
    stubFetch({ ...signedIn(), "GET /api/deployments": networkError() });
    showList();
    expect((await screen.findByTestId("deployments-error")).textContent).toBe(UNREACHABLE);
  });

  it("offline: the list last seen, from the service worker's copy", async () => {
    goOffline({ ...signedIn(), "GET /api/deployments": json({ deployments: [deploymentItem()] }) });
    showList();
    expect(await screen.findByRole("link", { name: /^qwen-7b, Ready/ })).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("offline with nothing kept: the session check says to check the connection", async () => {
    goOffline();
    showList();
    expect((await screen.findByRole("alert")).textContent).toBe(UNREACHABLE);
  });
});

describe("Deployments screen: one deployment", () => {
  // The live stream is an EventSource; without one the screen polls GET /api/deployments/:id, which is
  // the path these tests drive (fetch is the boundary they control).
  beforeEach(() => void vi.stubGlobal("EventSource", undefined));

  it("loading: says so until the first view arrives", async () => {
    stubFetch({ ...signedIn(), "GET /api/deployments/dep-1": hang() });
    showOne();
    expect(await screen.findByText("Loading the deployment…")).toBeTruthy();
    expect(screen.getByRole("link", { name: "← All deployments" })).toBeTruthy();
  });

  it("ready: how to call it, what it costs, and its scaling form (nothing to save yet)", async () => {
    stubFetch({ ...signedIn(), "GET /api/deployments/dep-1": json(deployment()) });
    showOne();
    expect((await screen.findByTestId("deployment-status")).textContent).toBe("Ready: call it as runpod/ep-1/Qwen/Qwen2.5-7B-Instruct.");
    expect(screen.getByTestId("cost-so-far").textContent).toBe("$0.42");
    expect((await screen.findByRole("button", { name: "Save scaling" })).hasAttribute("disabled")).toBe(true);
  });

  it("error: a deployment that is not there says so (and the poll gives up on a 404)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const stub = stubFetch({ ...signedIn(), "GET /api/deployments/dep-gone": apiError(404, "not_found", "No deployment dep-gone in this workspace.") });
    showOne("dep-gone");
    await vi.waitFor(() => expect(screen.getByTestId("deployment-error").textContent).toBe("No deployment dep-gone in this workspace."));
    expect(screen.queryByText("Loading the deployment…")).toBeNull();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10_000); // well past the next poll, were there one
    });
    expect(stub.callsTo("GET /api/deployments/dep-gone")).toHaveLength(1);
  });

  it("failed: why, in the platform's words; with no reason recorded it says that instead of nothing", async () => {
    stubFetch({ ...signedIn(), "GET /api/deployments/dep-1": json(deployment({ state: "failed", error: "The model needs 48 GB; no such GPU was free." })) });
    showOne();
    expect((await screen.findByTestId("deployment-failure")).textContent).toBe("Why it failed: The model needs 48 GB; no such GPU was free.");
    expect(screen.queryByTestId("scaling-form")).toBeNull();
    expect(screen.queryByTestId("deployment-call")).toBeNull();
  });

  it("failed without a reason says that none was recorded", async () => {
    stubFetch({ ...signedIn(), "GET /api/deployments/dep-1": json(deployment({ state: "failed", error: null, lastError: null })) });
    showOne();
    expect((await screen.findByTestId("deployment-failure")).textContent).toBe("Why it failed: no reason was recorded.");
  });

  it("a scaling change the API refuses shows its sentence with the field problem, and can be sent again", async () => {
    stubFetch({
      ...signedIn(),
      "GET /api/deployments/dep-1": json(deployment()),
      "PATCH /api/deployments/dep-1": json({ error: { code: "invalid_request", message: "Invalid scaling change", details: [{ path: "scaling.workersMax", message: "this GPU pool allows at most 3 workers" }] } }, 400),
    });
    showOne();
    fireEvent.input(await screen.findByLabelText("Max workers"), { target: { value: "5" } });
    fireEvent.submit(screen.getByTestId("scaling-form"));
    expect((await screen.findByTestId("scaling-message")).textContent).toBe("Invalid scaling change: scaling.workersMax: this GPU pool allows at most 3 workers");
    expect(screen.getByRole("button", { name: "Save scaling" }).hasAttribute("disabled")).toBe(false);
  });

  it("a delete that fails keeps the deployment and says why", async () => {
    stubFetch({ ...signedIn(), "GET /api/deployments/dep-1": json(deployment()), "DELETE /api/deployments/dep-1": apiError(403, "forbidden", "Only admins and owners delete deployments.") });
    showOne();
    fireEvent.click(await screen.findByTestId("delete"));
    fireEvent.click(screen.getByTestId("confirm-delete"));
    expect((await screen.findByTestId("delete-error")).textContent).toBe("Only admins and owners delete deployments.");
    expect(screen.getByTestId("deployment-detail").getAttribute("data-state")).toBe("ready");
  });

  it("a connection lost while it starts keeps the last view and says live updates are retrying", async () => {
    // Fake timeouts, so the next poll (1.5 s later) comes at once; vi.waitFor moves them along meanwhile.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const stub = stubFetch({ ...signedIn(), "GET /api/deployments/dep-1": [json(deployment({ state: "initializing", readyAt: null })), networkError()] });
    showOne();
    await vi.waitFor(() => expect(screen.getByTestId("deployment-status").textContent).toBe("Starting: a worker is pulling the image and loading the model…"));
    expect(stub.callsTo("GET /api/deployments/dep-1")).toHaveLength(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1_500); // the next poll
    });
    expect(stub.callsTo("GET /api/deployments/dep-1")).toHaveLength(2);
    expect(screen.getByText(`Live updates interrupted (${UNREACHABLE}); retrying…`)).toBeTruthy();
    expect(screen.getByTestId("deployment-detail").getAttribute("data-state")).toBe("initializing");
  });

  it("offline: the deployment as last seen", async () => {
    goOffline({ ...signedIn(), "GET /api/deployments/dep-1": json(deployment()) });
    showOne();
    expect((await screen.findByTestId("deployment-name")).textContent).toBe("qwen-7b");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("offline with nothing kept for it: the connection sentence, not a spinner", async () => {
    goOffline(signedIn());
    showOne();
    expect((await screen.findByTestId("deployment-error")).textContent).toBe(UNREACHABLE);
  });
});
