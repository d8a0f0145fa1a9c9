import type { Db } from "#db/connection";
import type { SearchEntityType } from "#db/schema";

/**
 * What the audit log records, in the domain's words. The records search finds go by the same
 * names as in search (incident, postmortem, factor, action, decision); ADR 0018.
 */
export type AuditEntity =
  | SearchEntityType
  | "workspace"
  | "user"
  | "invite"
  | "area"
  | "tier"
  | "gate"
  | "timeline_event"
  | "pull_request"
  | "api_token"
  | "integration"
  | "repository"
  | "decision_import"
  | "tracker";

/** Past tense, dotted, the record first. */
export type AuditAction =
  | "workspace.created"
  | "workspace.renamed"
  | "workspace.review_rules_changed"
  | "user.signed_up"
  | "user.logged_in"
  | "user.logged_out"
  | "user.password_changed"
  | "user.other_sessions_ended"
  | "user.notifications_changed"
  | "member.role_changed"
  | "member.removed"
  | "invite.created"
  | "invite.emailed"
  | "invite.revoked"
  | "invite.accepted"
  | "area.created"
  | "area.updated"
  | "area.maintainers_set"
  | "tier.updated"
  | "incident.created"
  | "incident.updated"
  | "incident.pull_request_linked"
  | "incident.pull_request_unlinked"
  | "timeline_event.added"
  | "timeline_event.edited"
  | "timeline_event.removed"
  | "postmortem.started"
  | "postmortem.saved"
  | "postmortem.restored"
  | "postmortem.review_requested"
  | "postmortem.reviewed"
  | "postmortem.published"
  | "postmortem.reopened"
  | "factor.added"
  | "factor.updated"
  | "factor.removed"
  | "factor.no_action_recorded"
  | "factor.no_action_cleared"
  | "action.created"
  | "action.updated"
  | "action.status_changed"
  | "action.verified_by_gate"
  | "action.sent_back_by_gate"
  | "gate.created"
  | "gate.updated"
  | "gate.seen"
  | "gate.state_changed"
  | "gate.bypassed"
  | "gate.checked_now"
  | "requirement.recorded"
  | "pull_request.synced"
  | "decision.created"
  | "decision.saved"
  | "decision.restored"
  | "decision.details_changed"
  | "decision.linked"
  | "decision.unlinked"
  | "decision.imported"
  | "decision_import.staged"
  | "decision_import.completed"
  | "api_token.created"
  | "api_token.revoked"
  | "integration.secret_set"
  | "integration.secret_rotated"
  | "integration.removed"
  | "integration.test_delivery_sent"
  | "github.settings_changed"
  | "github.token_set"
  | "github.token_removed"
  | "reminder.sent"
  | "reminder.digests_requested"
  | "notification.sent"
  | "tracker.connected"
  | "tracker.tested"
  | "tracker.webhook_secret_set"
  | "tracker.removed"
  | "action.tracker_issue_requested"
  | "action.tracker_issue_created"
  | "action.tracker_linked"
  | "action.tracker_unlinked"
  | "action.tracker_retried"
  | "action.synced_from_tracker";

export type AuditEntry = {
  workspaceId: string | null;
  actorId: string | null;
  action: AuditAction;
  entityType: AuditEntity;
  entityId: string;
  change?: Record<string, unknown>;
};

/**
 * The one way to write an audit event. Call it with the transaction that makes the change,
 * so the change and its record commit or roll back together. The table refuses updates and
 * deletes (a trigger), so the log is append-only.
 */
export async function recordAuditEvent(trx: Db, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto("audit_events")
    .values({
      workspace_id: entry.workspaceId,
      actor_id: entry.actorId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      change: JSON.stringify(entry.change ?? {}),
    })
    .execute();
}
