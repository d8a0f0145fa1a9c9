import type { Page } from "@playwright/test";
import { adminWithWorkspace, DEMO, expect, expectNoSidewaysScroll, logIn, recordIncident, shoot, test, visit, waitForHydration } from "./helpers";
import { linksOn, mainPages } from "./main-pages";

const base = `/w/${DEMO.slug}`;

/** The page is no wider than the screen: nothing scrolls sideways (tables and code scroll in their own box). */
async function fitsTheScreen(page: Page, label: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `${label}: page width ${scrollWidth} on a ${innerWidth} px screen`).toBeLessThanOrEqual(innerWidth);
}

test.describe("phones", () => {
  test.describe.configure({ timeout: 300_000 });

  for (const width of [360, 390]) {
    test(`every main page fits a ${width} px screen without sideways scrolling`, async ({ page }) => {
      await page.setViewportSize({ width, height: 800 });
      await logIn(page, DEMO);
      const pages = await mainPages(page);
      for (const path of pages) {
        await visit(page, path);
        await fitsTheScreen(page, path);
      }
      // The editors too (they ship only where a document is written).
      const [decision] = await linksOn(page, `${base}/decisions`, /\/decisions\/(ADR|RFC)-\d+$/, 1);
      await visit(page, `${decision}/edit`);
      await expect(page.locator(".ProseMirror[contenteditable='true']")).toBeVisible();
      await fitsTheScreen(page, `${decision}/edit`);
    });
  }

  test("a published postmortem reads on a phone: the article fits, its tables scroll inside their own box", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await logIn(page, DEMO);
    const postmortems = await linksOn(page, `${base}/postmortems`, /\/incidents\/\d+\/postmortem$/, 20);
    let published: string | null = null;
    for (const path of postmortems) {
      await visit(page, path);
      if (await page.getByText("Published", { exact: true }).first().isVisible()) {
        published = path;
        break;
      }
    }
    expect(published, "a published postmortem in the demo").not.toBeNull();
    const article = page.locator("main .prose").first();
    const box = (await article.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await fitsTheScreen(page, published!);
    await shoot(page, "shell-postmortem-390");
  });

  test("the navigation is a Menu button on a phone: it opens, moves focus along, closes on Escape and after a choice", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await logIn(page, DEMO);
    await visit(page, `${base}/incidents`);
    const nav = page.getByRole("navigation", { name: "Workspace", exact: true });
    const menu = page.locator("summary", { hasText: "Menu" });
    await expect(nav).toBeHidden();
    await expect(menu).toBeVisible();
    // The header is one row now, not 290 px of links.
    const header = (await page.locator(".sidebar").boundingBox())!;
    expect(header.height).toBeLessThan(80);
    await shoot(page, "shell-menu-closed-390");

    // A disclosure a screen reader knows: a button that says whether it is expanded.
    await menu.focus();
    await page.keyboard.press("Enter");
    await expect(nav).toBeVisible();
    await expect(page.locator("details.nav-menu")).toHaveAttribute("open", "");
    await shoot(page, "shell-menu-open-390");
    await page.keyboard.press("Escape");
    await expect(nav).toBeHidden();
    await expect(menu).toBeFocused();

    await menu.click();
    await nav.getByRole("link", { name: "Decisions" }).click();
    await expect(page).toHaveURL(`${base}/decisions`);
    await expect(page.getByRole("heading", { level: 1, name: "Decisions" })).toBeVisible();
    await expect(nav).toBeHidden();
    await fitsTheScreen(page, "decisions");

    // "/" still finds the search box, opening the menu it sits in.
    await page.keyboard.press("/");
    await expect(page.getByRole("searchbox", { name: "Search this workspace" })).toBeFocused();
  });

  test("the Menu button works without JavaScript", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill(DEMO.email);
    await page.getByLabel("Password").fill(DEMO.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.goto(`${base}/guardrails`);
    const nav = page.getByRole("navigation", { name: "Workspace", exact: true });
    await expect(nav).toBeHidden();
    await page.locator("summary", { hasText: "Menu" }).click();
    await expect(nav).toBeVisible();
    await nav.getByRole("link", { name: "Incidents" }).click();
    await expect(page).toHaveURL(`${base}/incidents`);
    await context.close();
  });

  test("on a wide screen the sidebar shows the navigation and no Menu button", async ({ page }) => {
    await logIn(page, DEMO);
    await visit(page, `${base}/guardrails`);
    await expect(page.getByRole("navigation", { name: "Workspace", exact: true })).toBeVisible();
    await expect(page.locator("summary", { hasText: "Menu" })).toBeHidden();
    await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await shoot(page, "shell-guardrails-1280");
  });
});

