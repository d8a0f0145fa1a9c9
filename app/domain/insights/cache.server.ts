/**
 * The insights report, kept for a minute per (workspace, filters, day) while nothing in the
 * workspace changed (docs/decisions/0026). Every change a person or an integration makes writes
 * an audit event in its own transaction, so the newest audit event of the workspace is a version
 * stamp: a request first reads it (one index lookup), and a report computed before a newer event
 * is computed again. A report also expires after a minute, which bounds what only time changes
 * (postmortems becoming 7 or 30 days late) and the rare race of two transactions started in one
 * order and committed in the other. Per process: each process of a cluster checks the stamp itself.
 */
import { sql } from "kysely";
import type { Db } from "#db/connection";
import { isoDay, type InsightsFilters } from "./rules";

const TTL_MS = 60_000;
const MAX_ENTRIES = 200;

type Entry<T> = { version: string; at: number; value: T };
const entries = new Map<string, Entry<unknown>>();

/** Whether reports are kept (HINDSIGHT_INSIGHTS_CACHE=off turns it off, e.g. to measure the queries). */
export function insightsCacheEnabled(): boolean {
  return process.env.HINDSIGHT_INSIGHTS_CACHE !== "off";
}

async function workspaceVersion(db: Db, workspaceId: string): Promise<string> {
  const { rows } = await sql<{ at: Date | null }>`select max(at) as at from audit_events where workspace_id = ${workspaceId}`.execute(db);
  const at = rows[0]?.at;
  return at ? new Date(at).toISOString() : "none";
}

/**
 * The report for these filters, from the cache when nothing changed since it was computed.
 * `hit` says which, for the page's Server-Timing.
 */
export async function cachedReport<T>(db: Db, workspaceId: string, filters: InsightsFilters, now: Date, compute: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
  if (!insightsCacheEnabled()) return { value: await compute(), hit: false };
  // The stamp is read before the report, so a change landing meanwhile only makes the next request compute again.
  const version = await workspaceVersion(db, workspaceId);
  const key = JSON.stringify([workspaceId, isoDay(now), filters]);
  const entry = entries.get(key) as Entry<T> | undefined;
  if (entry && entry.version === version && now.getTime() - entry.at < TTL_MS) return { value: entry.value, hit: true };
  const value = await compute();
  entries.delete(key);
  entries.set(key, { version, at: now.getTime(), value });
  // Oldest first in a Map: drop the oldest beyond the bound.
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return { value, hit: false };
}

/** For tests: forget every kept report. */
export function clearInsightsCache(): void {
  entries.clear();
}
