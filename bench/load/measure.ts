/**
 * What bench/load measures with: a server's resident memory from /proc, sampled while a run goes
 * on, and autocannon runs reduced to the figures docs/benchmarks/load.md reports.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import autocannon from "autocannon";

/** Resident set size of process `pid` in MB (Linux), or NaN where /proc is not there. */
export function rssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Math.round(Number(line[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/** Samples RSS every 250 ms until stopped; gives the highest value seen. */
export function watchRss(pid: number): { stop: () => number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now > peak || Number.isNaN(peak)) peak = now;
  }, 250);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, rssMb(pid));
    },
  };
}

export const load1 = () => Math.round(loadavg()[0]! * 100) / 100;

/** The 1, 5 and 15 minute load averages, as `uptime` prints them. */
export const loadAverages = () => loadavg().map((n) => Math.round(n * 100) / 100);

export type HealthFigures = { checks: number; p50: number; p99: number; max: number; statuses: Record<string, number> };

/**
 * Asks /healthz every 100 ms (2 s timeout) until stopped: how long a health check takes while a
 * run loads the server (it must never wait behind pages).
 */
export function watchHealth(origin: string): { stop: () => Promise<HealthFigures> } {
  const took: number[] = [];
  const statuses: Record<string, number> = {};
  let stopped = false;
  const polling = (async () => {
    while (!stopped) {
      const started = performance.now();
      let status: string;
      try {
        const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
        await response.arrayBuffer();
        status = String(response.status);
      } catch (error) {
        status = (error as Error).name === "TimeoutError" ? "timeout" : "error";
      }
      took.push(performance.now() - started);
      statuses[status] = (statuses[status] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await polling;
      const sorted = [...took].sort((a, b) => a - b);
      const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
      return { checks: sorted.length, p50: at(0.5), p99: at(0.99), max: Math.round(sorted.at(-1) ?? NaN), statuses };
    },
  };
}

export type RunFigures = {
  target: string;
  path: string;
  connections: number;
  seconds: number;
  requests: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  rssPeakMb: number;
  load1Before: number;
  load1After: number;
  /** /healthz asked every 100 ms during a run against another path. */
  healthDuring?: HealthFigures;
  /** How long after the run the server was idle again (work left queued by the run). */
  settleMs?: number;
};

/** One autocannon run of `connections` clients for `seconds` against `path`, with the cookie. */
export async function run(
  origin: string,
  target: { name: string; path: string },
  connections: number,
  seconds: number,
  cookie: string,
  serverPid: number,
): Promise<RunFigures> {
  const load1Before = load1();
  const rss = watchRss(serverPid);
  const health = target.path === "/healthz" ? null : watchHealth(origin);
  const result = await autocannon({
    url: `${origin}${target.path}`,
    connections,
    duration: seconds,
    headers: { cookie, accept: "text/html" },
    // A request not answered in 10 s counts as a timeout (and an error).
    timeout: 10,
  });
  const healthDuring = health ? await health.stop() : undefined;
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, (stat as { count: number }).count]));
  return {
    target: target.name,
    path: target.path,
    connections,
    seconds,
    requests: result.requests.total,
    reqPerSec: Math.round(result.requests.average * 10) / 10,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    rssPeakMb: rss.stop(),
    load1Before,
    load1After: load1(),
    healthDuring,
  };
}

/**
 * Waits until the server is idle again: when a run stops, requests it abandoned may still be
 * queued (PGlite serves one query at a time). Idle: /healthz answers within 100 ms twice running.
 * Returns how long that took, in ms.
 */
export async function settle(origin: string, limitMs = 60_000): Promise<number> {
  const started = performance.now();
  let quick = 0;
  while (quick < 2 && performance.now() - started < limitMs) {
    const t = performance.now();
    const ok = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(limitMs) }).then(
      (r) => r.ok,
      () => false,
    );
    quick = ok && performance.now() - t < 100 ? quick + 1 : 0;
    if (quick < 2) await new Promise((r) => setTimeout(r, 100));
  }
  return Math.round(performance.now() - started);
}