test.describe("keyboard shortcuts", () => {
  test("? lists them; g then a letter goes to a section; c creates from a list; none fires while typing", async ({ page }) => {
    await logIn(page, DEMO);
    await visit(page, base);

    await page.keyboard.press("Shift+?");
    const list = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await expect(list).toBeVisible();
    for (const line of ["Go to Incidents", "Go to Postmortems", "Go to Guardrails", "Go to Decisions", "Go to Search", "Search"]) {
      await expect(list.getByText(line, { exact: true })).toBeVisible();
    }
    await shoot(page, "shell-shortcuts-1280");
    await page.keyboard.press("Escape");
    await expect(list).toBeHidden();

    for (const [key, path, heading] of [
      ["i", "/incidents", "Incidents"],
      ["p", "/postmortems", "Postmortems"],
      ["d", "/decisions", "Decisions"],
      ["g", "/guardrails", "Guardrails"],
    ] as const) {
      await page.keyboard.press("g");
      await page.keyboard.press(key);
      await expect(page).toHaveURL(`${base}${path}`);
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    }

    await page.keyboard.press("g");
    await page.keyboard.press("i");
    await expect(page).toHaveURL(`${base}/incidents`);
    // The address changes just before the new page renders: "c" looks for the page's create link.
    await expect(page.getByRole("heading", { level: 1, name: "Incidents" })).toBeVisible();
    await page.keyboard.press("c");
    await expect(page).toHaveURL(`${base}/incidents/new`);
    await waitForHydration(page);

    // Typing "g i" or "c" into a field types them.
    const title = page.getByLabel("Title", { exact: true });
    await title.click();
    await page.keyboard.type("g i c ?");
    await expect(title).toHaveValue("g i c ?");
    await expect(page).toHaveURL(`${base}/incidents/new`);
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeHidden();

    // The button in the sidebar opens the same list, for whoever doesn't know "?".
    await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
    await expect(list).toBeVisible();
    await list.getByRole("button", { name: "Close" }).click();
    await expect(list).toBeHidden();
  });
});

