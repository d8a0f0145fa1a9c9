import pg from "pg";
import { expect, secondServer, shoot, signedInPage, test } from "./helpers";

/**
 * More requests than turns (docs/decisions/0021). A second app server (the production build) runs
 * on Postgres with a pool of one connection, so one request at a time; a transaction holding a lock
 * on the sessions table, which every signed-in request reads, keeps that request waiting. The
 * next ones wait for a turn, and after 5 s get a friendly 503 page, or JSON with Retry-After from
 * the API, instead of hanging; once the lock goes, everything is served again. Needs the local
 * Postgres, as the integration tests do.
 */
test.describe("when every turn is taken", () => {
  test.describe.configure({ timeout: 120_000 });
  const server = secondServer("busy");
  let holder: pg.Client | null = null;

  test.beforeAll(async () => {
    // A fresh database is migrated as the second server starts: slow on a busy two-core machine.
    test.setTimeout(120_000);
    await server.start({ poolMax: 1 });
  });

  test.afterAll(async () => {
    await holder?.end().catch(() => {});
    await server.stop();
  });

  test("a request that gets no turn in 5 s answers a friendly 503 (JSON from the API), and all is served once the turn comes free", async ({ browser }) => {
    const APP = server.origin();
    const { context, page, cookie } = await signedInPage(browser, APP);

    holder = new pg.Client({ connectionString: server.databaseUrl });
    await holder.connect();
    await holder.query("begin");
    await holder.query("lock table sessions in access exclusive mode");
    // This one gets the only turn, and waits on the lock.
    const held = fetch(`${APP}/workspaces/new`, { headers: { Cookie: cookie } });
    await new Promise((r) => setTimeout(r, 500));

    const started = Date.now();
    const [busy, api] = await Promise.all([
      page.goto("/workspaces/new"),
      fetch(`${APP}/api/v1/acme/incidents`, { headers: { Authorization: `Bearer hs_${"a".repeat(32)}` } }),
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4500);
    expect(busy?.status()).toBe(503);
    expect(busy?.headers()["retry-after"]).toMatch(/^\d+$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hindsight is busy");
    await expect(page.getByText("Nothing was changed")).toBeVisible();
    await shoot(page, "busy-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot(page, "busy-390");
    await page.setViewportSize({ width: 1280, height: 800 });

    expect(api.status).toBe(503);
    expect(api.headers.get("content-type")).toContain("application/json");
    expect(api.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await api.json()).toEqual({ error: { status: 503, message: expect.stringContaining("try again") } });

    await holder.query("rollback");
    expect((await held).status).toBe(200);
    expect((await page.goto("/workspaces/new"))?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Create a workspace" })).toBeVisible();
    await context.close();
  });
});
