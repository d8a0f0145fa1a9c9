import type { Page } from "@playwright/test";
import {
  adminWithWorkspace,
  appendParagraph,
  appOrigin,
  expect,
  expectAccessibleBasics,
  expectAllSaved,
  expectNoSidewaysScroll,
  formPost,
  inviteMember,
  openEditor,
  postForm,
  postmortemBody,
  postmortemPath,
  recordIncident,
  selectBlock,
  shoot,
  startPostmortem,
  submitIncident,
  test,
  visit,
  waitForHydration,
  withoutLiveEditing,
} from "./helpers";

// Flows here sign up several people and wait for autosaves; give them room on a busy machine.
test.describe.configure({ timeout: 60_000 });

const BILLING = "Billing and entitlements";

/** The value shown for one of the incident's facts ("Time to detect", "Areas", ...). */
function fact(page: Page, name: string) {
  return page.locator(".facts > div", { has: page.locator("dt", { hasText: name }) }).locator("dd");
}

test.describe("incidents", () => {
  test("an editor records an incident, is told about a bad time beside the field, and keeps a timeline", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "recorder");

    // Detected before it started: refused beside the field, everything typed is kept.
    await visit(page, `/w/${slug}/incidents/new`);
    const input = {
      title: "Checkout charged some customers twice",
      severity: "SEV2" as const,
      tier: "T2" as const,
      areas: [BILLING],
      startedAt: "2026-03-02T10:00",
      detectedAt: "2026-03-02T09:30",
    };
    const refused = await submitIncident(page, slug, input);
    expect(refused.status()).toBe(400);
    const detected = page.getByLabel("Detected", { exact: true });
    await expect(detected).toHaveAttribute("aria-invalid", "true");
    await expect(detected).toHaveAccessibleDescription("Detection can't be before the incident started.");
    await expect(page.locator(".field", { has: detected }).getByRole("alert")).toHaveText("Detection can't be before the incident started.");
    await expect(page.getByLabel("Title", { exact: true })).toHaveValue(input.title);
    await expect(page.getByLabel("Severity")).toHaveValue("SEV2");
    await expect(page.getByLabel("Tier of the change involved")).toHaveValue("T2");
    await expect(page.getByLabel("Started", { exact: true })).toHaveValue(input.startedAt);
    await expect(detected).toHaveValue(input.detectedAt);
    await expect(page.getByRole("checkbox", { name: BILLING })).toBeChecked();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/incidents/new$`));
    await expectAccessibleBasics(page);

    // Corrected, it is recorded as the workspace's first incident.
    await detected.fill("2026-03-02T10:25");
    const recorded = formPost(page, `/w/${slug}/incidents/new`);
    await page.getByRole("button", { name: "Record incident" }).click();
    expect((await recorded).status()).toBeLessThan(400);
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/incidents/1$`));
    await expect(page.getByRole("heading", { level: 1, name: `INC-1 · ${input.title}` })).toBeVisible();
    await expect(fact(page, "Severity")).toHaveText(/^SEV2/);
    await expect(fact(page, "Tier")).toHaveText("T2");
    // Shown in the reader's zone (this browser's is UTC), with the UTC time on hover.
    await expect(fact(page, "Started")).toHaveText(/^2 Mar( 2026)?, 10:00 · /);
    await expect(fact(page, "Started").locator("time")).toHaveAttribute("title", "2026-03-02 10:00 UTC");
    await expect(fact(page, "Time to detect")).toHaveText("25 min");
    await expect(fact(page, "Time to mitigate")).toHaveText("not mitigated yet");
    await expect(fact(page, "Areas")).toHaveText(BILLING);

    // Two timeline events, then one of them corrected.
    const timeline = page.getByRole("region", { name: "Timeline" });
    const addForm = timeline.locator("form", { has: page.getByRole("button", { name: "Add event" }) });
    const events = timeline.getByRole("listitem");
    await addEvent(page, slug, addForm, { at: "2026-03-02T09:58", kind: "trigger", text: "Deploy 4711 of the payments service" });
    await expect(events).toHaveCount(1);
    await addEvent(page, slug, addForm, { at: "2026-03-02T10:25", kind: "detection", text: "Duplicate charge alert paged on-call" });
    await expect(events).toHaveCount(2);
    // After a successful add, the form is empty again for the next event.
    await expect(addForm.getByLabel("What happened")).toHaveValue("");

    const second = events.filter({ hasText: "Duplicate charge alert" });
    await second.getByText("Edit event").click();
    await second.getByLabel("What happened").fill("Duplicate-charge alert paged the payments on-call");
    await second.getByLabel("Kind").selectOption("escalation");
    const edited = formPost(page, `/w/${slug}/incidents/1`);
    await second.getByRole("button", { name: "Save event" }).click();
    expect((await edited).status()).toBe(200);
    await expect(events).toHaveCount(2);
    await expect(events.nth(0)).toContainText(/2 Mar( 2026)?, 09:58/);
    await expect(events.nth(0)).toContainText("Deploy 4711 of the payments service");
    await expect(events.nth(1)).toContainText("Duplicate-charge alert paged the payments on-call");
    await expect(events.nth(1).locator(".badge")).toHaveText("escalation");
    await expect(timeline.getByText("Duplicate charge alert paged on-call")).toHaveCount(0);

    // And it stays so on a fresh load.
    await visit(page, `/w/${slug}/incidents/1`);
    await expect(events).toHaveCount(2);
    await expect(events.nth(1)).toContainText("Duplicate-charge alert paged the payments on-call");
    await expectNoSidewaysScroll(page);
    await shoot(page, "10-incident-with-timeline");

    // The list finds it by its filters, and not by others.
    await recordIncident(page, slug, { title: "Search results stale for an hour", severity: "SEV3", tier: "T1", startedAt: "2026-03-05T08:00", detectedAt: "2026-03-05T09:10" });
    await visit(page, `/w/${slug}/incidents`);
    const rows = page.getByRole("table").getByRole("row");
    await expect(rows).toHaveCount(3);
    await page.getByLabel("Tier", { exact: true }).selectOption("T2");
    await page.getByLabel("Area", { exact: true }).selectOption({ label: BILLING });
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/tier=T2/);
    await expect(rows).toHaveCount(2);
    const row = rows.nth(1);
    await expect(row).toContainText(`INC-1 ${input.title}`);
    await expect(row).toContainText("25 min");
    await expect(page.getByRole("link", { name: "Clear filters" })).toBeVisible();
    await expectAccessibleBasics(page);
    await expectNoSidewaysScroll(page);
    await shoot(page, "15-incidents-filtered");

    await page.getByLabel("Tier", { exact: true }).selectOption("T0");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.getByText("No incidents match these filters.")).toBeVisible();
  });
});

