import {
  adminWithWorkspace,
  expect,
  expectAccessibleBasics,
  expectNoSidewaysScroll,
  recordIncident,
  shoot,
  startPostmortem,
  tag,
  test,
  visit,
  waitForHydration,
} from "./helpers";

/** A made-up word only this test's records contain. */
function word(): string {
  return `zeb${tag().replace(/[^a-z]/g, "")}`.slice(0, 12);
}

test.describe("search", () => {
  test("a recorded incident is found at once: / from anywhere, results as you type, a link to the record", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "searcher");
    const w = word();
    const number = await recordIncident(page, slug, { title: `Ledger ${w} drift after a config push`, tier: "T2", startedAt: "2026-03-02T10:00" });

    // "/" on any workspace page jumps to the sidebar's search box…
    await visit(page, `/w/${slug}/incidents`);
    await page.keyboard.press("/");
    const sidebar = page.getByRole("searchbox", { name: "Search this workspace" });
    await expect(sidebar).toBeFocused();
    await page.keyboard.type(w.slice(0, 6));
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/search\\?q=${w.slice(0, 6)}$`));
    const results = page.getByRole("list").filter({ has: page.locator(".search-hit") });
    await expect(results.getByRole("link", { name: `Ledger ${w} drift after a config push` })).toBeVisible();
    await expect(page.getByRole("status")).toHaveText(/^1 result/);
    await waitForHydration(page);
    await expectAccessibleBasics(page);

    // …and on the search page, to the search page's own box. While typing, "/" is just a character.
    const box = page.getByRole("searchbox", { name: "Search terms" });
    await page.locator("h1").click();
    await page.keyboard.press("/");
    await expect(box).toBeFocused();
    await box.fill("");
    await box.pressSequentially("ledger dri", { delay: 30 });
    // No Enter: the results follow the typing, and the address keeps the search.
    await expect(page).toHaveURL(/q=ledger\+dri/);
    await expect(results.getByRole("link", { name: new RegExp(w) })).toBeVisible();
    await expect(box).toHaveValue("ledger dri");
    await expect(box).toBeFocused();
    await expect(page.locator(".search-hit mark").first()).toHaveText(/^(Ledger|drift)$/i);

    await results.getByRole("link", { name: new RegExp(w) }).click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/incidents/${number}$`));

    await visit(page, `/w/${slug}/incidents/new`);
    const title = page.getByLabel("Title", { exact: true });
    await title.click();
    await page.keyboard.type("a/b");
    await expect(title).toHaveValue("a/b");
  });

  test("facets and filters narrow the results, and a postmortem links to its page", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "facets");
    const w = word();
    const first = await recordIncident(page, slug, { title: `Queue ${w} backlog in billing`, tier: "T3", startedAt: "2026-02-10T08:00" });
    await startPostmortem(page, slug, first, "Lightweight");
    await recordIncident(page, slug, { title: `Webhook ${w} retries storm`, tier: "T1", startedAt: "2026-04-01T08:00" });

    await visit(page, `/w/${slug}/search?q=${w}`);
    await expect(page.getByRole("status")).toHaveText(/^3 results/);
    const facets = page.getByRole("complementary", { name: "Narrow the results" });
    await expect(facets.getByRole("link", { name: "Incidents 2" })).toBeVisible();
    await expect(facets.getByRole("link", { name: "Postmortems 1" })).toBeVisible();
    await expect(facets.getByRole("link", { name: "T3 2" })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await shoot(page, "30-search-results");

    await facets.getByRole("link", { name: "Postmortems 1" }).click();
    await expect(page).toHaveURL(/type=postmortem/);
    await expect(page.getByRole("status")).toHaveText(/^1 result/);
    await expect(facets.getByRole("link", { name: "Postmortems 1" })).toHaveAttribute("aria-current", "true");
    await page.locator(".search-hit-title a").click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/incidents/${first}/postmortem$`));

    await visit(page, `/w/${slug}/search?q=${w}`);
    await page.getByText("Filters", { exact: true }).click();
    await page.getByLabel("Tier", { exact: true }).selectOption("T1");
    await expect(page).toHaveURL(/tier=T1/);
    await expect(page.getByRole("status")).toHaveText(/^1 result/);
    await expect(page.locator(".search-hit-title")).toHaveText(`Webhook ${w} retries storm`);
    await page.getByLabel("From", { exact: true }).fill("2026-05-01");
    await expect(page).toHaveURL(/from=2026-05-01/);
    await expect(page.getByRole("status")).toHaveText(/^No results/);
    await expect(page.getByRole("link", { name: "Search without filters" })).toBeVisible();
    await expectAccessibleBasics(page);
  });

  test("odd input gets a page with results or a message, never an error; record text is never markup", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "oddities");
    const w = word();
    await recordIncident(page, slug, { title: `<img src=x onerror="window.pwned=1"> ${w} & <b>co</b>`, startedAt: "2026-03-02T10:00" });
    page.on("dialog", () => {
      throw new Error("a dialog opened");
    });

    await visit(page, `/w/${slug}/search`);
    await expect(page.getByRole("heading", { name: "Find what the team learned" })).toBeVisible();
    await shoot(page, "31-search-empty");

    const odd: Array<[string, number, RegExp | null]> = [
      ["", 200, /Find what the team learned/],
      ["x".repeat(10_000), 400, /the limit is 500/],
      ["& | ! ( ) : * ' \\ <->", 200, /nothing to search for/],
      ["foo:* & !bar | (baz", 200, /No results/],
      ['"unbalanced', 200, /No results/],
      ["the and of", 200, /too common/],
      ["😀 🔥", 200, /nothing to search for/],
      ["東京 café", 200, /No results/],
      ["\u0000", 200, /Find what the team learned/],
      ["%", 200, /nothing to search for/],
    ];
    for (const [q, status, text] of odd) {
      const response = await page.request.get(`/w/${slug}/search?${new URLSearchParams({ q })}`);
      expect(response.status(), JSON.stringify(q.slice(0, 30))).toBe(status);
      if (text) expect(await response.text(), JSON.stringify(q.slice(0, 30))).toMatch(text);
    }
    for (const params of ["page=999999", "page=-3&q=x", "type=nope&q=x", "from=2026-02-31&q=x", "tier=T9&q=x", "area=%00&q=x", "q=a&q=b"]) {
      const response = await page.request.get(`/w/${slug}/search?${params}`);
      expect(response.status(), params).toBeLessThan(500);
    }

    const response = await visit(page, `/w/${slug}/search?q=${w}`);
    expect(response.headers()["server-timing"]).toMatch(/search;dur=\d/);
    const title = page.locator(".search-hit-title a");
    await expect(title).toHaveText(`<img src=x onerror="window.pwned=1"> ${w} & <b>co</b>`);
    await expect(page.locator(".search-hit img, .search-hit b")).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

    await visit(page, `/w/${slug}/search?q=${"y".repeat(600)}`, 400);
    await expect(page.getByRole("alert")).toContainText("600 characters long; the limit is 500");
  });
});
