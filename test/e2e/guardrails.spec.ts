import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { adminWithWorkspace, expect, expectAccessibleBasics, expectNoSidewaysScroll, formPost, inviteMember, postForm, shoot, test, visit } from "./helpers";

type GateInput = {
  name: string;
  kind?: string;
  repository?: string;
  checkName?: string;
  tiers?: ("T0" | "T1" | "T2" | "T3")[];
  status?: "proposed" | "enforced" | "retired";
};

/** Fills the gate form (new or edit; the page must be on it). */
async function fillGate(page: Page, input: GateInput) {
  await page.getByLabel("Name", { exact: true }).fill(input.name);
  await page.getByLabel("Kind", { exact: true }).selectOption(input.kind ?? "ci_check");
  await page.getByLabel("Status", { exact: true }).selectOption(input.status ?? "proposed");
  await page.getByLabel("Repository", { exact: true }).fill(input.repository ?? "");
  await page.getByLabel("Check name", { exact: true }).fill(input.checkName ?? "");
  for (const tier of input.tiers ?? []) await page.getByRole("checkbox", { name: new RegExp(`^${tier} ·`) }).check();
}

/** Records a gate through "New gate"; returns its id (from the URL it lands on). */
async function recordGate(page: Page, slug: string, input: GateInput): Promise<string> {
  await visit(page, `/w/${slug}/gates/new`);
  await fillGate(page, input);
  const posted = formPost(page, `/w/${slug}/gates/new`);
  await page.getByRole("button", { name: "Create gate" }).click();
  expect((await posted).status(), "creating the gate").toBeLessThan(400);
  await expect(page).toHaveURL(new RegExp(`/w/${slug}/gates/[0-9a-f-]{36}$`));
  await expect(page.getByRole("heading", { level: 1, name: input.name })).toBeVisible();
  return new URL(page.url()).pathname.split("/").pop()!;
}

/** The value shown for one of a page's facts ("Repository", "Check name", ...). */
function fact(page: Page, name: string) {
  return page.locator(".facts > div", { has: page.getByText(name, { exact: true }) }).locator("dd");
}

/** One of the board's header counts. */
function count(page: Page, name: string) {
  // The board's count cards are links to their views: the number, then the label.
  return page.getByRole("navigation", { name: "Actions across the workspace" }).locator(".board-card", { has: page.getByText(name, { exact: true }) }).locator(".board-card-value");
}

