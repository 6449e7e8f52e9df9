import type { Browser, BrowserContext, Page } from "playwright-core";
import type { SignedUp } from "../auth-client";

/** better-auth's session cookie, carried from an API sign-up into a browser context. */
export const SESSION_COOKIE = "better-auth.session_token";

/**
 * A phone-sized page (390 × 844, touch), signed in as `user` when given, collecting page errors. `prepare`
 * runs on the context before the page opens (permissions, init scripts).
 */
export async function phonePage(
  browser: Browser,
  origin: string,
  user?: SignedUp,
  prepare?: (context: BrowserContext) => Promise<void>,
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  if (user) await context.addCookies([{ name: SESSION_COOKIE, value: user.browser.cookies.get(SESSION_COOKIE)!, url: origin, httpOnly: true, sameSite: "Lax" }]);
  await prepare?.(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, errors };
}

/** How wide the document is (more than the viewport means something spills sideways). */
export const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

export const allowClipboard = (origin: string) => (context: BrowserContext) => context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
