import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { githubExample } from "../support/integrations";
import { addFactorOnPage, adminWithWorkspace, expect, factorsSection, formPost, postmortemPath, postSignedDelivery, recordIncident, startPostmortem, test, visit } from "./helpers";

/**
 * Enforced means required (issue 13), in the browser: an action is done; GitHub reports branch
 * protection requiring its gate's check; the check passes on main; the action is verified; the
 * protection is edited to drop the check; the action is back in progress with the reason shown.
 * GitHub's deliveries are GitHub's own example payloads, signed with the workspace's secret.
 */

const REPO = "acme/payments";
const CHECK = "migrate-dry-run";
const GATE = "Migration dry run";
const TITLE = "Dry-run every migration in CI";

/** A GitHub delivery to the workspace's webhook, signed with its secret. */
function signedDelivery(page: Page, slug: string, secret: string, event: string, payload: unknown, id: string = randomUUID()) {
  return postSignedDelivery(page, `/webhooks/github/${slug}`, payload, { secret, signatureHeader: "x-hub-signature-256", headers: { "x-github-event": event, "x-github-delivery": id } });
}

/** The repository of the examples, renamed to the gate's: default branch main. */
function repository(example: { repository: Record<string, unknown> }) {
  return { ...example.repository, full_name: REPO, name: "payments", default_branch: "main", html_url: `https://github.com/${REPO}` };
}

function protection(action: "created" | "edited", checks: string[], at: Date) {
  const payload = githubExample("branch_protection_rule", (p) => p.action === action && p.repository.full_name === "octo-org/octo-repo");
  payload.repository = repository(payload);
  Object.assign(payload.rule, { id: 4242, name: "main", required_status_checks: checks, required_status_checks_enforcement_level: "non_admins", updated_at: at.toISOString() });
  return payload;
}

function completedRun(at: Date, conclusion: "success" | "failure" = "success", branch = "main", sha?: string) {
  const payload = githubExample("check_run", (p) => p.action === "completed" && p.check_run.conclusion === conclusion);
  payload.repository = repository(payload);
  Object.assign(payload.check_run, { name: CHECK, completed_at: at.toISOString(), html_url: `https://github.com/${REPO}/actions/runs/8801`, ...(sha ? { head_sha: sha } : {}) });
  payload.check_run.check_suite.head_branch = branch;
  return payload;
}

/** GitHub's "pull request closed" example, as sent when the close merged `sha` into main. */
function mergedPullRequest(number: number, sha: string, at: Date) {
  const payload = githubExample("pull_request", (p) => p.action === "closed");
  payload.repository = repository(payload);
  Object.assign(payload.pull_request, { number, merged: true, merged_at: at.toISOString(), merged_by: { login: "octocat" } });
  payload.pull_request.head.sha = sha;
  payload.pull_request.base.ref = "main";
  return payload;
}

