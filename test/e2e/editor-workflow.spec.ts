import type { Page } from "@playwright/test";
import {
  adminWithWorkspace,
  appendParagraph,
  expect,
  expectAllSaved,
  expectNoSidewaysScroll,
  postmortemBody,
  postmortemPath,
  recordIncident,
  selectBlock,
  shoot,
  startPostmortem,
  test,
  visit,
  withoutLiveEditing,
} from "./helpers";

// Sign-up, an incident, a postmortem and several saves per test: room on a busy machine.
test.describe.configure({ timeout: 90_000 });

async function freshPostmortem(page: Page, title: string) {
  const { slug } = await adminWithWorkspace(page, "writer");
  const number = await recordIncident(page, slug, { title, severity: "SEV2", tier: "T2", startedAt: "2026-03-02T10:00" });
  await startPostmortem(page, slug, number);
  await expect(postmortemBody(page)).toHaveAttribute("contenteditable", "true");
  return { slug, number };
}

/** The live block of tracked factors inside the editor. */
const factorsBlock = (page: Page) => page.getByRole("group", { name: "Contributing factors (live)" });
const actionsBlock = (page: Page) => page.getByRole("group", { name: "Guardrail actions (live)" });

test.describe("editor workflow", () => {
  test("text typed just before following a link is saved first, and guidance is a placeholder, never text", async ({ page }) => {
    const { slug, number } = await freshPostmortem(page, "Typing then leaving at once");
    // Guidance shows in the empty sections, as decoration only.
    const guidance = postmortemBody(page).locator("p.section-guidance").first();
    await expect(guidance).toHaveAttribute("data-guidance", /In two or three sentences/);

    const words = "Checkout retried a payment twice while the gateway was slow.";
    await appendParagraph(page, words);
    // At once, well inside the autosave's pause: a sidebar link.
    await page.getByRole("navigation", { name: "Workspace", exact: true }).getByRole("link", { name: "Incidents", exact: true }).click();
    await expect(page).toHaveURL(`/w/${slug}/incidents`);
    await expect(page.getByRole("dialog")).toHaveCount(0);

    await visit(page, postmortemPath(slug, number));
    const article = page.getByRole("article", { name: "Postmortem" });
    await expect(article).toContainText(words);
    await expect(article).not.toContainText("In two or three sentences");
    // Publishing points out what still holds only guidance, without blocking.
    await expect(page.locator(".publish-warnings", { hasText: "Worth a look before publishing" })).toContainText(/“Summary”, “Impact”, .+ still hold only the template's guidance\./);

    // History explains folding: one entry for a stretch of saves.
    await visit(page, postmortemPath(slug, number, "/history"));
    await expect(page.getByText(/saves by one person within ten minutes are folded/i).first()).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Versions" })).toContainText(/Versions 1–\d+: \d+ saves folded into this one/);
  });

  test("when the save before leaving fails, the page asks instead of dropping the text", async ({ page }) => {
    // The HTTP autosave's leaving path (live editing's is in collaboration.spec.ts).
    await withoutLiveEditing(page);
    const { slug, number } = await freshPostmortem(page, "Leaving while the server is away");
    await page.route("**/postmortem/save", (route) => route.abort("connectionrefused"));
    await appendParagraph(page, "Written while the connection was down.");
    const incidents = page.getByRole("navigation", { name: "Workspace", exact: true }).getByRole("link", { name: "Incidents", exact: true });
    await incidents.click();
    const dialog = page.getByRole("dialog", { name: "Your latest changes are not saved yet" });
    await expect(dialog).toBeVisible();
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot(page, "editor-leave-dialog-390");
    await page.setViewportSize({ width: 1280, height: 800 });
    await dialog.getByRole("button", { name: "Stay and keep editing" }).click();
    await expect(page).toHaveURL(postmortemPath(slug, number, "/edit"));
    await expect(postmortemBody(page)).toContainText("Written while the connection was down.");

    // The server answers again: leaving saves first, then goes.
    await page.unroute("**/postmortem/save");
    await incidents.click();
    await expect(page).toHaveURL(`/w/${slug}/incidents`);
    await visit(page, postmortemPath(slug, number));
    await expect(page.getByRole("article", { name: "Postmortem" })).toContainText("Written while the connection was down.");
  });

  test("the decision editor saves before leaving too", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "decider");
    await visit(page, `/w/${slug}/decisions`);
    await page.getByRole("link", { name: "New ADR" }).click();
    await expect(page.getByLabel("Title")).toBeVisible();
    await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber")));
    await page.getByLabel("Title").fill("Idempotency keys on every payment retry");
    await page.getByRole("radio", { name: /^Nygard/ }).check();
    await page.getByRole("button", { name: "Create and start writing" }).click();
    const ref = "ADR-1";
    await expect(page).toHaveURL(`/w/${slug}/decisions/${ref}/edit`);
    const body = page.getByRole("textbox", { name: "Decision record body" });
    await expect(body).toHaveAttribute("contenteditable", "true");
    await body.click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("Every retry carries the first attempt's key.");
    await page.getByRole("link", { name: `Back to ${ref}` }).click();
    await expect(page).toHaveURL(`/w/${slug}/decisions/${ref}`);
    await expect(page.getByRole("article").first()).toContainText("Every retry carries the first attempt's key.");
  });

  test("factors and actions are live blocks in the document, edited in place, with forms that reset and announce", async ({ page }) => {
    const { slug, number } = await freshPostmortem(page, "Config push skipped the canary");
    const factors = factorsBlock(page);
    await expect(factors).toContainText("No factors recorded yet.");
    await expect(actionsBlock(page)).toContainText("No guardrail actions yet.");

    // Add a factor: the form empties, the live region says so, focus moves to the new factor.
    const text = factors.getByLabel("What made this possible");
    await text.fill("Config changes skip the canary stage.");
    await factors.getByLabel("Category").selectOption({ label: "Missing gate" });
    await factors.getByRole("button", { name: "Add factor" }).click();
    await expect(factors.getByRole("status")).toHaveText("Factor 1 added. Give it a guardrail action, or record why none is needed.");
    await expect(factors.getByRole("heading", { name: /Factor 1/ })).toBeFocused();
    await expect(factors.getByLabel("What made this possible")).toHaveValue("");
    await expect(factors).toContainText("Config changes skip the canary stage.");

    // Create an action: "ACT-1 created", the form is empty again, focus on the new action.
    await factors.getByText("Create a guardrail action").click();
    await factors.getByLabel("Action title").fill("Send config pushes through the canary");
    await factors.getByRole("button", { name: "Create action" }).click();
    await expect(factors.getByRole("status")).toHaveText("ACT-1 created.");
    await expect(factors.getByRole("link", { name: "ACT-1 Send config pushes through the canary" })).toBeFocused();
    await factors.getByText("Create a guardrail action").click();
    await expect(factors.getByLabel("Action title")).toHaveValue("");
    await expect(actionsBlock(page).getByRole("link", { name: "ACT-1 Send config pushes through the canary" })).toBeVisible();

    // Edit the factor in place.
    await factors.getByRole("button", { name: "Edit factor 1" }).click();
    const edit = factors.locator("form.factor-edit");
    await expect(edit.getByLabel("What made this possible")).toBeFocused();
    await edit.getByLabel("What made this possible").fill("Config changes skip the canary stage and its error-rate check.");
    await edit.getByRole("button", { name: "Save factor" }).click();
    await expect(factors.getByRole("status")).toHaveText("Factor 1 updated.");
    await expect(factors).toContainText("Config changes skip the canary stage and its error-rate check.");

    // A second factor, removed after a confirmation.
    await factors.getByText("Add a factor").click();
    await factors.getByLabel("What made this possible").fill("Nobody is paged for canary failures at night.");
    await factors.getByRole("button", { name: "Add factor" }).click();
    await expect(factors.getByRole("status")).toHaveText(/^Factor 2 added/);
    await factors.getByRole("button", { name: "Remove factor 2" }).click();
    await expect(factors.getByRole("group", { name: "Remove factor 2?" })).toBeVisible();
    await factors.getByRole("button", { name: "Keep it" }).click();
    await expect(factors).toContainText("Nobody is paged for canary failures at night.");
    await factors.getByRole("button", { name: "Remove factor 2" }).click();
    await factors.getByRole("button", { name: "Yes, remove it" }).click();
    await expect(factors.getByRole("status")).toHaveText("Factor 2 removed.");
    await expect(factors).not.toContainText("Nobody is paged for canary failures at night.");

    await expectAllSaved(page);
    await shoot(page, "editor-live-blocks-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoSidewaysScroll(page);
    await shoot(page, "editor-live-blocks-390");
    await page.setViewportSize({ width: 1280, height: 800 });

    // The read page draws the blocks in the document from the records, still editable; no second copy below.
    await visit(page, postmortemPath(slug, number));
    const article = page.getByRole("article", { name: "Postmortem" });
    const section = article.getByRole("region", { name: "Contributing factors" });
    await expect(section).toContainText("Config changes skip the canary stage and its error-rate check.");
    await expect(section.getByRole("link", { name: "ACT-1 Send config pushes through the canary" })).toBeVisible();
    await expect(section.getByRole("button", { name: "Edit factor 1" })).toBeVisible();
    await expect(article.getByRole("region", { name: "Action items" }).getByRole("link", { name: "ACT-1 Send config pushes through the canary" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Contributing factors" })).toHaveCount(1);
    await shoot(page, "postmortem-live-blocks-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoSidewaysScroll(page);
    await shoot(page, "postmortem-live-blocks-390");
    await page.setViewportSize({ width: 1280, height: 800 });
    const markdown = await (await page.request.get(postmortemPath(slug, number, ".md"))).text();
    expect(markdown).toContain("<!-- hindsight:factors -->");
    expect(markdown).toContain("Config changes skip the canary stage and its error-rate check.");
    expect(markdown).toContain("<!-- /hindsight:actions -->");
  });

  test("the Link button opens a panel with the address, the text and a way to remove the link", async ({ page }) => {
    await freshPostmortem(page, "Links without prompt()");
    await appendParagraph(page, "See the runbook");
    await selectBlock(page, "See the runbook");
    const toolbar = page.getByRole("toolbar", { name: "Formatting for Postmortem body" });
    await toolbar.getByRole("button", { name: "Link" }).click();
    const panel = page.getByRole("dialog", { name: "Add a link" });
    await expect(panel.getByLabel("Address")).toBeFocused();
    await expect(panel.getByLabel("Text shown")).toHaveValue("See the runbook");

    // A refused address is said beside the field; nothing changes.
    await panel.getByLabel("Address").fill("javascript:alert(1)");
    await panel.getByRole("button", { name: "Add link" }).click();
    await expect(panel.getByRole("alert")).toHaveText(/must start with http/);

    await panel.getByLabel("Address").fill("example.com/runbooks/payments");
    await panel.getByLabel("Text shown").fill("the payments runbook");
    await shoot(page, "editor-link-panel-1280");
    await panel.getByRole("button", { name: "Add link" }).click();
    const link = postmortemBody(page).getByRole("link", { name: "the payments runbook" });
    await expect(link).toHaveAttribute("href", "https://example.com/runbooks/payments");
    await expect(page.getByRole("dialog", { name: "Add a link" })).toHaveCount(0);

    // The caret in the link: the same button edits or removes it.
    await link.click();
    await toolbar.getByRole("button", { name: "Link" }).click();
    const edit = page.getByRole("dialog", { name: "Edit link" });
    await expect(edit.getByLabel("Address")).toHaveValue("https://example.com/runbooks/payments");
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoSidewaysScroll(page);
    await shoot(page, "editor-link-panel-390");
    await edit.getByRole("button", { name: "Remove link" }).click();
    await expect(postmortemBody(page).getByRole("link")).toHaveCount(0);
    await expect(postmortemBody(page)).toContainText("the payments runbook");
  });

  test("an address typed or pasted becomes a link", async ({ page }) => {
    // The link detection (linkifyjs) loads when the editor is first focused; typing comes after.
    await freshPostmortem(page, "Links found in the text");
    await appendParagraph(page, "Status page: status.example.com/incidents and more");
    await expect(postmortemBody(page).getByRole("link", { name: "status.example.com/incidents" })).toHaveAttribute("href", "https://status.example.com/incidents");
    await appendParagraph(page, "Pasted: ");
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData("text/plain", "https://example.com/runbooks/retries");
      document.querySelector(".ProseMirror")!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await expect(postmortemBody(page).getByRole("link", { name: "https://example.com/runbooks/retries" })).toHaveAttribute("href", "https://example.com/runbooks/retries");
  });

  test("tables: inserted from the toolbar, Tab moves on and adds a row, the row and column buttons work, in a new table and a reopened one", async ({ page }) => {
    const { slug, number } = await freshPostmortem(page, "Tables in the editor");
    await appendParagraph(page, "Retries by hour:");
    // No table yet: the table tools, the link panel and the HTTP autosave page have not been loaded.
    expect(await loadedScripts(page)).not.toEqual(expect.arrayContaining([expect.stringMatching(/\/(tools|link-popover|autosaving-document)-/)]));
    const toolbar = page.getByRole("toolbar", { name: "Formatting for Postmortem body" });
    await toolbar.getByRole("button", { name: "Insert table" }).click();
    const table = postmortemBody(page).locator("table");
    await expect(table.locator("tr")).toHaveCount(3);
    await expect(table.locator("th")).toHaveCount(3);
    await caretInCell(page, 0);
    await page.keyboard.type("Hour");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Retries");
    await expect(table.locator("th").nth(1)).toHaveText("Retries");

    // Tab in the last cell adds a row; the table group of the toolbar acts where the caret is.
    await table.locator("td").last().click();
    await caretInCell(page, 8);
    await page.keyboard.press("Tab");
    await expect(table.locator("tr")).toHaveCount(4);
    // The caret is in the new row's first cell: a column after the first.
    await toolbar.getByRole("button", { name: "Add column to the right" }).click();
    await expect(table.locator("tr").first().locator("th")).toHaveCount(4);
    await expect(table.locator("th").nth(2)).toHaveText("Retries");
    await toolbar.getByRole("button", { name: "Delete row" }).click();
    await expect(table.locator("tr")).toHaveCount(3);
    await expectAllSaved(page);

    // Reopened (the table comes from the live document): its tools are there.
    await visit(page, postmortemPath(slug, number, "/edit"));
    await expect(postmortemBody(page)).toHaveAttribute("contenteditable", "true");
    await expect(table.locator("th").nth(2)).toHaveText("Retries");
    // The document's table brought its tools before the caret went into it.
    await expect.poll(() => loadedScripts(page)).toContainEqual(expect.stringMatching(/\/tools-/));
    await table.locator("th").nth(2).click();
    await caretInCell(page, 2);
    await expect(toolbar.getByRole("button", { name: "Delete column" })).toBeEnabled();
    await page.keyboard.press("Shift+Tab");
    await caretInCell(page, 1);
    await toolbar.getByRole("button", { name: "Delete table" }).click();
    await expect(table).toHaveCount(0);
    await expect(postmortemBody(page)).toContainText("Retries by hour:");
    // The tools' plugins joined the editor after it started: the live undo history still works.
    await page.keyboard.press("Control+z");
    await expect(table.locator("th").nth(2)).toHaveText("Retries");
  });

  test("tables in the HTTP autosave editor: a document with a table opens with its tools", async ({ page }) => {
    const { slug, number } = await freshPostmortem(page, "Tables without live editing");
    await appendParagraph(page, "Before the table");
    await page.getByRole("toolbar", { name: "Formatting for Postmortem body" }).getByRole("button", { name: "Insert table" }).click();
    await caretInCell(page, 0);
    await page.keyboard.type("First");
    await expectAllSaved(page);

    await withoutLiveEditing(page);
    await visit(page, postmortemPath(slug, number, "/edit"));
    await expect(page.getByText(/Live editing could not connect/)).toBeVisible({ timeout: 15_000 });
    const table = postmortemBody(page).locator("table");
    await expect(table.locator("th").first()).toHaveText("First");
    await expect.poll(() => loadedScripts(page)).toContainEqual(expect.stringMatching(/\/tools-/));
    await table.locator("th").first().click();
    await caretInCell(page, 0);
    await page.keyboard.press("Tab");
    await page.keyboard.type("Second");
    await expect(table.locator("th").nth(1)).toHaveText("Second");
    // This editor's undo history is ProseMirror's, which the live editor does not load.
    await page.keyboard.press("Control+z");
    await expect(table.locator("th").nth(1)).toHaveText("");
    await expect(table.locator("th").first()).toHaveText("First");
    await expect(page.getByRole("toolbar", { name: "Formatting for Postmortem body" }).getByRole("button", { name: "Delete row" })).toBeEnabled();
  });
});

/** The scripts this page has loaded so far (module entry, preloads and chunks loaded later). */
function loadedScripts(page: Page): Promise<string[]> {
  return page.evaluate(() => performance.getEntriesByType("resource").map((entry) => entry.name).filter((name) => name.endsWith(".js")));
}

/** Waits until the editor has the caret in the table's cell number `index` (header cells first, in reading order). */
async function caretInCell(page: Page, index: number): Promise<void> {
  await page.waitForFunction((wanted) => {
    type Node = { type: { name: string } };
    type EditorLike = { state: { doc: { descendants: (f: (node: Node, pos: number) => void) => void }; selection: { from: number } } };
    const editor = (document.querySelector(".ProseMirror") as unknown as { editor?: EditorLike } | null)?.editor;
    if (!editor) return false;
    const cells: number[] = [];
    editor.state.doc.descendants((node, pos) => {
      if (node.type.name === "tableCell" || node.type.name === "tableHeader") cells.push(pos);
    });
    const at = editor.state.selection.from;
    const inside = cells.findLastIndex((pos) => pos < at);
    return inside === wanted;
  }, index);
}