test.describe("dates", () => {
  test.use({ timezoneId: "Asia/Kolkata" });

  test("times are typed and shown in the reader's time zone, with a relative hint and UTC on hover", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "tz");
    // Typed in Kolkata (UTC+05:30): 10:00 there is 04:30 UTC.
    const number = await recordIncident(page, slug, { title: "Card payments declined", startedAt: "2026-03-02T10:00", detectedAt: "2026-03-02T10:20" });
    const started = page.locator("dt", { hasText: /^Started$/ }).locator("+ dd time");
    await expect(started).toHaveAttribute("datetime", "2026-03-02T04:30:00.000Z");
    await expect(started).toHaveAttribute("title", "2026-03-02 04:30 UTC");
    await expect(started).toContainText(/^2 Mar( 2026)?, 10:00/);
    await expect(started.locator(".when-hint")).toHaveText(/ago$/);
    await expect(page.locator("dt", { hasText: "Time to detect" }).locator("+ dd")).toHaveText("20 min");

    // The edit form shows the same wall-clock time it was typed as, in the same zone.
    await visit(page, `/w/${slug}/incidents/${number}/edit`);
    await expect(page.getByLabel("Started", { exact: true })).toHaveValue("2026-03-02T10:00");
    // Chromium may name the zone by its older alias.
    await expect(page.getByText(/^In your time zone, Asia\/(Kolkata|Calcutta)\.$/)).toBeVisible();
  });

  test("the timeline's next event starts from the last one's time, not from now", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "timeline");
    const number = await recordIncident(page, slug, { title: "Ledger export stalled", startedAt: "2025-11-03T08:00" });
    await visit(page, `/w/${slug}/incidents/${number}`);
    const when = page.locator("#new-event-at");
    await when.fill("2025-11-03T08:05");
    await page.locator("#new-event-text").fill("Export job stopped writing rows");
    await page.getByRole("button", { name: "Add event" }).click();
    await expect(page.locator(".timeline li")).toHaveCount(1);
    // Back-filling an old incident: the form is empty again, and starts from 08:05.
    await expect(page.locator("#new-event-text")).toHaveValue("");
    await expect(when).toHaveValue("2025-11-03T08:05");
    await when.fill("2025-11-03T08:40");
    await page.locator("#new-event-text").fill("Paused the scheduler");
    await page.getByRole("button", { name: "Add event" }).click();
    await expect(page.locator(".timeline li")).toHaveCount(2);
    await expect(when).toHaveValue("2025-11-03T08:40");
    // And after a reload too: from the last event.
    await visit(page, `/w/${slug}/incidents/${number}`);
    await expect(when).toHaveValue("2025-11-03T08:40");
  });
});

test.describe("the incident form's times", () => {
  test("at 1280 px the four times sit side by side in their card, and an error under one leaves the others where they were", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "form");
    await visit(page, `/w/${slug}/incidents/new`);
    const inputs = ["Started", "Detected", "Mitigated", "Resolved"].map((label) => page.getByLabel(label, { exact: true }));
    const fieldset = page.locator("fieldset", { hasText: "Times" });

    /** Where each input sits, relative to the fieldset (the page may have scrolled). */
    async function layout() {
      const frame = (await fieldset.boundingBox())!;
      const boxes = (await Promise.all(inputs.map(async (i) => (await i.boundingBox())!))).map((b) => ({ ...b, x: b.x - frame.x, y: b.y - frame.y }));
      for (const [n, b] of boxes.entries()) {
        // Inside the card…
        expect(b.x, `field ${n} starts inside`).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width, `field ${n} ends inside`).toBeLessThanOrEqual(frame.width + 0.5);
        // …and no two overlap.
        for (const other of boxes.slice(n + 1)) {
          const apart = b.x + b.width <= other.x + 0.5 || other.x + other.width <= b.x + 0.5 || b.y + b.height <= other.y + 0.5 || other.y + other.height <= b.y + 0.5;
          expect(apart, `fields ${n} and a later one overlap`).toBe(true);
        }
      }
      return boxes;
    }

    const before = await layout();
    // Four in a row at this width.
    expect(new Set(before.map((b) => Math.round(b.y))).size).toBe(1);
    await shoot(page, "shell-incident-form-1280");

    // Started left empty: its error appears under it alone.
    await page.getByLabel("Title", { exact: true }).fill("Refunds queue backed up");
    await inputs[0]!.fill("");
    await page.getByRole("button", { name: "Record incident" }).click();
    await expect(page.locator("#field-startedAt-error")).toBeVisible();
    const after = await layout();
    for (const [n, b] of after.entries()) {
      expect(Math.round(b.y), `field ${n} stays at its height`).toBe(Math.round(before[n]!.y));
      expect(Math.round(b.height), `field ${n} keeps its size`).toBe(Math.round(before[n]!.height));
    }
    await shoot(page, "shell-incident-form-error-1280");

    await page.setViewportSize({ width: 390, height: 844 });
    await fitsTheScreen(page, "incident form");
    await shoot(page, "shell-incident-form-390");
  });
});

