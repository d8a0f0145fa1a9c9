import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import pg from "pg";
import { expect, shoot, test, watchCsp } from "./helpers";

/**
 * More requests than turns (docs/decisions/0021). A second app server (the production build) runs
 * on Postgres with a pool of one connection, so one request at a time; a transaction holding a lock
 * on the sessions table, which every signed-in request reads, keeps that request waiting. The
 * next ones wait for a turn, and after 5 s get a friendly 503 page, or JSON with Retry-After from
 * the API, instead of hanging; once the lock goes, everything is served again. Needs the local
 * Postgres, as the integration tests do.
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A port nobody listens on now (other work on this machine serves on ports near E2E_PORT). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Until the server answers /healthz with 200; fails at once if it exits. */
async function waitUntilHealthy(server: ChildProcess, origin: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the app server exited with ${server.exitCode}`);
    if (await fetch(`${origin}/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the app server did not become healthy in time");
}

test.describe("when every turn is taken", () => {
  test.describe.configure({ timeout: 120_000 });
  const name = `hindsight_e2e_busy_${Date.now().toString(36)}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let app: ChildProcess | null = null;
  let APP = "";
  let holder: pg.Client | null = null;

  test.beforeAll(async () => {
    // A fresh database is migrated as the second server starts: slow on a busy two-core machine.
    test.setTimeout(120_000);
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    await client.query(`create database ${name}`);
    await client.end();
    const port = await freePort();
    APP = `http://localhost:${port}`;
    app = spawn(process.execPath, ["build/node/server/index.js"], {
      env: { ...process.env, NODE_ENV: "production", PORT: String(port), DATABASE_URL: url.toString(), LOG_LEVEL: "error", DATABASE_POOL_MAX: "1" },
      stdio: "ignore",
    });
    await waitUntilHealthy(app, APP, 60_000);
  });

  test.afterAll(async () => {
    await holder?.end().catch(() => {});
    app?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  });

  test("a request that gets no turn in 5 s answers a friendly 503 (JSON from the API), and all is served once the turn comes free", async ({ browser }) => {
    const signup = await fetch(`${APP}/signup`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: APP, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ displayName: "Dana", email: `dana-${Date.now()}@e2e.test`, password: "tangerine-lantern-harbour-42" }),
    });
    expect(signup.status).toBe(302);
    const cookie = signup.headers.get("set-cookie")!.split(";")[0]!;
    const context = watchCsp(await browser.newContext({ baseURL: APP }));
    // In the cookie jar, not a fixed header: the page sets cookies of its own (the reader's time zone).
    const [name, ...value] = cookie.split("=");
    await context.addCookies([{ name: name!, value: value.join("="), url: APP }]);
    const page = await context.newPage();
    expect((await page.goto("/workspaces/new"))?.status()).toBe(200);

    holder = new pg.Client({ connectionString: url.toString() });
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
