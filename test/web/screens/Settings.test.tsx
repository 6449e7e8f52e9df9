import { fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import type { Workspace } from "../../../web/src/lib/settings-api";
import { Settings } from "../../../web/src/screens/Settings";
import { apiError, hang, json, later, networkError, stubFetch, type Route } from "../fetch-stub";
import { signedIn, signedOut, UNREACHABLE, VIEWER } from "../fixtures";
import { goOffline, renderAt } from "../render";

const show = () => renderAt("/settings", <Settings brandName="SwaggyStacks" />);

const owner: Workspace = { id: "ws-ada", name: "Ada's workspace", role: "owner", personal: true, permissions: { bridge: ["read", "update"], apiKey: ["read", "create", "manage"], billing: ["read", "manage"], notification: ["read", "manage"] } };
const viewer: Workspace = { id: "ws-acme", name: "Acme", role: "viewer", personal: false, permissions: { bridge: ["read"], apiKey: ["read"], billing: ["read"] } };
const defaultPolicy = { autoscale: "apply", maxWorkerUsdPerHour: null, gpuSpendCeilingUsdPerMonth: null, expectedGpuSpendUsdPerMonth: 0, deployments: [] };
const emptySettings = (ws: Workspace = owner): Record<string, Route> => ({
  "GET /api/workspace": json(ws),
  "GET /api/bridge": json({ rules: [], updatedAt: null, updatedBy: null }),
  "GET /api/provider-keys": json({ providerKeys: [] }),
  "GET /api/cost-policy": json(defaultPolicy),
  "GET /api/logging": json({ logPrompts: false, appliesWithinSeconds: 10 }),
  "GET /api/notifications/event-types": json({ eventTypes: [{ type: "key.created", description: "An API key was created" }, { type: "deployment.failed", description: "A RunPod deployment failed" }] }),
  "GET /api/notifications/endpoints": json({ endpoints: [] }),
});

const hook = { id: "nep_1", kind: "webhook", url: "https://hooks.example.com/llm", email: null, description: null, events: ["*"], enabled: true, secretHint: "whsec_AbCd…", createdAt: "2026-11-27T10:00:00.000Z", updatedAt: "2026-11-27T10:00:00.000Z" };
const delivery = (status: string, extra: object = {}) => ({ id: "ndl_1", eventId: "evt_1", eventType: "key.created", endpointId: "nep_1", status, attempts: 3, nextAttemptAt: null, lastAttemptAt: "2026-11-27T10:05:00.000Z", lastStatusCode: 500, lastError: null, deliveredAt: null, createdAt: "2026-11-27T10:04:00.000Z", ...extra });

describe("Settings screen", () => {
  it("signed out: the sign-in form with why", async () => {
    stubFetch(signedOut);
    show();
    expect(await screen.findByText("Sign in to change your settings on SwaggyStacks.")).toBeTruthy();
  });

  it("loading: each card waits, and the account's own data is already there", async () => {
    stubFetch({ ...signedIn(), "GET /api/workspace": hang(), "GET /api/bridge": hang(), "GET /api/provider-keys": hang(), "GET /api/cost-policy": hang(), "GET /api/logging": hang() });
    show();
    const bridge = (await screen.findByRole("heading", { name: "Bridge map" })).closest("article")!;
    expect(within(bridge).getByText("Loading…")).toBeTruthy();
    expect(within(screen.getByRole("heading", { name: "Provider keys" }).closest("article")!).getByText("Loading…")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Download my data" }).hasAttribute("disabled")).toBe(false);
  });

  it("empty: no rules and no provider keys say what happens instead; an owner can add both", async () => {
    stubFetch({ ...signedIn(), ...emptySettings() });
    show();
    expect((await screen.findByTestId("bridge-empty")).textContent).toBe("No rules: model names go to their usual provider.");
    expect((await screen.findByTestId("provider-keys-empty")).textContent).toBe("None: the bridge uses the platform's own credentials.");
    expect(screen.getByRole("button", { name: "Save bridge map" }).hasAttribute("disabled")).toBe(false);
    expect(screen.getByRole("button", { name: "Save key" })).toBeTruthy();
    expect(await screen.findByTestId("notifications-empty")).toBeTruthy();
    expect(screen.queryByText("Loading…")).toBeNull();
  });

  it("a viewer reads and is told who can change provider keys", async () => {
    stubFetch({ ...signedIn(VIEWER), ...emptySettings(viewer) });
    show();
    expect(await screen.findByText("Only workspace admins and owners can add or remove provider keys.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Save bridge map" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Save key" })).toBeNull();
  });

  it("error: the API's message, and no card left loading forever", async () => {
    stubFetch({ ...signedIn(), ...emptySettings(), "GET /api/workspace": apiError(404, "not_found", "Workspace not found") });
    show();
    expect((await screen.findByTestId("settings-error")).textContent).toBe("Workspace not found");
    expect(screen.queryByText("Loading…")).toBeNull();
  });

  it("saving the bridge map: the button waits, then the refusal with each field's problem", async () => {
    const save = later();
    stubFetch({ ...signedIn(), ...emptySettings(), "PUT /api/bridge": save.reply });
    show();
    fireEvent.click(await screen.findByRole("button", { name: "Add rule" }));
    fireEvent.input(screen.getByLabelText("Model name or pattern"), { target: { value: "claude-*" } });
    fireEvent.input(screen.getByLabelText("Targets, in fallback order"), { target: { value: "nowhere/model" } });
    fireEvent.submit(screen.getByTestId("bridge-map"));
    expect((await screen.findByRole("button", { name: "Saving…" })).hasAttribute("disabled")).toBe(true);
    save.answer(json({ error: { code: "invalid_request", message: "Invalid bridge map", details: [{ path: "rules.0.targets.0", message: "unknown provider nowhere" }] } }, 400));
    expect((await screen.findByTestId("bridge-error")).textContent).toBe("Invalid bridge map: rules.0.targets.0: unknown provider nowhere");
    expect(screen.getByRole("button", { name: "Save bridge map" }).hasAttribute("disabled")).toBe(false);
  });

  it("a failed export says why and the button comes back", async () => {
    stubFetch({ ...signedIn(), ...emptySettings(), "GET /api/account/export": apiError(429, "rate_limited", "One export a minute; try again shortly.") });
    show();
    fireEvent.click(await screen.findByRole("button", { name: "Download my data" }));
    expect((await screen.findByTestId("export-error")).textContent).toBe("One export a minute; try again shortly.");
    expect(screen.getByRole("button", { name: "Download my data" }).hasAttribute("disabled")).toBe(false);
  });

  it("offline: the workspace's settings are not kept offline, so the cards say to check the connection", async () => {
    goOffline(signedIn());
    show();
    expect((await screen.findByTestId("settings-error")).textContent).toBe(UNREACHABLE);
    expect(screen.queryByText("Loading…")).toBeNull();
    // The person's own account section still renders; its calls will say the same if tried.
    fireEvent.click(screen.getByRole("button", { name: "Download my data" }));
    expect((await screen.findByTestId("export-error")).textContent).toBe(UNREACHABLE);
  });

  it("cost policy: an owner saves ceilings; an amount that is not one is refused before it is sent", async () => {
    const sent: unknown[] = [];
    stubFetch({
      ...signedIn(),
      ...emptySettings(),
      "PUT /api/cost-policy": (req) => {
        sent.push(req.body);
        return json({ ...defaultPolicy, ...(req.body as object), expectedGpuSpendUsdPerMonth: 146.5, deployments: [{ id: "d1", expectedUsdPerMonth: 146.5 }] });
      },
    });
    show();
    const card = (await screen.findByTestId("cost-policy")) as HTMLFormElement;
    expect(within(card).getByTestId("cost-policy-spend").textContent).toBe("No live deployments: nothing is expected to cost anything yet.");
    fireEvent.input(within(card).getByLabelText(/Monthly GPU ceiling/), { target: { value: "lots" } });
    fireEvent.submit(card);
    expect((await screen.findByTestId("cost-policy-error")).textContent).toBe("Ceilings are amounts in dollars, or empty for none.");
    expect(sent).toEqual([]);
    fireEvent.change(within(card).getByLabelText("Predictive scaling, at most"), { target: { value: "propose" } });
    fireEvent.input(within(card).getByLabelText(/Monthly GPU ceiling/), { target: { value: "400" } });
    fireEvent.input(within(card).getByLabelText(/GPU price ceiling/), { target: { value: "1.5" } });
    fireEvent.submit(card);
    expect((await screen.findByTestId("cost-policy-saved")).textContent).toContain("Saved");
    expect(sent).toEqual([{ autoscale: "propose", maxWorkerUsdPerHour: 1.5, gpuSpendCeilingUsdPerMonth: 400 }]);
    expect(screen.getByTestId("cost-policy-spend").textContent).toBe("1 live deployment, expected to cost $146.50 a month in GPU time.");
  });

  it("a viewer reads the cost policy and prompt logging, and is told who may change them", async () => {
    stubFetch({ ...signedIn(VIEWER), ...emptySettings(viewer), "GET /api/cost-policy": json({ ...defaultPolicy, gpuSpendCeilingUsdPerMonth: 250 }) });
    show();
    expect(await screen.findByText("Only workspace admins and owners can change the cost policy.")).toBeTruthy();
    expect(screen.getByTestId("cost-policy").textContent).toContain("$250.00 a month");
    expect(within(screen.getByTestId("prompt-logging")).getByText("Only workspace admins and owners can change this.")).toBeTruthy();
    expect(screen.queryByRole("checkbox")).toBeNull();
  });

  it("prompt logging: the switch says what changes, and a refusal comes back as the API's sentence", async () => {
    stubFetch({ ...signedIn(), ...emptySettings(), "PUT /api/logging": [json({ logPrompts: true, appliesWithinSeconds: 10 }), apiError(403, "forbidden", "Your role cannot change this")] });
    show();
    const box = (await screen.findByRole("checkbox", { name: /Write prompts into the request log/ })) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(screen.getByTestId("prompt-logging").textContent).toContain("never a prompt");
    fireEvent.click(box);
    // The switch moves at once, and stays while the save is answered.
    expect(await screen.findByText(/On: each bridge call's log line includes the prompt's text/)).toBeTruthy();
    await waitFor(() => expect((screen.getByRole("checkbox", { name: /Write prompts into the request log/ }) as HTMLInputElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole("checkbox", { name: /Write prompts into the request log/ }));
    expect((await screen.findByTestId("prompt-logging-error")).textContent).toBe("Your role cannot change this");
    // Refused: the switch is back where the server has it.
    expect((screen.getByRole("checkbox", { name: /Write prompts into the request log/ }) as HTMLInputElement).checked).toBe(true);
  });

  it("notifications: adding a webhook shows its secret once; a private URL is refused in the API's words", async () => {
    const sent: unknown[] = [];
    let endpoints: unknown[] = [];
    stubFetch({
      ...signedIn(),
      ...emptySettings(),
      "GET /api/notifications/endpoints": () => json({ endpoints }),
      "POST /api/notifications/endpoints": (req) => {
        if ((req.body as { url: string }).url.startsWith("http://10.")) return apiError(400, "invalid_url", "This URL cannot receive webhooks: 10.0.0.8 is a private address");
        sent.push(req.body);
        endpoints = [hook];
        return json({ ...hook, secret: "whsec_c2VjcmV0LXNob3duLW9uY2U=" }, 201);
      },
    });
    show();
    expect((await screen.findByTestId("notifications-empty")).textContent).toBe("No endpoints: events are only in the audit log.");
    const form = screen.getByTestId("notification-form") as HTMLFormElement;
    fireEvent.input(within(form).getByLabelText("Webhook URL"), { target: { value: "http://10.0.0.8/hook" } });
    fireEvent.submit(form);
    expect((await screen.findByTestId("notifications-error")).textContent).toBe("This URL cannot receive webhooks: 10.0.0.8 is a private address");
    fireEvent.input(within(form).getByLabelText("Webhook URL"), { target: { value: "https://hooks.example.com/llm" } });
    fireEvent.submit(form);
    expect((await screen.findByTestId("notification-secret")).textContent).toContain("whsec_c2VjcmV0LXNob3duLW9uY2U=");
    expect(sent).toEqual([{ url: "https://hooks.example.com/llm", events: ["*"] }]);
    expect(screen.getByTestId("notification-endpoint").textContent).toContain("All events");
  });

  it("notifications: the delivery log says what happened, and redelivery asks again", async () => {
    const redelivered: string[] = [];
    stubFetch({
      ...signedIn(),
      ...emptySettings(),
      "GET /api/notifications/endpoints": json({ endpoints: [hook] }),
      "GET /api/notifications/endpoints/nep_1/deliveries": [json({ deliveries: [delivery("failed")], nextCursor: null }), json({ deliveries: [delivery("delivered", { attempts: 4, lastStatusCode: 200 })], nextCursor: null })],
      "POST /api/notifications/deliveries/ndl_1/redeliver": (req) => {
        redelivered.push(req.url.pathname);
        return json({ delivery: delivery("delivered", { attempts: 4, lastStatusCode: 200 }) });
      },
    });
    show();
    fireEvent.click(await screen.findByRole("button", { name: "Delivery log" }));
    const row = await screen.findByTestId("delivery");
    expect(row.textContent).toContain("key.created · 10:04 UTC · failed (500, 3 attempts)");
    fireEvent.click(within(row).getByRole("button", { name: "Redeliver" }));
    expect(await screen.findByText(/delivered \(200\)/)).toBeTruthy();
    expect(redelivered).toEqual(["/api/notifications/deliveries/ndl_1/redeliver"]);
  });

  it("notifications: a member is told who manages them, and nothing is fetched", async () => {
    const member: Workspace = { ...viewer, role: "member" };
    stubFetch({ ...signedIn(VIEWER), ...emptySettings(member), "GET /api/notifications/endpoints": apiError(500, "should_not_be_called", "never") });
    show();
    expect(await screen.findByText("Only workspace admins and owners manage notifications.")).toBeTruthy();
    expect(screen.queryByTestId("notifications")).toBeNull();
  });

  it("a connection that drops mid-load says so too", async () => {
    stubFetch({ ...signedIn(), ...emptySettings(), "GET /api/provider-keys": networkError() });
    show();
    expect((await screen.findByTestId("settings-error")).textContent).toBe(UNREACHABLE);
    // What did arrive is still shown.
    expect(await screen.findByTestId("bridge-empty")).toBeTruthy();
  });
});
