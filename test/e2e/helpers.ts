import { randomBytes } from "node:crypto";
import { expect, test, type APIResponse, type Page, type Response } from "@playwright/test";

/** The demo account `npm run db:seed` creates (db/seed.ts); the e2e server is seeded with it. */
export const DEMO = { email: "demo@hindsight.test", password: "learn-from-hindsight-26", slug: "acme" } as const;

export const PASSWORD = "tangerine-lantern-harbour-42";

export type TestUser = { name: string; email: string; password: string };

/** A short random tag, so every run and every test has its own users and workspaces. */
export function tag(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

export function freshUser(prefix = "user"): TestUser {
  const t = tag();
  return { name: `E2E ${prefix} ${t}`, email: `${prefix}-${t}@e2e.test`, password: PASSWORD };
}

/** The app's own origin (the configured baseURL); the same-origin check compares Origin with it. */
export function appOrigin(): string {
  const baseURL = test.info().project.use.baseURL;
  if (!baseURL) throw new Error("playwright.config.ts sets no baseURL");
  return new URL(baseURL).origin;
}

/**
 * Waits until React has hydrated the page. Controlled inputs (the workspace address) can lose
 * what was typed into them before hydration, so forms are filled only after it.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber")));
}

/** page.goto that insists on an answer, then waits for hydration and checks the page's basics. */
export async function visit(page: Page, path: string, status = 200): Promise<Response> {
  const response = await page.goto(path);
  expect(response, `no response for ${path}`).not.toBeNull();
  expect(response!.status(), `status of ${path}`).toBe(status);
  await waitForHydration(page);
  await expectAccessibleBasics(page);
  return response!;
}

/**
 * The accessibility smoke check every visited page gets: exactly one h1, and every form control
 * a person can reach has a label (a <label>, aria-label or aria-labelledby).
 */
export async function expectAccessibleBasics(page: Page): Promise<void> {
  await expect(page.locator("h1"), `one h1 on ${page.url()}`).toHaveCount(1);
  const unlabelled = await page.evaluate(() => {
    const controls = document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
      "input:not([type=hidden]), select, textarea",
    );
    return [...controls]
      .filter((el) => {
        const byLabel = el.labels && [...el.labels].some((l) => l.textContent?.trim());
        const byAria = el.getAttribute("aria-label")?.trim() || el.getAttribute("aria-labelledby");
        return !byLabel && !byAria;
      })
      .map((el) => el.outerHTML.slice(0, 120));
  });
  expect(unlabelled, `form controls without a label on ${page.url()}`).toEqual([]);
}

/** Waits for the POST a form submission makes (a document POST or Remix's single-fetch .data). */
export function formPost(page: Page, path: string): Promise<Response> {
  return page.waitForResponse((r) => {
    if (r.request().method() !== "POST") return false;
    const pathname = new URL(r.url()).pathname;
    return pathname === path || pathname === `${path}.data` || (path === "/" && pathname === "/_root.data");
  });
}

/** Fills the sign-up form (the page must already be on it) and submits it; returns the POST's answer. */
export async function submitSignUp(page: Page, user: Partial<TestUser>): Promise<Response> {
  await page.getByLabel("Your name").fill(user.name ?? "");
  await page.getByLabel("Work email").fill(user.email ?? "");
  await page.getByLabel("Password").fill(user.password ?? "");
  const posted = formPost(page, "/signup");
  await page.getByRole("button", { name: "Create account" }).click();
  return posted;
}

/** Signs a new user up from /signup; lands on "Create a workspace" (or redirectTo). */
export async function signUp(page: Page, user: TestUser = freshUser()): Promise<TestUser> {
  await visit(page, "/signup");
  await submitSignUp(page, user);
  await expect(page).toHaveURL(/\/workspaces\/new$/);
  return user;
}

export async function createWorkspace(page: Page, name: string, slug: string): Promise<string> {
  await expect(page.getByRole("heading", { level: 1, name: "Create a workspace" })).toBeVisible();
  await waitForHydration(page);
  await expectAccessibleBasics(page);
  await page.getByLabel("Workspace name").fill(name);
  await page.getByLabel("Address").fill(slug);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(new RegExp(`/w/${slug}$`));
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return slug;
}

/** A fresh user who is admin of a fresh workspace, signed in on `page`. */
export async function adminWithWorkspace(page: Page, prefix = "admin"): Promise<{ user: TestUser; slug: string; name: string }> {
  const user = await signUp(page, freshUser(prefix));
  const t = tag();
  const name = `Team ${t}`;
  const slug = await createWorkspace(page, name, `team-${t}`);
  return { user, slug, name };
}

/** Fills the login form (the page must already be on it) and submits it. */
export async function submitLogIn(page: Page, email: string, password: string): Promise<Response> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  const posted = formPost(page, "/login");
  await page.getByRole("button", { name: "Log in" }).click();
  return posted;
}

export async function logIn(page: Page, user: Pick<TestUser, "email" | "password">): Promise<void> {
  await visit(page, "/login");
  await submitLogIn(page, user.email, user.password);
  await expect(page).not.toHaveURL(/\/login/);
}

export async function logOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

export const WORKSPACE_SECTIONS = ["Incidents", "Postmortems", "Guardrails", "Decisions", "Search", "Settings"] as const;

/** The workspace shell is showing: its name, the section navigation and the signed-in user's role. */
export async function expectWorkspaceShell(page: Page, slug: string, role?: "viewer" | "editor" | "admin"): Promise<void> {
  const nav = page.getByRole("navigation", { name: "Workspace" });
  await expect(nav).toBeVisible();
  for (const section of WORKSPACE_SECTIONS) {
    await expect(nav.getByRole("link", { name: section, exact: true })).toHaveAttribute("href", `/w/${slug}/${section.toLowerCase()}`);
  }
  if (role) await expect(page.locator(".sidebar-foot .badge")).toHaveText(role);
}

/**
 * A form POST made outside the page, the way a script or a hand-made request would send it.
 * `origin: "same"` sends this site's Origin (as the browser would); a string sends that Origin;
 * null sends none.
 */
export async function postForm(
  page: Page,
  path: string,
  form: Record<string, string>,
  origin: "same" | string | null = "same",
): Promise<APIResponse> {
  const headers: Record<string, string> = {};
  if (origin) headers.Origin = origin === "same" ? appOrigin() : origin;
  return page.request.post(path, { form, headers, maxRedirects: 0 });
}
