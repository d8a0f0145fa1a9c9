import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import PgBoss from "pg-boss";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import WebSocket from "ws";
import * as Y from "yjs";
import { expect, test } from "./helpers";

/**
 * Two app processes (the production build) on one Postgres database, driven side by side: a
 * session made on one is good on the other, incidents created on both at once get gapless
 * numbers, and a cron job fires once across both. Needs the local Postgres, as the integration
 * tests do.
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const BASE_PORT = Number(process.env.E2E_PORT ?? 3210);
const APPS = [BASE_PORT + 2, BASE_PORT + 3].map((port) => ({ port, url: `http://localhost:${port}` }));

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("timed out");
}

function post(app: string, path: string, fields: Record<string, string | string[]>, cookie?: string) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
  return fetch(`${app}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: app, "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
    body,
  });
}

test.describe("several app processes on one Postgres", () => {
  test.describe.configure({ timeout: 240_000 });
  const name = `hindsight_e2e_cluster_${Date.now().toString(36)}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const processes: ChildProcess[] = [];

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    await client.query(`create database ${name}`);
    await client.end();
    // One after the other: the first migrates, the second finds the schema ready (both would be safe).
    for (const app of APPS) {
      processes.push(
        spawn(process.execPath, ["build/node/server/index.js"], {
          env: {
            ...process.env,
            NODE_ENV: "production",
            PORT: String(app.port),
            DATABASE_URL: url.toString(),
            LOG_LEVEL: "error",
            DATABASE_POOL_MAX: "4",
            // Live documents shared between the processes (ADR 29).
            REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
          },
          stdio: "ignore",
        }),
      );
      await waitFor(async () => (await fetch(`${app.url}/healthz`)).ok, 90_000);
    }
  });

  test.afterAll(async () => {
    for (const child of processes) child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1500));
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  });

  test("a session from one process works on the other, and numbers stay gapless across both", async () => {
    const [a, b] = APPS as [(typeof APPS)[number], (typeof APPS)[number]];
    const signup = await post(a.url, "/signup", { displayName: "Cluster Admin", email: `cluster-${Date.now()}@e2e.test`, password: "tangerine-lantern-harbour-42" });
    expect(signup.status).toBe(302);
    const cookie = signup.headers.get("set-cookie")!.split(";")[0]!;

    const slug = `cl-${Date.now().toString(36)}`;
    const created = await post(b.url, "/workspaces/new", { name: "Cluster Workspace", slug }, cookie);
    expect(created.status, "the session made on A creates a workspace on B").toBe(302);
    expect((await fetch(`${a.url}/w/${slug}`, { headers: { Cookie: cookie } })).status).toBe(200);

    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(i % 2 === 0 ? a.url : b.url, `/w/${slug}/incidents/new`, {
          title: `Parallel incident ${i + 1}`,
          severity: "SEV3",
          status: "investigating",
          tier: "T1",
          startedAt: "2026-11-30T10:00",
        }, cookie),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(302));
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const { rows } = await client.query<{ number: number }>(
        "select number from incidents join workspaces w on w.id = incidents.workspace_id where w.slug = $1 order by number",
        [slug],
      );
      expect(rows.map((r) => r.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    } finally {
      await client.end();
    }
  });

  test("live co-editing: editors connected to different processes see each other's typing (Redis)", async () => {
    const [a, b] = APPS as [(typeof APPS)[number], (typeof APPS)[number]];
    const signup = await post(a.url, "/signup", { displayName: "Live Writer", email: `live-${Date.now()}@e2e.test`, password: "tangerine-lantern-harbour-42" });
    const cookie = signup.headers.get("set-cookie")!.split(";")[0]!;
    const slug = `lv-${Date.now().toString(36)}`;
    expect((await post(a.url, "/workspaces/new", { name: "Live Workspace", slug }, cookie)).status).toBe(302);
    const incident = { title: "Live incident", severity: "SEV3", status: "investigating", tier: "T3", startedAt: "2026-11-30T10:00" };
    expect((await post(a.url, `/w/${slug}/incidents/new`, incident, cookie)).status).toBe(302);
    expect((await post(b.url, `/w/${slug}/incidents/1/postmortem`, { intent: "start", template: "lightweight" }, cookie)).status).toBe(302);
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const { rows } = await client.query<{ id: string }>("select p.id from postmortems p join workspaces w on w.id = p.workspace_id where w.slug = $1", [slug]);
    await client.end();
    const name = `postmortem:${rows[0]!.id}`;

    const editors = [a, b].map((app) => {
      const origin = app.url;
      class BrowserLikeSocket extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { cookie, origin } });
        }
      }
      const socket = new HocuspocusProviderWebsocket({ url: `${app.url.replace(/^http/, "ws")}/collab`, WebSocketPolyfill: BrowserLikeSocket });
      const document = new Y.Doc();
      const state = { synced: false };
      const provider = new HocuspocusProvider({ websocketProvider: socket, name, document, onSynced: () => (state.synced = true) });
      provider.attach();
      return { document, state, close: () => (provider.destroy(), socket.destroy()) };
    });
    try {
      await waitFor(async () => editors.every((e) => e.state.synced), 20_000);
      editors[0]!.document.getText("title").insert(0, "Typed on A. ");
      await waitFor(async () => editors[1]!.document.getText("title").toString().startsWith("Typed on A. "), 10_000);
      editors[1]!.document.getText("title").insert(0, "Typed on B. ");
      await waitFor(async () => editors[0]!.document.getText("title").toString().startsWith("Typed on B. "), 10_000);
      expect(editors[0]!.document.getText("title").toString()).toBe(editors[1]!.document.getText("title").toString());
    } finally {
      for (const editor of editors) editor.close();
    }
  });

  test("a cron job fires once a minute across both processes, not once per process", async () => {
    // Re-schedule one of the app's own jobs every minute; both processes run the scheduler.
    const boss = new PgBoss({ connectionString: url.toString(), schema: "pgboss", supervise: false, schedule: false, migrate: false, max: 2 });
    await boss.start();
    const since = new Date();
    await boss.schedule("webhooks.prune-deliveries", "* * * * *", {}, { tz: "UTC" });
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const fired = async () =>
        (
          await client.query<{ minute: string; jobs: number; done: number }>(
            `select date_trunc('minute', created_on) as minute, count(*)::int as jobs, count(*) filter (where state = 'completed')::int as done
               from pgboss.job where name = 'webhooks.prune-deliveries' and created_on >= $1 group by 1 order by 1`,
            [since],
          )
        ).rows;
      await waitFor(async () => (await fired()).some((m) => m.done >= 1), 150_000);
      // Give the other process's scheduler time to (wrongly) fire too.
      await new Promise((r) => setTimeout(r, 15_000));
      const minutes = await fired();
      expect(minutes.length).toBeGreaterThanOrEqual(1);
      for (const minute of minutes) expect(minute.jobs, `jobs created for ${minute.minute}`).toBe(1);
    } finally {
      await client.end();
      await boss.stop({ graceful: false, wait: true });
    }
  });
});
