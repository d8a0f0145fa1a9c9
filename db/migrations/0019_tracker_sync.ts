import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Guardrail actions kept in step with the team's issue tracker (issue 19, docs/decisions/0028):
 *
 * - `tracker_connections`: per workspace, a GitHub repository, a Jira Cloud project or a Linear
 *   team, with its API token and its webhook secret sealed at rest (ADR 0017), the per-connection
 *   mapping of tier and severity to labels and priority, who the token acts as (so Hindsight's own
 *   changes are recognised when the tracker echoes them) and the last "test connection" answer.
 * - `tracker_links`: one tracker issue per action, its key and URL, the state as last
 *   applied and the time of the event that said so (facts apply by event time, never backwards),
 *   the state Hindsight itself last pushed (loop prevention), and the last sync and error.
 * - `tracker_ops`: every outbound call (create, comment, reopen) as a row, done by a pg-boss job that
 *   retries with backoff; the row keeps its attempts and last error, so nothing is lost or hidden.
 * - `tracker_deliveries`: each inbound delivery once per connection (idempotency, as ADR 0007).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table tracker_connections (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        vendor text not null check (vendor in ('github', 'jira', 'linear')),
        name text not null,
        api_url text not null,
        target text not null,
        issue_type text,
        account_email text,
        token text not null,
        token_hint text not null,
        webhook_secret text not null,
        webhook_hint text not null,
        mapping jsonb not null default '{}',
        bot_identity text,
        tested_at timestamptz,
        test_ok boolean,
        test_message text,
        created_by uuid not null references users (id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
    `create unique index tracker_connections_target_idx on tracker_connections (workspace_id, vendor, lower(api_url), lower(target))`,
    `create table tracker_links (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        action_id uuid not null unique references guardrail_actions (id) on delete cascade,
        connection_id uuid not null references tracker_connections (id) on delete cascade,
        external_id text,
        external_key text,
        url text,
        remote_state text not null default 'pending' check (remote_state in ('pending', 'open', 'closed')),
        remote_state_at timestamptz,
        remote_assignee text,
        remote_assignee_at timestamptz,
        pushed_state text check (pushed_state in ('open', 'closed')),
        pushed_at timestamptz,
        last_synced_at timestamptz,
        last_error text,
        last_error_at timestamptz,
        created_by uuid references users (id),
        created_at timestamptz not null default now()
      )`,
    `create unique index tracker_links_external_idx on tracker_links (connection_id, external_id) where external_id is not null`,
    `create index tracker_links_workspace_idx on tracker_links (workspace_id)`,
    `create table tracker_ops (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        link_id uuid not null references tracker_links (id) on delete cascade,
        kind text not null check (kind in ('create', 'comment', 'reopen')),
        body text not null default '',
        status text not null default 'pending' check (status in ('pending', 'done', 'failed')),
        attempts integer not null default 0,
        last_error text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        done_at timestamptz
      )`,
    `create index tracker_ops_link_idx on tracker_ops (link_id, created_at)`,
    `create table tracker_deliveries (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        connection_id uuid not null references tracker_connections (id) on delete cascade,
        delivery_id text not null,
        event text not null,
        received_at timestamptz not null default now(),
        outcome text not null default 'ignored' check (outcome in ('applied', 'ignored')),
        summary text not null default '',
        unique (connection_id, delivery_id)
      )`,
  ]);
}
