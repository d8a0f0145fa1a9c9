import type { Db } from "#db/connection";

export type NumberedKind = "incident" | "action" | "adr" | "rfc";

/**
 * The next INC-n / ACT-n / ADR-n / RFC-n of a workspace. Call it inside the transaction that
 * creates the record: the upsert locks the counter row until commit, so concurrent creators
 * queue instead of colliding, and a rollback returns the number (gapless).
 */
export async function takeNextNumber(trx: Db, workspaceId: string, kind: NumberedKind): Promise<number> {
  const row = await trx
    .insertInto("workspace_counters")
    .values({ workspace_id: workspaceId, kind, last_number: 1 })
    .onConflict((oc) => oc.columns(["workspace_id", "kind"]).doUpdateSet((eb) => ({ last_number: eb("workspace_counters.last_number", "+", 1) })))
    .returning("last_number")
    .executeTakeFirstOrThrow();
  return row.last_number;
}