test.describe("editing an incident", () => {
  test("a stale edit shows both versions, keeps what was typed, and can discard it or save over theirs", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "stale");
    const number = await recordIncident(page, slug, { title: "Webhook retries pile up", severity: "SEV3", startedAt: "2026-03-02T10:00" });
    const editUrl = `/w/${slug}/incidents/${number}/edit`;

    // Two tabs open the same incident; the other one saves first.
    const other = await page.context().newPage();
    await visit(page, editUrl);
    await visit(other, editUrl);
    await other.getByLabel("Title", { exact: true }).fill("Webhook retries pile up after a deploy");
    await other.getByRole("button", { name: "Save changes" }).click();
    await expect(other).toHaveURL(`/w/${slug}/incidents/${number}`);

    await page.getByLabel("Title", { exact: true }).fill("Webhook retries exhaust the queue");
    await page.getByLabel("Severity").selectOption("SEV2");
    const stale = formPost(page, editUrl);
    await page.getByRole("button", { name: "Save changes" }).click();
    expect((await stale).status()).toBe(409);
    const conflict = page.getByRole("alert").filter({ has: page.getByRole("heading", { name: "Someone else saved this incident while you were editing" }) });
    await expect(conflict).toBeVisible();
    await expect(conflict).toContainText("saved version 2 at");
    await expect(conflict.locator("dd").first()).toHaveText("Webhook retries pile up after a deploy");
    await expect(conflict).toContainText("Webhook retries exhaust the queue");
    await expect(conflict).toContainText("SEV2 · ");
    // Nothing typed was lost.
    await expect(page.getByLabel("Title", { exact: true })).toHaveValue("Webhook retries exhaust the queue");
    await expect(page.getByLabel("Severity")).toHaveValue("SEV2");
    await expectAccessibleBasics(page);

    // The other tab opens the form again (version 2) before this one saves over theirs.
    await visit(other, editUrl);

    // Saving again is a deliberate overwrite of the version now shown.
    const overwrite = formPost(page, editUrl);
    await page.getByRole("button", { name: "Save mine over theirs" }).click();
    expect((await overwrite).status()).toBeLessThan(400);
    await expect(page).toHaveURL(`/w/${slug}/incidents/${number}`);
    await expect(page.getByRole("heading", { level: 1, name: `INC-${number} · Webhook retries exhaust the queue` })).toBeVisible();

    // The other tab is now stale; it discards its edit and reads what is saved.
    await other.getByLabel("Title", { exact: true }).fill("Something else entirely");
    const staleAgain = formPost(other, editUrl);
    await other.getByRole("button", { name: "Save changes" }).click();
    expect((await staleAgain).status()).toBe(409);
    await other.getByRole("link", { name: "Discard mine, keep theirs" }).click();
    await expect(other).toHaveURL(`/w/${slug}/incidents/${number}`);
    await expect(other.getByRole("heading", { level: 1, name: `INC-${number} · Webhook retries exhaust the queue` })).toBeVisible();
    await other.close();
  });
});

