import { fireEvent, screen, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { Keys } from "../../../web/src/screens/Keys";
import { apiError, hang, json, later, networkError, stubFetch, text } from "../fetch-stub";
import { apiKey, signedIn, signedOut, UNREACHABLE } from "../fixtures";
import { goOffline, renderAt } from "../render";

const show = () => renderAt("/keys", <Keys brandName="SwaggyStacks" />);

describe("Keys screen", () => {
  it("waits for the session before anything else", () => {
    stubFetch({ "GET /api/me": hang() });
    show();
    expect(screen.getByText("Checking who is signed in…")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Create key" })).toBeNull();
  });

  it("signed out: asks to sign in, and shows the API's refusal of the password", async () => {
    const stub = stubFetch({ ...signedOut, "POST /api/auth/sign-in/email": apiError(401, "INVALID_EMAIL_OR_PASSWORD", "Invalid email or password") });
    show();
    expect(await screen.findByText("Sign in to manage your workspace's API keys on SwaggyStacks.")).toBeTruthy();
    fireEvent.input(screen.getByLabelText("Email"), { target: { value: "ada@example.com" } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: "wrong password" } });
    fireEvent.submit(screen.getByTestId("sign-in"));
    expect((await screen.findByRole("alert")).textContent).toBe("Invalid email or password");
    expect(screen.getByRole("button", { name: "Sign in" }).hasAttribute("disabled")).toBe(false);
    expect(stub.callsTo("POST /api/auth/sign-in/email")[0]!.body).toEqual({ email: "ada@example.com", password: "wrong password" });
  });

  it("loading: says so while the list is on its way, and the form is already usable", async () => {
    stubFetch({ ...signedIn(), "GET /api/keys": hang() });
    show();
    expect(await screen.findByText("Loading keys…")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Create key" }).hasAttribute("disabled")).toBe(false);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("empty: no keys yet, 0 active, and how to make one", async () => {
    stubFetch({ ...signedIn(), "GET /api/keys": json({ keys: [] }) });
    show();
    expect(await screen.findByTestId("keys-empty")).toBeTruthy();
    expect(screen.getByRole("heading", { name: /Keys/ }).textContent).toContain("(0 active)");
    expect(screen.queryByText("Loading keys…")).toBeNull();
  });

  it("lists keys, live ones counted", async () => {
    stubFetch({ ...signedIn(), "GET /api/keys": json({ keys: [apiKey(), apiKey({ id: "key-2", name: "old CI", revokedAt: "2026-05-03T00:00:00.000Z" })] }) });
    show();
    const list = await screen.findByTestId("keys-list");
    expect(within(list).getAllByTestId("key").map((k) => k.getAttribute("data-status"))).toEqual(["active", "revoked"]);
    expect(screen.getByRole("heading", { name: /Keys/ }).textContent).toContain("(1 active)");
  });

  it("error: shows the API's message instead of a spinner", async () => {
    stubFetch({ ...signedIn(), "GET /api/keys": apiError(403, "forbidden", "Your role cannot list keys in this workspace.") });
    show();
    expect((await screen.findByTestId("keys-error")).textContent).toBe("Your role cannot list keys in this workspace.");
    expect(screen.queryByText("Loading keys…")).toBeNull();
  });

  it("error: an answer that is not the platform's (a proxy's error page) still says which call failed", async () => {
    stubFetch({ ...signedIn(), "GET /api/keys": text("<html>502 Bad Gateway</html>", 502, { "content-type": "text/html" }) });
    show();
    expect((await screen.findByTestId("keys-error")).textContent).toBe("/api/keys: HTTP 502");
  });

  it("error: a failed connection says to check it", async () => {
    stubFetch({ ...signedIn(), "GET /api/keys": networkError() });
    show();
    expect((await screen.findByTestId("keys-error")).textContent).toBe(UNREACHABLE);
  });

  it("creating: the button waits, then the refusal is shown and the button comes back", async () => {
    const create = later();
    stubFetch({ ...signedIn(), "GET /api/keys": json({ keys: [] }), "POST /api/keys": create.reply });
    show();
    await screen.findByTestId("keys-empty");
    fireEvent.input(screen.getByLabelText("Name"), { target: { value: "laptop" } });
    fireEvent.submit(screen.getByTestId("new-key-form"));
    expect((await screen.findByRole("button", { name: "Creating…" })).hasAttribute("disabled")).toBe(true);
    create.answer(apiError(429, "rate_limited", "Too many keys created; wait a minute."));
    expect(await screen.findByText("Too many keys created; wait a minute.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Create key" }).hasAttribute("disabled")).toBe(false);
  });

  it("offline: the keys last seen (kept by the service worker) are listed, and revoking says it needs a connection", async () => {
    goOffline({ ...signedIn(), "GET /api/keys": json({ keys: [apiKey()] }) });
    show();
    const key = await screen.findByTestId("key");
    fireEvent.click(within(key).getByRole("button", { name: "Revoke laptop" }));
    fireEvent.click(within(key).getByTestId("confirm-revoke"));
    expect((await screen.findByTestId("keys-error")).textContent).toBe(UNREACHABLE);
    // The list stays: the error does not wipe what was shown.
    expect(screen.getByTestId("key")).toBeTruthy();
  });

  it("offline with nothing kept: the session check says so instead of waiting forever", async () => {
    goOffline();
    show();
    expect((await screen.findByRole("alert")).textContent).toBe(UNREACHABLE);
    expect(screen.queryByText("Checking who is signed in…")).toBeNull();
  });
});
