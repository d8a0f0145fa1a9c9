import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Live co-editing (issue 15, docs/decisions/0029): the Yjs state of a postmortem's or a decision
 * record's text, as Yjs encodes it (binary). A record has no row until someone first opens it in
 * the live editor; that first opening converts its stored body, once, under the record's lock.
 * Title, body, body_text, version and revisions stay where they are and are derived from this
 * state on each store, so everything that reads them keeps working.
 *
 * One table for both kinds, with one owner column each (exactly one set): the states leave with
 * their record, and pages that read a record never load the state.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table document_states (
        id uuid primary key default gen_random_uuid(),
        postmortem_id uuid unique references postmortems (id) on delete cascade,
        decision_id uuid unique references decision_records (id) on delete cascade,
        state bytea not null,
        updated_at timestamptz not null default now(),
        check ((postmortem_id is null) <> (decision_id is null))
      )`,
  ]);
}
