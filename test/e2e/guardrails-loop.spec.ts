import type { Locator, Page } from "@playwright/test";
import { adminWithWorkspace, expect, expectAccessibleBasics, expectNoSidewaysScroll, factorsSection, formPost, postmortemPath, recordIncident, shoot, startPostmortem, test, visit } from "./helpers";

/**
 * The loop the product exists for, through the UI only: incident → postmortem → contributing
 * factor → guardrail action with a new gate → done → verified with evidence; and the board,
 * action page and gate page along the way.
 */

const BILLING = "Billing and entitlements";
const GATE = "Migration dry run";
const ACTION_TITLE = "Dry-run every migration against a production-sized snapshot in CI";

/** Opens a <details> by its summary when what it holds isn't showing yet. */
async function reveal(scope: Locator, summary: string, inside: Locator) {
  if (!(await inside.isVisible())) await scope.getByText(summary, { exact: true }).click();
  await expect(inside).toBeVisible();
}

type FactorInput = { text: string; category: string; tier: string; gates?: Record<string, "missing" | "failed_to_catch" | "bypassed"> };

/** Adds a factor on the postmortem's read page (the page must be on it); returns its <article>. */
async function addFactor(page: Page, slug: string, incident: number, input: FactorInput): Promise<Locator> {
  const section = factorsSection(page);
  const text = section.getByLabel("What made this possible");
  await reveal(section, "Add a factor", text);
  await text.fill(input.text);
  await section.getByLabel("Category", { exact: true }).selectOption({ label: input.category });
  await section.getByLabel("Tier", { exact: true }).selectOption(input.tier);
  for (const [gate, involvement] of Object.entries(input.gates ?? {})) await section.getByLabel(gate, { exact: true }).selectOption(involvement);
  const posted = formPost(page, postmortemPath(slug, incident));
  await section.getByRole("button", { name: /^Add (a )?factor$/ }).click();
  expect((await posted).status(), "adding the factor").toBeLessThan(400);
  const article = section.locator("article", { hasText: input.text });
  await expect(article).toBeVisible();
  return article;
}

/** The value shown for one of a page's facts. */
function fact(page: Page, name: string) {
  return page.locator(".facts > div", { has: page.getByText(name, { exact: true }) }).locator("dd");
}

/** One of the board's header counts. */
function count(page: Page, name: string) {
  // The board's count cards are links to their views: the number, then the label.
  return page.getByRole("navigation", { name: "Actions across the workspace" }).locator(".board-card", { has: page.getByText(name, { exact: true }) }).locator(".board-card-value");
}

function statusOf(page: Page) {
  return page.getByTestId("action-status");
}