test.describe("writing a postmortem", () => {
  test("it starts from the Google SRE template, autosaves, and survives a reload from the local draft", async ({ page }) => {
    // The HTTP autosave, as when live editing can't connect (the live path: collaboration.spec.ts).
    await withoutLiveEditing(page);
    const { slug } = await adminWithWorkspace(page, "writer");
    const number = await recordIncident(page, slug, { title: "Login outage after session store failover", tier: "T2", areas: ["Authentication"], startedAt: "2026-03-02T10:00", detectedAt: "2026-03-02T10:04" });
    await startPostmortem(page, slug, number, "Google SRE");
    await waitForHydration(page);
    await expectAccessibleBasics(page);
    const body = postmortemBody(page);
    await expect(page.getByLabel("Title", { exact: true })).toHaveValue(`Postmortem: INC-${number} Login outage after session store failover`);
    // The template's sections are there to write into.
    for (const section of ["Summary", "Impact", "Root causes and trigger", "Detection", "Resolution"]) {
      await expect(body.getByRole("heading", { name: section, exact: true })).toBeVisible();
    }
    // Version 1 is the template; opening the editor saves nothing by itself.
    const first = await expectAllSaved(page, 1);

    // Typing marks the text unsaved; a second after the last key it is saved as a new version.
    await appendParagraph(page, "The session store failed over to a replica that still had an old key.");
    const saved = await expectAllSaved(page, first + 1);

    await page.reload();
    await waitForHydration(page);
    await expect(body).toContainText("The session store failed over to a replica that still had an old key.");
    await expectAllSaved(page, saved);
    await expect(page.getByText("Restored changes")).toHaveCount(0);

    // Leaving before autosave fires: the text waits in this browser. Saves are held back here so
    // a slow machine cannot save it first, which would make this test pass for the wrong reason.
    await page.route("**/postmortem/save", (route) => route.abort());
    await appendParagraph(page, "Nothing compared the replica's key with the primary's.");
    await expect(page.getByTestId("save-state")).toHaveText(/^(Unsaved changes…|Can't reach the server; your text is kept in this browser)/);
    await page.unroute("**/postmortem/save");
    // The browser asks before leaving unsaved text; the person leaves anyway.
    const warned = new Promise<string>((resolve) => page.once("dialog", (dialog) => void dialog.accept().then(() => resolve(dialog.type()))));
    await page.reload();
    expect(await warned).toBe("beforeunload");
    await waitForHydration(page);
    await expect(page.getByRole("status").filter({ hasText: "Restored changes you had not saved in this browser" })).toBeVisible();
    await expect(body).toContainText("Nothing compared the replica's key with the primary's.");
    await expectAllSaved(page, saved + 1);

    // The server has it now: a different browser sees it.
    await visit(page, postmortemPath(slug, number));
    await expect(page.getByRole("article", { name: "Postmortem" })).toContainText("Nothing compared the replica's key with the primary's.");
  });

  test("blaming language gets a calm hint beside the text, and saving goes on", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "hints");
    const number = await recordIncident(page, slug, { title: "Nightly export wrote partial files", startedAt: "2026-03-02T01:00" });
    await startPostmortem(page, slug, number, "Lightweight");
    await waitForHydration(page);
    const hints = page.getByRole("complementary", { name: "Blameless language" });
    await expect(hints).toContainText("No suggestions.");
    const before = await expectAllSaved(page);

    // The section's guidance is a placeholder (ADR 25): writing goes into its empty paragraph.
    await postmortemBody(page).locator('p[data-guidance^="The conditions that let this reach production"]').click();
    await page.keyboard.type("Bob should have caught this before the export ran.");
    const hint = hints.getByRole("listitem");
    await expect(hint).toHaveCount(1);
    await expect(hint).toContainText("should have caught");
    await expect(hint).toContainText("Hindsight makes the right move look obvious");
    await expect(hints).toContainText("Suggestions only; saving is never blocked.");
    // A suggestion, not an error, and it does not stop the save.
    await expect(hints.getByRole("alert")).toHaveCount(0);
    await expectAllSaved(page, before + 1);
    await expectNoSidewaysScroll(page);
    await shoot(page, "11-postmortem-editor-hints");

    // Reworded, the hint goes away.
    await selectBlock(page, "Bob should have caught this");
    await page.keyboard.type("Nothing checked the export's row count before it ran.");
    await expect(postmortemBody(page)).not.toContainText("Bob should have caught this");
    await expect(hints.getByRole("listitem")).toHaveCount(0);
    await expect(hints).toContainText("No suggestions.");
    // Still the same person within ten minutes, so the same revision; the version moves on.
    await expectAllSaved(page, before + 2);
  });
});

