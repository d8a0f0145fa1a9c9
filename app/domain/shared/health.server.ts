import { sql } from "kysely";
import { lastConnectionFailureAt, type Db } from "#db/connection";

/** A probe not answered in this time counts as unreachable, so a health check never hangs. */
export const PROBE_TIMEOUT_MS = 2000;
/** How long a probe's answer stands for the callers after it. */
const REUSE_MS = 250;

type ProbeState = { pending: Promise<boolean> | null; last: { at: number; ok: boolean } | null };
const probes = new WeakMap<Db, ProbeState>();

async function probe(db: Db): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
  });
  const answer = sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether the database answers `select 1` within 2 s. Callers at the same moment share one probe,
 * and its answer stands for 250 ms, so 200 health checks at once are one query, not 200 queued
 * behind the page loads (PGlite has one connection). `afterFailure`: the caller just saw a query
 * fail, so an earlier "reachable" doesn't count; an earlier "unreachable", or a probe under way, does.
 */
export function databaseIsReachable(db: Db, options: { afterFailure?: boolean } = {}): Promise<boolean> {
  let state = probes.get(db);
  if (!state) probes.set(db, (state = { pending: null, last: null }));
  const last = state.last;
  if (last && performance.now() - last.at < REUSE_MS && (!last.ok || !options.afterFailure)) return Promise.resolve(last.ok);
  const current = state;
  current.pending ??= probe(db).then((ok) => {
    current.last = { at: performance.now(), ok };
    current.pending = null;
    return ok;
  });
  return current.pending;
}

/**
 * What the latest probe found, if it finished less than `maxAgeMs` ago, without waiting; null
 * when there is no such answer (then ask `databaseIsReachable`). Past the 250 ms reuse window it
 * starts a fresh probe for the callers after it. For health checks, which must answer at once
 * even while the embedded database is busy with pages (docs/decisions/0021).
 */
export function recentReachability(db: Db, maxAgeMs = PROBE_TIMEOUT_MS): boolean | null {
  const last = probes.get(db)?.last;
  // A connection that failed after the latest probe makes its "reachable" no answer: probe again.
  const stale = Boolean(last?.ok) && lastConnectionFailureAt() > (last?.at ?? 0);
  if (!last || stale || performance.now() - last.at >= REUSE_MS) void databaseIsReachable(db, { afterFailure: stale });
  return last && !stale && performance.now() - last.at < maxAgeMs ? last.ok : null;
}