test.describe("the guardrail loop", () => {
  test("a factor becomes an action with a new gate, which is verified only with evidence", async ({ page }) => {
    test.setTimeout(150_000);
    const { user, slug } = await adminWithWorkspace(page, "looper");

    // INC-1 and its postmortem, with a factor that leads to ACT-1 proposing a new gate.
    const first = await recordIncident(page, slug, {
      title: "Migration locked the invoices table for 14 minutes",
      severity: "SEV2",
      tier: "T3",
      areas: [BILLING],
      startedAt: "2026-03-02T10:00",
    });
    await startPostmortem(page, slug, first);
    await visit(page, postmortemPath(slug, first));
    const factor = await addFactor(page, slug, first, {
      text: "Schema migrations reach production without a dry run on production-sized data",
      category: "Missing test",
      tier: "T3",
    });
    const title = factor.getByLabel("Action title");
    await reveal(factor, "Create a guardrail action", title);
    await title.fill(ACTION_TITLE);
    await factor.getByLabel("Kind", { exact: true }).selectOption({ label: "A new gate" });
    await factor.getByLabel("Owner", { exact: true }).selectOption({ label: user.name });
    // Due long ago: the action is overdue from the start.
    await factor.getByLabel("Due date", { exact: true }).fill("2026-01-15");
    await factor.getByLabel("Or propose a new gate: name").fill(GATE);
    await factor.getByLabel("Check name", { exact: true }).fill("migrate-dry-run");
    await factor.getByLabel("Repository", { exact: true }).fill("acme/payments");
    const created = formPost(page, postmortemPath(slug, first));
    await factor.getByRole("button", { name: "Create action" }).click();
    expect((await created).status(), "creating the action").toBeLessThan(400);
    const actionLink = factor.getByRole("link", { name: new RegExp(`^ACT-1 ${ACTION_TITLE}`) });
    await expect(actionLink).toBeVisible();

    // A second factor of INC-1 names the new gate as missing.
    await addFactor(page, slug, first, {
      text: "Review of migration pull requests has no data-volume checklist",
      category: "Review gap",
      tier: "T3",
      gates: { [GATE]: "missing" },
    });

    // INC-2 names the same gate and the same category: both now recur, with no verified guardrail yet.
    const second = await recordIncident(page, slug, {
      title: "Backfill saturated the primary database",
      severity: "SEV3",
      tier: "T3",
      areas: ["Infrastructure primitives"],
      startedAt: "2026-03-09T08:00",
    });
    await startPostmortem(page, slug, second);
    await visit(page, postmortemPath(slug, second));
    await addFactor(page, slug, second, {
      text: "The backfill script had no test against a table of realistic size",
      category: "Missing test",
      tier: "T3",
      gates: { [GATE]: "failed_to_catch" },
    });

    // The board: one open action, overdue, at the top, with its gate and incident.
    await visit(page, `/w/${slug}/guardrails`);
    await expect(count(page, "Open")).toHaveText("1");
    await expect(count(page, "Overdue")).toHaveText("1");
    await expect(count(page, "Awaiting verification")).toHaveText("0");
    await expect(count(page, "Verified")).toHaveText("0");
    const rows = page.locator("tbody tr");
    await expect(rows).toHaveCount(1);
    const row = rows.first();
    await expect(row.getByRole("link", { name: `ACT-1 ${ACTION_TITLE}` })).toHaveAttribute("href", `/w/${slug}/guardrails/actions/1`);
    await expect(row.locator("td").nth(1)).toHaveText("Open");
    await expect(row.locator("td").nth(2)).toHaveText(user.name);
    await expect(row.locator("td").nth(3)).toHaveText(/^15 Jan( 2026)? · .+ ago Overdue$/);
    await expect(row.locator("td").nth(3).locator("time")).toHaveAttribute("datetime", "2026-01-15");
    await expect(row.getByRole("link", { name: GATE })).toBeVisible();
    await expect(row.getByRole("link", { name: "INC-1" })).toHaveAttribute("href", `/w/${slug}/incidents/${first}`);
    const recurring = page.getByRole("region", { name: "Recurring" });
    await expect(recurring.getByRole("listitem").filter({ hasText: "Missing test" })).toContainText("in 2 incidents");
    await expect(recurring.getByRole("listitem").filter({ hasText: "Missing test" })).toContainText("No verified guardrail yet");
    await expect(recurring.getByRole("listitem").filter({ hasText: GATE })).toContainText("No verified guardrail yet");
    await shoot(page, "21-guardrails-board");

    // Views: mine, by area, closed.
    await page.getByRole("link", { name: "My open actions" }).click();
    await expect(page).toHaveURL(`/w/${slug}/guardrails?owner=me`);
    await expect(rows).toHaveCount(1);
    const areas = page.getByRole("group", { name: "Areas" });
    await areas.getByLabel("Observability").check();
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page.getByText("No actions match this view.")).toBeVisible();
    await areas.getByLabel("Observability").uncheck();
    await areas.getByLabel(BILLING).check();
    await page.getByRole("button", { name: "Show" }).click();
    await expect(rows).toHaveCount(1);
    await page.getByLabel("Status").selectOption("closed");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page.getByText("No actions match this view.")).toBeVisible();
    await page.getByRole("link", { name: "Clear" }).click();

    // The action page shows the whole chain.
    await page.getByRole("link", { name: `ACT-1 ${ACTION_TITLE}` }).click();
    await expect(page).toHaveURL(`/w/${slug}/guardrails/actions/1`);
    await expect(page.getByRole("heading", { level: 1, name: `ACT-1 · ${ACTION_TITLE}` })).toBeVisible();
    await expectAccessibleBasics(page);
    const chain = page.getByRole("navigation", { name: "Chain" });
    await expect(chain.getByRole("link", { name: /^INC-1 / })).toHaveAttribute("href", `/w/${slug}/incidents/${first}`);
    await expect(chain.getByRole("link", { name: "Postmortem" })).toHaveAttribute("href", postmortemPath(slug, first));
    await expect(chain.getByRole("link", { name: "Factor: Missing test" })).toBeVisible();
    await expect(chain.getByRole("link", { name: `Gate: ${GATE}` })).toBeVisible();
    await expect(fact(page, "Owner")).toHaveText(user.name);
    await expect(fact(page, "Due")).toHaveText(/^15 Jan( 2026)? · .+ ago Overdue$/);
    await expect(fact(page, "Kind")).toHaveText("A new gate");
    await expect(fact(page, "Gate last seen enforced")).toHaveText("Not seen yet");
    await expect(statusOf(page)).toHaveText("Open");

    // A stale page can't move the action: the conflict is shown and the page shows what is saved.
    const other = await page.context().newPage();
    await visit(other, `/w/${slug}/guardrails/actions/1`);
    await other.getByRole("button", { name: "Mark as in progress" }).click();
    await expect(statusOf(other)).toHaveText("In progress");
    const stale = formPost(page, `/w/${slug}/guardrails/actions/1`);
    await page.getByRole("button", { name: "Mark as done" }).click();
    expect((await stale).status()).toBe(409);
    await expect(page.getByRole("alert").filter({ hasText: "Nothing was saved" })).toContainText("Someone changed this action meanwhile");
    await expect(statusOf(page)).toHaveText("In progress");
    await other.close();

    // Done, then verified: refused without evidence, beside the field.
    await page.getByRole("button", { name: "Mark as done" }).click();
    await expect(statusOf(page)).toHaveText("Done");
    await expect(page.getByText("Overdue")).toHaveCount(0);
    const refused = formPost(page, `/w/${slug}/guardrails/actions/1`);
    await page.getByRole("button", { name: "Mark as verified" }).click();
    expect((await refused).status()).toBe(400);
    const evidence = page.getByLabel("Evidence URL");
    await expect(evidence).toHaveAttribute("aria-invalid", "true");
    await expect(evidence).toHaveAccessibleDescription(/Verified needs evidence that the guardrail is enforced/);
    await expect(statusOf(page)).toHaveText("Done");

    const runUrl = "https://github.com/acme/payments/actions/runs/4711";
    await evidence.fill(runUrl);
    await page.getByLabel("Evidence note").fill("The dry run failed a migration that would have locked invoices.");
    const verified = formPost(page, `/w/${slug}/guardrails/actions/1`);
    await page.getByRole("button", { name: "Mark as verified" }).click();
    expect((await verified).status()).toBeLessThan(400);
    await expect(statusOf(page)).toHaveText("Verified");
    const evidenceSection = page.getByRole("region", { name: "Evidence" });
    await expect(evidenceSection.getByRole("link", { name: runUrl })).toHaveAttribute("href", runUrl);
    await expect(evidenceSection).toContainText(`Verified by ${user.name} on`);
    await expect(page.getByRole("button", { name: "Mark as in progress" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Mark as verified" })).toHaveCount(0);
    await shoot(page, "22-guardrail-action-verified");

    // The gate page: the factors that named it, and the action that verified it.
    await chain.getByRole("link", { name: `Gate: ${GATE}` }).click();
    await expect(page.getByRole("heading", { level: 1, name: GATE })).toBeVisible();
    await expect(fact(page, "Repository")).toHaveText("acme/payments");
    await expect(fact(page, "Check name")).toHaveText("migrate-dry-run");
    const named = page.getByRole("region", { name: "Named in contributing factors" });
    await expect(named.getByRole("listitem")).toHaveCount(2);
    await expect(named.getByRole("listitem").filter({ hasText: "INC-2" })).toContainText("The gate failed to catch it.");
    await expect(named.getByRole("listitem").filter({ hasText: "INC-1" })).toContainText("The gate was missing.");
    const onGate = page.getByRole("region", { name: "Guardrail actions on this gate" });
    await expect(onGate.getByRole("row").filter({ hasText: "ACT-1" })).toContainText("Verified");
    await shoot(page, "24-gate-page");

    // Back on the board: nothing open, one verified, and the recurring lessons have landed.
    await visit(page, `/w/${slug}/guardrails`);
    await expect(count(page, "Open")).toHaveText("0");
    await expect(count(page, "Overdue")).toHaveText("0");
    await expect(count(page, "Verified")).toHaveText("1");
    await expect(page.getByText("No actions match this view.")).toBeVisible();
    await expect(page.getByRole("region", { name: "Recurring" }).getByText("No verified guardrail yet")).toHaveCount(0);
    await page.getByLabel("Status").selectOption("all");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(rows.first().locator("td").nth(1)).toHaveText("Verified");

    await page.setViewportSize({ width: 390, height: 844 });
    await visit(page, `/w/${slug}/guardrails?status=all`);
    await expectNoSidewaysScroll(page);
    await shoot(page, "26-guardrails-board-mobile");
    await visit(page, `/w/${slug}/guardrails/actions/1`);
    await expectNoSidewaysScroll(page);
  });
});
