import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Integrations: GitHub webhooks, incident ingest from PagerDuty and Alertmanager, API tokens and
 * overdue-guardrail reminders (docs/decisions/0007-webhooks-ingest-and-api-tokens.md).
 *
 * - `integration_secrets`: one row per workspace and source. GitHub and PagerDuty sign with HMAC,
 *   so `secret` is the key itself; Alertmanager sends a bearer token, so `secret` is its SHA-256.
 *   After a rotation the previous secret keeps working until `previous_valid_until`.
 * - `webhook_deliveries`: every authenticated delivery, once (unique delivery id per source),
 *   with what it changed. Refused requests are logged, never stored.
 * - `incident_external_keys`: the alerting side's key (PagerDuty incident id, Alertmanager
 *   groupKey) → the incident it created, with the state the source last reported.
 * - `api_tokens`: SHA-256 of the bearer token, never the token.
 * - `reminder_sends`: one digest per owner per workspace per day.
 * - The system user: incidents and timeline events need an author; ingested ones are written by
 *   this account, which has no password and no membership (audit events name no actor).
 */
export const SYSTEM_USER_ID = "00000000-0000-4000-8000-000000000001";

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `insert into users (id, email, display_name, password_hash)
        values ('${SYSTEM_USER_ID}', 'integrations@hindsight.invalid', 'Alerting integration', '!no-login')
        on conflict do nothing`,
    `create table integration_secrets (
        workspace_id uuid not null references workspaces (id) on delete cascade,
        source text not null check (source in ('github', 'pagerduty', 'alertmanager')),
        secret text not null,
        previous_secret text,
        previous_valid_until timestamptz,
        hint text not null,
        updated_by uuid not null references users (id),
        updated_at timestamptz not null default now(),
        primary key (workspace_id, source)
      )`,
    `create table webhook_deliveries (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        source text not null check (source in ('github', 'pagerduty', 'alertmanager')),
        delivery_id text not null,
        event text not null,
        received_at timestamptz not null default now(),
        outcome text not null default 'ignored' check (outcome in ('applied', 'ignored')),
        summary text not null default '',
        changes jsonb not null default '[]',
        unique (workspace_id, source, delivery_id)
      )`,
    `create index webhook_deliveries_recent_idx on webhook_deliveries (workspace_id, received_at desc)`,
    `create table incident_external_keys (
        workspace_id uuid not null references workspaces (id) on delete cascade,
        source text not null check (source in ('pagerduty', 'alertmanager')),
        external_key text not null,
        incident_id uuid not null references incidents (id) on delete cascade,
        state text not null check (state in ('triggered', 'acknowledged', 'resolved')),
        firing_count integer not null default 0,
        url text,
        updated_at timestamptz not null default now(),
        primary key (workspace_id, source, external_key)
      )`,
    `create index incident_external_keys_incident_idx on incident_external_keys (incident_id)`,
    `create table api_tokens (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        name text not null,
        token_hash text not null unique,
        prefix text not null,
        scope text not null check (scope in ('read', 'write')),
        created_by uuid not null references users (id),
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        revoked_by uuid references users (id)
      )`,
    `create index api_tokens_workspace_idx on api_tokens (workspace_id, created_at desc)`,
    `create table reminder_sends (
        workspace_id uuid not null references workspaces (id) on delete cascade,
        user_id uuid not null references users (id) on delete cascade,
        sent_on date not null,
        sent_at timestamptz not null default now(),
        action_numbers jsonb not null default '[]',
        primary key (workspace_id, user_id, sent_on)
      )`,
  ]);
}
