import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Review routing, the inbox's mail, approvals per version, tier rules (issue 17, points 4, 5, 12;
 * docs/decisions/0024):
 *
 * - `review_requests`: who was asked to review which postmortem, per review round (one row per
 *   reviewer); `notified_at` is set when the request is mailed (or nothing was to be mailed).
 * - `postmortem_reviews.postmortem_version`: the version a verdict was given on (existing verdicts
 *   take their postmortem's current version, so nothing approved today stops counting);
 *   `reviewed_text`: for approvals, the title and text as approved, to measure a later change.
 * - `tiers.approval`: who must approve before publishing: `other` (someone other than the author,
 *   the rule so far), `self` (the author's own approval counts) or `none`; only T0 and T1 may relax it.
 * - `workspaces.approval_tolerance`: how many characters (inserted plus removed, in the title and
 *   text) may change after an approval before it must be renewed; 0 (the default) is strict.
 * - `notification_settings`: per user, which kinds of mail they get and whether immediately or as
 *   a daily digest; no row means everything, immediately.
 * - `notifications`: mail owed to a person (review requests), sent by the `notifications.send` job
 *   or the daily digest; `sent_at` once sent, `skipped` when the person turned the kind off.
 * - `invites.email`: the address an invite was mailed to, if any.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table review_requests (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        postmortem_id uuid not null references postmortems (id) on delete cascade,
        reviewer_id uuid not null references users (id) on delete cascade,
        requested_by uuid not null references users (id),
        review_round integer not null,
        requested_at timestamptz not null default now(),
        unique (postmortem_id, review_round, reviewer_id)
      )`,
    `create index review_requests_reviewer_idx on review_requests (workspace_id, reviewer_id)`,
    `alter table postmortem_reviews add column postmortem_version integer`,
    `update postmortem_reviews r set postmortem_version = p.version from postmortems p where p.id = r.postmortem_id`,
    `alter table postmortem_reviews alter column postmortem_version set not null`,
    `alter table postmortem_reviews add column reviewed_text text`,
    `alter table tiers add column approval text not null default 'other' check (approval in ('other', 'self', 'none'))`,
    `alter table tiers add constraint tiers_approval_relaxed_low_only check (approval = 'other' or key in ('T0', 'T1'))`,
    `alter table workspaces add column approval_tolerance integer not null default 0 check (approval_tolerance between 0 and 1000)`,
    `create table notification_settings (
        user_id uuid primary key references users (id) on delete cascade,
        review_requests boolean not null default true,
        actions_due boolean not null default true,
        actions_regressed boolean not null default true,
        delivery text not null default 'immediate' check (delivery in ('immediate', 'daily')),
        updated_at timestamptz not null default now()
      )`,
    `create table notifications (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        user_id uuid not null references users (id) on delete cascade,
        kind text not null check (kind in ('review_requested')),
        subject text not null,
        body text not null,
        link text not null,
        created_at timestamptz not null default now(),
        sent_at timestamptz,
        skipped boolean not null default false
      )`,
    `create index notifications_unsent_idx on notifications (created_at) where sent_at is null and not skipped`,
    `alter table invites add column email text`,
  ]);
}
