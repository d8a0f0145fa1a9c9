/**
 * A full garbage collection, pages given back, when the server goes quiet after a burst, so its memory comes back
 * down to about where it was idle instead of staying at the burst's peak until V8 gets round to
 * it (docs/decisions/0021). Needs `node --expose-gc` (npm start and start:cluster pass it);
 * without it this only counts. Quiet: no request in flight for `quietMs`; a burst: at least
 * `minRequests` requests since the last collection. The collection takes a few hundred
 * milliseconds on a busy machine, when nobody is waiting.
 */
import type { RequestHandler } from "express";
import { log } from "~/http/log.server";

// `globalThis.gc` exists with --expose-gc. A regular full collection frees the heap's objects but
// keeps the pages it grew into (RSS stays at the burst's peak); "last-resort" also gives them back.
const collectAll = globalThis.gc ? () => globalThis.gc?.({ type: "major", execution: "sync", flavor: "last-resort" }) : null;

export function collectWhenIdle(options: { quietMs?: number; minRequests?: number } = {}): RequestHandler {
  const quietMs = options.quietMs ?? 2000;
  const minRequests = options.minRequests ?? 500;
  let inFlight = 0;
  let sinceCollection = 0;
  let timer: NodeJS.Timeout | undefined;

  const collect = () => {
    timer = undefined;
    if (inFlight > 0 || sinceCollection < minRequests || !collectAll) return;
    const before = process.memoryUsage();
    const started = performance.now();
    collectAll();
    const after = process.memoryUsage();
    const requests = sinceCollection;
    sinceCollection = 0;
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
    const figures = (m: NodeJS.MemoryUsage) => ({ rssMb: mb(m.rss), heapMb: mb(m.heapTotal), externalMb: mb(m.external) });
    log.info({ requests, ms: Math.round(performance.now() - started), before: figures(before), after: figures(after) }, "quiet after a burst: memory collected");
  };

  return (_req, res, next) => {
    inFlight += 1;
    sinceCollection += 1;
    clearTimeout(timer);
    timer = undefined;
    res.once("close", () => {
      inFlight -= 1;
      if (inFlight === 0) {
        clearTimeout(timer);
        timer = setTimeout(collect, quietMs);
        timer.unref();
      }
    });
    next();
  };
}
