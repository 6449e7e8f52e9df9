import { cleanup, fireEvent, screen, within } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { Auth } from "../../../web/src/screens/Auth";
import { apiError, hang, json, later, networkError, stubFetch } from "../fetch-stub";
import { signedIn, signedOut, signedOutLegacy, UNREACHABLE } from "../fixtures";
import { goOffline, renderAt } from "../render";

const show = (path = "/signin") => renderAt(path, <Auth brandName="SwaggyStacks" />);

function signIn(email = "ada@example.com", password = "correct horse") {
  const form = screen.getByTestId("sign-in");
  fireEvent.input(within(form).getByLabelText("Email"), { target: { value: email } });
  fireEvent.input(within(form).getByLabelText("Password"), { target: { value: password } });
  fireEvent.submit(form);
}

describe("Sign-in and sign-up screen", () => {
  it("loading: checks who is signed in before offering a form", () => {
    stubFetch({ "GET /api/me": hang() });
    show();
    expect(screen.getByText("Checking who is signed in…")).toBeTruthy();
    expect(screen.queryByTestId("sign-in")).toBeNull();
  });

  it("signed out: email and password, company sign-in, and a way to reset the password", async () => {
    stubFetch(signedOut);
    show();
    expect(await screen.findByText("Welcome back to SwaggyStacks.")).toBeTruthy();
    expect(screen.getByRole("form", { name: "Sign in with your company (SSO)" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Create an account" }).getAttribute("href")).toBe("/signup");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("asks whether anyone is signed in without an error for nobody (optional=1), and reads a 401 the same way", async () => {
    const stub = stubFetch(signedOut);
    show();
    expect(await screen.findByText("Welcome back to SwaggyStacks.")).toBeTruthy();
    expect(stub.callsTo("GET /api/me")[0]!.url.searchParams.get("optional")).toBe("1");
    cleanup();
    stubFetch(signedOutLegacy);
    show();
    expect(await screen.findByText("Welcome back to SwaggyStacks.")).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("already signed in: says as whom, continues to a safe ?next= only", async () => {
    stubFetch(signedIn());
    show("/signin?next=//evil.example/phish");
    expect((await screen.findByTestId("signed-in-email")).textContent).toBe("ada@example.com");
    expect(screen.getByRole("link", { name: "Continue" }).getAttribute("href")).toBe("/home");
  });

  it("signing in: the button waits, then the API's refusal (better-auth's own shape), and the button comes back", async () => {
    const answer = later();
    const stub = stubFetch({ ...signedOut, "POST /api/auth/sign-in/email": answer.reply });
    show();
    await screen.findByTestId("sign-in");
    signIn("ada@example.com", "wrong");
    expect((await screen.findByRole("button", { name: "Signing in…" })).hasAttribute("disabled")).toBe(true);
    answer.answer(json({ code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password" }, 401));
    expect((await screen.findByTestId("sign-in-error")).textContent).toBe("Invalid email or password");
    expect(screen.getByRole("button", { name: "Sign in" }).hasAttribute("disabled")).toBe(false);
    expect(stub.callsTo("POST /api/auth/sign-in/email")[0]!.body).toEqual({ email: "ada@example.com", password: "wrong" });
  });

  it("signing in goes where ?next= said", async () => {
    const assign = vi.spyOn(location, "assign").mockImplementation(() => undefined);
    stubFetch({ ...signedOut, "POST /api/auth/sign-in/email": json({ token: "t", user: { id: "user-ada" } }) });
    show("/signin?next=/keys");
    await screen.findByTestId("sign-in");
    signIn();
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith("/keys"));
  });

  it("error: a failed connection says to check it", async () => {
    stubFetch({ ...signedOut, "POST /api/auth/sign-in/email": networkError() });
    show();
    await screen.findByTestId("sign-in");
    signIn();
    expect((await screen.findByTestId("sign-in-error")).textContent).toBe(UNREACHABLE);
  });

  it("sign-up: the platform's refusal with each field's problem, on the sign-up form only", async () => {
    stubFetch({
      ...signedOut,
      "POST /api/auth/sign-up/email": json({ error: { code: "invalid_request", message: "Invalid sign-up", details: [{ path: "password", message: "at least 8 characters" }] } }, 400),
    });
    show("/signup");
    const form = await screen.findByTestId("sign-up");
    fireEvent.input(within(form).getByLabelText("Name"), { target: { value: "Ada" } });
    fireEvent.input(within(form).getByLabelText("Email"), { target: { value: "ada@example.com" } });
    fireEvent.input(within(form).getByLabelText(/^Password/), { target: { value: "short" } });
    fireEvent.submit(form);
    expect((await screen.findByTestId("sign-up-error")).textContent).toBe("Invalid sign-up: password: at least 8 characters");
    expect(screen.queryByTestId("sso-error")).toBeNull();
  });

  it("company sign-in: an unknown domain is refused in the API's words", async () => {
    stubFetch({ ...signedOut, "POST /api/auth/sign-in/sso": apiError(404, "sso_not_found", "No company sign-in is set up for example.org") });
    show();
    const form = await screen.findByRole("form", { name: "Sign in with your company (SSO)" });
    fireEvent.input(within(form).getByLabelText("Work email"), { target: { value: "ada@example.org" } });
    fireEvent.submit(form);
    expect((await screen.findByTestId("sso-error")).textContent).toBe("No company sign-in is set up for example.org");
    expect(screen.queryByTestId("sign-in-error")).toBeNull();
  });

  it("forgot password: the same notice whoever asks", async () => {
    stubFetch({ ...signedOut, "POST /api/auth/request-password-reset": json({ status: true }) });
    show();
    fireEvent.click(await screen.findByRole("button", { name: "Forgot password?" }));
    const form = screen.getByRole("form", { name: "Forgot your password?" });
    fireEvent.input(within(form).getByLabelText("Email"), { target: { value: "nobody@example.com" } });
    fireEvent.submit(form);
    expect((await screen.findByTestId("forgot-notice")).textContent).toBe("If an account uses that address, a reset link is on its way.");
  });

  it("error: when the session check cannot reach the platform the forms stay usable under the message", async () => {
    stubFetch({ "GET /api/me": apiError(503, "auth_unconfigured", "Accounts are not configured on this deployment.") });
    show();
    expect((await screen.findByRole("alert")).textContent).toBe("Accounts are not configured on this deployment.");
    expect(screen.getByRole("button", { name: "Sign in" }).hasAttribute("disabled")).toBe(false);
  });

  it("offline: says to check the connection, and signing in says the same instead of waiting", async () => {
    goOffline();
    show();
    expect((await screen.findByRole("alert")).textContent).toBe(UNREACHABLE);
    signIn();
    expect((await screen.findByTestId("sign-in-error")).textContent).toBe(UNREACHABLE);
    expect(screen.getByRole("button", { name: "Sign in" }).hasAttribute("disabled")).toBe(false);
  });
});
