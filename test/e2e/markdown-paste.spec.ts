import { adminWithWorkspace, expect, expectAllSaved, postmortemBody, postmortemPath, recordIncident, startPostmortem, test, visit, waitForHydration } from "./helpers";

test.describe.configure({ timeout: 60_000 });

const PASTED = [
  "# Database failover",
  "",
  "## Customer impact",
  "",
  "- 4,312 checkouts failed",
  "- Support received 212 tickets",
  "",
  "```bash",
  "pg_ctl promote -D /var/lib/postgresql/data",
  "```",
  "",
  "See the [failover runbook](https://runbooks.example.com/db-failover).",
].join("\n");

test("Markdown pasted as plain text becomes headings, a list, code and a link; undo gives the literal text back", async ({ page }) => {
  const { slug } = await adminWithWorkspace(page, "paster");
  const number = await recordIncident(page, slug, { title: "Primary database lost its disk", tier: "T2", areas: [], startedAt: "2026-03-02T10:00", detectedAt: "2026-03-02T10:04" });
  await startPostmortem(page, slug, number, "Google SRE");
  await waitForHydration(page);
  const first = await expectAllSaved(page, 1);
  const body = postmortemBody(page);
  await body.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Enter");

  // A paste that carries only text/plain, as from a terminal, a raw file or a wiki's source view.
  await body.evaluate((element, text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, PASTED);

  await expect(body.getByRole("heading", { level: 1, name: "Database failover" })).toBeVisible();
  await expect(body.getByRole("heading", { level: 2, name: "Customer impact" })).toBeVisible();
  await expect(body.getByRole("listitem").filter({ hasText: "4,312 checkouts failed" })).toBeVisible();
  await expect(body.locator("pre code")).toHaveText("pg_ctl promote -D /var/lib/postgresql/data");
  await expect(body.getByRole("link", { name: "failover runbook" })).toHaveAttribute("href", "https://runbooks.example.com/db-failover");
  await expect(body).not.toContainText("```");

  // The undo that follows the conversion gives the text back as it was pasted.
  await page.keyboard.press("Control+Z");
  await expect(body).toContainText("## Customer impact");
  await expect(body).toContainText("[failover runbook](https://runbooks.example.com/db-failover)");
  await expect(body.getByRole("heading", { name: "Customer impact" })).toHaveCount(0);

  // Redo converts it again; the saved document reads the same on the read page.
  await page.keyboard.press("Control+Shift+Z");
  await expect(body.getByRole("heading", { level: 2, name: "Customer impact" })).toBeVisible();
  expect(await expectAllSaved(page)).toBeGreaterThan(first);
  await visit(page, postmortemPath(slug, number));
  const read = page.locator(".prose");
  // Under the page's own title, the pasted outline is shown one level down.
  await expect(read.getByRole("heading", { level: 2, name: "Database failover" })).toBeVisible();
  await expect(read.getByRole("heading", { level: 3, name: "Customer impact" })).toBeVisible();
  await expect(read.getByRole("listitem").filter({ hasText: "Support received 212 tickets" })).toBeVisible();
  await expect(read.locator("pre code")).toHaveText("pg_ctl promote -D /var/lib/postgresql/data");
  await expect(read.getByRole("link", { name: "failover runbook" })).toHaveAttribute("href", "https://runbooks.example.com/db-failover");
});
