/**
 * A full garbage collection, and the C heap's free pages given back (./native-heap.ts), when
 * the server goes quiet after a burst, so its memory comes back down to about where it was idle
 * instead of staying at the burst's peak (docs/decisions/0021). Quiet: no request in flight for `quietMs`; a burst: at least
 * `minRequests` requests since the last collection. The collection takes a few hundred
 * milliseconds on a busy machine, when nobody is waiting.
 */
import { Session } from "node:inspector";
import type { RequestHandler } from "express";
import { log } from "~/http/log.server";
import { trimNativeHeap } from "./native-heap";

// The collection a debugger's "collect garbage" button runs (the inspector protocol's
// HeapProfiler.collectGarbage, through an in-process session: no port is opened). After a burst it
// gives back what `gc()` called from JavaScript does not, even with --expose-gc and flavor
// "last-resort": measured, 438 → 204 MB RSS and 3,276 → 8 abort signals still reachable, where
// gc() left 438 MB (docs/benchmarks/load.md). The protocol answers once the collection is done.
let session: Session | null = null;
function collectAll(): Promise<void> {
  if (!session) {
    session = new Session();
    session.connect();
  }
  const open = session;
  return new Promise((resolve, reject) => open.post("HeapProfiler.collectGarbage", (error) => (error ? reject(error) : resolve())));
}

type Figures = { rssMb: number; heapMb: number; externalMb: number };

export function collectWhenIdle(
  options: { quietMs?: number; minRequests?: number; onCollected?: (figures: { requests: number; before: Figures; after: Figures }) => void } = {},
): RequestHandler {
  const quietMs = options.quietMs ?? 2000;
  const minRequests = options.minRequests ?? 500;
  let inFlight = 0;
  let sinceCollection = 0;
  let timer: NodeJS.Timeout | undefined;

  const collect = async () => {
    timer = undefined;
    if (inFlight > 0 || sinceCollection < minRequests) return;
    const requests = sinceCollection;
    sinceCollection = 0;
    const before = process.memoryUsage();
    const started = performance.now();
    try {
      // Twice: what the first frees can hold the last references to more (finalizers run between).
      await collectAll();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await collectAll();
      // What the collection freed in the C heap (buffers, sockets, zlib) stays with glibc
      // until it is trimmed: most of what was left above idle after a burst.
      await trimNativeHeap();
    } catch (error) {
      log.warn({ err: error }, "memory collection failed");
      return;
    }
    const after = process.memoryUsage();
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
    const figures = (m: NodeJS.MemoryUsage): Figures => ({ rssMb: mb(m.rss), heapMb: mb(m.heapTotal), externalMb: mb(m.external) });
    log.info({ requests, ms: Math.round(performance.now() - started), before: figures(before), after: figures(after) }, "quiet after a burst: memory collected");
    options.onCollected?.({ requests, before: figures(before), after: figures(after) });
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
        timer = setTimeout(() => void collect(), quietMs);
        timer.unref();
      }
    });
    next();
  };
}
