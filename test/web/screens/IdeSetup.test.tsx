import { fireEvent, screen } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { buildIdeConfig, type IdeClient } from "../../../workers/ide/config";
import { IdeSetup } from "../../../web/src/screens/IdeSetup";
import { apiError, hang, json, later, networkError, stubFetch, type Route } from "../fetch-stub";
import { signedIn, signedOut, UNREACHABLE } from "../fixtures";
import { goOffline, renderAt } from "../render";

const show = () => renderAt("/ide", <IdeSetup />);

/** The configuration as the server builds it (the same pure generator GET /api/ide-config calls). */
const configOf = (client: IdeClient) =>
  buildIdeConfig({
    client,
    origin: "http://localhost:3000",
    brandId: "swaggystacks",
    brandName: "SwaggyStacks",
    models: { main: "anthropic/claude-sonnet-4-5", fast: "anthropic/claude-haiku-4-5", openai: "openai/gpt-4o-mini", gemini: "google/gemini-2.5-flash" },
  });
const ideConfig: Route = (req) => json(configOf(req.url.searchParams.get("client") as IdeClient));

describe("IDE setup screen", () => {
  it("signed out: the sign-in form with why", async () => {
    stubFetch(signedOut);
    show();
    expect(await screen.findByText("Sign in to make a setup link for your editor.")).toBeTruthy();
  });

  it("loading: the editors and the QR button are there while the configuration is on its way", async () => {
    stubFetch({ ...signedIn(), "GET /api/ide-config": hang() });
    show();
    expect(await screen.findByText("Loading Claude Code's configuration…")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Claude Code" }).getAttribute("aria-pressed")).toBe("true");
    expect(screen.getByRole("button", { name: "Show QR code" }).hasAttribute("disabled")).toBe(false);
  });

  it("shows the chosen editor's files, and another editor's when picked", async () => {
    stubFetch({ ...signedIn(), "GET /api/ide-config": ideConfig });
    show();
    expect((await screen.findAllByTestId("config-file")).map((f) => f.textContent)).toContain(".mcp.json");
    fireEvent.click(screen.getByRole("button", { name: "Cursor" }));
    expect(await screen.findByText(".cursor/mcp.json")).toBeTruthy();
  });

  it("making the code: the button waits, then the QR code with the time it has left on the server's clock", async () => {
    const link = later();
    const stub = stubFetch({ ...signedIn(), "GET /api/ide-config": ideConfig, "POST /api/ide/links": link.reply });
    show();
    fireEvent.click(await screen.findByRole("button", { name: "Show QR code" }));
    expect((await screen.findByRole("button", { name: "Making the code…" })).hasAttribute("disabled")).toBe(true);
    expect(screen.getByRole("button", { name: "Cursor" }).hasAttribute("disabled")).toBe(true);
    // The server's clock is an hour off the phone's: the countdown follows the server's Date header.
    const serverNow = Math.floor((Date.now() + 3_600_000) / 1000) * 1000; // a Date header has whole seconds
    link.answer(
      json({ url: "http://localhost:3000/ide/setup/tok_123", client: "claude-code", scopes: ["bridge", "mcp:write"], expiresAt: new Date(serverNow + 600_000).toISOString() }, 201, { date: new Date(serverNow).toUTCString() }),
    );
    expect((await screen.findByTestId("setup-link")).textContent).toBe("http://localhost:3000/ide/setup/tok_123");
    expect(screen.getByRole("timer").textContent).toMatch(/^(10:00|09:5\d)$/);
    expect(stub.callsTo("POST /api/ide/links")[0]!.body).toEqual({ client: "claude-code" });
  });

  it("error: the link's refusal in the API's words, and the button comes back", async () => {
    stubFetch({ ...signedIn(), "GET /api/ide-config": ideConfig, "POST /api/ide/links": apiError(403, "forbidden", "Viewers cannot create keys, so they cannot make setup links.") });
    show();
    fireEvent.click(await screen.findByRole("button", { name: "Show QR code" }));
    expect((await screen.findByTestId("setup-error")).textContent).toBe("Viewers cannot create keys, so they cannot make setup links.");
    expect(screen.getByRole("button", { name: "Show QR code" }).hasAttribute("disabled")).toBe(false);
  });

  it("error: the configuration's refusal is announced, not left blank", async () => {
    stubFetch({ ...signedIn(), "GET /api/ide-config": apiError(404, "not_found", "No such template in this workspace") });
    show();
    expect((await screen.findByRole("alert")).textContent).toBe("No such template in this workspace");
    expect(screen.queryByText("Loading Claude Code's configuration…")).toBeNull();
  });

  it("offline: the configuration last seen is shown; a new code needs a connection and says so", async () => {
    goOffline({ ...signedIn(), "GET /api/ide-config": ideConfig });
    show();
    expect(await screen.findByTestId("config-preview")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Show QR code" }));
    expect((await screen.findByTestId("setup-error")).textContent).toBe(UNREACHABLE);
  });

  it("offline, an editor never looked at: the connection sentence instead of a blank preview", async () => {
    goOffline({ ...signedIn(), "GET /api/ide-config": (req) => (req.url.searchParams.get("client") === "claude-code" ? ideConfig(req) : networkError()) });
    show();
    await screen.findByTestId("config-preview");
    fireEvent.click(screen.getByRole("button", { name: "Windsurf" }));
    expect((await screen.findByTestId("config-error")).textContent).toBe(UNREACHABLE);
    expect(screen.queryByTestId("config-preview")).toBeNull();
  });
});
