import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Mentions are mailed (issue 17, point 4; docs/decisions/0024):
 *
 * - `notification_settings.mentions`: whether the person gets mail when someone mentions them in a
 *   postmortem or a decision record; on by default, so people who saved their settings before
 *   this migration get it too, as they get every other kind.
 * - `notifications.kind` may be `mentioned` (written by the save that first holds the mention).
 *   0015's check was unnamed, so it has Postgres's default name.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `alter table notification_settings add column mentions boolean not null default true`,
    `alter table notifications drop constraint notifications_kind_check`,
    `alter table notifications add constraint notifications_kind_check check (kind in ('review_requested', 'mentioned'))`,
  ]);
}
