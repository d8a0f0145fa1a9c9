import type { Db } from "#db/connection";

export type AuditEntry = {
  workspaceId: string | null;
  actorId: string | null;
  /** past tense, dotted: "workspace.created", "member.role_changed" */
  action: string;
  entityType: string;
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
