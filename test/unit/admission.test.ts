import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, expect, it } from "vitest";
import { admission } from "../../server/admission";

/** A server whose pages take `ms` each, behind admission(limit); it counts the pages actually run. */
async function serve(limit: number, ms: number) {
  const app = express();
  const ran: string[] = [];
  let running = 0;
  let most = 0;
  app.use(admission(limit));
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
  return { origin, ran, most: () => most, close: () => new Promise((r) => server.close(r)) };
}

let close: (() => Promise<unknown>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

it("lets in `limit` requests at a time, the others in the order they came, health checks straight away", async () => {
  const app = await serve(2, 150);
  close = app.close;
  const answered: string[] = [];
  const get = (p: string) => fetch(`${app.origin}${p}`).then(async (r) => answered.push(await r.text()));
  const pages = ["/a", "/b", "/c", "/d"].map(get);
  await new Promise((r) => setTimeout(r, 20));
  await Promise.all([...pages, get("/healthz")]);
  // The health check is answered before the pages that wait for a turn, not after them.
  expect(answered.indexOf("/healthz")).toBeLessThan(answered.indexOf("/c"));
  expect(answered.filter((p) => p !== "/healthz")).toEqual(["/a", "/b", "/c", "/d"]);
  expect(app.most()).toBe(3); // two pages and the health check
  expect(app.ran.filter((p) => p !== "/healthz")).toEqual(["/a", "/b", "/c", "/d"]);
});

it("drops a request whose client left while it waited, without running it", async () => {
  const app = await serve(1, 200);
  close = app.close;
  const first = fetch(`${app.origin}/first`).then((r) => r.text());
  await new Promise((r) => setTimeout(r, 20));
  const gone = new AbortController();
  const abandoned = fetch(`${app.origin}/abandoned`, { signal: gone.signal }).catch(() => "aborted");
  await new Promise((r) => setTimeout(r, 20));
  gone.abort();
  expect(await abandoned).toBe("aborted");
  expect(await first).toBe("/first");
  expect(await fetch(`${app.origin}/next`).then((r) => r.text())).toBe("/next");
  expect(app.ran).toEqual(["/first", "/next"]);
});
