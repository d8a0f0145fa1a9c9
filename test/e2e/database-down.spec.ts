import { DatabaseProxy } from "../support/database-proxy";
import { expect, secondServer, signedInPage, test } from "./helpers";

/**
 * The database goes away under a running server. A second app server (the production build) runs
 * on Postgres through a TCP proxy this test controls; closing the proxy is the outage. Pages must
 * answer a friendly 503 page, the API a JSON 503 with Retry-After, and everything must come back
 * when the database does. Needs the local Postgres, as the integration tests do.
 */
test.describe("while the database is down", () => {
  test.describe.configure({ timeout: 120_000 });
  const server = secondServer("down");
  const postgres = new URL(server.databaseUrl);
  const proxy = new DatabaseProxy({ host: postgres.hostname, port: Number(postgres.port || 5432) });

  test.beforeAll(async () => {
    // A fresh database is migrated as the second server starts: slow on a busy two-core machine.
    test.setTimeout(120_000);
    await proxy.listen();
    await server.start({ poolMax: 4, viaPort: proxy.port });
  });

  test.afterAll(async () => {
    await proxy.mend().catch(() => {});
    await server.stop();
    await proxy.close();
  });

  test("pages give a friendly 503, the API a JSON 503 with Retry-After, and both recover", async ({ browser }) => {
    const APP = server.origin();
    // Signed up while the database is up, so the pages below need it.
    const { context, page } = await signedInPage(browser, APP);

    await proxy.cut("refuse");

    const down = await page.goto("/workspaces/new");
    expect(down?.status()).toBe(503);
    expect(down?.headers()["retry-after"]).toMatch(/^\d+$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hindsight is briefly unavailable");
    await expect(page.getByText("Nothing you saved is lost")).toBeVisible();

    const api = await fetch(`${APP}/api/v1/acme/incidents`, { headers: { Authorization: `Bearer hs_${"a".repeat(32)}` } });
    expect(api.status).toBe(503);
    expect(api.headers.get("content-type")).toContain("application/json");
    expect(api.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await api.json()).toEqual({ error: { status: 503, message: expect.stringContaining("database") } });

    const form = await fetch(`${APP}/login`, {
      method: "POST",
      headers: { Origin: APP, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "someone@e2e.test", password: "whatever it is" }),
    });
    expect(form.status).toBe(503);
    expect((await fetch(`${APP}/healthz`)).status).toBe(503);

    await proxy.mend();
    await server.healthy(10_000);
    expect((await page.goto("/workspaces/new"))?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Create a workspace" })).toBeVisible();
    await context.close();
  });
});
