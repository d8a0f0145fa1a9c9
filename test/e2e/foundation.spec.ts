import type { Browser, Page } from "@playwright/test";
import {
  adminWithWorkspace,
  appOrigin,
  DEMO,
  expect,
  expectAccessibleBasics,
  expectWorkspaceShell,
  formPost,
  freshUser,
  logIn,
  logOut,
  postForm,
  submitLogIn,
  submitSignUp,
  tag,
  test,
  type TestUser,
  visit,
  waitForHydration,
  watchCsp,
  WORKSPACE_SECTIONS,
} from "./helpers";

/** A second person with their own cookies in the same browser; the test closes its context. */
async function secondPerson(browser: Browser): Promise<Page> {
  const context = watchCsp(await browser.newContext());
  return context.newPage();
}

test.describe("accounts and workspaces", () => {
  test("sign up, create a workspace, log out and log back in", async ({ page }) => {
    await visit(page, "/");
    await page.getByRole("link", { name: "Create an account" }).click();
    await expect(page).toHaveURL(/\/signup$/);
    await waitForHydration(page);
    await expectAccessibleBasics(page);

    const user = freshUser("founder");
    await submitSignUp(page, user);
    await expect(page).toHaveURL(/\/workspaces\/new$/);

    const t = tag();
    const name = `Founders ${t}`;
    const slug = `founders-${t}`;
    await page.getByLabel("Workspace name").fill(name);
    await page.getByLabel("Address").fill(slug);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}$`));
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expectWorkspaceShell(page, slug, "admin");
    await expectAccessibleBasics(page);

    // Every section opens inside the shell, marked as the current page.
    const nav = page.getByRole("navigation", { name: "Workspace", exact: true });
    for (const section of WORKSPACE_SECTIONS) {
      await nav.getByRole("link", { name: section, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`/w/${slug}/${section.toLowerCase()}$`));
      await expect(page.getByRole("heading", { level: 1, name: section })).toBeVisible();
      await expect(nav.getByRole("link", { name: section, exact: true })).toHaveAttribute("aria-current", "page");
      await expectAccessibleBasics(page);
    }

    await logOut(page);
    // Logged out, the workspace sends you to log in and remembers where you were going.
    await page.goto(`/w/${slug}/decisions`);
    await expect(page).toHaveURL(`/login?redirectTo=${encodeURIComponent(`/w/${slug}/decisions`)}`);
    await waitForHydration(page);
    await submitLogIn(page, user.email, user.password);
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/decisions$`));
    await expectWorkspaceShell(page, slug, "admin");

    // A plain log in lands in the user's workspace.
    await logOut(page);
    await logIn(page, user);
    await expect(page).toHaveURL(new RegExp(`/w/${slug}$`));
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  });

  test.describe("sign-up form errors", () => {
    const cases: { what: string; input: Partial<TestUser>; field: string; message: RegExp; status: number }[] = [
      { what: "a too-short password", input: { password: "short-1" }, field: "Password", message: /at least 10 characters/, status: 400 },
      { what: "a very common password", input: { password: "password123" }, field: "Password", message: /most common/, status: 400 },
      { what: "a password over 128 characters", input: { password: "ab3-".repeat(33) }, field: "Password", message: /at most 128 characters/, status: 400 },
      { what: "an email that already has an account", input: { email: DEMO.email }, field: "Work email", message: /already exists/, status: 409 },
      { what: "an invalid email", input: { email: "dana-at-example" }, field: "Work email", message: /Enter an email address/, status: 400 },
    ];
    for (const c of cases) {
      test(`${c.what} is refused beside the field, keeping what was typed`, async ({ page }) => {
        const user = { ...freshUser("signup"), ...c.input };
        await visit(page, "/signup");
        const response = await submitSignUp(page, user);
        expect(response.status()).toBe(c.status);

        const field = page.getByLabel(c.field);
        await expect(field).toHaveAttribute("aria-invalid", "true");
        await expect(field).toHaveAccessibleDescription(c.message);
        await expect(page.locator(".field", { has: field }).getByRole("alert")).toHaveText(c.message);
        await expect(page.getByLabel("Your name")).toHaveValue(user.name);
        await expect(page.getByLabel("Work email")).toHaveValue(user.email);
        await expect(page).toHaveURL(/\/signup$/);
        await expectAccessibleBasics(page);
      });
    }

    test.describe("without JavaScript", () => {
      test.use({ javaScriptEnabled: false });

      test("the server re-renders the errors and the typed values, never the password", async ({ page }) => {
        await page.goto("/signup");
        const user = { ...freshUser("nojs"), email: DEMO.email };
        const response = await submitSignUp(page, user);
        expect(response.status()).toBe(409);
        await expect(page.getByLabel("Work email")).toHaveAccessibleDescription(/already exists/);
        await expect(page.getByLabel("Your name")).toHaveValue(user.name);
        await expect(page.getByLabel("Work email")).toHaveValue(user.email);
        await expect(page.getByLabel("Password")).toHaveValue("");
        await expectAccessibleBasics(page);
      });
    });
  });

  test("a wrong password on log in says so and keeps the email", async ({ page, request }) => {
    const user = freshUser("login");
    // Set up the account directly; the sign-up flow itself is covered above.
    const created = await request.post("/signup", {
      form: { displayName: user.name, email: user.email, password: user.password },
      headers: { Origin: appOrigin() },
      maxRedirects: 0,
    });
    expect(created.status()).toBe(302);

    await visit(page, "/login");
    const response = await submitLogIn(page, user.email, "not-the-right-password");
    expect(response.status()).toBe(401);
    await expect(page.getByRole("alert")).toHaveText("That email and password don't match an account.");
    await expect(page.getByLabel("Email")).toHaveValue(user.email);
    await expectAccessibleBasics(page);

    const ok = await submitLogIn(page, user.email, user.password);
    expect(ok.status()).toBeLessThan(400);
    await expect(page).toHaveURL(/\/workspaces\/new$/);
  });
});

