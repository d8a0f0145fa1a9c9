import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Postmortems (one per incident), their revision history and reviews.
 * `version` is the optimistic-concurrency counter every save must name.
 * `review_round` starts at 1 when first submitted; reviews belong to a round, so a postmortem
 * sent back to draft and resubmitted needs fresh approvals.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table postmortems (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        incident_id uuid not null unique references incidents (id) on delete cascade,
        title text not null,
        status text not null default 'draft' check (status in ('draft', 'in_review', 'published')),
        template text not null,
        body jsonb not null,
        body_text text not null default '',
        version integer not null default 1,
        review_round integer not null default 0,
        created_by uuid not null references users (id),
        created_at timestamptz not null default now(),
        updated_by uuid not null references users (id),
        updated_at timestamptz not null default now(),
        published_at timestamptz,
        published_by uuid references users (id)
      )`,
    `create index postmortems_workspace_idx on postmortems (workspace_id, updated_at desc)`,
    `create table postmortem_revisions (
        id uuid primary key default gen_random_uuid(),
        postmortem_id uuid not null references postmortems (id) on delete cascade,
        version integer not null,
        title text not null,
        body jsonb not null,
        author_id uuid not null references users (id),
        saved_at timestamptz not null default now(),
        restored_from integer,
        unique (postmortem_id, version)
      )`,
    `create table postmortem_reviews (
        id uuid primary key default gen_random_uuid(),
        postmortem_id uuid not null references postmortems (id) on delete cascade,
        reviewer_id uuid not null references users (id),
        review_round integer not null,
        verdict text not null check (verdict in ('approve', 'request_changes', 'comment')),
        comment text not null default '',
        created_at timestamptz not null default now()
      )`,
    `create index postmortem_reviews_idx on postmortem_reviews (postmortem_id, review_round, created_at)`,
  ]);
}
