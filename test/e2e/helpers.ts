import pg from "pg";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test as base, expect, type APIResponse, type Browser, type BrowserContext, type Locator, type Page, type Response } from "@playwright/test";

/**
 * Every test fails if a page broke the Content-Security-Policy: Chromium reports each refused
 * script, style or connection on the console. The `context` fixture is watched on its own;
 * contexts a test opens itself are watched through `watchCsp` (joinThroughInvite does).
 */
let violations: string[] | null = null;

export function watchCsp(context: BrowserContext): BrowserContext {
  context.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations?.push(`${message.page()?.url() ?? "?"}: ${message.text()}`);
  });
  return context;
}

export const test = base.extend<{ cspWatch: void }>({
  cspWatch: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, run) => {
      violations = [];
      await run();
      const seen = violations;
      violations = null;
      expect(seen, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
  context: async ({ context, cspWatch }, run) => {
    void cspWatch;
    await run(watchCsp(context));
  },
});
export { expect };

/** The demo account `npm run db:seed` creates (db/seed.ts); the e2e server is seeded with it. */
export const DEMO = { email: "demo@hindsight.test", password: "learn-from-hindsight-26", slug: "acme" } as const;

const PASSWORD = "tangerine-lantern-harbour-42";

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
async function signUp(page: Page, user: TestUser = freshUser()): Promise<TestUser> {
  await visit(page, "/signup");
  await submitSignUp(page, user);
  await expect(page).toHaveURL(/\/workspaces\/new$/);
  return user;
}

async function createWorkspace(page: Page, name: string, slug: string): Promise<string> {
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

export const WORKSPACE_SECTIONS = ["Incidents", "Postmortems", "Guardrails", "Decisions", "Insights", "Search", "Settings"] as const;

/** The workspace shell is showing: its name, the section navigation and the signed-in user's role. */
export async function expectWorkspaceShell(page: Page, slug: string, role?: "viewer" | "editor" | "admin"): Promise<void> {
  const nav = page.getByRole("navigation", { name: "Workspace", exact: true });
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

// ---------------------------------------------------------------------------------------------
// A second app server on a Postgres database of its own
//
// For the specs that take the database away from a running server or make it wait (busy,
// database-down): the production build on a fresh database of the local Postgres (the one the
// integration tests use), on a free port, beside the seeded server every other spec uses.

const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function onPostgres(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A port nobody listens on now (other work on this machine serves on ports near E2E_PORT). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export type SecondServer = {
  /** The fresh database's address, straight to Postgres (not through any proxy). */
  readonly databaseUrl: string;
  /** The server's origin, once started. */
  origin: () => string;
  /**
   * Creates the database and starts the server on it; resolves once /healthz answers 200.
   * `viaPort`: reach Postgres through a proxy listening on 127.0.0.1 at that port.
   */
  start: (options: { poolMax: number; viaPort?: number }) => Promise<void>;
  /** Until /healthz answers 200 again; fails at once if the server exited. */
  healthy: (ms: number) => Promise<void>;
  /** Stops the server and drops its database; safe after a start that failed half-way. */
  stop: () => Promise<void>;
};

/** A second server whose database is named after `label` and this run; call start() in beforeAll and stop() in afterAll. */
export function secondServer(label: string): SecondServer {
  const database = `hindsight_e2e_${label}_${Date.now().toString(36)}`;
  const direct = new URL(POSTGRES_ADMIN_URL);
  direct.pathname = `/${database}`;
  let app: ChildProcess | null = null;
  let origin = "";
  const healthy = async (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (app?.exitCode != null) throw new Error(`the second app server exited with ${app.exitCode}`);
      if (await fetch(`${origin}/healthz`).then((r) => r.ok, () => false)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error("the second app server did not become healthy in time");
  };
  return {
    databaseUrl: direct.toString(),
    origin: () => origin,
    healthy,
    async start({ poolMax, viaPort }) {
      await onPostgres(`create database ${database}`);
      const url = new URL(direct);
      if (viaPort) url.host = `127.0.0.1:${viaPort}`;
      const port = await freePort();
      origin = `http://localhost:${port}`;
      app = spawn(process.execPath, ["build/node/server/index.js"], {
        env: { ...process.env, NODE_ENV: "production", PORT: String(port), DATABASE_URL: url.toString(), LOG_LEVEL: "error", DATABASE_POOL_MAX: String(poolMax) },
        stdio: "ignore",
      });
      // A fresh database is migrated as the server starts: slow on a busy two-core machine.
      await healthy(60_000);
    },
    async stop() {
      app?.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 1000));
      await onPostgres(`drop database if exists ${database} with (force)`);
    },
  };
}

/**
 * Signs someone new up on `origin` with a plain POST and opens a page signed in as them, with the
 * session in the context's cookie jar (the page sets cookies of its own: the reader's time zone).
 * `cookie` is the session for requests made outside the browser. The caller closes `context`.
 */
export async function signedInPage(browser: Browser, origin: string): Promise<{ context: BrowserContext; page: Page; cookie: string }> {
  const signup = await fetch(`${origin}/signup`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ displayName: "Dana", email: `dana-${Date.now()}@e2e.test`, password: PASSWORD }),
  });
  expect(signup.status, "signing up on the second server").toBe(302);
  const cookie = signup.headers.get("set-cookie")!.split(";")[0]!;
  const context = watchCsp(await browser.newContext({ baseURL: origin }));
  const [name, ...value] = cookie.split("=");
  await context.addCookies([{ name: name!, value: value.join("="), url: origin }]);
  const page = await context.newPage();
  expect((await page.goto("/workspaces/new"))?.status(), "a signed-in page").toBe(200);
  return { context, page, cookie };
}

