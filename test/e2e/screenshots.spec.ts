import { adminWithWorkspace, expect, expectNoSidewaysScroll, shoot, submitSignUp, test, visit } from "./helpers";

/**
 * Full-page screenshots of the main screens, for a person to look at (they are not compared
 * with anything). Written to test/e2e/screenshots/, whose PNGs git ignores. The incident and
 * postmortem screens are shot by postmortems.spec.ts, where their flows build them up.
 */

test.describe("screenshots", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("main screens at 1280 and 390 wide", async ({ page }) => {
    await visit(page, "/");
    await shoot(page, "01-landing");

    await visit(page, "/signup");
    await submitSignUp(page, { name: "", email: "not-an-email", password: "short" });
    await expect(page.getByRole("alert").first()).toBeVisible();
    await shoot(page, "02-signup-errors");

    const { slug } = await adminWithWorkspace(page, "shots");
    await shoot(page, "03-workspace-overview");

    await visit(page, `/w/${slug}/settings`);
    await page.getByLabel("They join as").selectOption("viewer");
    await page.getByRole("button", { name: "Create invite link" }).click();
    await expect(page.getByLabel(/Invite link/)).toBeVisible();
    await shoot(page, "04-settings-admin");

    await visit(page, `/w/${slug}/decisions`);
    await shoot(page, "05-empty-section");

    await visit(page, `/w/no-such-team`, 404);
    await shoot(page, "06-not-found");

    await visit(page, `/w/${slug}/no-such-page`, 404);
    await shoot(page, "07-not-found-in-workspace");

    await page.setViewportSize({ width: 390, height: 844 });
    await visit(page, `/w/${slug}`);
    await expectNoSidewaysScroll(page);
    await shoot(page, "08-workspace-overview-mobile");

    await visit(page, `/w/${slug}/settings`);
    await expectNoSidewaysScroll(page);
    await shoot(page, "09-settings-mobile");
  });
});
