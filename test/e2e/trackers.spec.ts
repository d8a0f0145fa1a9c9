import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { startTrackerFake, type TrackerFake } from "../support/tracker-fake";
import { addFactorOnPage, adminWithWorkspace, expect, expectNoSidewaysScroll, formPost, postmortemPath, postSignedDelivery, recordIncident, shoot, shootAtBothWidths, startPostmortem, test, visit } from "./helpers";

/**
 * Issue trackers (issue 19), in the browser: an admin connects Jira Cloud — a local fake that
 * answers like Jira's REST API v3 — and tests the connection; an editor creates issues for all of
 * a postmortem's actions in one click; the board shows ACT-n ↔ PLAT-n once the job has run; a
 * signed "issue done" delivery moves the action to done, and it is not verified.
 */

let fake: TrackerFake;
test.beforeAll(async () => {
  fake = await startTrackerFake();
});
test.afterAll(async () => {
  await fake?.close();
});

const TITLES = ["Dry-run every migration in CI", "Alert on migration lock waits"];

test.describe("issue trackers", () => {
  test("connect Jira, create issues for a postmortem's actions in one click, see the keys on the board, follow a done issue back", async ({ page }) => {
    test.setTimeout(180_000);
    const { slug } = await adminWithWorkspace(page, "trackers");

    // Settings → Integrations → Trackers: connect, then test.
    await visit(page, `/w/${slug}/settings/integrations`);
    await page.getByRole("link", { name: "Set up trackers" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Trackers" })).toBeVisible();
    await page.getByLabel("Tracker", { exact: true }).selectOption("jira");
    await page.getByLabel("Repository, project key or team key").fill("PLAT");
    await page.getByLabel("Address").fill(fake.jira);
    await page.getByLabel("Account email (Jira)").fill("bot@example.com");
    await page.getByLabel("Token or API key").fill(fake.token);
    await page.getByRole("button", { name: "Connect" }).click();
    await expect(page.getByRole("status")).toContainText("Connected.");
    const secret = await page.getByLabel("Webhook secret (shown once)").inputValue();
    expect(secret).toMatch(/^whsec_/);
    const webhook = new URL(await page.getByLabel("Webhook address").inputValue()).pathname;
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByRole("status")).toContainText("Connected as Hindsight Bot. Project PLAT (Platform) is reachable");
    await shootAtBothWidths(page, "trackers-settings");

    // A postmortem with a factor and two actions.
    const incident = await recordIncident(page, slug, { title: "Migration locked invoices", severity: "SEV2", tier: "T3", areas: ["Billing and entitlements"], startedAt: "2026-03-02T10:00" });
    await startPostmortem(page, slug, incident);
    await visit(page, postmortemPath(slug, incident));
    const factor = await addFactorOnPage(page, "Migrations reach production without a dry run on production-sized data", "Missing test");
    for (const title of TITLES) {
      const actionTitle = factor.getByLabel("Action title");
      if (!(await actionTitle.isVisible())) await factor.getByText(/Create a guardrail action|Add another action/).first().click();
      await actionTitle.fill(title);
      const created = formPost(page, postmortemPath(slug, incident));
      await factor.getByRole("button", { name: "Create action" }).click();
      expect((await created).status()).toBeLessThan(400);
      await expect(factor).toContainText(title);
    }

    // One click: an issue for each action, created by the job queue, not in the request.
    const tracker = page.getByRole("region", { name: "Issue tracker" });
    await tracker.getByRole("button", { name: "Create issues for 2 actions in Jira Cloud PLAT" }).click();
    await expect(tracker).toContainText("ACT-1");
    await expect(tracker).toContainText("ACT-2");

    // The board shows the keys once the job has run (the worker polls every few seconds).
    await expect(async () => {
      await visit(page, `/w/${slug}/guardrails`);
      await expect(page.getByRole("row").filter({ hasText: TITLES[0] })).toContainText("ACT-1 ↔ PLAT-");
      await expect(page.getByRole("row").filter({ hasText: TITLES[1] })).toContainText("ACT-2 ↔ PLAT-");
    }).toPass({ timeout: 45_000, intervals: [1_000, 2_000, 3_000] });
    const issues = fake.issues.filter((i) => i.vendor === "jira" && TITLES.some((t) => i.title.endsWith(t)));
    expect(issues).toHaveLength(2);
    expect(issues.every((i) => i.priority === "Highest" && i.labels.includes("tier-T3"))).toBe(true);
    await shootAtBothWidths(page, "trackers-board");

    // The keys in search and on the postmortem's actions table, linked to the issues.
    const firstKey = fake.issues.find((i) => i.vendor === "jira" && i.title.endsWith(TITLES[0]!))!.key;
    await visit(page, `/w/${slug}/search?q=${encodeURIComponent(firstKey)}`);
    await expect(page.getByRole("main")).toContainText(`ACT-1`);
    await expect(page.getByRole("main")).toContainText(firstKey);
    await shoot(page, "trackers-search-1280");
    await visit(page, postmortemPath(slug, incident));
    const tracked = page.locator("[data-tracked=actions]");
    await expect(tracked.getByRole("row").filter({ hasText: TITLES[0] })).toContainText(`ACT-1 ↔ ${firstKey}`);
    await expect(tracked.getByRole("link", { name: `ACT-1 is tracked as ${firstKey}` })).toHaveAttribute("href", new RegExp(`/browse/${firstKey}$`));
    await shootAtBothWidths(page, "trackers-postmortem");

    // Jira says the first issue is done (its documented example, signed with the connection's secret).
    const first = issues.find((i) => i.title.endsWith(TITLES[0]!))!;
    const payload = JSON.parse(readFileSync(new URL("../fixtures/trackers/jira-issue-updated.json", import.meta.url), "utf8"));
    Object.assign(payload.issue, { id: first.id, key: first.key });
    payload.timestamp = Date.now();
    const delivered = await postSignedDelivery(page, webhook, payload, { secret, signatureHeader: "x-hub-signature", headers: { "x-atlassian-webhook-identifier": randomUUID() } });
    expect(delivered.status()).toBe(200);
    await visit(page, `/w/${slug}/guardrails/actions/1`);
    await expect(page.getByTestId("action-status")).toHaveText("Done");
    const panel = page.getByRole("region", { name: "Issue tracker" });
    await expect(panel).toContainText(`ACT-1 ↔ ${first.key}`);
    await expect(panel.getByTestId("tracker-sync")).toContainText("Closed in the tracker.");
    await expect(panel).toContainText("verified only by its gate or recorded evidence");
    await expectNoSidewaysScroll(page);
    await shoot(page, "trackers-action-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoSidewaysScroll(page);
    await shoot(page, "trackers-action-390");
  });
});