test.describe("gates", () => {
  test("an editor records a gate, is told about a bad repository beside the field, and edits it", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "gatekeeper");

    await visit(page, `/w/${slug}/gates`);
    await expect(page.getByRole("heading", { level: 2, name: "No gates yet" })).toBeVisible();
    await page.getByRole("link", { name: "New gate" }).first().click();
    await expect(page).toHaveURL(`/w/${slug}/gates/new`);
    await expectAccessibleBasics(page);

    // A repository that isn't owner/name: refused beside the field, everything typed is kept.
    const input = {
      name: "Migration dry run on a production-sized snapshot",
      repository: "payments service",
      checkName: "migrate-dry-run",
      tiers: ["T2", "T3"] as const,
    };
    await fillGate(page, { ...input, tiers: [...input.tiers] });
    const refused = formPost(page, `/w/${slug}/gates/new`);
    await page.getByRole("button", { name: "Create gate" }).click();
    expect((await refused).status()).toBe(400);
    const repository = page.getByLabel("Repository", { exact: true });
    await expect(repository).toHaveAttribute("aria-invalid", "true");
    await expect(repository).toHaveAccessibleDescription(/Write the repository as owner\/name, like acme\/api\./);
    await expect(page.locator(".field", { has: repository }).getByRole("alert")).toHaveText("Write the repository as owner/name, like acme/api.");
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(input.name);
    await expect(page.getByLabel("Check name", { exact: true })).toHaveValue(input.checkName);
    await expect(page.getByRole("checkbox", { name: /^T2 ·/ })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: /^T3 ·/ })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: /^T1 ·/ })).not.toBeChecked();
    await expectAccessibleBasics(page);

    // Corrected, it is recorded and shown with its facts.
    await repository.fill("acme/payments");
    const created = formPost(page, `/w/${slug}/gates/new`);
    await page.getByRole("button", { name: "Create gate" }).click();
    expect((await created).status()).toBeLessThan(400);
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/gates/[0-9a-f-]{36}$`));
    const gateUrl = new URL(page.url()).pathname;
    await expect(page.getByRole("heading", { level: 1, name: input.name })).toBeVisible();
    await expect(fact(page, "Status")).toHaveText("Proposed");
    await expect(fact(page, "Repository")).toHaveText("acme/payments");
    await expect(fact(page, "Check name")).toHaveText("migrate-dry-run");
    await expect(fact(page, "Tiers")).toHaveText("T2T3");
    await expect(fact(page, "Last seen enforced")).toHaveText("Not seen yet");
    await expect(page.getByText("No postmortem has named this gate yet.")).toBeVisible();
    await expect(page.getByText("No action creates or sharpens this gate yet.")).toBeVisible();

    // The same check in the same repository is already watched: refused beside Check name.
    await visit(page, `/w/${slug}/gates/new`);
    await fillGate(page, { name: "Another dry run", repository: "ACME/payments", checkName: "migrate-dry-run" });
    const duplicate = formPost(page, `/w/${slug}/gates/new`);
    await page.getByRole("button", { name: "Create gate" }).click();
    expect((await duplicate).status()).toBe(400);
    await expect(page.getByLabel("Check name", { exact: true })).toHaveAccessibleDescription(/Another gate already watches this check in this repository\./);

    // Edited: now enforced, with a description.
    await visit(page, gateUrl);
    await page.getByRole("link", { name: "Edit gate" }).click();
    await expect(page).toHaveURL(`${gateUrl}/edit`);
    await expect(page.getByLabel("Repository", { exact: true })).toHaveValue("acme/payments");
    await expect(page.getByRole("checkbox", { name: /^T3 ·/ })).toBeChecked();
    await page.getByLabel("Status", { exact: true }).selectOption("enforced");
    await page.getByLabel("Description", { exact: true }).fill("Runs every migration against last night's anonymised snapshot.");
    const saved = formPost(page, `${gateUrl}/edit`);
    await page.getByRole("button", { name: "Save changes" }).click();
    expect((await saved).status()).toBeLessThan(400);
    await expect(page).toHaveURL(gateUrl);
    await expect(fact(page, "Status")).toHaveText("Enforced");
    await expect(page.getByText("Runs every migration against last night's anonymised snapshot.")).toBeVisible();
  });

  test("a stale save of a gate shows a conflict, keeps what was typed, and can then save over theirs", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "stale");
    const id = await recordGate(page, slug, { name: "Billing CODEOWNERS", kind: "codeowners", repository: "acme/billing" });
    const editUrl = `/w/${slug}/gates/${id}/edit`;

    // Two tabs open the same gate; the other one saves first.
    const other = await page.context().newPage();
    await visit(page, editUrl);
    await visit(other, editUrl);
    await other.getByLabel("Name", { exact: true }).fill("Billing CODEOWNERS (two reviewers)");
    await other.getByRole("button", { name: "Save changes" }).click();
    await expect(other).toHaveURL(`/w/${slug}/gates/${id}`);
    await expect(other.getByRole("heading", { level: 1, name: "Billing CODEOWNERS (two reviewers)" })).toBeVisible();

    await page.getByLabel("Name", { exact: true }).fill("Billing CODEOWNERS, enforced");
    await page.getByLabel("Status", { exact: true }).selectOption("enforced");
    const stale = formPost(page, editUrl);
    await page.getByRole("button", { name: "Save changes" }).click();
    expect((await stale).status()).toBe(409);
    const conflict = page.getByRole("alert").filter({ has: page.getByRole("heading", { name: "Someone else saved this gate while you were editing" }) });
    await expect(conflict).toBeVisible();
    await expect(conflict).toContainText("Version 2 was saved");
    await expect(conflict.locator("dd").first()).toHaveText("Billing CODEOWNERS (two reviewers)");
    await expect(conflict).toContainText("Billing CODEOWNERS, enforced");
    // Nothing typed was lost.
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Billing CODEOWNERS, enforced");
    await expect(page.getByLabel("Status", { exact: true })).toHaveValue("enforced");
    await expectAccessibleBasics(page);
    await shoot(page, "25-gate-conflict");

    // Saving again is a deliberate overwrite of the version now shown.
    const overwrite = formPost(page, editUrl);
    await page.getByRole("button", { name: "Save mine over theirs" }).click();
    expect((await overwrite).status()).toBeLessThan(400);
    await expect(page).toHaveURL(`/w/${slug}/gates/${id}`);
    await expect(page.getByRole("heading", { level: 1, name: "Billing CODEOWNERS, enforced" })).toBeVisible();
    await expect(fact(page, "Status")).toHaveText("Enforced");
    await other.close();
  });

  test("the gate list filters by status and counts incidents and actions per gate", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "lister");
    await recordGate(page, slug, { name: "Secret scanning", kind: "sast", repository: "acme/api", checkName: "gitleaks", status: "enforced", tiers: ["T2"] });
    await recordGate(page, slug, { name: "Canary for config pushes", kind: "ci_check", repository: "acme/config", checkName: "canary", tiers: ["T1", "T2"] });

    await visit(page, `/w/${slug}/gates`);
    await expect(page.getByRole("link", { name: "Gates", exact: true })).toHaveAttribute("aria-current", "page");
    const rows = page.locator("tbody tr");
    await expect(rows).toHaveCount(2);
    const scanning = rows.filter({ hasText: "Secret scanning" });
    await expect(scanning.locator("td").nth(1)).toHaveText("Enforced");
    await expect(scanning.locator("td").nth(2)).toContainText("acme/api");
    await expect(scanning.locator("td").nth(2)).toContainText("gitleaks");
    await expect(scanning.locator("td.num")).toHaveText(["0", "0"]);
    await shoot(page, "23-gate-list");

    await page.getByLabel("Status").selectOption("enforced");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(`/w/${slug}/gates?status=enforced`);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Secret scanning");

    await page.getByLabel("Status").selectOption("retired");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.getByText("No gates match this filter.")).toBeVisible();
    await page.getByRole("link", { name: "Clear filter" }).click();
    await expect(rows).toHaveCount(2);

    // An unknown status in a bookmark shows everything rather than an error.
    await visit(page, `/w/${slug}/gates?status=bogus`);
    await expect(rows).toHaveCount(2);
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoSidewaysScroll(page);
  });

  test("an unknown or malformed gate id, or an unknown action number, is a 404, never a 500", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "prober");
    const id = await recordGate(page, slug, { name: "Lint rule: no raw SQL in routes", kind: "lint_rule" });
    for (const path of [
      `/w/${slug}/gates/${randomUUID()}`,
      `/w/${slug}/gates/${randomUUID()}/edit`,
      `/w/${slug}/gates/not-a-uuid`,
      `/w/${slug}/gates/not-a-uuid/edit`,
      `/w/${slug}/gates/${id}x`,
      `/w/${slug}/guardrails/actions/999`,
      `/w/${slug}/guardrails/actions/abc`,
    ]) {
      await visit(page, path, 404);
      await expect(page.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
    }
    const form = { name: "Renamed", kind: "lint_rule", status: "proposed", version: "1" };
    expect((await postForm(page, `/w/${slug}/gates/${randomUUID()}/edit`, form)).status()).toBe(404);
    expect((await postForm(page, `/w/${slug}/gates/not-a-uuid/edit`, form)).status()).toBe(404);
    expect((await postForm(page, `/w/${slug}/guardrails/actions/999`, { intent: "status", from: "open", to: "done", expectedVersion: "1" })).status()).toBe(404);
    // A hand-made post with a bad value is a field error, not a crash.
    const bad = await postForm(page, `/w/${slug}/gates/${id}/edit`, { ...form, kind: "nonsense", version: "x" });
    expect(bad.status()).toBe(400);
  });

  test("a viewer reads gates and the board but can't create or edit gates", async ({ page, browser }) => {
    const { slug } = await adminWithWorkspace(page, "owner");
    const id = await recordGate(page, slug, { name: "Branch protection on main", kind: "branch_protection", repository: "acme/api" });
    const { page: viewer } = await inviteMember(page, browser, slug, "viewer");
    await visit(viewer, `/w/${slug}/gates`);
    await expect(viewer.getByRole("link", { name: "Branch protection on main" })).toBeVisible();
    await expect(viewer.getByRole("link", { name: "New gate" })).toHaveCount(0);
    await visit(viewer, `/w/${slug}/gates/${id}`);
    await expect(viewer.getByRole("link", { name: "Edit gate" })).toHaveCount(0);
    await visit(viewer, `/w/${slug}/gates/new`, 403);
    await visit(viewer, `/w/${slug}/gates/${id}/edit`, 403);
    expect((await postForm(viewer, `/w/${slug}/gates/new`, { name: "Sneaky", kind: "ci_check", status: "enforced" })).status()).toBe(403);
    await visit(viewer, `/w/${slug}/guardrails`);
    await expect(viewer.getByRole("heading", { level: 2, name: "No guardrail actions yet" })).toBeVisible();
    await viewer.context().close();
  });
});

test.describe("guardrail board", () => {
  test("a new workspace's board shows zero counts and explains where actions come from", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "board");
    await page.getByRole("navigation", { name: "Workspace", exact: true }).getByRole("link", { name: "Guardrails" }).click();
    await expect(page).toHaveURL(`/w/${slug}/guardrails`);
    await expect(page.getByRole("heading", { level: 1, name: "Guardrails" })).toBeVisible();
    await expectAccessibleBasics(page);
    for (const name of ["Open", "Overdue", "Awaiting verification", "Verified"]) await expect(count(page, name)).toHaveText("0");
    const empty = page.getByRole("region", { name: "No guardrail actions yet" });
    await expect(empty).toContainText("Guardrail actions come from the contributing factors of a postmortem.");
    await expect(empty).toContainText("verified with evidence that its gate runs");
    await expect(empty.getByRole("link", { name: "Go to postmortems" })).toHaveAttribute("href", `/w/${slug}/postmortems`);
    await expect(page.getByRole("region", { name: "Recurring" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Actions", exact: true })).toHaveAttribute("aria-current", "page");
    await shoot(page, "20-guardrails-board-empty");

    // Unknown view parameters are ignored, not refused.
    await visit(page, `/w/${slug}/guardrails?status=bogus&owner=nobody&area=${"x".repeat(200)}`);
    await expect(count(page, "Open")).toHaveText("0");

    await page.getByRole("navigation", { name: "Guardrails sections" }).getByRole("link", { name: "Gates" }).click();
    await expect(page).toHaveURL(`/w/${slug}/gates`);
    await expect(page.getByRole("heading", { level: 1, name: "Gates" })).toBeVisible();
  });
});
