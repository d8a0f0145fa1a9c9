import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, expect, it, vi } from "vitest";
import { admission, MAX_WAIT_MS } from "../../server/admission";

/**
 * A server whose pages take `ms` each, behind admission; it counts the pages actually run. A
 * request that waits past `maxWaitMs` is answered "busy <waited>" with 503. /healthz is answered
 * before admission, as server/index.ts does.
 */
async function serve(limit: number, ms: number, maxWaitMs = 10_000) {
  const app = express();
  const ran: string[] = [];
  let running = 0;
  let most = 0;
  app.get("/healthz", (_req, res) => void res.send("/healthz"));
  const turns = admission({ limit, maxWaitMs, busy: (_req, res, waited) => void res.status(503).set("Retry-After", "5").send(`busy ${waited}`) });
  app.use(turns);
  app.get(/.*/, (req, res) => {
    ran.push(req.path);
    most = Math.max(most, (running += 1));
    setTimeout(() => {
      running -= 1;
      res.send(req.path);
    }, ms);
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, ran, turns, most: () => most, close: () => new Promise((r) => server.close(r)) };
}

let close: (() => Promise<unknown>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

it("waits five seconds at most by default", () => {
  expect(MAX_WAIT_MS).toBe(5000);
});

it("lets in `limit` requests at a time, the others in the order they came, health checks straight away", async () => {
  const app = await serve(2, 400);
  close = app.close;
  const answered: string[] = [];
  const get = (p: string) => fetch(`${app.origin}${p}`).then(async (r) => answered.push(await r.text()));
  const pages = ["/a", "/b", "/c", "/d"].map(get);
  await vi.waitFor(() => expect([app.turns.running, app.turns.waiting]).toEqual([2, 2]));
  await Promise.all([...pages, get("/healthz")]);
  // The health check is answered before the pages that wait for a turn, not after them.
  expect(answered.indexOf("/healthz")).toBeLessThan(answered.indexOf("/c"));
  expect(answered.filter((p) => p !== "/healthz")).toEqual(["/a", "/b", "/c", "/d"]);
  expect(app.most()).toBe(2);
  expect(app.ran).toEqual(["/a", "/b", "/c", "/d"]);
});

it("drops a request whose client left while it waited, without running it", async () => {
  const app = await serve(1, 200);
  close = app.close;
  const first = fetch(`${app.origin}/first`).then((r) => r.text());
  await vi.waitFor(() => expect(app.turns.running).toBe(1));
  const gone = new AbortController();
  const abandoned = fetch(`${app.origin}/abandoned`, { signal: gone.signal }).catch(() => "aborted");
  await vi.waitFor(() => expect(app.turns.waiting).toBe(1));
  gone.abort();
  expect(await abandoned).toBe("aborted");
  expect(await first).toBe("/first");
  expect(await fetch(`${app.origin}/next`).then((r) => r.text())).toBe("/next");
  expect(app.ran).toEqual(["/first", "/next"]);
});

it("answers busy a request that waited too long, never runs it, and serves the next in turn", async () => {
  const app = await serve(1, 800, 250);
  close = app.close;
  const held = fetch(`${app.origin}/held`).then((r) => r.text());
  await vi.waitFor(() => expect(app.turns.running).toBe(1));
  const started = performance.now();
  const late = await fetch(`${app.origin}/late`);
  const waited = performance.now() - started;
  expect(late.status).toBe(503);
  expect(late.headers.get("retry-after")).toBe("5");
  expect(await late.text()).toMatch(/^busy \d+$/);
  // Answered when its wait ran out, not when a turn came (the held page takes 800 ms).
  expect(waited).toBeGreaterThanOrEqual(240);
  expect(waited).toBeLessThan(700);
  expect(await held).toBe("/held");
  expect(await fetch(`${app.origin}/after`).then((r) => r.text())).toBe("/after");
  expect(app.ran).toEqual(["/held", "/after"]);
  expect([app.turns.running, app.turns.waiting]).toEqual([0, 0]);
});
