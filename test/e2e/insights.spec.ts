import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { adminWithWorkspace, DEMO, expectNoSidewaysScroll, logIn, recordIncident, shoot, visit } from "./helpers";

/** "YYYY-MM-DDTHH:mm" (a datetime-local value, read as UTC) `days` days before now. */
function daysAgo(days: number, hour = 10): string {
  const d = new Date(Date.now() - days * 24 * 60 * 60 * 1000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}:00`;
}

/** The numbers of one chart's table, as the page shows them (header row first). */
async function tableCells(page: Page, chart: string): Promise<string[][]> {
  return page.locator(`table[data-chart="${chart}"] tr`).evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("th, td")].map((c) => c.textContent!.trim())));
}

/** The period labels ("25 Nov 2026") and counts in these tables need no quoting. */
function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split("\r\n")
    .map((line) => line.split(","));
}

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).include("main").analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test.describe("insights", () => {
  // Three incidents are recorded through the form first, and the page is a dozen aggregates: on a
  // busy two-core machine this one story takes a while.
  test.describe.configure({ timeout: 240_000 });
  let slug: string;

  test.beforeEach(async ({ page }) => {
    ({ slug } = await adminWithWorkspace(page, "insights"));
    await recordIncident(page, slug, { title: "Checkout errors after a flag flip", severity: "SEV1", tier: "T2", areas: ["Billing and entitlements"], startedAt: daysAgo(20), detectedAt: daysAgo(20, 11), mitigatedAt: daysAgo(20, 13) });
    await recordIncident(page, slug, { title: "Login latency during a deploy", severity: "SEV3", tier: "T1", startedAt: daysAgo(12), detectedAt: daysAgo(12, 12) });
    await recordIncident(page, slug, { title: "Stale exports in the admin tool", severity: "SEV3", tier: "T2", startedAt: daysAgo(5) });
  });

  test("charts with their tables, filters in the URL, links into the lists, CSV equal to the table; also without JavaScript", async ({ page, browser }) => {
    await visit(page, `/w/${slug}`);
    await expect(page.getByRole("link", { name: /Overdue guardrail actions/ })).toHaveAttribute("href", `/w/${slug}/insights#follow-through`);
    await page.getByRole("navigation", { name: "Workspace", exact: true }).getByRole("link", { name: "Insights" }).click();
    await expect(page).toHaveURL(`/w/${slug}/insights`);
    await expect(page.getByRole("heading", { level: 1, name: "Insights" })).toBeVisible();
    for (const section of ["Follow-through", "Response", "Learning", "Gates", "Model-assisted changes", "Area health"]) {
      await expect(page.getByRole("heading", { level: 2, name: section })).toBeVisible();
    }
    const incidents = page.locator("#chart-incidents");
    await expect(incidents.locator("svg rect")).toHaveCount(3);
    let cells = await tableCells(page, "incidents");
    expect(cells[0]).toEqual(["Week of", "SEV1", "SEV2", "SEV3", "SEV4", "Total"]);
    expect(cells.slice(1).reduce((sum, r) => sum + Number(r.at(-1)), 0)).toBe(3);
    await expectNoAxeViolations(page);
    await expectNoSidewaysScroll(page);
    await shoot(page, "insights-1280");

    // A filter change: the URL says it, and the charts count only what it asks for.
    await page.getByLabel("Severity", { exact: true }).selectOption("SEV3");
    await page.getByRole("button", { name: "Show" }).click();
    // The report is a dozen aggregates; on a busy machine's embedded database that takes a moment.
    await expect(page).toHaveURL(/severity=SEV3/, { timeout: 20_000 });
    await expect(incidents.locator("svg rect")).toHaveCount(2);
    cells = await tableCells(page, "incidents");
    expect(cells.slice(1).reduce((sum, r) => sum + Number(r.at(-1)), 0)).toBe(2);
    expect(cells.slice(1).reduce((sum, r) => sum + Number(r[1]), 0)).toBe(0);

    // The CSV of a chart is its table.
    const downloading = page.waitForEvent("download");
    await incidents.getByRole("link", { name: "Download CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${slug}-incidents-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    expect(parseCsv(readFileSync((await download.path())!, "utf8"))).toEqual(cells);

    // A bar opens the incident list, filtered to its week and severity.
    await incidents.locator("svg a").first().click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/incidents\\?from=\\d{4}-\\d{2}-\\d{2}&to=\\d{4}-\\d{2}-\\d{2}&severity=SEV3$`));
    await expect(page.getByRole("heading", { level: 1, name: "Incidents" })).toBeVisible();
    const main = page.getByRole("main");
    await expect(main.getByText("Checkout errors after a flag flip")).toHaveCount(0);
    await expect(main.getByText(/Login latency during a deploy|Stale exports in the admin tool/)).toHaveCount(1);

    // Narrow: 390 px wide, nothing scrolls sideways; charts scroll inside their cards.
    await page.setViewportSize({ width: 390, height: 844 });
    await visit(page, `/w/${slug}/insights`);
    await expectNoSidewaysScroll(page);
    await shoot(page, "insights-390");

    // With JavaScript off: the same charts and tables, and the filter form is a plain GET.
    const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
    const noJs = await context.newPage();
    const response = await noJs.goto(`/w/${slug}/insights?range=30`);
    expect(response!.status()).toBe(200);
    await expect(noJs.getByRole("heading", { level: 1, name: "Insights" })).toBeVisible();
    await expect(noJs.locator("#chart-incidents svg rect")).toHaveCount(3);
    await expect(noJs.locator("#chart-backlog svg.chart-svg")).toHaveCount(1);
    // The table opens without script (a <details>), and the filter form is a plain GET.
    await noJs.locator("#chart-incidents summary").click();
    await expect(noJs.locator('table[data-chart="incidents"]')).toBeVisible();
    await noJs.getByLabel("Tier", { exact: true }).selectOption("T2");
    await noJs.getByRole("button", { name: "Show" }).click();
    await expect(noJs).toHaveURL(/tier=T2/, { timeout: 20_000 });
    await expect(noJs.locator("#chart-incidents svg rect")).toHaveCount(2);
    await context.close();
  });
});

test.describe("insights links on the demo workspace", () => {
  test.describe.configure({ timeout: 120_000 });

  test("each chart's link opens a list that applies its filter: the numbers match", async ({ page }) => {
    await logIn(page, DEMO);
    const W = `/w/${DEMO.slug}`;
    await visit(page, `${W}/insights`);

    // Gates by evidence: each row opens the gate list filtered to that state, as many gates as counted.
    const gateRows = (await tableCells(page, "gates")).slice(1);
    expect(gateRows.map((r) => r[0])).toEqual(["Enforced", "Required, not yet seen", "Seen, not required", "Stale", "Regressed", "Proposed, no evidence yet", "Retired"]);
    const gateLinks = await page.locator('table[data-chart="gates"] tbody th a').evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
    for (const [i, href] of gateLinks.entries()) {
      await visit(page, href);
      const listed = await page.locator("tbody tr").count();
      const none = await page.getByText("No gates match this filter.").count();
      expect(none ? 0 : listed, `${gateRows[i]![0]} → ${href}`).toBe(Number(gateRows[i]![1]));
    }

    // The backlog's last reading is today's board: the overdue point opens the board's overdue view.
    await visit(page, `${W}/insights`);
    const backlog = (await tableCells(page, "backlog")).slice(1);
    const overdueNow = Number(backlog.at(-1)![2]);
    await page.locator("#chart-backlog").getByRole("link", { name: "Overdue actions today, on the board" }).click();
    await expect(page).toHaveURL(`${W}/guardrails?status=overdue`);
    await expect(page.locator("tbody tr")).toHaveCount(overdueNow);

    // Verified by a gate's check run: the board lists the actions verified in the range without a person.
    await visit(page, `${W}/insights`);
    const verification = (await tableCells(page, "verification")).slice(1);
    await page.locator("#chart-verification summary").click();
    await page.locator('table[data-chart="verification"]').getByRole("link", { name: "A gate's check run" }).click();
    await expect(page).toHaveURL(/status=verified&dates=verified&from=.*verifiedBy=gate/);
    const byGate = Number(verification[0]![1]);
    if (byGate === 0) await expect(page.getByText("No actions match this view.")).toBeVisible();
    else await expect(page.locator("tbody tr")).toHaveCount(byGate);

    // Area health: an area's row opens the board's open actions of that area, as many as counted.
    await visit(page, `${W}/insights`);
    const areas = (await tableCells(page, "areas")).slice(1);
    const areaLinks = await page.locator('table[data-chart="areas"] tbody th a').evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
    const busiest = areas.reduce((best, r, i) => (Number(r[2]) > Number(areas[best]![2]) ? i : best), 0);
    await visit(page, areaLinks[busiest]!);
    const open = Number(areas[busiest]![2]);
    if (open === 0) await expect(page.getByText("No actions match this view.")).toBeVisible();
    else await expect(page.locator("tbody tr")).toHaveCount(open);
    await shoot(page, "insights-area-link-1280");
  });
});