test.describe("two people, one postmortem", () => {
  test("the later save sees a conflict and chooses: keep mine, then take theirs", async ({ page, browser }) => {
    test.slow();
    const { slug, user: author } = await adminWithWorkspace(page, "author");
    const { page: other, user: colleague } = await inviteMember(page, browser, slug, "editor", "colleague");
    // Conflicts happen only on the HTTP autosave, when live editing can't connect (ADR 29).
    await withoutLiveEditing(page);
    await withoutLiveEditing(other);
    try {
      const number = await recordIncident(page, slug, { title: "Invoices sent twice", tier: "T2", areas: [BILLING], startedAt: "2026-03-02T10:00" });
      await startPostmortem(page, slug, number);
      await waitForHydration(page);
      await openEditor(other, slug, number);
      await expectAllSaved(other, 1);

      // The author saves first.
      await appendParagraph(page, "The retry queue sent each invoice again after a timeout.");
      await expectAllSaved(page, 2);

      // The colleague, still on version 1, saves later: refused, shown, nothing overwritten.
      await appendParagraph(other, "The idempotency key was dropped by the new client.");
      const conflict = other.getByRole("alert", { name: new RegExp(`${author.name} saved a newer version while you were writing`) });
      await expect(conflict).toBeVisible();
      await expect(other.getByTestId("save-state")).toHaveText("Not saved: someone else saved a newer version");
      await expect(conflict).toContainText("Version 2 was saved");
      await expect(conflict.locator(".conflict-theirs")).toContainText("The retry queue sent each invoice again after a timeout.");
      await expect(postmortemBody(other)).toContainText("The idempotency key was dropped by the new client.");
      await expect(postmortemBody(other)).not.toContainText("The retry queue sent each invoice again");
      await expectNoSidewaysScroll(other);
      await shoot(other, "12-postmortem-conflict");

      await conflict.getByRole("button", { name: "Keep mine (save over theirs)" }).click();
      await expect(conflict).toHaveCount(0);
      await expectAllSaved(other, 3);
      await visit(other, postmortemPath(slug, number));
      const article = other.getByRole("article", { name: "Postmortem" });
      await expect(article).toContainText("The idempotency key was dropped by the new client.");
      await expect(article).not.toContainText("The retry queue sent each invoice again");
      await expect(other.getByText(`version 3, saved by ${colleague.name}`)).toBeVisible();

      // Second round: the author, still on version 2, writes more, then takes the colleague's text.
      await appendParagraph(page, "A second thought that will be discarded.");
      const conflict2 = page.getByRole("alert", { name: new RegExp(`${colleague.name} saved a newer version`) });
      await expect(conflict2.locator(".conflict-theirs")).toContainText("The idempotency key was dropped by the new client.");
      await conflict2.getByRole("button", { name: "Take theirs (discard mine)" }).click();
      await expect(conflict2).toHaveCount(0);
      await expectAllSaved(page, 3);
      await expect(postmortemBody(page)).toContainText("The idempotency key was dropped by the new client.");
      await expect(postmortemBody(page)).not.toContainText("A second thought");
      // Nothing of the discarded text is left in this browser to come back on the next visit.
      await page.reload();
      await waitForHydration(page);
      await expect(postmortemBody(page)).toContainText("The idempotency key was dropped by the new client.");
      await expect(postmortemBody(page)).not.toContainText("A second thought");
      await expect(page.getByText("Restored changes")).toHaveCount(0);
      await expectAllSaved(page, 3);

      await visit(page, postmortemPath(slug, number));
      await expect(page.getByRole("article", { name: "Postmortem" })).not.toContainText("A second thought");
      await expect(page.getByText("version 3, saved by")).toBeVisible();
    } finally {
      await other.context().close();
    }
  });

  test("review and publish follow the tier rules; history restores an older version", async ({ page, browser }) => {
    test.slow();
    const { slug, user: author } = await adminWithWorkspace(page, "author");
    const { page: reviewerPage, user: reviewer } = await inviteMember(page, browser, slug, "editor", "reviewer");
    try {
      const number = await recordIncident(page, slug, {
        title: "Refunds stuck in pending",
        severity: "SEV2",
        tier: "T2",
        areas: [BILLING],
        startedAt: "2026-03-02T10:00",
        detectedAt: "2026-03-02T10:40",
      });
      const read = postmortemPath(slug, number);
      await startPostmortem(page, slug, number);
      await waitForHydration(page);
      await appendParagraph(page, "Refund jobs waited on a lock that a migration held for forty minutes.");
      await expectAllSaved(page, 2);
      // The colleague adds a line: a second author, so history keeps two versions.
      await openEditor(reviewerPage, slug, number);
      await appendParagraph(reviewerPage, "Added by review: 1,204 refunds were delayed.");
      await expectAllSaved(reviewerPage, 3);

      // The author asks for review.
      await visit(page, read);
      await expect(page.locator(".page-head .status-pill")).toHaveText("Draft");
      await page.getByRole("button", { name: "Request review" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Review requested." })).toBeVisible();
      await expect(page.locator(".page-head .status-pill")).toHaveText("In review");

      // Publishing is not possible yet, and the page says why.
      const blockers = page.getByRole("note");
      await expect(blockers).toContainText("It needs at least one approval of the current version from someone other than its author.");
      await expect(blockers).toContainText(`A T2 incident needs a maintainer's approval, and ${BILLING} has no maintainers yet (Settings).`);
      await expect(page.getByRole("button", { name: "Publish" })).toBeDisabled();
      await expect(page.getByText("Publishing opens once the points above are met.")).toBeVisible();
      // The author's own verdict can't be an approval.
      await expect(page.getByRole("radio", { name: "Approve" })).toHaveCount(0);
      await expectAccessibleBasics(page);
      await expectNoSidewaysScroll(page);
      await shoot(page, "13-postmortem-review");
      // The server refuses too, listing every reason, when the button is bypassed.
      const refused = await postForm(page, read, { intent: "publish" });
      expect(refused.status()).toBe(409);
      const refusal = await refused.text();
      expect(refusal).toContain("be published yet.");
      expect(refusal).toContain("It needs at least one approval of the current version from someone other than its author.");
      expect(refusal).toContain(`${BILLING} has no maintainers yet (Settings).`);

      // The admin names the colleague as a maintainer of Billing.
      await visit(page, `/w/${slug}/settings`);
      const billing = page.getByRole("row", { name: new RegExp(BILLING) });
      await expect(billing).toContainText("none yet");
      await billing.locator("summary", { hasText: `maintainers of ${BILLING}` }).click();
      await billing.getByRole("checkbox", { name: reviewer.name }).check();
      const saved = formPost(page, `/w/${slug}/settings`);
      await billing.getByRole("button", { name: "Save maintainers" }).click();
      expect((await saved).status()).toBe(200);
      await expect(page.getByRole("status")).toHaveText("Maintainers saved.");
      await expect(billing).toContainText(reviewer.name);

      await visit(page, read);
      await expect(blockers).toContainText(`A T2 incident needs approval from a maintainer of ${BILLING}.`);
      await expect(blockers).not.toContainText("no maintainers yet");

      // The colleague, now a maintainer, approves.
      await visit(reviewerPage, read);
      await expect(reviewerPage.getByRole("radio", { name: "Approve" })).toBeChecked();
      await reviewerPage.getByLabel("Comment", { exact: true }).fill("Clear, and it names conditions rather than people.");
      await reviewerPage.getByRole("button", { name: "Submit review" }).click();
      await expect(reviewerPage.getByRole("status").filter({ hasText: "Your review is recorded." })).toBeVisible();
      const review = reviewerPage.locator(".reviews li", { hasText: reviewer.name });
      await expect(review).toContainText("approved");
      await expect(review).toContainText("maintainer");

      // Every rule is met: the author publishes.
      await visit(page, read);
      await expect(blockers).toHaveCount(0);
      await expect(page.getByText("All rules are met.")).toBeVisible();
      await page.getByRole("button", { name: "Publish" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Published." })).toBeVisible();
      await expect(page.locator(".page-head .status-pill")).toHaveText("Published");
      await expect(page.getByRole("link", { name: "Edit", exact: true })).toHaveCount(0);
      // Published is read-only: the editor sends you back, and saves are refused.
      await page.goto(postmortemPath(slug, number, "/edit"));
      await expect(page).toHaveURL(read);
      const late = await page.request.post(postmortemPath(slug, number, "/save"), {
        data: { baseVersion: 3, title: "Late edit", body: paragraphDoc("Too late.") },
        headers: { Origin: appOrigin() },
      });
      expect(late.status()).toBe(409);
      expect((await late.json()).error).toContain("published");

      // History: both authors' versions; a published postmortem offers no restore.
      await visit(page, postmortemPath(slug, number, "/history"));
      const versions = page.getByRole("navigation", { name: "Versions" }).getByRole("listitem");
      await expect(versions).toHaveCount(2);
      await expect(versions.nth(0)).toContainText("Version 3");
      await expect(versions.nth(0)).toContainText("current");
      await expect(versions.nth(0)).toContainText(reviewer.name);
      await expect(versions.nth(1)).toContainText("Version 2");
      await expect(versions.nth(1)).toContainText(author.name);
      await versions.nth(1).getByRole("link", { name: "Version 2" }).click();
      await expect(page.getByRole("heading", { level: 2, name: new RegExp(`^Version 2 · ${author.name}`) })).toBeVisible();
      await expect(page.locator("article")).toContainText("Refund jobs waited on a lock");
      await expect(page.locator("article")).not.toContainText("Added by review");
      await expect(page.getByRole("button", { name: "Restore this version" })).toHaveCount(0);

      // Reopened as a draft, the older version can be restored: a new version with the old text.
      await visit(page, read);
      await page.getByRole("button", { name: "Reopen for edits" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Back to draft." })).toBeVisible();
      await expect(page.locator(".page-head .status-pill")).toHaveText("Draft");
      await visit(page, postmortemPath(slug, number, "/history?version=2"));
      await expectNoSidewaysScroll(page);
      await shoot(page, "14-postmortem-history");
      await page.getByRole("button", { name: "Restore this version" }).click();
      await expect(page).toHaveURL(read);
      const article = page.getByRole("article", { name: "Postmortem" });
      await expect(article).toContainText("Refund jobs waited on a lock that a migration held for forty minutes.");
      await expect(article).not.toContainText("Added by review");
      await expect(page.getByText(`version 4, saved by ${author.name}`)).toBeVisible();
      await expect(page.locator(".page-head .status-pill")).toHaveText("Draft");

      await visit(page, postmortemPath(slug, number, "/history"));
      await expect(versions).toHaveCount(3);
      await expect(versions.nth(0)).toContainText("Version 4");
      await expect(versions.nth(0)).toContainText("restored from 2");
    } finally {
      await reviewerPage.context().close();
    }
  });
});

test.describe("reading and exporting", () => {
  test("the read view ships no editor code; Markdown and print exports carry the text", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "reader");
    const title = "Webhook deliveries dropped";
    const number = await recordIncident(page, slug, { title, tier: "T1", startedAt: "2026-03-02T10:00" });
    await startPostmortem(page, slug, number);
    await waitForHydration(page);
    await appendParagraph(page, "Deliveries over 64 KB were dropped without a log line.");
    await expectAllSaved(page, 2);

    // A fresh load of the read page, noting every script the browser fetches.
    const scripts: string[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script" || new URL(response.url()).pathname.endsWith(".js")) scripts.push(response.url());
    });
    const read = postmortemPath(slug, number);
    await visit(page, read);
    await page.waitForLoadState("networkidle");
    const article = page.getByRole("article", { name: "Postmortem" });
    await expect(article).toContainText("Deliveries over 64 KB were dropped without a log line.");
    await expect(article.getByRole("heading", { name: "Summary" })).toBeVisible();
    const referenced = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>("script[src], link[rel=modulepreload]")].map((e) =>
        "src" in e ? e.src : e.href,
      ),
    );
    expect(scripts.length, "the read page is hydrated with some JavaScript").toBeGreaterThan(0);
    for (const url of [...scripts, ...referenced]) {
      expect(url, "the editor route's chunk").not.toContain("postmortem.edit");
      expect(url).not.toMatch(/tiptap|prosemirror/i);
    }
    expect(await page.evaluate(() => document.querySelector(".ProseMirror"))).toBeNull();
    await expect(page.locator("[contenteditable]")).toHaveCount(0);

    // Export Markdown: a download of text/markdown that starts with the title.
    const exportLink = page.getByRole("link", { name: "Export Markdown" });
    const downloading = page.waitForEvent("download");
    await exportLink.click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.md$/);
    const markdown = await page.request.get((await exportLink.getAttribute("href"))!);
    expect(markdown.status()).toBe(200);
    expect(markdown.headers()["content-type"]).toMatch(/^text\/markdown/);
    const text = await markdown.text();
    expect(text).toContain(`Postmortem: INC-${number} ${title}`);
    expect(text).toContain("## Summary");
    expect(text).toContain("Deliveries over 64 KB were dropped without a log line.");

    // Print view: the document as plain HTML, with no script at all.
    const printHref = (await page.getByRole("link", { name: "Print view" }).getAttribute("href"))!;
    const print = await page.request.get(printHref);
    expect(print.status()).toBe(200);
    expect(print.headers()["content-type"]).toMatch(/^text\/html/);
    const html = await print.text();
    expect(html).toContain(`Postmortem: INC-${number} ${title}`);
    expect(html).toContain("Deliveries over 64 KB were dropped without a log line.");
    expect(html).not.toMatch(/<script/i);
    await page.getByRole("link", { name: "Print view" }).click();
    await expect(page).toHaveURL(printHref);
    await expect(page.getByText("Deliveries over 64 KB were dropped without a log line.")).toBeVisible();
    expect(await page.evaluate(() => document.scripts.length)).toBe(0);
  });
});

