import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Decision records (ADR-n, RFC-n), their revision history, typed links, and staged imports.
 *
 * - `version` is the optimistic-concurrency counter of title and body (autosave, like
 *   postmortems); `meta_version` guards the details form (status, deciders, date, tags), so
 *   a tag edit never turns into an autosave conflict for someone writing the body.
 * - `prior_status` is what a record was before a supersede link made it "superseded"; removing
 *   the last such link puts it back.
 * - `front_matter` keeps imported front-matter fields the app does not model (MADR's
 *   "consulted", "informed", anything a team added) so an export writes them back.
 * - `decision_links` is generic on purpose (docs/decisions/0005-generic-decision-links.md):
 *   target_type + target_id text, no foreign key to the target, so incidents and pull requests
 *   work now and gates and guardrail actions need no migration when they arrive. Links between
 *   two records are stored as two rows (supersedes + superseded_by), written in one transaction.
 * - `decision_import_batches` holds an uploaded folder or zip between preview and import.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table decision_records (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        kind text not null check (kind in ('adr', 'rfc')),
        number integer not null check (number > 0),
        title text not null,
        status text not null default 'proposed' check (status in ('proposed', 'accepted', 'rejected', 'deprecated', 'superseded')),
        prior_status text check (prior_status in ('proposed', 'accepted', 'rejected', 'deprecated')),
        deciders jsonb not null default '[]',
        decided_on date,
        tags jsonb not null default '[]',
        template text not null,
        body jsonb not null,
        body_text text not null default '',
        front_matter jsonb not null default '{}',
        source_path text,
        version integer not null default 1,
        meta_version integer not null default 1,
        created_by uuid not null references users (id),
        created_at timestamptz not null default now(),
        updated_by uuid not null references users (id),
        updated_at timestamptz not null default now(),
        unique (workspace_id, kind, number)
      )`,
    `create index decision_records_decided_idx on decision_records (workspace_id, decided_on desc)`,
    `create index decision_records_tags_idx on decision_records using gin (tags)`,
    `create table decision_revisions (
        id uuid primary key default gen_random_uuid(),
        decision_id uuid not null references decision_records (id) on delete cascade,
        version integer not null,
        title text not null,
        body jsonb not null,
        author_id uuid not null references users (id),
        saved_at timestamptz not null default now(),
        restored_from integer,
        unique (decision_id, version)
      )`,
    `create table decision_links (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        decision_id uuid not null references decision_records (id) on delete cascade,
        kind text not null check (kind in ('supersedes', 'superseded_by', 'amends', 'amended_by', 'informed_by', 'implements', 'pull_request')),
        target_type text not null check (target_type in ('decision', 'incident', 'action', 'gate', 'pull_request')),
        target_id text not null,
        target_ref text not null,
        url text,
        created_by uuid not null references users (id),
        created_at timestamptz not null default now(),
        unique (decision_id, kind, target_type, target_id)
      )`,
    // Backlinks: "which decisions cite INC-12", "what supersedes this record".
    `create index decision_links_target_idx on decision_links (workspace_id, target_type, target_id)`,
    `create table decision_import_batches (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        created_by uuid not null references users (id),
        created_at timestamptz not null default now(),
        source text not null,
        default_kind text not null check (default_kind in ('adr', 'rfc')),
        files jsonb not null,
        imported_at timestamptz,
        result jsonb
      )`,
    `create index decision_import_batches_idx on decision_import_batches (workspace_id, created_at)`,
  ]);
}
