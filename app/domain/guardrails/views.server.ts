import { sql } from "kysely";
import type { Db } from "#db/connection";

/**
 * Small reads the guardrail pages need beside actions.server.ts and gates.server.ts.
 * Read-only; every query is scoped to one workspace.
 */

/** How many guardrail actions the workspace has, in any status: zero means the board is new. */
export async function countActions(db: Db, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom("guardrail_actions")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** When a gate was last seen enforced, and the check run that showed it (findAction has the time only). */
export async function gateSighting(db: Db, workspaceId: string, gateId: string) {
  return (
    (await db
      .selectFrom("gates")
      .select(["last_seen_at", "last_seen_url"])
      .where("id", "=", gateId)
      .where("workspace_id", "=", workspaceId)
      .executeTakeFirst()) ?? null
  );
}