// ---------------------------------------------------------------------------------------------
// Several people at once

/** An admin creates a one-time invite link on Settings; returns the link. */
async function createInviteLink(admin: Page, slug: string, role: "viewer" | "editor" | "admin"): Promise<string> {
  await visit(admin, `/w/${slug}/settings`);
  await admin.getByLabel("They join as").selectOption(role);
  const invited = formPost(admin, `/w/${slug}/settings`);
  await admin.getByRole("button", { name: "Create invite link" }).click();
  expect((await invited).status()).toBe(200);
  await expect(admin.getByRole("status")).toHaveText(`Invite link for a new ${role} created.`);
  return admin.getByLabel(/Invite link/).inputValue();
}

/**
 * Someone new, in their own browser context (own cookies and storage), signs up through an invite
 * link and joins. The caller closes `page.context()`.
 */
async function joinThroughInvite(browser: Browser, link: string, prefix = "member"): Promise<{ page: Page; user: TestUser }> {
  const context = watchCsp(await browser.newContext());
  const page = await context.newPage();
  const user = freshUser(prefix);
  await visit(page, link);
  await page.getByRole("link", { name: "Create an account to join" }).click();
  await expect(page).toHaveURL(/\/signup\?redirectTo=%2Finvite%2F/);
  await waitForHydration(page);
  await submitSignUp(page, user);
  await expect(page).toHaveURL(new URL(link).pathname);
  await page.getByRole("button", { name: /^Join / }).click();
  await expect(page).toHaveURL(/\/w\/[^/]+$/);
  return { page, user };
}

/** An admin invites a new member with `role`; they sign up and join in a second browser context. */
export async function inviteMember(
  admin: Page,
  browser: Browser,
  slug: string,
  role: "viewer" | "editor" | "admin",
  prefix: string = role,
): Promise<{ page: Page; user: TestUser }> {
  return joinThroughInvite(browser, await createInviteLink(admin, slug, role), prefix);
}

// ---------------------------------------------------------------------------------------------
// Incidents and postmortems

export type IncidentInput = {
  title: string;
  severity?: "SEV1" | "SEV2" | "SEV3" | "SEV4";
  tier?: "T0" | "T1" | "T2" | "T3";
  /** Area names as Settings lists them, e.g. "Billing and entitlements". */
  areas?: string[];
  /** datetime-local values, read as UTC: "2026-03-02T10:00". */
  startedAt: string;
  detectedAt?: string;
  mitigatedAt?: string;
};

