import { expect, test, type Page } from "@playwright/test";
import { DEMO, expectNoSidewaysScroll, logIn, shoot, visit } from "./helpers";

/**
 * The seeded demo workspace (db/seeds/demo-story), as a newcomer logging in as the
 * demo user sees it. The e2e server is seeded the day it starts, so due dates and "overdue" hold.
 */
const W = `/w/${DEMO.slug}`;

async function atWidth(page: Page, width: number) {
  await page.setViewportSize({ width, height: width >= 1000 ? 800 : 844 });
}

test.describe("the demo workspace", () => {
  test.beforeEach(async ({ page }) => {
    await logIn(page, DEMO);
  });

  test("the overview tells where the team stands", async ({ page }) => {
    await visit(page, W);
    // Priya asked Dana to review her postmortem: it waits in Dana's inbox.
    await expect(page.getByRole("region", { name: "Reviews requested of you" }).getByRole("link")).toHaveCount(1);
    const overdue = page.getByRole("region", { name: "Your guardrail actions due or overdue" });
    await expect(overdue.getByRole("link", { name: /^ACT-12 Alert on webhook queue age/ })).toBeVisible();
    await expect(overdue.getByRole("link", { name: /^ACT-17 Per-region authorisation success alerts/ })).toBeVisible();
    const recent = page.getByRole("region", { name: "Recent incidents" });
    await expect(recent.getByRole("listitem")).toHaveCount(5);
    await expect(recent.getByRole("link", { name: /^INC-12 Settlement report emails delayed/ })).toBeVisible();
    await expect(page.getByRole("region", { name: "Guardrail actions", exact: true })).toContainText("7 open, 4 of them overdue; 1 done and waiting for their gate to be seen; 8 verified.");
    await expect(page.getByRole("heading", { name: "Getting started" })).toHaveCount(0);
  });

  test("the incident list spans months, severities and tiers", async ({ page }) => {
    await visit(page, `${W}/incidents`);
    await expect(page.getByText("12 recorded in this workspace.")).toBeVisible();
    const rows = page.locator("tbody tr");
    await expect(rows).toHaveCount(12);
    await expect(rows.first()).toContainText("INC-12");
    await expect(rows.first()).toContainText("monitoring");
    await expect(rows.last()).toContainText("INC-1 Duplicate card charges after the payment-retry refactor");
    for (const severity of ["SEV1", "SEV2", "SEV3", "SEV4"]) await expect(page.locator("tbody").getByText(severity, { exact: true }).first()).toBeVisible();
  });

  test("a published postmortem reads as a blameless review, with its factors, actions and reviews", async ({ page }) => {
    await visit(page, `${W}/incidents/6/postmortem`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Postmortem: INC-6 Payment retries exhausted the card processor's rate limit");
    await expect(page.getByText("Published", { exact: true }).first()).toBeVisible();
    await expect(page.getByRole("heading", { name: "Root causes and trigger" })).toBeVisible();
    await expect(page.getByText(/A gate that tests one symptom gave us confidence/)).toBeVisible();
    // The recurring retry factor names the old gate, and its action (the sharper gate) is verified.
    await expect(page.getByRole("link", { name: "Retry idempotency test" })).toBeVisible();
    const sharper = page.getByRole("link", { name: /^ACT-10 Replace the idempotency test with a retry contract test/ });
    await expect(sharper).toBeVisible();
    await expect(page.getByRole("link", { name: /^ACT-11 Give the retry worker its own token bucket/ })).toBeVisible();
    await expect(page.getByText(/This is the second retry incident in three months/)).toBeVisible();

    await sharper.click();
    await expect(page).toHaveURL(`${W}/guardrails/actions/10`);
    await expect(page.getByText("Verified", { exact: true }).first()).toBeVisible();
    await expect(page.getByText(/Gate seen enforced at/)).toBeVisible();
  });

  test("the guardrails board shows overdue work and the recurring factor that isn't answered yet", async ({ page }) => {
    await visit(page, `${W}/guardrails`);
    const rows = page.locator("tbody tr");
    await expect(rows).toHaveCount(7);
    await expect(page.locator("tbody").getByText("Overdue", { exact: true })).toHaveCount(4);
    const recurring = page.getByRole("region", { name: "Recurring" });
    await expect(recurring).toContainText("Observability gap in 3 incidents");
    await expect(recurring.getByText("No verified guardrail yet").first()).toBeVisible();
    await expect(recurring.getByRole("link", { name: "Retry idempotency test" })).toBeVisible();

    await page.getByRole("link", { name: "Gates", exact: true }).click();
    for (const status of ["Proposed", "Enforced", "Retired"]) await expect(page.locator("tbody").getByText(status, { exact: true }).first()).toBeVisible();
    await expect(page.getByRole("link", { name: "Payment retry contract" })).toBeVisible();
  });

  test("the decision log holds a supersede chain linked to the incidents", async ({ page }) => {
    await visit(page, `${W}/decisions`);
    await expect(page.getByRole("link", { name: /Payment retries use capped exponential backoff and honour Retry-After/ })).toBeVisible();
    await expect(page.getByRole("link", { name: /Freeze production deploys on Fridays/ })).toBeVisible();
    await visit(page, `${W}/decisions/ADR-5`);
    await expect(page.getByRole("link", { name: /ADR-2/ }).first()).toBeVisible();
    await expect(page.getByRole("link", { name: /ADR-1/ }).first()).toBeVisible();
    await expect(page.getByRole("link", { name: /INC-6/ }).first()).toBeVisible();
  });

  test("screenshots at 1280 and 390 wide", async ({ page }) => {
    test.setTimeout(90_000);
    const screens: [string, string][] = [
      ["overview", W],
      ["incidents", `${W}/incidents`],
      ["guardrails", `${W}/guardrails`],
      ["postmortem", `${W}/incidents/6/postmortem`],
      ["postmortem-in-review", `${W}/incidents/10/postmortem`],
      ["decisions", `${W}/decisions`],
    ];
    for (const width of [1280, 390]) {
      await atWidth(page, width);
      for (const [name, path] of screens) {
        await visit(page, path);
        if (width === 390 && name === "overview") await expectNoSidewaysScroll(page);
        await shoot(page, `demo-${name}-${width}`);
      }
    }
  });
});
