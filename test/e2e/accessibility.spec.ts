import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { DEMO, expect, logIn, test, visit, waitForHydration } from "./helpers";
import { linksOn, mainPages } from "./main-pages";

const base = `/w/${DEMO.slug}`;

/**
 * axe-core over every main page state, in light and in dark mode: no violation of serious or
 * critical impact. The list is the app's pages as the demo workspace fills them (a published
 * postmortem, one in review, a draft in the editor, decision records, gates, actions…), plus the
 * states a page can be put in: the phone menu open, the shortcut list open, a form with errors.
 */
const SEVERE = new Set(["serious", "critical"]);

async function severeViolations(page: Page, state: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  const severe = results.violations
    .filter((v) => SEVERE.has(v.impact ?? ""))
    .map((v) => `${state}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(", ")}`);
  return severe;
}

async function expectNoSevereViolations(page: Page, state: string): Promise<void> {
  expect(await severeViolations(page, state), `serious or critical axe violations on ${state}`).toEqual([]);
}

for (const scheme of ["light", "dark"] as const) {
  test.describe(`accessibility, ${scheme} mode`, () => {
    test.describe.configure({ timeout: 420_000 });
    test.use({ colorScheme: scheme });

    test("every main page of the demo workspace has no serious or critical violation", async ({ page }) => {
      await logIn(page, DEMO);
      const pages = await mainPages(page);
      // Every page is checked before the test fails, so one run lists all that is wrong.
      const found: string[] = [];
      for (const path of pages) {
        await visit(page, path);
        found.push(...(await severeViolations(page, `${path} (${scheme})`)));
      }
      expect(found, "serious or critical axe violations").toEqual([]);
    });

    test("the editors, the phone menu, the shortcut list and a form with errors have none either", async ({ page }) => {
      await logIn(page, DEMO);
      // A postmortem still being written, and a decision record, in their editors.
      const drafts = await linksOn(page, `${base}/postmortems`, /\/incidents\/\d+\/postmortem$/, 20);
      let edited = false;
      for (const path of drafts) {
        const response = await page.goto(`${path}/edit`);
        // The live editor appears once it has connected (ADR 29); a published one never does.
        const editable = response?.status() === 200 && (await page.getByRole("textbox", { name: "Postmortem body" }).waitFor({ timeout: 10_000 }).then(() => true, () => false));
        if (editable) {
          await waitForHydration(page);
          await expect(page.getByRole("textbox", { name: "Postmortem body" })).toHaveAttribute("contenteditable", "true");
          await expectNoSevereViolations(page, `${path}/edit (${scheme})`);
          edited = true;
          break;
        }
      }
      expect(edited, "an editable postmortem in the demo").toBe(true);
      const [decision] = await linksOn(page, `${base}/decisions`, /\/decisions\/(ADR|RFC)-\d+$/, 1);
      await visit(page, `${decision}/edit`);
      await expect(page.locator(".ProseMirror[contenteditable='true']")).toBeVisible();
      await expectNoSevereViolations(page, `${decision}/edit (${scheme})`);

      // The record form with its errors showing.
      await visit(page, `${base}/incidents/new`);
      await page.getByRole("button", { name: "Record incident" }).click();
      await expect(page.locator(".field-error").first()).toBeVisible();
      await expectNoSevereViolations(page, `the incident form with errors (${scheme})`);

      // The shortcut list.
      await visit(page, `${base}/incidents`);
      await page.keyboard.press("Shift+?");
      await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
      await expectNoSevereViolations(page, `the shortcut list (${scheme})`);
      await page.keyboard.press("Escape");

      // The phone menu, open.
      await page.setViewportSize({ width: 390, height: 844 });
      await visit(page, `${base}/guardrails`);
      await page.getByText("Menu", { exact: true }).click();
      await expect(page.getByRole("navigation", { name: "Workspace", exact: true })).toBeVisible();
      await expectNoSevereViolations(page, `the phone menu (${scheme})`);
    });
  });
}
