/**
 * The Kysely view of the database: one interface, every query's types derive from it.
 * Keep it in step with db/migrations (forward-only) and ../docs/domain.md.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** A timestamptz column: read as Date, written as Date or ISO string, defaulted by the database. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: written as a JSON string or a value, read as the value. */
type Json<T> = ColumnType<T, T | string, T | string>;

export type Role = "viewer" | "editor" | "admin";
export type TierKey = "T0" | "T1" | "T2" | "T3";

export interface UsersTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string;
  created_at: CreatedAt;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the token in the cookie; the token itself is never stored. */
  id: string;
  user_id: string;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

export interface LoginThrottleTable {
  /** "account:<email>" or "ip:<address>" */
  key: string;
  failures: number;
  window_started_at: Timestamp;
}

export interface WorkspacesTable {
  id: Generated<string>;
  slug: string;
  name: string;
  created_at: CreatedAt;
}

export interface MembershipsTable {
  workspace_id: string;
  user_id: string;
  role: Role;
  created_at: CreatedAt;
}

export interface InvitesTable {
  id: Generated<string>;
  workspace_id: string;
  /** SHA-256 (hex) of the token in the invite link. */
  token_hash: string;
  role: Role;
  created_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  accepted_by: string | null;
  accepted_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface TiersTable {
  id: Generated<string>;
  workspace_id: string;
  key: TierKey;
  name: string;
  summary: string;
  typical_changes: Json<string[]>;
  required_checks: Json<string[]>;
  release_controls: Json<string[]>;
}

export interface AreasTable {
  id: Generated<string>;
  workspace_id: string;
  slug: string;
  name: string;
  description: string;
  default_tier: TierKey;
  created_at: CreatedAt;
}

export interface AreaMaintainersTable {
  area_id: string;
  user_id: string;
}

export interface AuditEventsTable {
  id: Generated<string>;
  workspace_id: string | null;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  at: CreatedAt;
  change: Json<Record<string, unknown>>;
}

export type Severity = "SEV1" | "SEV2" | "SEV3" | "SEV4";
export type IncidentStatus = "investigating" | "identified" | "monitoring" | "resolved";
export type TimelineKind = "trigger" | "detection" | "escalation" | "action" | "communication" | "mitigation" | "resolution" | "note";

export interface WorkspaceCountersTable {
  workspace_id: string;
  /** "incident", "action", "adr", "rfc" */
  kind: string;
  last_number: number;
}

export interface IncidentsTable {
  id: Generated<string>;
  workspace_id: string;
  number: number;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  tier: TierKey;
  impact: ColumnType<string, string | undefined, string>;
  started_at: Timestamp;
  detected_at: NullableTimestamp;
  mitigated_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  created_by: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  version: ColumnType<number, number | undefined, number>;
}

export interface IncidentAreasTable {
  incident_id: string;
  area_id: string;
}

export interface TimelineEventsTable {
  id: Generated<string>;
  incident_id: string;
  occurred_at: Timestamp;
  kind: TimelineKind;
  text: string;
  created_by: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type PostmortemStatus = "draft" | "in_review" | "published";
export type ReviewVerdict = "approve" | "request_changes" | "comment";

/** A document as the editor stores it: ProseMirror's JSON, rooted at a "doc" node; validated before it is stored. */
export type DocumentMarkJSON = { type: string; attrs?: Record<string, unknown> };
export type DocumentNodeJSON = {
  type: string;
  attrs?: Record<string, unknown>;
  content?: DocumentNodeJSON[];
  marks?: DocumentMarkJSON[];
  text?: string;
};
export type DocumentJSON = DocumentNodeJSON & { type: "doc" };

export interface PostmortemsTable {
  id: Generated<string>;
  workspace_id: string;
  incident_id: string;
  title: string;
  status: ColumnType<PostmortemStatus, PostmortemStatus | undefined, PostmortemStatus>;
  template: string;
  body: Json<DocumentJSON>;
  body_text: string;
  version: ColumnType<number, number | undefined, number>;
  review_round: ColumnType<number, number | undefined, number>;
  created_by: string;
  created_at: CreatedAt;
  updated_by: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  published_at: NullableTimestamp;
  published_by: string | null;
}

export interface PostmortemRevisionsTable {
  id: Generated<string>;
  postmortem_id: string;
  version: number;
  title: string;
  body: Json<DocumentJSON>;
  author_id: string;
  saved_at: ColumnType<Date, Date | string | undefined, Date | string>;
  restored_from: number | null;
}

export interface PostmortemReviewsTable {
  id: Generated<string>;
  postmortem_id: string;
  reviewer_id: string;
  review_round: number;
  verdict: ReviewVerdict;
  comment: string;
  created_at: CreatedAt;
}

export interface Database {
  postmortems: PostmortemsTable;
  postmortem_revisions: PostmortemRevisionsTable;
  postmortem_reviews: PostmortemReviewsTable;
  workspace_counters: WorkspaceCountersTable;
  incidents: IncidentsTable;
  incident_areas: IncidentAreasTable;
  timeline_events: TimelineEventsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  workspaces: WorkspacesTable;
  memberships: MembershipsTable;
  invites: InvitesTable;
  tiers: TiersTable;
  areas: AreasTable;
  area_maintainers: AreaMaintainersTable;
  audit_events: AuditEventsTable;
}

export type User = Selectable<UsersTable>;
export type Workspace = Selectable<WorkspacesTable>;
export type Membership = Selectable<MembershipsTable>;
export type Tier = Selectable<TiersTable>;
export type Area = Selectable<AreasTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;
export type WorkspaceUpdate = Updateable<WorkspacesTable>;
export type Incident = Selectable<IncidentsTable>;
export type TimelineEvent = Selectable<TimelineEventsTable>;
export type Postmortem = Selectable<PostmortemsTable>;
