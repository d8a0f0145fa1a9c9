/** Row locks shared by the decision modules: one record by its key, several in a fixed order. Internal to this area. */
import type { Db } from "#db/connection";
import type { DecisionKind, DecisionStatus } from "#db/schema";
import type { DecisionKey } from "./rules";

export type LockedDecision = { id: string; kind: DecisionKind; number: number; status: DecisionStatus; prior_status: Exclude<DecisionStatus, "superseded"> | null };

export async function decisionRow(db: Db, workspaceId: string, key: DecisionKey, lock = false): Promise<LockedDecision | null> {
  let query = db
    .selectFrom("decision_records")
    .select(["id", "kind", "number", "status", "prior_status"])
    .where("workspace_id", "=", workspaceId)
    .where("kind", "=", key.kind)
    .where("number", "=", key.number);
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

/** Locks rows in id order, so two transactions linking the same pair from both ends queue instead of deadlocking. */
export async function lockDecisions(trx: Db, workspaceId: string, ids: string[]): Promise<Map<string, LockedDecision>> {
  const rows = await trx
    .selectFrom("decision_records")
    .select(["id", "kind", "number", "status", "prior_status"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", [...new Set(ids)])
    .orderBy("id")
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The records that supersede this one, as references. */
export async function supersededBy(trx: Db, workspaceId: string, decisionId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom("decision_links")
    .select("target_ref")
    .where("workspace_id", "=", workspaceId)
    .where("decision_id", "=", decisionId)
    .where("kind", "=", "superseded_by")
    .execute();
  return rows.map((r) => r.target_ref);
}