test.describe("dark mode", () => {
  test.use({ colorScheme: "dark" });

  test("follows the system setting: dark surfaces, light text, at 1280 and 390 px", async ({ page }) => {
    await logIn(page, DEMO);
    await visit(page, `${base}/guardrails`);
    const colours = await page.evaluate(() => {
      const body = getComputedStyle(document.body);
      const card = getComputedStyle(document.querySelector(".card, .stat")!);
      return { background: body.backgroundColor, text: body.color, card: card.backgroundColor };
    });
    const lightness = (rgb: string) => {
      const [r, g, b] = rgb.match(/\d+/g)!.map(Number) as [number, number, number];
      return (r + g + b) / 3;
    };
    expect(lightness(colours.background)).toBeLessThan(40);
    expect(lightness(colours.card)).toBeLessThan(50);
    expect(lightness(colours.text)).toBeGreaterThan(200);
    await shoot(page, "shell-dark-guardrails-1280");
    const postmortems = await linksOn(page, `${base}/postmortems`, /\/incidents\/\d+\/postmortem$/, 1);
    await visit(page, postmortems[0]!);
    await shoot(page, "shell-dark-postmortem-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await visit(page, `${base}/incidents`);
    await shoot(page, "shell-dark-incidents-390");
    await page.locator("summary", { hasText: "Menu" }).click();
    await shoot(page, "shell-dark-menu-390");
  });
});

test.describe("webhook setup", () => {
  test("an admin copies the address, generates a secret, and sends a test delivery that the delivery log shows", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const { slug } = await adminWithWorkspace(page, "hooks");
    await visit(page, `/w/${slug}/settings/integrations`);
    const github = page.locator("section", { has: page.getByRole("heading", { name: "GitHub", exact: true }) });

    // Nothing to sign with yet.
    await expect(github.getByRole("button", { name: "Send a test delivery" })).toBeDisabled();

    const payloadUrl = page.locator(".field", { has: page.getByLabel("Payload URL") });
    await expect(payloadUrl.getByRole("button", { name: "Copy", exact: true })).toHaveAccessibleDescription("Payload URL");
    await payloadUrl.getByRole("button", { name: "Copy", exact: true }).click();
    await expect(github.getByText("Copied", { exact: true })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(new RegExp(`/webhooks/github/${slug}$`));

    await github.getByRole("button", { name: "Generate webhook secret" }).click();
    const secret = page.getByLabel(/Webhook secret \(copy it now/);
    await expect(secret).toHaveValue(/^whsec_/);
    await page.locator(".field", { has: secret }).getByRole("button", { name: "Copy", exact: true }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await secret.inputValue());

    await github.getByRole("button", { name: "Send a test delivery" }).click();
    await expect(github.getByText("Delivered: HTTP 200.")).toBeVisible();
    await expect(github.getByText("GitHub's ping: the webhook reaches Hindsight.")).toBeVisible();
    await shoot(page, "shell-test-delivery-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await fitsTheScreen(page, "integrations");
    await shoot(page, "shell-test-delivery-390");

    await github.getByRole("link", { name: "See it in the delivery log" }).click();
    await expect(page).toHaveURL(`/w/${slug}/settings/deliveries`);
    await expect(page.getByText(/^hindsight-test-/).first()).toBeVisible();

    // PagerDuty: once its signing secret is saved, its test delivery goes through too.
    await visit(page, `/w/${slug}/settings/integrations`);
    const pagerduty = page.locator("section", { has: page.getByRole("heading", { name: "PagerDuty", exact: true }) });
    await expect(pagerduty.getByRole("button", { name: "Send a test delivery" })).toBeDisabled();
    await pagerduty.getByLabel("Signing secret").fill("pd-signing-secret-for-the-test");
    await pagerduty.getByRole("button", { name: "Save signing secret" }).click();
    await expect(page.getByText("PagerDuty signing secret saved.")).toBeVisible();
    await pagerduty.getByRole("button", { name: "Send a test delivery" }).click();
    await expect(pagerduty.getByText("PagerDuty's ping: the subscription reaches Hindsight.")).toBeVisible();
  });
});
