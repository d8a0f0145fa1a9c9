import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * A linked issue's current state, read from the tracker (issue 19, docs/decisions/0028): when a
 * person links an existing issue by its URL, and right after Hindsight created one, a `fetch` op
 * reads the issue (its state, its assignee, its last update) through the `trackers.push` job,
 * retried with backoff like the other outbound calls, and applies it by the same rules as a
 * webhook. `tracker_ops.kind` gains the value.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `alter table tracker_ops drop constraint tracker_ops_kind_check`,
    `alter table tracker_ops add constraint tracker_ops_kind_check check (kind in ('create', 'comment', 'reopen', 'fetch'))`,
  ]);
}
