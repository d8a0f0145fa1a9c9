import { Session } from "node:inspector";
import type { AddressInfo } from "node:net";
import express from "express";
import { expect, it } from "vitest";
import { collectWhenIdle } from "../../server/idle-gc";
import { trimNativeHeap } from "../../server/native-heap";

/**
 * The collection when the server goes quiet after a burst (server/idle-gc.ts): it runs once the
 * burst is over, not during it and not after a handful of requests, and it really collects: an
 * object nothing refers to any more is gone afterwards (without --expose-gc, as npm start runs now).
 */
it("collects once a burst is over, and what nothing refers to is gone", async () => {
  const collections: number[] = [];
  let collected: () => void = () => {};
  const done = new Promise<void>((resolve) => (collected = resolve));
  const app = express();
  app.use(collectWhenIdle({ quietMs: 100, minRequests: 20, onCollected: ({ requests }) => (collections.push(requests), collected()) }));
  app.get("/", (_req, res) => void res.send("ok"));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    // A few requests are no burst: nothing is collected after them.
    for (let i = 0; i < 5; i++) await (await fetch(origin)).text();
    await new Promise((r) => setTimeout(r, 300));
    expect(collections).toEqual([]);

    let garbage: { payload: number[] } | null = { payload: Array.from({ length: 100_000 }, (_, i) => i) };
    const ref = new WeakRef(garbage);
    garbage = null;
    await Promise.all(Array.from({ length: 30 }, () => fetch(origin).then((r) => r.text())));
    await done;
    expect(collections).toEqual([35]);
    expect(ref.deref()).toBeUndefined();
  } finally {
    await new Promise((r) => server.close(r));
  }
});

/**
 * glibc keeps what `free` releases for later use, so after a burst the process stayed tens of
 * megabytes above idle although nothing held the memory (docs/benchmarks/load.md, run D).
 * Buffers of this size come from the C heap, as sockets' and zlib's memory does.
 */
it("gives the C heap's free memory back to the system after a collection", async () => {
  const mb = () => process.memoryUsage().rss / 2 ** 20;
  const session = new Session();
  session.connect();
  const collect = () => new Promise<void>((resolve) => session.post("HeapProfiler.collectGarbage", () => resolve()));
  try {
    let buffers: Buffer[] | null = Array.from({ length: 40_000 }, () => Buffer.allocUnsafeSlow(1500).fill(1));
    expect(buffers).toHaveLength(40_000);
    buffers = null;
    await collect();
    await collect();
    const collected = mb();
    expect(await trimNativeHeap()).toBe(true);
    // About 60 MB were held; most of it was still resident after the collection.
    expect(collected - mb()).toBeGreaterThan(30);
  } finally {
    session.disconnect();
  }
});