/**
 * Actions a viewer must not be able to take, each as the form POST a page would make. Extend this
 * list as features land (incidents, postmortems, ...): `needs` is the lowest role allowed.
 */
const ROLE_GATED_ACTIONS: { what: string; needs: "editor" | "admin"; path: (slug: string) => string; form: Record<string, string> }[] = [
  { what: "create an invite link", needs: "admin", path: (slug) => `/w/${slug}/settings`, form: { intent: "invite", role: "editor" } },
  { what: "rename the workspace", needs: "admin", path: (slug) => `/w/${slug}/settings`, form: { intent: "rename", name: "Taken over" } },
  {
    what: "record an incident",
    needs: "editor",
    path: (slug) => `/w/${slug}/incidents/new`,
    form: { title: "Recorded by a viewer", severity: "SEV3", status: "investigating", tier: "T1", startedAt: "2026-01-02T03:04:00Z" },
  },
];

test.describe("roles", () => {
  test("an admin invites a viewer, who joins through the link and can change nothing", async ({ page, browser }) => {
    const admin = await adminWithWorkspace(page);

    // The admin creates a one-time invite link for a viewer.
    await visit(page, `/w/${admin.slug}/settings`);
    await page.getByLabel("They join as").selectOption("viewer");
    const invited = formPost(page, `/w/${admin.slug}/settings`);
    await page.getByRole("button", { name: "Create invite link" }).click();
    expect((await invited).status()).toBe(200);
    await expect(page.getByRole("status")).toHaveText("Invite link for a new viewer created.");
    const link = await page.getByLabel(/Invite link/).inputValue();
    expect(link).toMatch(new RegExp(`^${appOrigin()}/invite/[^/]+$`));
    await expect(page.getByText(/viewer invite by/)).toBeVisible();
    await expectAccessibleBasics(page);

    // Someone without an account opens it in their own browser.
    const viewer = await secondPerson(browser);
    try {
      await visit(viewer, link);
      await expect(viewer.getByRole("heading", { level: 1, name: `Join ${admin.name}` })).toBeVisible();
      await expect(viewer.getByText("You are invited as viewer.")).toBeVisible();
      await viewer.getByRole("link", { name: "Create an account to join" }).click();
      await expect(viewer).toHaveURL(/\/signup\?redirectTo=%2Finvite%2F/);
      await waitForHydration(viewer);
      await expectAccessibleBasics(viewer);
      const viewerUser = freshUser("viewer");
      await submitSignUp(viewer, viewerUser);
      await expect(viewer).toHaveURL(new URL(link).pathname);
      await expect(viewer.getByText(`You are logged in as ${viewerUser.email}.`)).toBeVisible();
      await viewer.getByRole("button", { name: `Join ${admin.name}` }).click();
      await expect(viewer).toHaveURL(new RegExp(`/w/${admin.slug}$`));
      await expectWorkspaceShell(viewer, admin.slug, "viewer");
      await expect(viewer.getByText("An admin can invite more people.")).toBeVisible();

      // The link worked once.
      const reused = await viewer.request.get(link);
      expect(reused.status()).toBe(404);

      // Settings, read-only: no admin controls at all.
      await visit(viewer, `/w/${admin.slug}/settings`);
      const main = viewer.getByRole("main");
      await expect(main.getByRole("row", { name: new RegExp(viewerUser.email) })).toContainText("viewer");
      await expect(main.getByRole("row", { name: new RegExp(admin.user.email) })).toContainText("admin");
      await expect(main.getByRole("button")).toHaveCount(0);
      await expect(main.getByRole("combobox")).toHaveCount(0);
      await expect(main.getByRole("textbox")).toHaveCount(0);
      await expect(main.getByRole("heading", { name: "Invite people" })).toHaveCount(0);

      // And the actions themselves are refused by the server, not only hidden.
      for (const action of ROLE_GATED_ACTIONS) {
        const refused = await postForm(viewer, action.path(admin.slug), action.form);
        expect(refused.status(), `viewer tries to ${action.what}`).toBe(403);
        expect(await refused.text()).toContain(`needs the ${action.needs} role`);
      }
    } finally {
      await viewer.context().close();
    }

    // The same request from the admin goes through, so the 403 above was the role check.
    const allowed = await postForm(page, `/w/${admin.slug}/settings`, { intent: "invite", role: "editor" });
    expect(allowed.status()).toBe(200);
    await visit(page, `/w/${admin.slug}/settings`);
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(admin.name);
    await expect(page.getByRole("row", { name: /E2E viewer/ }).getByRole("combobox")).toHaveValue("viewer");
  });
});

