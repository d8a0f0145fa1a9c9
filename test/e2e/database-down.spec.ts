import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { DatabaseProxy } from "../support/database-proxy";
import { expect, test, watchCsp } from "./helpers";

/**
 * The database goes away under a running server. A second app server (the production build) runs
 * on Postgres through a TCP proxy this test controls; closing the proxy is the outage. Pages must
 * answer a friendly 503 page, the API a JSON 503 with Retry-After, and everything must come back
 * when the database does. Needs the local Postgres, as the integration tests do.
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const APP_PORT = Number(process.env.E2E_PORT ?? 3210) + 1;
const APP = `http://localhost:${APP_PORT}`;

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("timed out");
}

test.describe("while the database is down", () => {
  test.describe.configure({ timeout: 120_000 });
  const name = `hindsight_e2e_down_${Date.now().toString(36)}`;
  const admin = new URL(ADMIN_URL);
  const proxy = new DatabaseProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
  let app: ChildProcess | null = null;

  test.beforeAll(async () => {
    // A fresh database is migrated as the second server starts: slow on a busy two-core machine.
    test.setTimeout(120_000);
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    await client.query(`create database ${name}`);
    await client.end();
    await proxy.listen();
    const url = new URL(ADMIN_URL);
    url.host = `127.0.0.1:${proxy.port}`;
    url.pathname = `/${name}`;
    app = spawn(process.execPath, ["build/node/server/index.js"], {
      env: { ...process.env, NODE_ENV: "production", PORT: String(APP_PORT), DATABASE_URL: url.toString(), LOG_LEVEL: "error", DATABASE_POOL_MAX: "4" },
      stdio: "ignore",
    });
    await waitFor(async () => (await fetch(`${APP}/healthz`)).ok, 60_000);
  });

  test.afterAll(async () => {
    app?.kill("SIGTERM");
    await proxy.mend().catch(() => {});
    await new Promise((r) => setTimeout(r, 1000));
    await proxy.close();
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  });

  test("pages give a friendly 503, the API a JSON 503 with Retry-After, and both recover", async ({ browser }) => {
    // Signed up while the database is up, so the pages below need it.
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
    await waitFor(async () => (await fetch(`${APP}/healthz`)).ok, 10_000);
    expect((await page.goto("/workspaces/new"))?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Create a workspace" })).toBeVisible();
    await context.close();
  });
});
