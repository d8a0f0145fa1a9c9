import type { Browser, Page } from "@playwright/test";
import { appOrigin, expect, freshUser, submitLogIn, submitSignUp, test, type TestUser, visit, watchCsp } from "./helpers";

/**
 * Open redirects after log-in and sign-up, tried in a real browser: each target would, after the
 * browser's own normalisation (tabs and newlines dropped, `\` read as `/`, dot segments
 * resolved), point at another host. The foreign host is answered locally, so a failure shows as
 * the browser sitting on evil.example rather than a DNS error.
 */
const FOREIGN_TARGETS = [
  "/%09/evil.example",
  "/%0A/evil.example",
  "/%0D%0A/evil.example",
  "/%5Cevil.example",
  "/%09%5Cevil.example",
  "/.//evil.example",
  "/%2F%2Fevil.example",
  "//evil.example",
];

async function browserFor(browser: Browser, javaScriptEnabled: boolean): Promise<Page> {
  const context = watchCsp(await browser.newContext({ javaScriptEnabled }));
  await context.route((url) => url.hostname === "evil.example", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil</h1>" }));
  return context.newPage();
}

async function signUpOnce(browser: Browser): Promise<TestUser> {
  const page = await browserFor(browser, true);
  const user = freshUser("redirect");
  await visit(page, "/signup");
  await submitSignUp(page, user);
  await expect(page).toHaveURL(/\/workspaces\/new$/);
  await page.context().close();
  return user;
}

test.describe("redirectTo never leaves the site", () => {
  // Several browsers and log-ins per test, on a shared two-core machine.
  test.describe.configure({ timeout: 150_000 });
  for (const javaScriptEnabled of [true, false]) {
    const how = javaScriptEnabled ? "with JavaScript" : "without JavaScript";

    test(`log-in ${how}`, async ({ browser }) => {
      const user = await signUpOnce(browser);
      for (const target of FOREIGN_TARGETS) {
        const page = await browserFor(browser, javaScriptEnabled);
        const response = await page.goto(`/login?redirectTo=${target}`);
        expect(response?.status()).toBe(200);
        if (javaScriptEnabled) await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber")));
        await page.getByLabel("Email").fill(user.email);
        await page.getByLabel("Password").fill(user.password);
        await page.getByRole("button", { name: "Log in" }).click();
        await expect(page, `after logging in with redirectTo=${target}`).not.toHaveURL(/\/login/);
        await page.waitForLoadState("load");
        expect(new URL(page.url()).origin, `after logging in with redirectTo=${target}`).toBe(appOrigin());
        await page.context().close();
      }
    });

    test(`sign-up ${how}`, async ({ browser }) => {
      for (const target of FOREIGN_TARGETS.slice(0, 4)) {
        const page = await browserFor(browser, javaScriptEnabled);
        await page.goto(`/signup?redirectTo=${target}`);
        if (javaScriptEnabled) await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber")));
        const user = freshUser("redirect");
        await page.getByLabel("Your name").fill(user.name);
        await page.getByLabel("Work email").fill(user.email);
        await page.getByLabel("Password").fill(user.password);
        await page.getByRole("button", { name: "Create account" }).click();
        await expect(page, `after signing up with redirectTo=${target}`).toHaveURL(/\/workspaces\/new$/);
        expect(new URL(page.url()).origin).toBe(appOrigin());
        await page.context().close();
      }
    });
  }

  test("a path on this site is still honoured", async ({ browser }) => {
    const user = await signUpOnce(browser);
    const page = await browserFor(browser, true);
    await visit(page, `/login?redirectTo=${encodeURIComponent("/account")}`);
    await submitLogIn(page, user.email, user.password);
    await expect(page).toHaveURL(`${appOrigin()}/account`);
    await page.context().close();
  });
});