/** Fills the "Record an incident" form (the page must be on it) and submits it; returns the POST's answer. */
export async function submitIncident(page: Page, slug: string, input: IncidentInput): Promise<Response> {
  await page.getByLabel("Title", { exact: true }).fill(input.title);
  await page.getByLabel("Severity").selectOption(input.severity ?? "SEV3");
  await page.getByLabel("Tier of the change involved").selectOption(input.tier ?? "T1");
  await page.getByLabel("Started", { exact: true }).fill(input.startedAt);
  await page.getByLabel("Detected", { exact: true }).fill(input.detectedAt ?? "");
  await page.getByLabel("Mitigated", { exact: true }).fill(input.mitigatedAt ?? "");
  for (const area of input.areas ?? []) await page.getByRole("checkbox", { name: area }).check();
  const posted = formPost(page, `/w/${slug}/incidents/new`);
  await page.getByRole("button", { name: "Record incident" }).click();
  return posted;
}

/** Records an incident through the form; returns its number (INC-n). */
export async function recordIncident(page: Page, slug: string, input: IncidentInput): Promise<number> {
  await visit(page, `/w/${slug}/incidents/new`);
  const response = await submitIncident(page, slug, input);
  expect(response.status(), "recording the incident").toBeLessThan(400);
  await expect(page).toHaveURL(new RegExp(`/w/${slug}/incidents/\\d+$`));
  const number = Number(new URL(page.url()).pathname.split("/").pop());
  await expect(page.getByRole("heading", { level: 1, name: `INC-${number} · ${input.title}` })).toBeVisible();
  return number;
}

export function postmortemPath(slug: string, number: number, rest = ""): string {
  return `/w/${slug}/incidents/${number}/postmortem${rest}`;
}

/** From the incident's page, starts its postmortem from a template; lands in the editor. */
export async function startPostmortem(page: Page, slug: string, number: number, template = "Google SRE"): Promise<void> {
  await visit(page, `/w/${slug}/incidents/${number}`);
  await page.getByRole("radio", { name: new RegExp(`^${template}`) }).check();
  await page.getByRole("button", { name: "Start the postmortem" }).click();
  await expect(page).toHaveURL(postmortemPath(slug, number, "/edit"));
  await expect(postmortemBody(page)).toBeVisible();
}

/** A postmortem page's "Contributing factors" section. */
export function factorsSection(page: Page): Locator {
  return page.locator("section", { has: page.getByRole("heading", { level: 2, name: "Contributing factors" }) });
}

/**
 * On a postmortem's page, adds a contributing factor through its form (opening the form when the
 * postmortem already has factors); returns the factor's <article>.
 */
export async function addFactorOnPage(page: Page, text: string, category: string): Promise<Locator> {
  const factors = factorsSection(page);
  const factorText = factors.getByLabel("What made this possible");
  // The form is open already while the postmortem has no factor.
  if (!(await factorText.isVisible())) await factors.getByText("Add a factor", { exact: true }).click();
  await factorText.fill(text);
  await factors.getByLabel("Category", { exact: true }).selectOption({ label: category });
  await factors.getByRole("button", { name: /^Add (a )?factor$/ }).click();
  return factors.locator("article", { hasText: text.slice(0, 40) });
}

/**
 * Refuses the live-editing WebSocket, as a proxy that blocks upgrades would: the writing pages
 * fall back to the HTTP autosave with its version check (ADR 29). For the tests of that path.
 */
export async function withoutLiveEditing(page: Page): Promise<void> {
  await page.routeWebSocket(/\/collab$/, (socket) => socket.close());
}

/** The editor's writing area (Tiptap renders it after hydration). */
export function postmortemBody(page: Page): Locator {
  return page.getByRole("textbox", { name: "Postmortem body" });
}

/** Opens the editor and waits until it can be typed into. */
export async function openEditor(page: Page, slug: string, number: number): Promise<void> {
  await visit(page, postmortemPath(slug, number, "/edit"));
  await expect(postmortemBody(page)).toHaveAttribute("contenteditable", "true");
}

/**
 * Types `text` as a new block: after the block holding `after`, or at the very end of the
 * document (a new paragraph when it ends with one, as the Google SRE template does).
 */
export async function appendParagraph(page: Page, text: string, after?: string): Promise<void> {
  const body = postmortemBody(page);
  if (after) {
    // A click just inside the block's bottom-right corner puts the caret after its last word.
    const block = body.locator("p", { hasText: after });
    const box = await block.boundingBox();
    if (!box) throw new Error(`no block with "${after}" in view`);
    await block.click({ position: { x: box.width - 2, y: box.height - 4 } });
  } else {
    await body.click();
    await page.keyboard.press("Control+End");
  }
  await caretAtEndOfBlock(page, after ?? null);
  await page.keyboard.press("Enter");
  await page.keyboard.type(text);
  await expect(body).toContainText(text);
}

