import type { Kysely } from "kysely";
import { runStatements } from "./statements";

/**
 * Incidents with per-workspace numbers (INC-n), their affected areas and timeline.
 * workspace_counters hands out gapless numbers: the increment happens in the creating
 * transaction, so a rollback gives the number back and concurrent creators queue on the row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table workspace_counters (
        workspace_id uuid not null references workspaces (id) on delete cascade,
        kind text not null,
        last_number integer not null,
        primary key (workspace_id, kind)
      )`,
    `create table incidents (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspaces (id) on delete cascade,
        number integer not null,
        title text not null,
        severity text not null check (severity in ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
        status text not null check (status in ('investigating', 'identified', 'monitoring', 'resolved')),
        tier text not null check (tier in ('T0', 'T1', 'T2', 'T3')),
        impact text not null default '',
        started_at timestamptz not null,
        detected_at timestamptz,
        mitigated_at timestamptz,
        resolved_at timestamptz,
        created_by uuid not null references users (id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        version integer not null default 1,
        unique (workspace_id, number)
      )`,
    // The list's default order and keyset pagination: newest first, number breaks ties.
    `create index incidents_workspace_started_idx on incidents (workspace_id, started_at desc, number desc)`,
    `create table incident_areas (
        incident_id uuid not null references incidents (id) on delete cascade,
        area_id uuid not null references areas (id) on delete cascade,
        primary key (incident_id, area_id)
      )`,
    `create index incident_areas_area_idx on incident_areas (area_id)`,
    `create table timeline_events (
        id uuid primary key default gen_random_uuid(),
        incident_id uuid not null references incidents (id) on delete cascade,
        occurred_at timestamptz not null,
        kind text not null check (kind in ('trigger', 'detection', 'escalation', 'action', 'communication', 'mitigation', 'resolution', 'note')),
        text text not null,
        created_by uuid not null references users (id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
    `create index timeline_events_incident_idx on timeline_events (incident_id, occurred_at)`,
  ]);
}
