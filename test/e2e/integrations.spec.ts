import { createHmac, randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { adminWithWorkspace, expect, expectNoSidewaysScroll, formPost, test, visit } from "./helpers";

/** Opens a settings section through the settings navigation. */
async function openSettings(page: Page, slug: string, section: "Integrations" | "API tokens" | "Delivery log" | "Reminders") {
  await visit(page, `/w/${slug}/settings`);
  await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: section }).click();
  await expect(page.getByRole("heading", { level: 1, name: section })).toBeVisible();
}

/** A GitHub delivery, signed the way GitHub signs it, sent from outside the browser. */
function deliver(page: Page, slug: string, secret: string, event: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return page.request.post(`/webhooks/github/${slug}`, {
    data: body,
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
  });
}

test.describe("integrations settings", () => {
  test("an admin creates an API token, sees it once, uses it, and revokes it", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "tokens");
    await expect(page.getByRole("heading", { name: /^Your inbox/ })).toBeVisible();

    await openSettings(page, slug, "API tokens");
    await expect(page.getByText("No tokens yet.")).toBeVisible();
    await page.getByLabel("Token name").fill("CI dashboard");
    await page.getByLabel("Scope").selectOption("read");
    const created = formPost(page, `/w/${slug}/settings/tokens`);
    await page.getByRole("button", { name: "Create token" }).click();
    expect((await created).status()).toBe(200);
    await expect(page.getByRole("status")).toHaveText("Token “CI dashboard” created. Copy it now: it is not shown again.");
    const token = await page.getByLabel(/New API token/).inputValue();
    expect(token).toMatch(/^hs_[a-z2-7]{32}$/);

    const listed = await page.request.get(`/api/v1/${slug}/incidents`, { headers: { authorization: `Bearer ${token}` } });
    expect(listed.status()).toBe(200);
    expect(await listed.json()).toEqual({ incidents: [], nextCursor: null });
    const written = await page.request.post(`/api/v1/${slug}/incidents`, {
      headers: { authorization: `Bearer ${token}` },
      data: { title: "Queue stalled", severity: "SEV3", tier: "T1", startedAt: "2026-11-20T10:00:00Z" },
    });
    expect(written.status()).toBe(403);

    // Shown once: after a reload the page has only its prefix.
    await visit(page, `/w/${slug}/settings/tokens`);
    await expect(page.getByLabel(/New API token/)).toHaveCount(0);
    expect(await page.content()).not.toContain(token);
    const row = page.getByRole("row", { name: /CI dashboard/ });
    await expect(row).toContainText(token.slice(0, 7));
    await expect(row).toContainText("read");
    await expect(row).not.toContainText("never");

    const revoked = formPost(page, `/w/${slug}/settings/tokens`);
    await row.getByRole("button", { name: "Revoke CI dashboard" }).click();
    expect((await revoked).status()).toBe(200);
    await expect(page.getByRole("status")).toHaveText("Token revoked: requests with it are refused from now on.");
    await expect(page.getByRole("row", { name: /CI dashboard/ })).toContainText("Revoked");
    const refused = await page.request.get(`/api/v1/${slug}/incidents`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status()).toBe(401);
  });

  test("an admin rotates the GitHub webhook secret, shown once, and the delivery log shows a signed delivery", async ({ page }) => {
    const { slug } = await adminWithWorkspace(page, "hooks");
    await openSettings(page, slug, "Integrations");
    await expect(page.getByLabel("Payload URL")).toHaveValue(new RegExp(`/webhooks/github/${slug}$`));
    await expect(page.getByText("No webhook secret yet")).toBeVisible();

    const generated = formPost(page, `/w/${slug}/settings/integrations`);
    await page.getByRole("button", { name: "Generate webhook secret" }).click();
    expect((await generated).status()).toBe(200);
    await expect(page.getByRole("status")).toHaveText("New GitHub webhook secret created. Copy it now: it is not shown again.");
    const first = await page.getByLabel(/Webhook secret \(copy it now/).inputValue();
    expect(first).toMatch(/^whsec_/);

    const rotated = formPost(page, `/w/${slug}/settings/integrations`);
    await page.getByRole("button", { name: "Rotate webhook secret" }).click();
    expect((await rotated).status()).toBe(200);
    await expect(page.getByLabel(/Webhook secret \(copy it now/)).not.toHaveValue(first);
    const secret = await page.getByLabel(/Webhook secret \(copy it now/).inputValue();
    await expect(page.getByText(/The previous one keeps working until/)).toBeVisible();

    // Shown once: a fresh visit shows only the last characters.
    await visit(page, `/w/${slug}/settings/integrations`);
    expect(await page.content()).not.toContain(secret);
    await expect(page.getByText(`…${secret.slice(-4)}`)).toBeVisible();

    const ping = { zen: "Design for failure.", hook_id: 42, hook: { type: "Repository", events: ["check_run", "pull_request"] } };
    const forged = await deliver(page, slug, "not-the-secret", "ping", ping);
    expect(forged.status()).toBe(401);
    const accepted = await deliver(page, slug, secret, "ping", ping);
    expect(accepted.status()).toBe(200);
    expect(await accepted.json()).toMatchObject({ ok: true, outcome: "ignored" });

    await openSettings(page, slug, "Delivery log");
    const rows = page.getByRole("row").filter({ hasText: "GitHub" });
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("ping");
    await expect(rows.first()).toContainText("GitHub's ping: the webhook reaches Hindsight.");
    await expect(rows.first()).toContainText("Ignored");

    // On a phone the settings pages stay within the screen (tables and tabs scroll inside their box).
    await page.setViewportSize({ width: 390, height: 844 });
    for (const section of ["", "/integrations", "/tokens", "/deliveries", "/reminders"]) {
      await visit(page, `/w/${slug}/settings${section}`);
      await expectNoSidewaysScroll(page);
    }
  });
});
