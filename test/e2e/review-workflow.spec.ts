/**
 * A team's review loop (issue 17, points 4, 5 and 12): the author asks a named teammate (the
 * maintainer of the affected area is suggested first), the teammate finds it in their inbox and
 * approves; an edit after the approval makes it "approved version N, changed since" until renewed;
 * a solo maintainer publishes a T0 postmortem once the workspace lets the author's own approval
 * count, and a T1 one with no approval at all. Screenshots at 1280 and 390 px wide.
 */
import type { Page } from "@playwright/test";
import {
  adminWithWorkspace,
  appendParagraph,
  expect,
  expectAccessibleBasics,
  expectAllSaved,
  expectNoSidewaysScroll,
  formPost,
  inviteMember,
  openEditor,
  postmortemPath,
  recordIncident,
  shoot,
  startPostmortem,
  test,
  visit,
  waitForHydration,
} from "./helpers";

const BILLING = "Billing and entitlements";

/** Full-page screenshots of what is on screen, at 1280 and at 390 px wide. */
async function shootBoth(page: Page, name: string): Promise<void> {
  await expectNoSidewaysScroll(page);
  await shoot(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await shoot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test.describe("review workflow", () => {
  test("a named reviewer sees the request in their inbox, and an approval is for a version", async ({ page, browser }) => {
    test.setTimeout(120_000);
    const { slug } = await adminWithWorkspace(page, "author");
    const { page: reviewerPage, user: reviewer } = await inviteMember(page, browser, slug, "editor", "reviewer");

    // The invite link has a Copy button that says it copied (point 10).
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await waitForHydration(page);
    const link = await page.getByLabel(/Invite link/).inputValue();
    await page.getByRole("button", { name: /^Copy/ }).click();
    await expect(page.locator(".copy-said", { hasText: "Copied" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

    // The teammate (who joined since the page loaded) maintains Billing.
    await visit(page, `/w/${slug}/settings`);
    const billing = page.getByRole("row", { name: new RegExp(BILLING) });
    await billing.locator("summary", { hasText: `maintainers of ${BILLING}` }).click();
    await billing.getByRole("checkbox", { name: reviewer.name }).check();
    const saved = formPost(page, `/w/${slug}/settings`);
    await billing.getByRole("button", { name: "Save maintainers" }).click();
    expect((await saved).status()).toBe(200);

    // Nothing waits for the teammate yet.
    await visit(reviewerPage, `/w/${slug}`);
    await expect(reviewerPage.getByRole("link", { name: "Inbox, 0 waiting" })).toBeVisible();

    const number = await recordIncident(page, slug, { title: "Refunds issued twice", tier: "T1", severity: "SEV2", areas: [BILLING], startedAt: "2026-03-02T10:00" });
    await startPostmortem(page, slug, number, "Lightweight");
    await waitForHydration(page);
    await appendParagraph(page, "A retry after a timeout sent the refund a second time.");
    await expectAllSaved(page, 2);

    // The picker: members who may review, the area's maintainer first and suggested.
    const read = postmortemPath(slug, number);
    await visit(page, read);
    await waitForHydration(page);
    const picker = page.getByRole("group", { name: "Who should review?" });
    await expect(picker).toContainText("Suggested: maintainers of the affected areas");
    await expect(picker.getByRole("checkbox")).toHaveCount(1);
    await expect(picker.getByRole("listitem").first()).toContainText(`${reviewer.name} · maintains ${BILLING}`);
    await expectAccessibleBasics(page);
    await shootBoth(page, "review-01-picker");
    await picker.getByRole("checkbox", { name: new RegExp(reviewer.name) }).check();
    await page.getByRole("button", { name: "Request review" }).click();
    await expect(page.getByRole("status").filter({ hasText: "The people you asked see it in their inbox" })).toBeVisible();
    await expect(page.getByText(`Asked to review: ${reviewer.name}`)).toBeVisible();

    // The teammate's inbox, and the count in the navigation.
    await visit(reviewerPage, `/w/${slug}`);
    await expect(reviewerPage.getByRole("link", { name: "Inbox, 1 waiting" })).toBeVisible();
    const inbox = reviewerPage.getByRole("region", { name: /^Your inbox/ });
    const requested = inbox.getByRole("region", { name: "Reviews requested of you" });
    await expect(requested.getByRole("link", { name: `Postmortem: INC-${number} Refunds issued twice` })).toBeVisible();
    await expectAccessibleBasics(reviewerPage);
    await shootBoth(reviewerPage, "review-02-inbox");

    // The teammate approves the current version.
    await requested.getByRole("link", { name: /Refunds issued twice/ }).click();
    await expect(reviewerPage).toHaveURL(read);
    await expect(reviewerPage.getByRole("group", { name: "Your verdict on version 2" })).toBeVisible();
    await reviewerPage.getByRole("button", { name: "Submit review" }).click();
    await expect(reviewerPage.getByRole("status").filter({ hasText: "Your review is recorded." })).toBeVisible();
    await visit(reviewerPage, `/w/${slug}`);
    await expect(reviewerPage.getByRole("link", { name: "Inbox, 0 waiting" })).toBeVisible();

    await visit(page, read);
    await expect(page.getByText("All rules are met.")).toBeVisible();

    // The author rewrites a sentence: version 3. The approval was for version 2.
    await openEditor(page, slug, number);
    await appendParagraph(page, `The refund worker had no idempotency key; @${reviewer.name} found it.`);
    await expectAllSaved(page, 3);
    await visit(page, read);
    const blockers = page.getByRole("note");
    await expect(blockers).toContainText(`${reviewer.name} approved version 2, and it changed since`);
    await expect(page.locator(".reviews li", { hasText: reviewer.name })).toContainText("version 2, changed since: no longer counts until renewed");
    await expect(page.getByRole("button", { name: "Publish" })).toBeDisabled();
    await shootBoth(page, "review-03-changed-since");

    // Back in the teammate's inbox, as changed since their review; they renew the approval.
    await visit(reviewerPage, `/w/${slug}`);
    await expect(reviewerPage.getByRole("region", { name: "Reviews requested of you" })).toContainText("changed since your review of version 2 (now version 3)");
    // The author's "@name" is a mention, shown until the teammate opens the postmortem.
    await expect(reviewerPage.getByRole("link", { name: "Inbox, 2 waiting" })).toBeVisible();
    const mentions = reviewerPage.getByRole("region", { name: "Mentions of you" });
    await expect(mentions).toContainText(`mentioned you in INC-${number}'s postmortem`);
    await shootBoth(reviewerPage, "review-04-mention");
    await mentions.getByRole("link", { name: `INC-${number}'s postmortem` }).click();
    await expect(reviewerPage).toHaveURL(read);
    await reviewerPage.getByRole("button", { name: "Submit review" }).click();
    await expect(reviewerPage.getByRole("status").filter({ hasText: "Your review is recorded." })).toBeVisible();
    await visit(reviewerPage, `/w/${slug}`);
    await expect(reviewerPage.getByRole("link", { name: "Inbox, 0 waiting" })).toBeVisible();

    await visit(page, read);
    await expect(blockers).toHaveCount(0);
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Published." })).toBeVisible();
    await reviewerPage.context().close();
  });

  test("a solo maintainer publishes a T0 postmortem with their own approval and a T1 one with none, once the workspace says so", async ({ page }) => {
    test.setTimeout(90_000);
    const { slug } = await adminWithWorkspace(page, "solo");

    // By default a T0 postmortem needs someone else's approval: alone, it can't be published.
    const t0 = await recordIncident(page, slug, { title: "Typo in the status page banner", tier: "T0", severity: "SEV4", startedAt: "2026-03-03T09:00" });
    await startPostmortem(page, slug, t0, "Lightweight");
    await visit(page, postmortemPath(slug, t0));
    await expect(page.getByText("Nobody else here can review yet")).toBeVisible();
    await page.getByRole("button", { name: "Request review" }).click();
    await expect(page.getByRole("radio", { name: "Approve" })).toHaveCount(0);
    await expect(page.getByRole("note")).toContainText("from someone other than its author");

    // Settings → Review rules: T0 takes the author's own approval, T1 needs none.
    await visit(page, `/w/${slug}/settings`);
    const rules = page.getByRole("region", { name: "Review rules" });
    await rules.getByLabel("Before publishing at T0").selectOption("self");
    await rules.getByLabel("Before publishing at T1").selectOption("none");
    await expect(rules.getByLabel("Characters that may change after an approval")).toHaveValue("0");
    const saved = formPost(page, `/w/${slug}/settings`);
    await rules.getByRole("button", { name: "Save review rules" }).click();
    expect((await saved).status()).toBe(200);
    await expect(page.getByRole("status")).toHaveText("Review rules saved.");
    await rules.scrollIntoViewIfNeeded();
    await shootBoth(page, "review-04-rules");

    await visit(page, postmortemPath(slug, t0));
    await expect(page.getByText("At T0, this workspace counts the author's own approval.")).toBeVisible();
    await expect(page.getByText("You started it; at this tier your own approval counts.")).toBeVisible();
    await page.getByRole("button", { name: "Submit review" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Your review is recorded." })).toBeVisible();
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Published." })).toBeVisible();

    // T1 with no approval: a draft publishes straight away.
    const t1 = await recordIncident(page, slug, { title: "Help link pointed at an old page", tier: "T1", severity: "SEV4", startedAt: "2026-03-04T09:00" });
    await startPostmortem(page, slug, t1, "Lightweight");
    await visit(page, postmortemPath(slug, t1));
    await expect(page.getByText("This workspace publishes T1 postmortems without approval.")).toBeVisible();
    await expect(page.getByText("All rules are met.")).toBeVisible();
    await shootBoth(page, "review-05-no-approval");
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.locator(".page-head .status-pill")).toHaveText("Published");

    // Each person chooses which mail they get, and when (Your account → Notifications).
    await visit(page, "/account");
    const mail = page.getByRole("region", { name: "Notifications" });
    await expect(mail.getByRole("checkbox", { name: "Reviews requested of me" })).toBeChecked();
    await expect(mail.getByRole("checkbox", { name: "Mentions of me in a postmortem or decision record" })).toBeChecked();
    await mail.getByRole("checkbox", { name: "My guardrail actions overdue" }).uncheck();
    await mail.getByRole("checkbox", { name: "Mentions of me in a postmortem or decision record" }).uncheck();
    await mail.getByRole("radio", { name: /^One daily digest/ }).check();
    await mail.getByRole("button", { name: "Save notification settings" }).click();
    await expect(page.getByRole("status")).toHaveText("Notification settings saved.");
    await visit(page, "/account");
    await expect(mail.getByRole("checkbox", { name: "My guardrail actions overdue" })).not.toBeChecked();
    await expect(mail.getByRole("checkbox", { name: "Mentions of me in a postmortem or decision record" })).not.toBeChecked();
    await expect(mail.getByRole("checkbox", { name: "Reviews requested of me" })).toBeChecked();
    await expect(mail.getByRole("radio", { name: /^One daily digest/ })).toBeChecked();
    await expectAccessibleBasics(page);
    await shootBoth(page, "review-06-notifications");

    // A T2 postmortem keeps its rule.
    const t2 = await recordIncident(page, slug, { title: "Card numbers in a debug log", tier: "T2", severity: "SEV2", startedAt: "2026-03-05T09:00" });
    await startPostmortem(page, slug, t2, "Lightweight");
    await visit(page, postmortemPath(slug, t2));
    await expect(page.getByRole("note")).toContainText("Request a review first");
    await expect(page.getByRole("button", { name: "Publish" })).toHaveCount(0);
  });
});
