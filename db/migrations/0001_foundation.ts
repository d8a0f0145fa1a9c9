import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Accounts, sessions, workspaces, memberships, invites, the tier and area catalog, and the
 * append-only audit log. Plain SQL so the same text runs on Postgres 15+ and PGlite (Postgres 17).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table users (
        id uuid primary key default gen_random_uuid(),
        email text not null,
        display_name text not null,
        password_hash text not null,
        created_at timestamptz not null default now(),
        constraint users_email_lowercase check (email = lower(email))
      )`,
    `create unique index users_email_key on users (email)`,
    `create table sessions (
        id text primary key,
        user_id uuid not null references users (id) on delete cascade,
        expires_at timestamptz not null,
        created_at timestamptz not null default now()
      )`,
    `create index sessions_user_id_idx on sessions (user_id)`,
    `create table login_throttle (
        key text primary key,
        failures integer not null,
        window_started_at timestamptz not null
      )`,
    `create table workspaces (
        id uuid primary key default gen_random_uuid(),
        slug text not null unique,
        name text not null,
        created_at timestamptz not null default now()
      )`,
    `create table memberships (
        workspace_id uuid not null references workspaces (id) on delete cascade,
        user_id uuid not null references users (id) on delete cascade,
        role text not null check (role in ('viewer', 'editor', 'admin')),
        created_at timestamptz not null default now(),
        primary key (workspace_id, user_id)
      )`,
    `create index memberships_user_id_idx on memberships (user_id)`,
    `create table invites (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        token_hash text not null unique,
        role text not null check (role in ('viewer', 'editor', 'admin')),
        created_by uuid not null references users (id),
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        accepted_by uuid references users (id),
        accepted_at timestamptz,
        revoked_at timestamptz
      )`,
    `create index invites_workspace_id_idx on invites (workspace_id)`,
    `create table tiers (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        key text not null check (key in ('T0', 'T1', 'T2', 'T3')),
        name text not null,
        summary text not null default '',
        typical_changes jsonb not null default '[]',
        required_checks jsonb not null default '[]',
        release_controls jsonb not null default '[]',
        unique (workspace_id, key)
      )`,
    `create table areas (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        slug text not null,
        name text not null,
        description text not null default '',
        default_tier text not null check (default_tier in ('T0', 'T1', 'T2', 'T3')),
        created_at timestamptz not null default now(),
        unique (workspace_id, slug)
      )`,
    `create table area_maintainers (
        area_id uuid not null references areas (id) on delete cascade,
        user_id uuid not null references users (id) on delete cascade,
        primary key (area_id, user_id)
      )`,
    `create table audit_events (
        id bigint generated always as identity primary key,
        workspace_id uuid references workspaces (id),
        actor_id uuid references users (id),
        action text not null,
        entity_type text not null,
        entity_id text not null,
        at timestamptz not null default now(),
        change jsonb not null default '{}'
      )`,
    `create index audit_events_workspace_at_idx on audit_events (workspace_id, at desc)`,
    `-- Append-only: the audit log is evidence, so the database itself refuses edits.
      create function audit_events_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_events is append-only';
      end;
      $$`,
    `create trigger audit_events_no_update before update or delete on audit_events
        for each statement execute function audit_events_append_only()`,
  ]);
}
