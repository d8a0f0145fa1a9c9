/**
 * Background work runs on pg-boss, a Postgres-backed queue, over the app's own database handle
 * (PGlite included): jobs survive restarts, retry with backoff, end in a dead-letter queue, and
 * a cron schedule fires once across all app processes. Its tables live in their own schema,
 * `pgboss`, which pg-boss creates and migrates itself. See ADR 0016.
 *
 * A job is enqueued inside the caller's transaction (`enqueue(trx, …)`), so it exists exactly
 * when the change that asked for it is committed.
 */
import PgBoss from "pg-boss";
import type { Kysely } from "kysely";
import { rawSql, type Db } from "./connection";
import type { Database } from "./schema";

/** Every job there is, with what it carries. */
export type Jobs = {
  /** Today's overdue-guardrail digests, for every workspace (cron). */
  "digests.daily": Record<string, never>;
  /** Today's digests for one workspace, asked for by an admin in Settings → Reminders. */
  "digests.send-now": { workspaceId: string; requestedBy: string };
  /** Forget webhook deliveries past the retention period (cron). */
  "webhooks.prune-deliveries": Record<string, never>;
  /** Remove staged decision imports nobody finished (cron). */
  "imports.remove-expired": Record<string, never>;
  /** Required gates not seen passing for N days go stale, and their actions back to work (cron, before the digests). */
  "gates.sweep-stale": Record<string, never>;
  /** Mail owed to people who want it as it happens (review requests), within a minute (cron). */
  "notifications.send": Record<string, never>;
  /** An invite's link, to the address it was created for; the link is sealed (it holds the invite's token). */
  "invites.send": { inviteId: string; email: string; sealedLink: string };
  /** One outbound tracker call (create an issue, comment, reopen): docs/decisions/0028. */
  "trackers.push": { opId: string };
};
export type JobName = keyof Jobs;
const JOB_NAMES = ["digests.daily", "digests.send-now", "webhooks.prune-deliveries", "imports.remove-expired", "gates.sweep-stale", "notifications.send", "invites.send", "trackers.push"] as const satisfies readonly JobName[];
const DEAD_LETTERS = "dead-letters";

export const QUEUE_SCHEMA = "pgboss";

type Started = { db: Db; boss: PgBoss };
const globalQueue = globalThis as typeof globalThis & { __hindsightQueue?: Promise<Started> };

/**
 * The process's queue over its database, started once (schema created or migrated, queues
 * declared). `worker: false` only sends: no polling, no cron, no maintenance.
 */
export function openQueue(db: Db, options: { worker: boolean } = { worker: true }): Promise<PgBoss> {
  globalQueue.__hindsightQueue ??= (async () => {
    const boss = new PgBoss({
      db: { executeSql: rawSql(db) },
      schema: QUEUE_SCHEMA,
      supervise: options.worker,
      schedule: options.worker,
      migrate: true,
    });
    boss.on("error", (error) => console.error(JSON.stringify({ level: "error", msg: "job queue error", error: error.message })));
    await boss.start();
    await boss.createQueue(DEAD_LETTERS, { name: DEAD_LETTERS, retentionMinutes: 60 * 24 * 30 });
    for (const name of JOB_NAMES) {
      await boss.createQueue(name, { name, retryLimit: 5, retryDelay: 30, retryBackoff: true, deadLetter: DEAD_LETTERS });
    }
    return { db, boss };
  })();
  return globalQueue.__hindsightQueue.then((started) => {
    if (started.db !== db) throw new Error("The job queue is already open over another database handle.");
    return started.boss;
  });
}

export async function closeQueue(options: { graceful: boolean; timeoutMs: number } = { graceful: true, timeoutMs: 10_000 }): Promise<void> {
  const started = globalQueue.__hindsightQueue;
  globalQueue.__hindsightQueue = undefined;
  if (!started) return;
  const { boss } = await started;
  await boss.stop({ graceful: options.graceful, wait: true, close: false, timeout: options.timeoutMs });
}

function startedQueue(): Promise<PgBoss> {
  const started = globalQueue.__hindsightQueue;
  if (!started) throw new Error("The job queue is not open: call openQueue(db) at start.");
  return started.then((s) => s.boss);
}

/** Adds a job inside the given transaction (or straight away, given the database). */
export async function enqueue<N extends JobName>(executor: Kysely<Database>, name: N, data: Jobs[N], options: { singletonKey?: string } = {}): Promise<string | null> {
  const boss = await startedQueue();
  return boss.send(name, data, { ...options, db: { executeSql: rawSql(executor) } });
}

export type { PgBoss };