test.describe("enforced means required", () => {
  test("an action is verified only once its check is required and passing, and goes back when the requirement is dropped", async ({ page }) => {
    test.setTimeout(150_000);
    const { slug } = await adminWithWorkspace(page, "gates");

    // The workspace's GitHub webhook secret, as an admin makes it.
    await visit(page, `/w/${slug}/settings/integrations`);
    await page.getByRole("button", { name: "Generate webhook secret" }).click();
    const secret = await page.getByLabel(/Webhook secret \(copy it now/).inputValue();
    expect(secret).toMatch(/^whsec_/);

    // INC-1 → postmortem → a factor → ACT-1 proposing the gate.
    const incident = await recordIncident(page, slug, { title: "Migration locked invoices", severity: "SEV2", tier: "T3", areas: ["Billing and entitlements"], startedAt: "2026-03-02T10:00" });
    await startPostmortem(page, slug, incident);
    await visit(page, postmortemPath(slug, incident));
    const factor = await addFactorOnPage(page, "Migrations reach production without a dry run on production-sized data", "Missing test");
    const actionTitle = factor.getByLabel("Action title");
    if (!(await actionTitle.isVisible())) await factor.getByText("Create a guardrail action", { exact: true }).click();
    await actionTitle.fill(TITLE);
    await factor.getByLabel("Or propose a new gate: name").fill(GATE);
    await factor.getByLabel("Check name", { exact: true }).fill(CHECK);
    await factor.getByLabel("Repository", { exact: true }).fill(REPO);
    const created = formPost(page, postmortemPath(slug, incident));
    await factor.getByRole("button", { name: "Create action" }).click();
    expect((await created).status()).toBeLessThan(400);

    // The action is done; the gate has no evidence yet.
    await visit(page, `/w/${slug}/guardrails/actions/1`);
    await page.getByRole("button", { name: "Mark as done" }).click();
    await expect(page.getByTestId("action-status")).toHaveText("Done");
    await page.getByRole("link", { name: `Gate: ${GATE}` }).click();
    const enforcement = page.getByRole("region", { name: "Enforcement" });
    await expect(enforcement.locator(".status-pill")).toHaveText("Proposed");

    // Branch protection on main now requires the check. (Event times follow the action's "done".)
    const now = Date.now();
    expect((await signedDelivery(page, slug, secret, "branch_protection_rule", protection("created", [CHECK], new Date(now)), "e2e-bpr-created")).status()).toBe(200);
    await page.reload();
    await expect(enforcement.locator(".status-pill")).toHaveText("Required, not yet seen");
    await expect(enforcement).toContainText("e2e-bpr-created");
    await expect(enforcement.getByRole("table")).toContainText(CHECK);

    // The check passes on main: the gate is enforced, and the action verified by it.
    expect((await signedDelivery(page, slug, secret, "check_run", completedRun(new Date(now + 1_000)))).status()).toBe(200);
    await page.reload();
    await expect(enforcement.locator(".status-pill")).toHaveText("Enforced");
    await visit(page, `/w/${slug}/guardrails/actions/1`);
    await expect(page.getByTestId("action-status")).toHaveText("Verified");
    await expect(page.getByRole("region", { name: "Evidence" }).getByRole("link", { name: /actions\/runs\/8801/ })).toBeVisible();

    // A pull request merged while the required check had failed on its commit: a bypass, on the gate and the board.
    const sha = "b".repeat(40);
    expect((await signedDelivery(page, slug, secret, "check_run", completedRun(new Date(now + 1_500), "failure", "hotfix", sha))).status()).toBe(200);
    expect((await signedDelivery(page, slug, secret, "pull_request", mergedPullRequest(77, sha, new Date(now + 1_600)))).status()).toBe(200);
    await page.getByRole("link", { name: `Gate: ${GATE}` }).click();
    await expect(enforcement.getByRole("listitem").filter({ hasText: `${REPO}#77` })).toContainText("merged with the required check failing");

    // The protection is edited to drop the check: the gate regressed, the action is back in progress, and says why.
    expect((await signedDelivery(page, slug, secret, "branch_protection_rule", protection("edited", [], new Date(now + 2_000)), "e2e-bpr-edited")).status()).toBe(200);
    await visit(page, `/w/${slug}/guardrails/actions/1`);
    await expect(page.getByTestId("action-status")).toHaveText("In progress");
    const reason = page.getByRole("note", { name: "Why this action is back in progress" });
    await expect(reason).toContainText(`Gate “${GATE}” regressed. Requirement removed by the branch_protection_rule.edited delivery of`);
    await expect(reason).toContainText("(e2e-bpr-edited)");

    // The board's "regressed" view lists it.
    await visit(page, `/w/${slug}/guardrails`);
    await page.getByLabel("Status").selectOption("regressed");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/status=regressed/);
    const row = page.getByRole("row").filter({ hasText: `ACT-1 ${TITLE}` });
    await expect(row).toContainText("Sent back");
    await expect(row).toContainText("Regressed");
    await expect(page.getByRole("region", { name: "Bypassed gates" })).toContainText(`${REPO}#77`);

    // Writing a "gate bypassed" factor, the bypass is offered as its evidence.
    await visit(page, postmortemPath(slug, incident));
    const factors = factorsSection(page);
    await factors.getByText("Add a factor", { exact: true }).click();
    await factors.getByLabel("What made this possible").fill("A hotfix was merged while the dry run was failing on its commit");
    await factors.getByLabel("Category", { exact: true }).selectOption({ label: "Gate bypassed" });
    await factors.getByLabel(`${REPO}#77 skipped “${CHECK}” (${GATE})`).check();
    await factors.getByRole("button", { name: /^Add (a )?factor$/ }).click();
    const bypassed = factors.locator("article", { hasText: "A hotfix was merged" });
    await expect(bypassed).toContainText(`${GATE} was bypassed`);
    await expect(bypassed.getByRole("link", { name: `${REPO}#77` })).toBeVisible();
  });
});
