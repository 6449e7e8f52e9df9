import { fireEvent, screen } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { Device } from "../../../web/src/screens/Device";
import { apiError, hang, json, later, networkError, stubFetch } from "../fetch-stub";
import { signedIn, signedOut, UNREACHABLE } from "../fixtures";
import { goOffline, renderAt } from "../render";

const show = (path = "/device?user_code=abcd-efgh") => renderAt(path, <Device brandName="SwaggyStacks" />);
const pending = json({ user_code: "ABCDEFGH", status: "pending", client_id: "platform-connect", scope: "openid" });

describe("Device pairing screen", () => {
  it("signed out: asks to sign in before anything about the code", async () => {
    const stub = stubFetch(signedOut);
    show();
    expect(await screen.findByText("Sign in to approve the computer that shows this code in its terminal.")).toBeTruthy();
    expect(stub.callsTo("GET /api/auth/device")).toEqual([]);
  });

  it("without a code: typed by hand as XXXX-XXXX, Continue only once it is complete", async () => {
    stubFetch({ ...signedIn(), "GET /api/auth/device": hang() });
    show("/device");
    const input = (await screen.findByLabelText("The code in your terminal")) as HTMLInputElement;
    expect(screen.getByRole("button", { name: "Continue" }).hasAttribute("disabled")).toBe(true);
    fireEvent.input(input, { target: { value: "abcdefgh" } });
    expect(input.value).toBe("ABCD-EFGH");
    expect(screen.getByRole("button", { name: "Continue" }).hasAttribute("disabled")).toBe(false);
    fireEvent.submit(input.closest("form")!);
    expect(await screen.findByText("Checking code ABCD-EFGH…")).toBeTruthy();
    expect(location.search).toBe("?user_code=ABCDEFGH");
  });

  it("loading: says which code it is checking", async () => {
    const stub = stubFetch({ ...signedIn(), "GET /api/auth/device": hang() });
    show();
    expect(await screen.findByText("Checking code ABCD-EFGH…")).toBeTruthy();
    // The scanned code is sent in its canonical form (no dash, upper case).
    await vi.waitFor(() => expect(stub.callsTo("GET /api/auth/device")[0]?.url.searchParams.get("user_code")).toBe("ABCDEFGH"));
  });

  it("a pending request: the code to compare and both choices; approving waits, then says it is done", async () => {
    const approve = later();
    stubFetch({ ...signedIn(), "GET /api/auth/device": pending, "POST /api/auth/device/approve": approve.reply });
    show();
    expect((await screen.findByTestId("user-code")).textContent).toBe("ABCD-EFGH");
    fireEvent.click(screen.getByRole("button", { name: "Approve" }));
    expect((await screen.findByRole("button", { name: "Approving…" })).hasAttribute("disabled")).toBe(true);
    expect(screen.getByRole("button", { name: "Deny" }).hasAttribute("disabled")).toBe(true);
    approve.answer(json({ success: true }));
    expect((await screen.findByTestId("device-result")).getAttribute("data-outcome")).toBe("approved");
  });

  it("error: an expired code shows the server's own description (RFC 8628's error_description)", async () => {
    stubFetch({ ...signedIn(), "GET /api/auth/device": json({ error: "expired_token", error_description: "The device code has expired" }, 400) });
    show();
    expect((await screen.findByTestId("device-error")).textContent).toBe("The device code has expired");
    expect(screen.getByRole("button", { name: "Enter another code" })).toBeTruthy();
  });

  it("error: a refused approval keeps its message and offers another code", async () => {
    stubFetch({ ...signedIn(), "GET /api/auth/device": pending, "POST /api/auth/device/approve": apiError(429, "rate_limited", "Too many attempts; wait a minute.") });
    show();
    fireEvent.click(await screen.findByRole("button", { name: "Approve" }));
    expect((await screen.findByTestId("device-error")).textContent).toBe("Too many attempts; wait a minute.");
    fireEvent.click(screen.getByRole("button", { name: "Enter another code" }));
    expect(await screen.findByLabelText("The code in your terminal")).toBeTruthy();
  });

  it("a code decided before, or opened first by someone else, says so instead of offering buttons", async () => {
    stubFetch({ ...signedIn(), "GET /api/auth/device": [json({ user_code: "ABCDEFGH", status: "approved" }), json({ user_code: "ABCDEFGH", status: "pending" })] });
    show();
    expect((await screen.findByTestId("device-result")).getAttribute("data-outcome")).toBe("already-approved");
    expect(screen.queryByRole("button", { name: "Approve" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Enter another code" }));
    const input = await screen.findByLabelText("The code in your terminal");
    fireEvent.input(input, { target: { value: "ABCDEFGH" } });
    fireEvent.submit(input.closest("form")!);
    expect((await screen.findByRole("alert")).getAttribute("data-outcome")).toBe("not-yours");
  });

  it("error: a failed connection says to check it", async () => {
    stubFetch({ ...signedIn(), "GET /api/auth/device": networkError() });
    show();
    expect((await screen.findByTestId("device-error")).textContent).toBe(UNREACHABLE);
  });

  it("offline: pairing needs the platform, and says to check the connection", async () => {
    goOffline(signedIn());
    show();
    expect((await screen.findByTestId("device-error")).textContent).toBe(UNREACHABLE);
  });
});