/** Selects the whole block holding `text` with a triple click, as a person would to retype it. */
export async function selectBlock(page: Page, text: string): Promise<void> {
  await postmortemBody(page).getByText(text).click({ clickCount: 3 });
  await page.waitForFunction((blockText) => {
    type EditorLike = { state: { selection: { empty: boolean; $from: { parent: { textContent: string } } } } };
    const editor = (document.querySelector(".ProseMirror") as unknown as { editor?: EditorLike } | null)?.editor;
    return Boolean(editor && !editor.state.selection.empty && editor.state.selection.$from.parent.textContent.includes(blockText));
  }, text);
}

/**
 * Waits until the editor itself (not only the browser) has the caret at the end of the block
 * holding `text` (null: the document's last block). ProseMirror learns of a caret moved by a
 * click or Control+End from the browser's selectionchange event, which arrives a moment later;
 * a key pressed before it would land where the caret was before.
 */
async function caretAtEndOfBlock(page: Page, text: string | null): Promise<void> {
  type ResolvedPos = {
    parent: { textContent: string; content: { size: number } };
    parentOffset: number;
    depth: number;
    after: (depth: number) => number;
    end: (depth?: number) => number;
  };
  type EditorLike = { state: { selection: { empty: boolean; $from: ResolvedPos } } };
  await page.waitForFunction((blockText) => {
    const editor = (document.querySelector(".ProseMirror") as unknown as { editor?: EditorLike } | null)?.editor;
    if (!editor) return false;
    const { empty, $from } = editor.state.selection;
    if (!empty || $from.parentOffset !== $from.parent.content.size) return false;
    if (blockText !== null) return $from.parent.textContent.includes(blockText);
    // The document's last block: every ancestor of the caret is the last child of its parent.
    for (let depth = 1; depth <= $from.depth; depth++) if ($from.after(depth) !== $from.end(depth - 1)) return false;
    return true;
  }, text);
}

/** Waits for autosave to settle and returns the version it reports. */
export async function expectAllSaved(page: Page, version?: number): Promise<number> {
  const state = page.getByTestId("save-state");
  await expect(state).toHaveText(version ? `All changes saved · version ${version}` : /^All changes saved · version \d+$/);
  return Number((await state.textContent())!.match(/version (\d+)/)![1]);
}

// ---------------------------------------------------------------------------------------------
// Screenshots

/** Nothing may make the page scroll sideways; wide tables scroll inside their own box. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `horizontal overflow on ${page.url()}`).toBeLessThanOrEqual(0);
}

const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), "screenshots");

/**
 * A full-page screenshot for a person to look at (nothing compares it). Written to
 * test/e2e/screenshots/, whose PNGs git ignores.
 */
export async function shoot(page: Page, name: string): Promise<void> {
  // Let fonts and layout settle; nothing animates, so one frame is enough.
  await page.evaluate(() => document.fonts.ready);
  // From the top, so sticky parts (sidebar, editor toolbar) sit where a reader first sees them.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * The page at 1280 and at 390 px wide: no sideways scroll at either, a screenshot of each
 * (`<name>-1280`, `<name>-390`), then back to 1280.
 */
export async function shootAtBothWidths(page: Page, name: string): Promise<void> {
  await expectNoSidewaysScroll(page);
  await shoot(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await shoot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

// ---------------------------------------------------------------------------------------------
// Webhook deliveries

/**
 * Posts a webhook delivery the way GitHub and Jira Cloud send one: the payload as a JSON body,
 * the sender's own headers (event, delivery id), and the body's HMAC-SHA256 under `secret` as
 * `sha256=<hex>` in `signatureHeader` (GitHub: X-Hub-Signature-256; Jira Cloud: X-Hub-Signature).
 */
export async function postSignedDelivery(
  page: Page,
  path: string,
  payload: unknown,
  options: { secret: string; signatureHeader: string; headers?: Record<string, string> },
): Promise<APIResponse> {
  const { createHmac } = await import("node:crypto");
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", options.secret).update(body).digest("hex")}`;
  return page.request.post(path, { data: body, headers: { "content-type": "application/json", ...options.headers, [options.signatureHeader]: signature } });
}
