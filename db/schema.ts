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
  /** "pair:<email>|<address>", "account:<email>", "ip:<address>" or "password:<user id>" */
  key: string;
  /** Attempts started in the current window and not (yet) cleared by a success. */
  failures: number;
  window_started_at: Timestamp;
  /** Refused until then; null while under the limit. */
  blocked_until: NullableTimestamp;
}

export interface WorkspacesTable {
  id: Generated<string>;
  slug: string;
  name: string;
  created_at: CreatedAt;
  /** Characters (inserted plus removed) that may change after an approval before it must be renewed; 0 is strict. */
  approval_tolerance: ColumnType<number, number | undefined, number>;
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
  /** The address the invite was mailed to, when it was. */
  email: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Who must approve a postmortem of a tier before it is published (only T0 and T1 may relax it). */
export type TierApproval = "other" | "self" | "none";

export interface TiersTable {
  id: Generated<string>;
  workspace_id: string;
  key: TierKey;
  name: string;
  summary: string;
  typical_changes: Json<string[]>;
  required_checks: Json<string[]>;
  release_controls: Json<string[]>;
  approval: ColumnType<TierApproval, TierApproval | undefined, TierApproval>;
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
  /** A person chose the severity (recorded it, or changed it): the alerting sender no longer changes it. */
  severity_set_by_person: ColumnType<boolean, boolean | undefined, boolean>;
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
  /** The postmortem's version the verdict was given on. */
  postmortem_version: number;
  /** For approvals: the title and text as approved, to measure what changed since. */
  reviewed_text: string | null;
}

export interface ReviewRequestsTable {
  id: Generated<string>;
  workspace_id: string;
  postmortem_id: string;
  reviewer_id: string;
  requested_by: string;
  review_round: number;
  requested_at: CreatedAt;
}

export type NotificationDelivery = "immediate" | "daily";

export interface NotificationSettingsTable {
  user_id: string;
  review_requests: ColumnType<boolean, boolean | undefined, boolean>;
  actions_due: ColumnType<boolean, boolean | undefined, boolean>;
  actions_regressed: ColumnType<boolean, boolean | undefined, boolean>;
  mentions: ColumnType<boolean, boolean | undefined, boolean>;
  delivery: ColumnType<NotificationDelivery, NotificationDelivery | undefined, NotificationDelivery>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type NotificationKind = "review_requested" | "mentioned";

export interface NotificationsTable {
  id: Generated<string>;
  workspace_id: string;
  user_id: string;
  kind: NotificationKind;
  subject: string;
  body: string;
  link: string;
  created_at: CreatedAt;
  sent_at: NullableTimestamp;
  skipped: ColumnType<boolean, boolean | undefined, boolean>;
}

export type GateKind = "ci_check" | "branch_protection" | "codeowners" | "lint_rule" | "sast" | "test_suite" | "alert" | "runbook";
export type GateStatus = "proposed" | "enforced" | "retired";
/** What the evidence says about a gate (docs/domain.md, "Gate states"). */
export type GateState = "proposed" | "required_not_seen" | "seen_not_required" | "enforced" | "stale" | "regressed";
export type RequirementSource = "branch_protection" | "ruleset" | "api_protection" | "api_rules";
export type EnforcementLevel = "off" | "non_admins" | "everyone";
export type InferredBy = "person" | "webhook";
export type BypassFinding = "failed" | "never_passed";
export type PullRequestState = "open" | "closed" | "merged" | "unknown";
export type AssistedByModel = "yes" | "no" | "unknown";
export type PullRequestRole = "trigger" | "fix" | "related";
export type FactorCategory =
  | "review_gap"
  | "missing_test"
  | "missing_gate"
  | "gate_bypassed"
  | "tier_misclassified"
  | "dependency_risk"
  | "assisted_change_unverified"
  | "observability_gap"
  | "rollback_gap"
  | "runbook_gap"
  | "other";
export type GateInvolvement = "missing" | "failed_to_catch" | "bypassed";
export type ActionKind = "new_gate" | "sharpen_gate" | "better_test" | "narrower_permission" | "tier_rule" | "alert" | "runbook" | "other";
export type ActionStatus = "open" | "in_progress" | "done" | "verified" | "wont_do";

type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Version = ColumnType<number, number | undefined, number>;

export interface GatesTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  kind: GateKind;
  repository: ColumnType<string, string | undefined, string>;
  check_name: ColumnType<string, string | undefined, string>;
  tiers: Json<TierKey[]>;
  status: ColumnType<GateStatus, GateStatus | undefined, GateStatus>;
  description: ColumnType<string, string | undefined, string>;
  last_seen_at: NullableTimestamp;
  last_seen_url: string | null;
  state: ColumnType<GateState, GateState | undefined, GateState>;
  state_reason: ColumnType<string, string | undefined, string>;
  /** The delivery (or "Check now") that proved the current state. */
  state_delivery_id: string | null;
  state_changed_at: NullableTimestamp;
  first_seen_at: NullableTimestamp;
  last_seen_delivery_id: string | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  version: Version;
}

export interface PullRequestsTable {
  id: Generated<string>;
  workspace_id: string;
  repository: string;
  number: number;
  url: string;
  title: ColumnType<string, string | undefined, string>;
  author: ColumnType<string, string | undefined, string>;
  state: ColumnType<PullRequestState, PullRequestState | undefined, PullRequestState>;
  merged_at: NullableTimestamp;
  tier: TierKey | null;
  assisted: ColumnType<AssistedByModel, AssistedByModel | undefined, AssistedByModel>;
  /** Who set the tier / the "assisted" flag: a person's choice is never overwritten by a webhook. */
  tier_source: InferredBy | null;
  assisted_source: InferredBy | null;
  head_sha: string | null;
  base_branch: string | null;
  created_at: CreatedAt;
}

export interface RequirementFactsTable {
  id: Generated<string>;
  workspace_id: string;
  /** lower-case owner/repo */
  repository: string;
  default_branch: string;
  source: RequirementSource;
  /** The rule's identity: "protection:<id>", "ruleset:<id>", or "api:<branch>" for a Check-now snapshot. */
  rule_key: string;
  rule_name: ColumnType<string, string | undefined, string>;
  include_patterns: Json<string[]>;
  exclude_patterns: Json<string[]>;
  required_checks: Json<string[]>;
  enforcement: EnforcementLevel;
  required_approvals: ColumnType<number, number | undefined, number>;
  code_owner_review: ColumnType<boolean, boolean | undefined, boolean>;
  admins_included: ColumnType<boolean, boolean | undefined, boolean>;
  removed: ColumnType<boolean, boolean | undefined, boolean>;
  occurred_at: Timestamp;
  recorded_at: CreatedAt;
  delivery_id: string;
  event: string;
}

export interface CheckObservationsTable {
  workspace_id: string;
  repository: string;
  head_sha: string;
  check_name: string;
  passed: ColumnType<boolean, boolean | undefined, boolean>;
  failed: ColumnType<boolean, boolean | undefined, boolean>;
  last_url: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface GateBypassesTable {
  id: Generated<string>;
  workspace_id: string;
  gate_id: string;
  pull_request_id: string;
  head_sha: string;
  base_branch: string;
  finding: BypassFinding;
  merged_at: Timestamp;
  merged_by: ColumnType<string, string | undefined, string>;
  delivery_id: string;
  recorded_at: CreatedAt;
}

export interface GithubSettingsTable {
  workspace_id: string;
  tier_label_patterns: ColumnType<string[], string | undefined, string>;
  assist_tools: ColumnType<string[], string | undefined, string>;
  stale_after_days: ColumnType<number, number | undefined, number>;
  /** Sealed (secret-box, ADR 0017), bound to the workspace. */
  api_token: string | null;
  token_hint: string | null;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface IncidentPullRequestsTable {
  incident_id: string;
  pull_request_id: string;
  role: PullRequestRole;
}

export interface ContributingFactorsTable {
  id: Generated<string>;
  workspace_id: string;
  postmortem_id: string;
  /** The postmortem's incident, set by the database (migration 0017); never written by the app. */
  incident_id: ColumnType<string, never, never>;
  text: string;
  category: FactorCategory;
  tier: TierKey;
  no_action_reason: string | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface FactorGatesTable {
  factor_id: string;
  gate_id: string;
  involvement: GateInvolvement;
}

export interface FactorPullRequestsTable {
  factor_id: string;
  pull_request_id: string;
}

export interface GuardrailActionsTable {
  id: Generated<string>;
  workspace_id: string;
  number: number;
  factor_id: string;
  /** The factor's incident, set by the database (migration 0017); never written by the app. */
  incident_id: ColumnType<string, never, never>;
  title: string;
  kind: ActionKind;
  owner_id: string | null;
  /** A calendar date ("2026-12-01"); pg returns date columns as strings here (see db/connection.ts). */
  due_on: string | null;
  status: ColumnType<ActionStatus, ActionStatus | undefined, ActionStatus>;
  wont_do_reason: string | null;
  gate_id: string | null;
  implementing_pr_id: string | null;
  evidence_url: string | null;
  evidence_note: string | null;
  verified_by: string | null;
  verified_at: NullableTimestamp;
  done_at: NullableTimestamp;
  /** Why a gate's drift (regressed, stale) sent this action back to in progress; cleared when it is done again. */
  drift_reason: string | null;
  drifted_at: NullableTimestamp;
  /** When the owner's digest told them; null while they have not been told. */
  drift_notified_at: NullableTimestamp;
  created_by: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  version: Version;
}

export type DecisionKind = "adr" | "rfc";
export type DecisionStatus = "proposed" | "accepted" | "rejected" | "deprecated" | "superseded";
export type DecisionLinkKind = "supersedes" | "superseded_by" | "amends" | "amended_by" | "informed_by" | "implements" | "pull_request";
export type DecisionLinkTarget = "decision" | "incident" | "action" | "gate" | "pull_request";

export interface DecisionRecordsTable {
  id: Generated<string>;
  workspace_id: string;
  kind: DecisionKind;
  number: number;
  title: string;
  status: ColumnType<DecisionStatus, DecisionStatus | undefined, DecisionStatus>;
  prior_status: ColumnType<Exclude<DecisionStatus, "superseded"> | null, Exclude<DecisionStatus, "superseded"> | null | undefined, Exclude<DecisionStatus, "superseded"> | null>;
  deciders: ColumnType<string[], string | undefined, string>;
  /** A date column: select it through `decidedOnText` (app/domain/decisions/records.server.ts), which reads "YYYY-MM-DD" on both engines. */
  decided_on: ColumnType<unknown, string | null | undefined, string | null>;
  tags: ColumnType<string[], string | undefined, string>;
  template: string;
  body: Json<DocumentJSON>;
  body_text: string;
  front_matter: ColumnType<Record<string, unknown>, string | undefined, string>;
  source_path: string | null;
  /** The imported file as it was (docs/decisions/0022); null for records made in the app. */
  source_text: string | null;
  /** Where the body's blocks came from in `source_text`: MarkdownSourceMap plus `meta`, the metadata's hash at import. */
  source_map: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** The status as the file wrote it ("On hold"), shown while the status is still the one it maps to. */
  status_word: string | null;
  version: ColumnType<number, number | undefined, number>;
  meta_version: ColumnType<number, number | undefined, number>;
  created_by: string;
  created_at: CreatedAt;
  updated_by: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DecisionRevisionsTable {
  id: Generated<string>;
  decision_id: string;
  version: number;
  title: string;
  body: Json<DocumentJSON>;
  author_id: string;
  saved_at: ColumnType<Date, Date | string | undefined, Date | string>;
  restored_from: number | null;
}

export interface DecisionLinksTable {
  id: Generated<string>;
  workspace_id: string;
  decision_id: string;
  kind: DecisionLinkKind;
  target_type: DecisionLinkTarget;
  /** decision, incident, action, gate: the target's uuid; pull request: "owner/repo#n". */
  target_id: string;
  /** How people and exports name it: "ADR-3", "INC-12", "ACT-3", "GATE:<uuid>", "owner/repo#42". */
  target_ref: string;
  url: string | null;
  created_by: string;
  created_at: CreatedAt;
}

export interface DecisionImportBatchesTable {
  id: Generated<string>;
  workspace_id: string;
  created_by: string;
  created_at: CreatedAt;
  source: string;
  default_kind: DecisionKind;
  files: Json<Array<{ path: string; text?: string; error?: string; ignored?: string }>>;
  imported_at: NullableTimestamp;
  result: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}

export type IntegrationSource = "github" | "pagerduty" | "alertmanager";
export type IngestSource = "pagerduty" | "alertmanager";
export type ExternalIncidentState = "triggered" | "acknowledged" | "resolved";
export type DeliveryOutcome = "applied" | "ignored";
export type ApiTokenScope = "read" | "write";

export interface IntegrationSecretsTable {
  workspace_id: string;
  source: IntegrationSource;
  /** github, pagerduty: the HMAC key itself (needed to verify); alertmanager: SHA-256 hex of the bearer token. */
  secret: string;
  previous_secret: string | null;
  previous_valid_until: NullableTimestamp;
  /** The last characters of the secret, so an admin can tell which one is set. */
  hint: string;
  updated_by: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  workspace_id: string;
  source: IntegrationSource;
  /** X-GitHub-Delivery; PagerDuty's event.id; for Alertmanager the SHA-256 of the body. */
  delivery_id: string;
  event: string;
  received_at: CreatedAt;
  outcome: ColumnType<DeliveryOutcome, DeliveryOutcome | undefined, DeliveryOutcome>;
  summary: ColumnType<string, string | undefined, string>;
  changes: ColumnType<string[], string | undefined, string>;
}

export interface IncidentExternalKeysTable {
  workspace_id: string;
  source: IngestSource;
  external_key: string;
  incident_id: string;
  state: ExternalIncidentState;
  firing_count: ColumnType<number, number | undefined, number>;
  /** The severity the sender last reported (its priority or severity label, mapped). */
  severity: Severity;
  url: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ApiTokensTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  /** SHA-256 (hex) of the token; the token is shown once and never stored. */
  token_hash: string;
  /** The token's first characters, to recognise it in the list. */
  prefix: string;
  scope: ApiTokenScope;
  created_by: string;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  revoked_by: string | null;
}

export interface ReminderSendsTable {
  workspace_id: string;
  user_id: string;
  /** The UTC calendar day of the digest ("2026-12-01"). */
  sent_on: string;
  sent_at: CreatedAt;
  action_numbers: ColumnType<number[], string | undefined, string>;
}

export type SearchEntityType = "incident" | "postmortem" | "factor" | "action" | "decision";

/** One searchable record (db/migrations/0006_search.ts); `tsv` is generated by the database. */
export interface SearchDocumentsTable {
  workspace_id: string;
  entity_type: SearchEntityType;
  entity_id: string;
  /** "INC-12" (incidents, their postmortems and factors), "ACT-3", "ADR-4", "RFC-2". */
  reference: string;
  title: string;
  body: string;
  status: string | null;
  tier: TierKey | null;
  area_slugs: string[];
  tags: string[];
  occurred_at: Timestamp;
  updated_at: Timestamp;
  tsv: ColumnType<string, never, never>;
}

/** The view that defines each record's search document; search_documents rows are refreshed from it. */
export interface SearchDocumentSourcesView {
  workspace_id: string;
  entity_type: SearchEntityType;
  entity_id: string;
  /** The incident a document belongs to (null for decisions): refreshing an incident refreshes its family. */
  incident_id: string | null;
  reference: string;
  title: string;
  body: string;
  status: string | null;
  tier: TierKey | null;
  area_slugs: string[];
  tags: string[];
  occurred_at: Date;
  updated_at: Date;
}

/** The Yjs state of one postmortem's or decision record's text (live co-editing); exactly one owner is set. */
export interface DocumentStatesTable {
  id: Generated<string>;
  postmortem_id: string | null;
  decision_id: string | null;
  state: Uint8Array;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A member "@"-mentioned in a postmortem's or decision record's text; exactly one owner is set. */
export interface MentionsTable {
  id: Generated<string>;
  workspace_id: string;
  postmortem_id: string | null;
  decision_id: string | null;
  user_id: string;
  mentioned_by: string;
  created_at: CreatedAt;
  seen_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type TrackerVendor = "github" | "jira" | "linear";
export type TrackerRemoteState = "pending" | "open" | "closed";
/** An outbound call: create the issue, comment on it, reopen it, or read its current state (fetch). */
export type TrackerOpKind = "create" | "comment" | "reopen" | "fetch";
export type TrackerOpStatus = "pending" | "done" | "failed";

/** Per-connection mapping of an action's tier and severity (docs/decisions/0028). */
export type TrackerMapping = {
  /** Labels to put on a new issue; {tier} and {severity} expand. */
  labels?: string[];
  /** Jira: a priority name per severity; Linear: a priority number (1 urgent … 4 low) per severity. */
  priorities?: Partial<Record<Severity, string>>;
};

export interface TrackerConnectionsTable {
  id: Generated<string>;
  workspace_id: string;
  vendor: TrackerVendor;
  name: string;
  /** https://api.github.com, https://acme.atlassian.net, https://api.linear.app/graphql */
  api_url: string;
  /** GitHub: owner/repo; Jira: the project key; Linear: the team key. */
  target: string;
  /** Jira: the issue type name ("Task"). */
  issue_type: string | null;
  /** Jira Cloud: the account the API token belongs to (basic auth). */
  account_email: string | null;
  /** Sealed (secret-box, ADR 0017), bound to the connection. */
  token: string;
  token_hint: string;
  /** Sealed; GitHub's and Jira's generated here, Linear's pasted from Linear. */
  webhook_secret: string;
  webhook_hint: string;
  mapping: ColumnType<TrackerMapping, string | undefined, string>;
  /** Who the token acts as (GitHub login, Jira accountId, Linear user id): events by it are Hindsight's own. */
  bot_identity: string | null;
  tested_at: NullableTimestamp;
  test_ok: boolean | null;
  test_message: string | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface TrackerLinksTable {
  id: Generated<string>;
  workspace_id: string;
  action_id: string;
  connection_id: string;
  /** GitHub: the issue number; Jira: the issue id; Linear: the issue's uuid. Null until created. */
  external_id: string | null;
  /** "acme/api#12", "PLAT-123", "ENG-42". */
  external_key: string | null;
  url: string | null;
  remote_state: ColumnType<TrackerRemoteState, TrackerRemoteState | undefined, TrackerRemoteState>;
  /** When the event that set `remote_state` happened (the tracker's time, not arrival). */
  remote_state_at: NullableTimestamp;
  remote_assignee: string | null;
  remote_assignee_at: NullableTimestamp;
  /** The state Hindsight itself last gave the issue, so its echo is recognised. */
  pushed_state: "open" | "closed" | null;
  pushed_at: NullableTimestamp;
  last_synced_at: NullableTimestamp;
  last_error: string | null;
  last_error_at: NullableTimestamp;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface TrackerOpsTable {
  id: Generated<string>;
  workspace_id: string;
  link_id: string;
  kind: TrackerOpKind;
  body: ColumnType<string, string | undefined, string>;
  status: ColumnType<TrackerOpStatus, TrackerOpStatus | undefined, TrackerOpStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  done_at: NullableTimestamp;
}

export interface TrackerDeliveriesTable {
  id: Generated<string>;
  workspace_id: string;
  connection_id: string;
  /** X-GitHub-Delivery, X-Atlassian-Webhook-Identifier, Linear-Delivery (or the body's SHA-256). */
  delivery_id: string;
  event: string;
  received_at: CreatedAt;
  outcome: ColumnType<DeliveryOutcome, DeliveryOutcome | undefined, DeliveryOutcome>;
  summary: ColumnType<string, string | undefined, string>;
}

export interface Database {
  document_states: DocumentStatesTable;
  mentions: MentionsTable;
  tracker_connections: TrackerConnectionsTable;
  tracker_links: TrackerLinksTable;
  tracker_ops: TrackerOpsTable;
  tracker_deliveries: TrackerDeliveriesTable;
  search_documents: SearchDocumentsTable;
  search_document_sources: SearchDocumentSourcesView;
  integration_secrets: IntegrationSecretsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  incident_external_keys: IncidentExternalKeysTable;
  api_tokens: ApiTokensTable;
  reminder_sends: ReminderSendsTable;
  decision_records: DecisionRecordsTable;
  decision_revisions: DecisionRevisionsTable;
  decision_links: DecisionLinksTable;
  decision_import_batches: DecisionImportBatchesTable;
  gates: GatesTable;
  requirement_facts: RequirementFactsTable;
  check_observations: CheckObservationsTable;
  gate_bypasses: GateBypassesTable;
  github_settings: GithubSettingsTable;
  pull_requests: PullRequestsTable;
  incident_pull_requests: IncidentPullRequestsTable;
  contributing_factors: ContributingFactorsTable;
  factor_gates: FactorGatesTable;
  factor_pull_requests: FactorPullRequestsTable;
  guardrail_actions: GuardrailActionsTable;
  postmortems: PostmortemsTable;
  postmortem_revisions: PostmortemRevisionsTable;
  postmortem_reviews: PostmortemReviewsTable;
  review_requests: ReviewRequestsTable;
  notification_settings: NotificationSettingsTable;
  notifications: NotificationsTable;
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
export type Gate = Selectable<GatesTable>;
export type GuardrailAction = Selectable<GuardrailActionsTable>;
