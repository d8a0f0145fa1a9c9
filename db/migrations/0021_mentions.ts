import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Mentions (issue 17, point 4; docs/decisions/0024): "@Name" of a workspace member in a
 * postmortem's or a decision record's text. One row per record and person mentioned, written the
 * first time the mention is saved (a later save that still holds it adds nothing); `seen_at` is
 * set when that person opens the record's page. One owner column per kind (exactly one set), so
 * mentions leave with their record, as document_states do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table mentions (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        postmortem_id uuid references postmortems (id) on delete cascade,
        decision_id uuid references decision_records (id) on delete cascade,
        user_id uuid not null references users (id) on delete cascade,
        mentioned_by uuid not null references users (id),
        created_at timestamptz not null default now(),
        seen_at timestamptz,
        check ((postmortem_id is null) <> (decision_id is null)),
        unique (postmortem_id, user_id),
        unique (decision_id, user_id)
      )`,
    `create index mentions_unseen_idx on mentions (workspace_id, user_id) where seen_at is null`,
  ]);
}
