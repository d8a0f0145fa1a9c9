import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * The guardrail loop: gates (guardrails that live as code), pull requests linked to incidents,
 * contributing factors of a postmortem, and guardrail actions (ACT-n) that are verified only
 * with evidence that their gate runs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table gates (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        name text not null,
        kind text not null check (kind in ('ci_check', 'branch_protection', 'codeowners', 'lint_rule', 'sast', 'test_suite', 'alert', 'runbook')),
        repository text not null default '',
        check_name text not null default '',
        tiers jsonb not null default '[]',
        status text not null default 'proposed' check (status in ('proposed', 'enforced', 'retired')),
        description text not null default '',
        last_seen_at timestamptz,
        last_seen_url text,
        created_by uuid not null references users (id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        version integer not null default 1
      )`,
    // A CI check is identified by repository and check name: webhooks find the gate by them.
    `create unique index gates_check_key on gates (workspace_id, lower(repository), check_name) where check_name <> ''`,
    `create table pull_requests (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        repository text not null,
        number integer not null,
        url text not null,
        title text not null default '',
        author text not null default '',
        state text not null default 'unknown' check (state in ('open', 'closed', 'merged', 'unknown')),
        merged_at timestamptz,
        tier text check (tier in ('T0', 'T1', 'T2', 'T3')),
        assisted text not null default 'unknown' check (assisted in ('yes', 'no', 'unknown')),
        created_at timestamptz not null default now(),
        unique (workspace_id, repository, number)
      )`,
    `create table incident_pull_requests (
        incident_id uuid not null references incidents (id) on delete cascade,
        pull_request_id uuid not null references pull_requests (id) on delete cascade,
        role text not null check (role in ('trigger', 'fix', 'related')),
        primary key (incident_id, pull_request_id)
      )`,
    `create table contributing_factors (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        postmortem_id uuid not null references postmortems (id) on delete cascade,
        text text not null,
        category text not null check (category in ('review_gap', 'missing_test', 'missing_gate', 'gate_bypassed', 'tier_misclassified', 'dependency_risk', 'assisted_change_unverified', 'observability_gap', 'rollback_gap', 'runbook_gap', 'other')),
        tier text not null check (tier in ('T0', 'T1', 'T2', 'T3')),
        no_action_reason text,
        created_by uuid not null references users (id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
    `create index contributing_factors_postmortem_idx on contributing_factors (postmortem_id, created_at)`,
    `create index contributing_factors_category_idx on contributing_factors (workspace_id, category)`,
    `create table factor_gates (
        factor_id uuid not null references contributing_factors (id) on delete cascade,
        gate_id uuid not null references gates (id) on delete cascade,
        involvement text not null check (involvement in ('missing', 'failed_to_catch', 'bypassed')),
        primary key (factor_id, gate_id)
      )`,
    `create index factor_gates_gate_idx on factor_gates (gate_id)`,
    `create table factor_pull_requests (
        factor_id uuid not null references contributing_factors (id) on delete cascade,
        pull_request_id uuid not null references pull_requests (id) on delete cascade,
        primary key (factor_id, pull_request_id)
      )`,
    `create table guardrail_actions (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        number integer not null,
        factor_id uuid not null references contributing_factors (id) on delete cascade,
        title text not null,
        kind text not null check (kind in ('new_gate', 'sharpen_gate', 'better_test', 'narrower_permission', 'tier_rule', 'alert', 'runbook', 'other')),
        owner_id uuid references users (id),
        due_on date,
        status text not null default 'open' check (status in ('open', 'in_progress', 'done', 'verified', 'wont_do')),
        wont_do_reason text,
        gate_id uuid references gates (id) on delete set null,
        implementing_pr_id uuid references pull_requests (id) on delete set null,
        evidence_url text,
        evidence_note text,
        verified_by uuid references users (id),
        verified_at timestamptz,
        done_at timestamptz,
        created_by uuid not null references users (id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        version integer not null default 1,
        unique (workspace_id, number),
        constraint verified_needs_evidence check (status <> 'verified' or evidence_url is not null or evidence_note is not null),
        constraint wont_do_needs_reason check (status <> 'wont_do' or wont_do_reason is not null)
      )`,
    `create index guardrail_actions_board_idx on guardrail_actions (workspace_id, status, due_on)`,
    `create index guardrail_actions_factor_idx on guardrail_actions (factor_id)`,
    `create index guardrail_actions_gate_idx on guardrail_actions (gate_id)`,
    `create index guardrail_actions_owner_idx on guardrail_actions (owner_id)`,
  ]);
}
