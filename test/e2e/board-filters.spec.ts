import { expect, test, type Page } from "@playwright/test";
import { DEMO, expectNoSidewaysScroll, logIn, shoot, visit } from "./helpers";

/**
 * The guardrails board on the demo workspace: count cards that open their view, filters and
 * grouping in the address, the team's overdue work by owner, the gate list's incident count for a
 * gate an action proposed, and an action's decision record. Read-only: it changes no demo data.
 */
const W = `/w/${DEMO.slug}`;

function card(page: Page, label: string) {
  return page.getByRole("navigation", { name: "Actions across the workspace" }).getByRole("link", { name: new RegExp(`^\\d+ ${label}$`) });
}

async function cardValue(page: Page, label: string): Promise<number> {
  return Number(await card(page, label).locator(".board-card-value").textContent());
}

test.describe("the guardrails board's views", () => {
  test.describe.configure({ timeout: 120_000 });

  test.beforeEach(async ({ page }) => {
    await logIn(page, DEMO);
  });

  test("count cards open the view they count; filters and grouping live in the address", async ({ page }) => {
    await visit(page, `${W}/guardrails`);
    const rows = page.locator("tbody tr:not(.board-group)");
    const overdue = await cardValue(page, "Overdue");
    expect(overdue).toBeGreaterThan(0);
    await expect(card(page, "Open")).toHaveAttribute("aria-current", "true");
    await shoot(page, "board-1280");

    // The Overdue card lists exactly its number of actions, all overdue.
    await card(page, "Overdue").click();
    await expect(page).toHaveURL(`${W}/guardrails?status=overdue`);
    await expect(card(page, "Overdue")).toHaveAttribute("aria-current", "true");
    await expect(rows).toHaveCount(overdue);
    await expect(rows.filter({ has: page.locator(".badge.overdue", { hasText: "Overdue" }) })).toHaveCount(overdue);
    await expect(page.getByRole("status").filter({ hasText: "match" })).toContainText(`${overdue} action`);
    await expect(page.getByLabel("Status")).toHaveValue("overdue");

    // The team's overdue work, by owner: one group heading per owner, their counts adding up.
    await page.getByRole("link", { name: "Team overdue, by owner" }).click();
    await expect(page).toHaveURL(`${W}/guardrails?status=overdue&group=owner`);
    const groups = page.locator("tr.board-group th");
    expect(await groups.count()).toBeGreaterThan(0);
    const counts = (await groups.allTextContents()).map((t) => Number(/· (\d+)$/.exec(t.trim())![1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(overdue);
    await expect(rows).toHaveCount(overdue);
    await shoot(page, "board-overdue-by-owner-1280");

    // The regressed card: every action listed was sent back by its gate or waits on a drifted gate.
    const regressed = await cardValue(page, "Regressed");
    await card(page, "Regressed").click();
    await expect(page).toHaveURL(`${W}/guardrails?status=regressed`);
    await expect(rows).toHaveCount(regressed);
    for (const row of await rows.all()) await expect(row).toContainText(/Sent back|Regressed|Stale/);

    // The form: all statuses, one tier, grouped by gate; the address says it, a reload keeps it.
    await page.getByLabel("Status").selectOption("all");
    await page.getByLabel("Tier").selectOption("T2");
    await page.getByLabel("Group by").selectOption("gate");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(`${W}/guardrails?status=all&tier=T2&group=gate`);
    const byGate = await rows.count();
    expect(byGate).toBeGreaterThan(0);
    await expect(page.locator("tr.board-group th").first()).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Tier")).toHaveValue("T2");
    await expect(page.getByLabel("Group by")).toHaveValue("gate");
    await expect(rows).toHaveCount(byGate);
    // Every T2 row's incident is a T2 incident: check one through its incident page.
    const incident = rows.first().getByRole("link", { name: /^INC-\d+$/ });
    await incident.click();
    await expect(page.locator(".badge.tier-T2").first()).toBeVisible();

    // An area from the address, and one that narrows to nothing.
    await visit(page, `${W}/guardrails?status=all&area=no-such-area`);
    await expect(page.getByText("No actions match this view.")).toBeVisible();
    await page.getByRole("link", { name: "Clear" }).click();
    await expect(page).toHaveURL(`${W}/guardrails`);

    await page.setViewportSize({ width: 390, height: 844 });
    await visit(page, `${W}/guardrails?status=overdue&group=owner`);
    await expectNoSidewaysScroll(page);
    await shoot(page, "board-overdue-by-owner-390");
  });

  test("a gate proposed by an incident's action counts that incident; an action names the decision it implements", async ({ page }) => {
    await visit(page, `${W}/gates`);
    const contract = page.locator("tbody tr").filter({ hasText: "Payment retry contract" });
    const incidents = Number(await contract.locator("td.num").first().textContent());
    expect(incidents).toBeGreaterThan(0);
    // The list filters by what the evidence says.
    await page.getByLabel("Evidence").selectOption("enforced");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(`${W}/gates?state=enforced`);
    await expect(page.locator("tbody tr").filter({ hasText: "Payment retry contract" })).toHaveCount(1);
    for (const row of await page.locator("tbody tr").all()) await expect(row.locator("td").last()).toHaveText("Enforced");

    await visit(page, `${W}/guardrails/actions/10`);
    const implemented = page.locator(".facts > div", { has: page.getByText("Implements decision", { exact: true }) });
    await expect(implemented.getByRole("link", { name: /ADR-\d+ Payment retries use capped exponential backoff/ })).toBeVisible();
    await visit(page, `${W}/guardrails?status=all`);
    const row = page.locator("tbody tr").filter({ has: page.getByRole("link", { name: /^ACT-10 / }) });
    await expect(row.getByRole("link", { name: /^ADR-\d+$/ })).toBeVisible();
    await page.setViewportSize({ width: 390, height: 844 });
    await visit(page, `${W}/gates`);
    await expectNoSidewaysScroll(page);
    await shoot(page, "gates-390");
  });

  test("the decision log offers no further page while everything fits on one", async ({ page }) => {
    await visit(page, `${W}/decisions`);
    const pager = page.getByRole("navigation", { name: "Pages" });
    await expect(pager.getByRole("link")).toHaveCount(0);
    // A cursor in the address opens the page after it; a malformed one opens the first.
    await visit(page, `${W}/decisions?after=adr-2`);
    await expect(page.getByRole("link", { name: "First page" })).toBeVisible();
    await expect(page.locator("tbody tr").filter({ hasText: "ADR-3" })).toHaveCount(0);
    await visit(page, `${W}/decisions?after=nonsense`);
    await expect(page.locator("tbody tr").first()).toBeVisible();
  });
});