test.describe("who may change a postmortem", () => {
  test("a viewer can read but not edit or save; a hostile document is refused and changes nothing", async ({ page, browser }) => {
    const { slug } = await adminWithWorkspace(page, "owner");
    const number = await recordIncident(page, slug, { title: "Cache stampede on deploy", startedAt: "2026-03-02T10:00" });
    await startPostmortem(page, slug, number);
    await waitForHydration(page);
    await appendParagraph(page, "Every instance refilled the cache at once.");
    await expectAllSaved(page, 2);
    const save = postmortemPath(slug, number, "/save");

    const { page: viewer } = await inviteMember(page, browser, slug, "viewer");
    try {
      await visit(viewer, postmortemPath(slug, number, "/edit"), 403);
      await expect(viewer.getByRole("heading", { level: 1, name: "You don't have access to this" })).toBeVisible();
      await expect(viewer.getByText("This needs the editor role; you are a viewer here.")).toBeVisible();
      await expect(postmortemBody(viewer)).toHaveCount(0);

      // Reading is fine, with no way to change anything.
      await visit(viewer, postmortemPath(slug, number));
      await expect(viewer.getByRole("article", { name: "Postmortem" })).toContainText("Every instance refilled the cache at once.");
      await expect(viewer.getByRole("link", { name: "Edit", exact: true })).toHaveCount(0);
      await expect(viewer.getByRole("main").getByRole("button")).toHaveCount(0);

      // And the server refuses what the page does not offer.
      const viewerSave = await viewer.request.post(save, {
        data: { baseVersion: 2, title: "Taken over", body: paragraphDoc("Written by a viewer.") },
        headers: { Origin: appOrigin() },
      });
      expect(viewerSave.status()).toBe(403);
      for (const form of [{ intent: "request-review" }, { intent: "reopen" }]) {
        const refused = await postForm(viewer, postmortemPath(slug, number), form);
        expect(refused.status(), `viewer posts ${form.intent}`).toBe(403);
      }
      const restore = await postForm(viewer, postmortemPath(slug, number, "/history"), { version: "1", baseVersion: "2" });
      expect(restore.status()).toBe(403);
    } finally {
      await viewer.context().close();
    }

    // The editor's own save, from another site: refused before it is read.
    const crossSite = await page.request.post(save, {
      data: { baseVersion: 2, title: "Cross-site", body: paragraphDoc("From elsewhere.") },
      headers: { Origin: "http://evil.example" },
    });
    expect(crossSite.status()).toBe(403);

    // A document with a node the schema does not know is refused whole.
    const hostile = await page.request.post(save, {
      data: { baseVersion: 2, title: "Hostile", body: { type: "doc", content: [{ type: "script" }] } },
      headers: { Origin: appOrigin() },
    });
    expect(hostile.status()).toBe(422);
    expect((await hostile.json()).error).toEqual(expect.any(String));

    await visit(page, postmortemPath(slug, number));
    await expect(page.getByRole("article", { name: "Postmortem" })).toContainText("Every instance refilled the cache at once.");
    await expect(page.getByRole("heading", { level: 1, name: `Postmortem: INC-${number} Cache stampede on deploy` })).toBeVisible();
    await expect(page.getByText("version 2, saved by")).toBeVisible();
    await expect(page.getByText("Written by a viewer.")).toHaveCount(0);
  });
});

/** A one-paragraph editor document. */
function paragraphDoc(text: string) {
  return { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] };
}

async function addEvent(page: Page, slug: string, form: ReturnType<Page["locator"]>, event: { at: string; kind: string; text: string }) {
  await form.getByLabel("When").fill(event.at);
  await form.getByLabel("Kind").selectOption(event.kind);
  await form.getByLabel("What happened").fill(event.text);
  const added = formPost(page, `/w/${slug}/incidents/1`);
  await form.getByRole("button", { name: "Add event" }).click();
  expect((await added).status()).toBe(200);
}
