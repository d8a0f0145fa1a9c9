import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { strFromU8, unzipSync } from "fflate";
import { adminWithWorkspace, expect, expectAccessibleBasics, expectAllSaved, inviteMember, recordIncident, shoot, test, visit, waitForHydration, watchCsp } from "./helpers";

/** A folder of ADRs the way teams keep them: adr-tools (Nygard) files, a MADR 4 file, one with bad YAML, a broken one, a README and a diagram. */
function adrFolder(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "hindsight-adrs-")), "adr");
  mkdirSync(dir);
  const files: Record<string, string> = {
    "0001-record-architecture-decisions.md":
      "# 1. Record architecture decisions\n\nDate: 2018-02-15\n\n## Status\n\nAccepted\n\n## Context\n\nWe need to record the architectural decisions made on this project.\n\n## Decision\n\nWe will use Architecture Decision Records.\n",
    "0002-use-kafka-for-events.md":
      "# 2. Use Kafka for events\n\nDate: 2019-03-04\n\n## Status\n\nSuperceded by [3. Use NATS for events](0003-use-nats-for-events.md)\n\n## Context\n\nServices need to publish events.\n",
    "0003-use-nats-for-events.md":
      "# 3. Use NATS for events\n\nDate: 2020-01-10\n\n## Status\n\nAccepted\n\nSupersedes [2. Use Kafka for events](0002-use-kafka-for-events.md)\n\n## Context\n\nKafka is more than we need; see [the Kafka decision](0002-use-kafka-for-events.md).\n",
    "0004-pin-the-node-version.md":
      "---\nstatus: accepted\ndate: 2024-05-02\ndecision-makers: [Ana Lima, Ben Okafor]\ntags: [ci, runtime]\nconsulted: Platform guild\n---\n\n# Pin the Node version in CI\n\n## Context and Problem Statement\n\nBuilds broke when the runner image moved to a new Node major.\n",
    "0005-half-written.md": "---\nstatus: [accepted\n---\n# Half written\n",
    "0006-corrupt.md": "PK\u0003\u0004\u0001 not text",
    "README.md": "# Architecture decisions\n\nSee the files in this folder.\n",
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  writeFileSync(path.join(dir, "diagram.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  return dir;
}

const row = (page: Page, text: string) => page.getByRole("row").filter({ hasText: text });
const chain = (page: Page) => page.getByRole("navigation", { name: "Supersede chain" });
const decisionBody = (page: Page) => page.getByRole("textbox", { name: "Decision record body" });

test.describe("decision records", () => {
  test.setTimeout(90_000);

  test("import a folder of ADRs: preview, import, walk the supersede chain, export the log", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "adrs");
    await visit(page, `/w/${slug}/decisions`);
    await expect(page.getByRole("heading", { name: "No decision records yet" })).toBeVisible();
    await page.getByRole("link", { name: "Import Markdown" }).click();
    // Still on the upload form (Remix marks a post to an index route with ?index).
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/decisions/import(\\?index)?$`));
    await waitForHydration(page);
    await expectAccessibleBasics(page);

    // Preview: every file, what it becomes, and its problems; nothing imported yet.
    await page.getByLabel("A folder of Markdown files").setInputFiles(adrFolder());
    await page.getByRole("button", { name: "Preview the import" }).click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/decisions/import/[0-9a-f-]{36}$`));
    await expect(page.getByRole("heading", { level: 1, name: "Import preview" })).toBeVisible();
    await expectAccessibleBasics(page);
    await expect(row(page, "0001-record-architecture-decisions.md")).toContainText("Create ADR-1");
    await expect(row(page, "0002-use-kafka-for-events.md")).toContainText("Create ADR-2");
    await expect(row(page, "0002-use-kafka-for-events.md")).toContainText("Superseded by ADR-3");
    await expect(row(page, "0003-use-nats-for-events.md")).toContainText("Supersedes ADR-2");
    await expect(row(page, "0004-pin-the-node-version.md")).toContainText("Pin the Node version in CI");
    // Front matter YAML refuses does not lose the record: it comes in with a warning.
    await expect(row(page, "0005-half-written.md")).toContainText("Create ADR-5");
    await expect(row(page, "0005-half-written.md")).toContainText("The front matter is not valid YAML");
    await expect(row(page, "0006-corrupt.md")).toContainText("Not imported");
    await expect(row(page, "README.md")).toContainText("Skipped");
    await expect(row(page, "diagram.png")).toContainText("Not a Markdown file.");
    await shoot(page, "decisions-01-import-preview");
    await visit(page, `/w/${slug}/decisions`);
    await expect(page.getByRole("heading", { name: "No decision records yet" })).toBeVisible();
    await page.goBack();

    await page.getByRole("button", { name: "Import 5 records" }).click();
    await expect(page).toHaveURL(`/w/${slug}/decisions?imported=5`);
    await expect(page.getByRole("status")).toHaveText("Imported 5 records.");
    await expect(page.getByRole("heading", { level: 1, name: "Decisions" })).toBeVisible();
    await expect(row(page, "Use Kafka for events")).toContainText("Superseded by ADR-3");
    await expect(row(page, "Pin the Node version in CI")).toContainText("2 May 2024");
    await expectAccessibleBasics(page);
    await shoot(page, "decisions-02-log");

    // Filters: by tag, by status.
    await page.getByLabel("Tag").selectOption("ci");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/tag=ci/);
    await expect(page.getByRole("table").getByRole("link", { name: /ADR-\d/ })).toHaveText(["ADR-4 Pin the Node version in CI"]);
    await page.getByRole("link", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(`/w/${slug}/decisions`);
    await expect(page.getByRole("table").getByRole("row")).toHaveCount(6);
    await page.getByLabel("Status").selectOption("superseded");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/status=superseded/);
    await expect(page.getByRole("table").getByRole("row")).toHaveCount(2);
    await expect(row(page, "ADR-2 Use Kafka for events")).toContainText("Superseded by ADR-3");

    // Walk the chain: ADR-2 → ADR-3 and back.
    await page.getByRole("link", { name: "ADR-2 Use Kafka for events" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Use Kafka for events" })).toBeVisible();
    await expect(page.locator(".page-head")).toContainText("Superseded");
    await expect(chain(page).getByRole("listitem")).toHaveText([/ADR-2 Use Kafka for events\s*Superseded/, /ADR-3 Use NATS for events\s*Accepted/]);
    await expect(chain(page).locator("[aria-current=page]")).toContainText("ADR-2");
    await chain(page).getByRole("link", { name: "ADR-3 Use NATS for events" }).click();
    await expect(page).toHaveURL(`/w/${slug}/decisions/ADR-3`);
    await expect(page.getByRole("heading", { level: 1, name: "Use NATS for events" })).toBeVisible();
    await expect(chain(page).locator("[aria-current=page]")).toContainText("ADR-3");
    // Moved along the chain in the browser: the details form shows this record's, not the last one's.
    await expect(page.getByRole("combobox", { name: "Status" })).toHaveValue("accepted");
    await expect(page.getByLabel("Decided on")).toHaveValue("2020-01-10");
    const article = page.getByRole("article", { name: "Decision record" });
    await expect(article.getByRole("link", { name: "the Kafka decision" })).toHaveAttribute("href", "ADR-2");
    await expectAccessibleBasics(page);
    await shoot(page, "decisions-03-record-with-chain");
    await article.getByRole("link", { name: "the Kafka decision" }).click();
    await expect(page).toHaveURL(`/w/${slug}/decisions/ADR-2`);

    // Export the whole log: every file as it was imported, under its own name, and an index.
    await visit(page, `/w/${slug}/decisions`);
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export all (zip)" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`${slug}-decisions.zip`);
    const zipPath = path.join(mkdtempSync(path.join(tmpdir(), "hindsight-export-")), download.suggestedFilename());
    await download.saveAs(zipPath);
    const files = unzipSync(readFileSync(zipPath));
    expect(Object.keys(files).sort()).toEqual([
      "decisions/adr/0001-record-architecture-decisions.md",
      "decisions/adr/0002-use-kafka-for-events.md",
      "decisions/adr/0003-use-nats-for-events.md",
      "decisions/adr/0004-pin-the-node-version.md",
      "decisions/adr/0005-half-written.md",
      "decisions/index.md",
    ]);
    const folder = adrFolder();
    for (const name of ["0002-use-kafka-for-events.md", "0004-pin-the-node-version.md", "0005-half-written.md"]) {
      expect(strFromU8(files[`decisions/adr/${name}`]!)).toBe(readFileSync(path.join(folder, name), "utf8"));
    }
    expect(strFromU8(files["decisions/index.md"]!)).toContain("| [ADR-2](adr/0002-use-kafka-for-events.md) | Use Kafka for events | Superseded by ADR-3 |");

    // The export imported back here is all duplicates: ids are stable.
    await visit(page, `/w/${slug}/decisions/import`);
    await page.getByLabel("Or a zip file").setInputFiles(zipPath);
    await page.getByRole("button", { name: "Preview the import" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Import preview" })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "Duplicate" })).toHaveCount(5);
    await expect(page.getByRole("button", { name: "Import the links" })).toBeDisabled();
  });

  test("write an ADR from a template with autosave, link an incident, supersede it; the read page ships no editor code", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "writer");
    const incident = await recordIncident(page, slug, { title: "Queue backlog after a deploy", tier: "T3", startedAt: "2026-03-02T10:00" });
    await visit(page, `/w/${slug}/decisions`);
    await page.getByRole("link", { name: "New ADR" }).click();
    await waitForHydration(page);
    await expectAccessibleBasics(page);
    await page.getByLabel("Title").fill("Require two reviewers for T3 changes");
    await page.getByRole("radio", { name: /^Nygard/ }).check();
    await page.getByLabel("Status").selectOption("accepted");
    await page.getByLabel("Decided on").fill("2026-03-05");
    // The admin is the only member: tick them, and name two people from outside the workspace.
    await page.getByRole("group", { name: "Deciders" }).getByRole("checkbox").first().check();
    await page.getByLabel("Others, outside the workspace").fill("Ana Lima, Ben Okafor");
    await page.getByLabel("Tags").fill("Review, T3");
    await page.getByRole("button", { name: "Create and start writing" }).click();

    await expect(page).toHaveURL(`/w/${slug}/decisions/ADR-1/edit`);
    await expect(decisionBody(page)).toHaveAttribute("contenteditable", "true");
    await decisionBody(page).click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("The queue backlog showed one reviewer is not enough for T3.");
    await expectAllSaved(page, 2);

    // The read page: rendered on the server, no editor code.
    const scripts: string[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script" || new URL(response.url()).pathname.endsWith(".js")) scripts.push(response.url());
    });
    await visit(page, `/w/${slug}/decisions/ADR-1`);
    await page.waitForLoadState("networkidle");
    const article = page.getByRole("article", { name: "Decision record" });
    await expect(article).toContainText("The queue backlog showed one reviewer is not enough for T3.");
    await expect(article.getByRole("heading", { name: "Consequences" })).toBeVisible();
    await expect(page.locator(".page-head")).toContainText(/decided 5 Mar( 2026)? · .+ · by [^,]+, Ana Lima, Ben Okafor/);
    await expect(page.getByRole("paragraph").filter({ hasText: "review" }).getByRole("link")).toHaveText(["review", "t3"]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const url of scripts) {
      expect(url).not.toMatch(/decisions[._-]+ref[._-]+edit/);
      expect(url).not.toMatch(/tiptap|prosemirror/i);
    }
    await expect(page.locator("[contenteditable]")).toHaveCount(0);

    // History: creating and writing within ten minutes fold into one version, the current one,
    // which reads like the record and has nothing to restore.
    await visit(page, `/w/${slug}/decisions/ADR-1/history`);
    await expect(page.getByRole("heading", { name: "Choose a version" })).toBeVisible();
    const versions = page.getByRole("navigation", { name: "Versions" }).getByRole("listitem");
    await expect(versions).toHaveCount(1);
    await expect(versions).toContainText("Version 2");
    await expect(versions).toContainText("current");
    await versions.getByRole("link", { name: "Version 2" }).click();
    await expect(page.getByRole("heading", { name: /^Version 2 · / })).toBeVisible();
    await expect(page.locator("article.prose")).toContainText("The queue backlog showed one reviewer is not enough for T3.");
    await expect(page.getByRole("button", { name: "Restore this version" })).toHaveCount(0);
    await visit(page, `/w/${slug}/decisions/ADR-1`);

    // Links: an incident, then a refusal shown beside the field.
    await page.getByLabel("Kind of link").selectOption("informed_by");
    await page.getByLabel("Links to").fill(`INC-${incident}`);
    await page.getByRole("button", { name: "Add link" }).click();
    await expect(page.getByRole("status")).toHaveText("Link added.");
    await expect(page.getByRole("link", { name: `INC-${incident} Queue backlog after a deploy` })).toHaveAttribute("href", `/w/${slug}/incidents/${incident}`);
    await page.getByLabel("Kind of link").selectOption("amends");
    await page.getByLabel("Links to").fill("ADR-99");
    await page.getByRole("button", { name: "Add link" }).click();
    await expect(page.getByLabel("Links to")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Links to")).toHaveAccessibleDescription(/ADR-99 is not a decision record in this workspace\./);

    // Supersede it with a new record: the chain appears on both, the older one is superseded.
    await page.getByRole("link", { name: "Supersede with a new record" }).click();
    await expect(page.getByLabel("Supersedes (optional)")).toHaveValue("ADR-1");
    await waitForHydration(page);
    await page.getByLabel("Title").fill("Require two reviewers and a runbook for T3 changes");
    await page.getByRole("button", { name: "Create and start writing" }).click();
    await expect(page).toHaveURL(`/w/${slug}/decisions/ADR-2/edit`);
    await page.getByRole("link", { name: "Back to ADR-2" }).click();
    await expect(chain(page).getByRole("listitem")).toHaveText([/ADR-1 .*Superseded/, /ADR-2 .*Proposed/]);
    await chain(page).getByRole("link", { name: /ADR-1/ }).click();
    await expect(page).toHaveURL(`/w/${slug}/decisions/ADR-1`);
    await expect(page.getByRole("link", { name: "Supersede with a new record" })).toHaveCount(0);

    // Its status can't leave "superseded" while ADR-2 supersedes it.
    await waitForHydration(page);
    await page.getByRole("combobox", { name: "Status" }).selectOption("accepted");
    await page.getByRole("button", { name: "Save details" }).click();
    await expect(page.getByRole("combobox", { name: "Status" })).toHaveAccessibleDescription(/ADR-2 supersedes this record, so it stays superseded/);
  });

  test("refusals: a broken zip beside the field, unknown and other workspaces' records 404, viewers can't import", async ({ page, browser }) => {
    const { slug } = await adminWithWorkspace(page, "refuse");
    await visit(page, `/w/${slug}/decisions/import`);
    const dir = mkdtempSync(path.join(tmpdir(), "hindsight-zip-"));
    const fake = path.join(dir, "adrs.zip");
    writeFileSync(fake, "PK this is not a zip");
    await page.getByLabel("Or a zip file").setInputFiles(fake);
    await page.getByRole("button", { name: "Preview the import" }).click();
    await expect(page.getByRole("alert")).toHaveText("adrs.zip is not a zip file that can be read.");
    // Still on the upload form (Remix marks a post to an index route with ?index).
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/decisions/import(\\?index)?$`));

    await visit(page, `/w/${slug}/decisions/ADR-1`, 404);
    await visit(page, `/w/${slug}/decisions/XYZ-1`, 404);
    await visit(page, `/w/${slug}/decisions/import/00000000-0000-4000-8000-000000000000`, 404);

    const { page: viewer } = await inviteMember(page, browser, slug, "viewer");
    await visit(viewer, `/w/${slug}/decisions`);
    await expect(viewer.getByRole("link", { name: "Import Markdown" })).toHaveCount(0);
    await expect(viewer.getByRole("link", { name: "New ADR" })).toHaveCount(0);
    const refused = await viewer.goto(`/w/${slug}/decisions/import`);
    expect(refused!.status()).toBe(403);
    await viewer.context().close();

    const stranger = watchCsp(await browser.newContext());
    const { slug: other } = await adminWithWorkspace(await stranger.newPage(), "stranger");
    await stranger.close();
    await visit(page, `/w/${other}/decisions`, 404);
  });
});
