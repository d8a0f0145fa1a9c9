/**
 * The fault run: Postgres made unreachable for a while under load, through a proxy this bench
 * controls (bench/load/proxy.ts). Readers fetch the incident list and writers record incidents
 * through the JSON API the whole time; every request is logged with when it started and ended,
 * so the figures say what happened before, during and after the outage:
 *
 * - during: how requests were answered (the target: every one a 503 with Retry-After, none a 500,
 *   none refused or left unanswered);
 * - after: how long from the database's return to the first page served again (target < 1 s);
 * - writes: every incident acknowledged (201) is in the database afterwards; incidents present
 *   but never acknowledged (the answer was lost in the cut) are counted apart.
 */
import type { ChildProcess } from "node:child_process";
import { sql } from "kysely";
import type { Db } from "#db/connection";
import { DEMO_USER, DEMO_WORKSPACE } from "#db/seed";
import { createApiToken } from "~/domain/integrations/index.server";
import type { DatabaseProxy, CutMode } from "../../test/support/database-proxy";
import { watchRss, load1 } from "./measure";

type Sample = { kind: "read" | "write"; start: number; end: number; status: number | "error" | "timeout"; retryAfter: boolean };

export type FaultFigures = {
  mode: CutMode;
  outageSeconds: number;
  readers: number;
  writers: number;
  before: Record<string, number>;
  during: Record<string, number>;
  duringWithoutRetryAfter: number;
  /** Requests under way when the database went away, and when it came back. */
  atCut: Record<string, number>;
  atReturn: Record<string, number>;
  after: Record<string, number>;
  /** From the database's return to the first /healthz 200 (polled every 50 ms) and the first page served. */
  healthzBackMs: number | null;
  pageBackMs: number | null;
  writesAcknowledged: number;
  writesLost: number;
  writesPresentNotAcknowledged: number;
  rssPeakMb: number;
  load1Before: number;
  load1After: number;
};

const REQUEST_TIMEOUT_MS = 10_000;

function tally(samples: Sample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of samples) counts[String(s.status)] = (counts[String(s.status)] ?? 0) + 1;
  return counts;
}

async function timed(kind: Sample["kind"], samples: Sample[], request: () => Promise<Response>): Promise<Response | null> {
  const start = performance.now();
  try {
    const response = await request();
    await response.arrayBuffer();
    samples.push({ kind, start, end: performance.now(), status: response.status, retryAfter: response.headers.has("retry-after") });
    return response;
  } catch (error) {
    const status = (error as Error).name === "TimeoutError" ? "timeout" : "error";
    samples.push({ kind, start, end: performance.now(), status, retryAfter: false });
    return null;
  }
}

/** A write token for the demo workspace, made on the database directly (not through the proxy). */
async function writeToken(db: Db): Promise<string> {
  const user = await db.selectFrom("users").select(["id", "email", "display_name"]).where("email", "=", DEMO_USER.email).executeTakeFirstOrThrow();
  const ws = await db.selectFrom("workspaces").select("id").where("slug", "=", DEMO_WORKSPACE.slug).executeTakeFirstOrThrow();
  return (await createApiToken(db, user, ws.id, { name: "bench/load fault run", scope: "write" })).token;
}

export async function faultRun(options: {
  origin: string;
  cookie: string;
  server: ChildProcess;
  proxy: DatabaseProxy;
  /** The bench database, straight (for the token and the final count). */
  db: Db;
  mode: CutMode;
  outageSeconds: number;
  readers: number;
  writers: number;
}): Promise<FaultFigures> {
  const { origin, cookie, proxy, db, mode } = options;
  const token = await writeToken(db);
  const runId = `fault-${mode}-${Date.now().toString(36)}`;
  const samples: Sample[] = [];
  const acknowledged = new Set<string>();
  let stop = false;
  let written = 0;

  const reader = async () => {
    while (!stop) {
      await timed("read", samples, () => fetch(`${origin}/w/${DEMO_WORKSPACE.slug}/incidents`, { headers: { cookie }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }));
    }
  };
  const writer = async () => {
    while (!stop) {
      const title = `${runId} incident ${(written += 1)}`;
      const response = await timed("write", samples, () =>
        fetch(`${origin}/api/v1/${DEMO_WORKSPACE.slug}/incidents`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ title, severity: "SEV3", tier: "T2", startedAt: new Date().toISOString() }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        }),
      );
      if (response?.status === 201) acknowledged.add(title);
      // Refused writes come back at once; don't spin on them.
      if (response?.status !== 201) await new Promise((r) => setTimeout(r, 50));
    }
  };

  const health: Sample[] = [];
  const healthPoller = async () => {
    while (!stop) {
      await timed("read", health, () => fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) }));
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const load1Before = load1();
  const rss = watchRss(options.server.pid!);
  const workers = [...Array.from({ length: options.readers }, reader), ...Array.from({ length: options.writers }, writer), healthPoller()];
  const warmup = 5_000;
  const settle = 10_000;
  await new Promise((r) => setTimeout(r, warmup));
  const cutAt = performance.now();
  await proxy.cut(mode);
  await new Promise((r) => setTimeout(r, options.outageSeconds * 1000));
  await proxy.mend();
  const mendAt = performance.now();
  await new Promise((r) => setTimeout(r, settle));
  stop = true;
  await Promise.all(workers);
  const rssPeakMb = rss.stop();

  const before = samples.filter((s) => s.end < cutAt);
  const during = samples.filter((s) => s.start >= cutAt && s.end <= mendAt);
  const atCut = samples.filter((s) => s.start < cutAt && s.end >= cutAt);
  const atReturn = samples.filter((s) => s.start < mendAt && s.end > mendAt);
  const after = samples.filter((s) => s.start >= mendAt);
  const firstBack = (list: Sample[]) => {
    const first = list.filter((s) => s.end > mendAt && s.status === 200).sort((a, b) => a.end - b.end)[0];
    return first ? Math.round(first.end - mendAt) : null;
  };

  const present = await sql<{ title: string }>`select title from incidents where title like ${`${runId} %`}`.execute(db);
  const stored = new Set(present.rows.map((r) => r.title));
  return {
    mode,
    outageSeconds: options.outageSeconds,
    readers: options.readers,
    writers: options.writers,
    before: tally(before),
    during: tally(during),
    duringWithoutRetryAfter: during.filter((s) => s.status === 503 && !s.retryAfter).length,
    atCut: tally(atCut),
    atReturn: tally(atReturn),
    after: tally(after),
    healthzBackMs: firstBack(health),
    pageBackMs: firstBack(samples.filter((s) => s.kind === "read")),
    writesAcknowledged: acknowledged.size,
    writesLost: [...acknowledged].filter((t) => !stored.has(t)).length,
    writesPresentNotAcknowledged: [...stored].filter((t) => !acknowledged.has(t)).length,
    rssPeakMb,
    load1Before,
    load1After: load1(),
  };
}
