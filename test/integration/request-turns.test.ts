/**
 * Requests take turns on both engines (docs/decisions/0021): the server's own pieces, health
 * check first, then admission with the server's busy answer, in front of a page and an API route
 * that read the database. A transaction holding a lock on the table they read stands for a
 * database that is slow to answer; it holds the one turn. A request that then waits past its limit
 * is answered 503 with Retry-After (a page for people, JSON for the API) and is never run, the
 * health check answers meanwhile, and once the lock goes the held request finishes and the next
 * ones are served.
 */
import type { AddressInfo } from "node:net";
import express from "express";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { Db } from "#db/connection";
import { databaseIsReachable } from "~/domain/shared/health.server";
import { admission, type Admission } from "../../server/admission";
import { answerBusy } from "../../server/answers";
import { healthCheck } from "../../server/health";
import { describeEachEngine } from "../support/databases";

const WAIT_MS = 400;

describeEachEngine("requests take turns", (testDb, engine) => {
  let origin = "";
  let turns: Admission;
  let close: () => Promise<unknown>;
  const ran: string[] = [];

  beforeAll(async () => {
    const db: Db = testDb();
    const app = express();
    app.use(healthCheck(db));
    turns = admission({ limit: 1, maxWaitMs: WAIT_MS, busy: answerBusy });
    app.use(turns);
    const count = async (req: express.Request, res: express.Response, json: boolean) => {
      ran.push(req.path);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from workspaces`.execute(db);
      if (json) res.json({ workspaces: rows[0]!.n });
      else res.type("text/html").send(`<p>${rows[0]!.n} workspaces</p>`);
    };
    app.get("/api/v1/acme/incidents", (req, res) => void count(req, res, true));
    app.get(/^\/w\//, (req, res) => void count(req, res, false));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((r) => server.close(r));
  });
  afterAll(async () => {
    await close?.();
  });

  it(`a request that waits past its limit is answered 503 with Retry-After and never run [${engine}]`, async () => {
    const db = testDb();
    expect(await databaseIsReachable(db)).toBe(true);
    let release = () => {};
    const locked = new Promise<void>((resolve) => (release = resolve));
    let holding = () => {};
    const held = new Promise<void>((resolve) => (holding = resolve));
    const lock = db.transaction().execute(async (trx) => {
      await sql`lock table workspaces in access exclusive mode`.execute(trx);
      holding();
      await locked;
    });
    await held;
    try {
      // The first request gets the one turn and waits on the lock.
      const first = fetch(`${origin}/w/acme/first`).then(async (r) => ({ status: r.status, body: await r.text() }));
      await vi.waitFor(() => expect(turns.running).toBe(1));

      const started = performance.now();
      const [page, api] = await Promise.all([
        fetch(`${origin}/w/acme/second`, { headers: { accept: "text/html" } }),
        fetch(`${origin}/api/v1/acme/incidents`),
      ]);
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(WAIT_MS - 20);
      expect(waited).toBeLessThan(WAIT_MS + 1500);

      expect(page.status).toBe(503);
      expect(page.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(page.headers.get("content-type")).toContain("text/html");
      const html = await page.text();
      expect(html).toContain("<h1>Hindsight is busy</h1>");
      expect(html).toContain("Nothing was changed");

      expect(api.status).toBe(503);
      expect(api.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await api.json()).toEqual({ error: { status: 503, message: expect.stringContaining("try again") } });

      // The health check doesn't take a turn.
      const health = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1000) });
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true, database: "reachable" });
      expect(ran).toEqual(["/w/acme/first"]);

      release();
      expect(await first).toEqual({ status: 200, body: expect.stringMatching(/^<p>\d+ workspaces<\/p>$/) });
      const next = await fetch(`${origin}/api/v1/acme/incidents`);
      expect(next.status).toBe(200);
      expect(ran).toEqual(["/w/acme/first", "/api/v1/acme/incidents"]);
      expect([turns.running, turns.waiting]).toEqual([0, 0]);
    } finally {
      release();
      await lock;
    }
  });
});
