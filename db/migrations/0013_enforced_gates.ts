import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Enforced means required (issue 13, docs/decisions/0023-enforced-means-required.md): a gate is
 * enforced only when GitHub requires its check to merge into the default branch and the check
 * has been seen passing there.
 *
 * - `requirement_facts`: what each branch_protection_rule / repository_ruleset delivery (or a
 *   "Check now" answer) said about one rule of one repository, kept as history. The gate's state
 *   is worked out from the newest fact per rule by the time the event happened, never by arrival.
 * - `check_observations`: whether a check was seen passing or failing on a commit (any branch),
 *   for bypass detection on merged pull requests. Only ever widened (passed/failed are ORed).
 * - `gate_bypasses`: a merged pull request whose required check failed or never passed.
 * - `github_settings`: per workspace, tier-label patterns, model-assistance tools, days until a
 *   required gate not seen passing is stale, and the GitHub token for "Check now" (sealed, ADR 0017).
 * - gates: the evidence state, why, and the delivery that proved it; when first seen passing.
 * - guardrail_actions: why a gate's drift sent an action back, and whether its owner was told.
 * - pull_requests: who set tier and "assisted" (a person's choice wins over a webhook's guess),
 *   and the head commit and base branch a merge was made from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table requirement_facts (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        repository text not null,
        default_branch text not null,
        source text not null check (source in ('branch_protection', 'ruleset', 'api_protection', 'api_rules')),
        rule_key text not null,
        rule_name text not null default '',
        include_patterns jsonb not null default '[]',
        exclude_patterns jsonb not null default '[]',
        required_checks jsonb not null default '[]',
        enforcement text not null check (enforcement in ('off', 'non_admins', 'everyone')),
        required_approvals integer not null default 0,
        code_owner_review boolean not null default false,
        admins_included boolean not null default false,
        removed boolean not null default false,
        occurred_at timestamptz not null,
        recorded_at timestamptz not null default now(),
        delivery_id text not null,
        event text not null,
        unique (workspace_id, source, rule_key, delivery_id)
      )`,
    `create index requirement_facts_repository_idx on requirement_facts (workspace_id, repository, occurred_at)`,
    `create table check_observations (
        workspace_id uuid not null references workspaces (id) on delete cascade,
        repository text not null,
        head_sha text not null,
        check_name text not null,
        passed boolean not null default false,
        failed boolean not null default false,
        last_url text,
        updated_at timestamptz not null default now(),
        primary key (workspace_id, repository, head_sha, check_name)
      )`,
    `create table gate_bypasses (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        gate_id uuid not null references gates (id) on delete cascade,
        pull_request_id uuid not null references pull_requests (id) on delete cascade,
        head_sha text not null,
        base_branch text not null,
        finding text not null check (finding in ('failed', 'never_passed')),
        merged_at timestamptz not null,
        merged_by text not null default '',
        delivery_id text not null,
        recorded_at timestamptz not null default now(),
        unique (gate_id, pull_request_id)
      )`,
    `create index gate_bypasses_workspace_idx on gate_bypasses (workspace_id, merged_at desc)`,
    `create table github_settings (
        workspace_id uuid primary key references workspaces (id) on delete cascade,
        tier_label_patterns jsonb not null default '["tier:{tier}", "tier/{tier}", "risk:{tier}"]',
        assist_tools jsonb not null default '["Copilot", "Claude", "Cursor", "Codex", "Gemini"]',
        stale_after_days integer not null default 14 check (stale_after_days between 1 and 365),
        api_token text,
        token_hint text,
        updated_by uuid references users (id),
        updated_at timestamptz not null default now()
      )`,
    `alter table gates add column state text not null default 'proposed'
        check (state in ('proposed', 'required_not_seen', 'seen_not_required', 'enforced', 'stale', 'regressed'))`,
    `alter table gates add column state_reason text not null default ''`,
    `alter table gates add column state_delivery_id text`,
    `alter table gates add column state_changed_at timestamptz`,
    `alter table gates add column first_seen_at timestamptz`,
    `alter table gates add column last_seen_delivery_id text`,
    `alter table guardrail_actions add column drift_reason text`,
    `alter table guardrail_actions add column drifted_at timestamptz`,
    `alter table guardrail_actions add column drift_notified_at timestamptz`,
    `alter table pull_requests add column tier_source text check (tier_source in ('person', 'webhook'))`,
    `alter table pull_requests add column assisted_source text check (assisted_source in ('person', 'webhook'))`,
    `alter table pull_requests add column head_sha text`,
    `alter table pull_requests add column base_branch text`,
    // Tier and "assisted" set before this migration came from people (the link form).
    `update pull_requests set tier_source = 'person' where tier is not null`,
    `update pull_requests set assisted_source = 'person' where assisted <> 'unknown'`,
    // Gates already seen: their first sighting is the one known.
    `update gates set first_seen_at = last_seen_at where last_seen_at is not null`,
    `update gates set state = 'seen_not_required', state_reason = 'Seen passing on the default branch; no branch protection or ruleset is known to require it.' where last_seen_at is not null`,
  ]);
}