test.describe("workspace isolation", () => {
  test("another team's workspace and an unknown one are both 404", async ({ page, browser }) => {
    const a = await adminWithWorkspace(page, "alice");
    const bob = await secondPerson(browser);
    try {
      const b = await adminWithWorkspace(bob, "bob");
      for (const path of [`/w/${a.slug}`, `/w/${a.slug}/settings`, `/w/${a.slug}/incidents`, `/w/no-such-team-${tag()}`]) {
        await visit(bob, path, 404);
        await expect(bob.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
        await expect(bob.getByText(a.name)).toHaveCount(0);
      }
      // Nor can Bob act on it.
      const post = await postForm(bob, `/w/${a.slug}/settings`, { intent: "invite", role: "admin" });
      expect(post.status()).toBe(404);
      // His own workspace is fine.
      await visit(bob, `/w/${b.slug}`);
      await expectWorkspaceShell(bob, b.slug, "admin");
    } finally {
      await bob.context().close();
    }
  });
});

test.describe("request safety", () => {
  const STATE_CHANGING_PATHS = ["/login", "/signup", "/logout", `/w/${DEMO.slug}/settings`, "/workspaces/new"];

  test("cross-site and Origin-less form posts are refused with 403", async ({ request }) => {
    const form = { email: DEMO.email, password: DEMO.password };
    for (const path of STATE_CHANGING_PATHS) {
      const crossSite = await request.post(path, { form, headers: { Origin: "http://evil.example" }, maxRedirects: 0 });
      expect(crossSite.status(), `cross-site POST ${path}`).toBe(403);
      expect(await crossSite.text()).toContain("evil.example");

      const noOrigin = await request.post(path, { form, maxRedirects: 0 });
      expect(noOrigin.status(), `Origin-less POST ${path}`).toBe(403);
    }
    // The same log in from this site works: the check refuses only what it should.
    const sameSite = await request.post("/login", { form, headers: { Origin: appOrigin() }, maxRedirects: 0 });
    expect(sameSite.status()).toBe(302);
    expect(sameSite.headers()["set-cookie"]).toMatch(/^hs_session=[a-z2-7]{32};.*HttpOnly.*SameSite=Lax/);
  });

  test("a tampered session cookie is no session: log in again, no error", async ({ page, context }) => {
    // A genuine session first, to tamper with.
    const loggedIn = await postForm(page, "/login", { email: DEMO.email, password: DEMO.password });
    expect(loggedIn.status()).toBe(302);
    const genuine = (await context.cookies()).find((c) => c.name === "hs_session");
    expect(genuine?.value).toMatch(/^[a-z2-7]{32}$/);
    await visit(page, `/w/${DEMO.slug}`);
    await expectWorkspaceShell(page, DEMO.slug, "admin");

    const flipped = genuine!.value.slice(0, -1) + (genuine!.value.endsWith("a") ? "b" : "a");
    for (const value of ["garbage", flipped, genuine!.value.toUpperCase(), "%E0%A4%A", ""]) {
      await context.clearCookies();
      await context.addCookies([{ name: "hs_session", value, url: appOrigin() }]);
      const response = await page.goto(`/w/${DEMO.slug}`);
      expect(response?.status(), `cookie "${value}"`).toBe(200);
      await expect(page).toHaveURL(`/login?redirectTo=${encodeURIComponent(`/w/${DEMO.slug}`)}`);
      await expect(page.getByRole("heading", { level: 1, name: "Log in" })).toBeVisible();
    }
    await visit(page, "/");
    await expect(page.getByRole("link", { name: "Create an account" })).toBeVisible();
  });
});

test.describe("accessibility smoke", () => {
  test("every page has one h1 and labelled form controls", async ({ page }) => {
    for (const path of ["/", "/login", "/signup", "/login?redirectTo=%2Fw%2Facme"]) await visit(page, path);
    await visit(page, "/invite/not-a-real-invite", 404);

    const { slug } = await adminWithWorkspace(page, "a11y");
    await visit(page, `/w/${slug}`);
    for (const section of WORKSPACE_SECTIONS) await visit(page, `/w/${slug}/${section.toLowerCase()}`);
    await visit(page, "/workspaces/new");
    await visit(page, `/w/${slug}/no-such-page`, 404);

    // The skip link is the first thing a keyboard reaches, and it leads to the main content.
    await visit(page, `/w/${slug}`);
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  });
});
