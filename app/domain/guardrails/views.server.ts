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

/** The evidence behind a gate's state: the newest requirement facts recorded for its repository, and the bypasses found on it. */
export async function gateEvidence(db: Db, workspaceId: string, gateId: string, limit = 20) {
  const gate = await db.selectFrom("gates").select(["repository"]).where("id", "=", gateId).where("workspace_id", "=", workspaceId).executeTakeFirst();
  if (!gate) return null;
  const [facts, bypasses] = await Promise.all([
    db
      .selectFrom("requirement_facts")
      .select(["id", "source", "rule_name", "include_patterns", "required_checks", "enforcement", "required_approvals", "code_owner_review", "admins_included", "removed", "occurred_at", "recorded_at", "delivery_id", "event"])
      .where("workspace_id", "=", workspaceId)
      .where("repository", "=", gate.repository.toLowerCase())
      .orderBy("occurred_at", "desc")
      .orderBy("delivery_id", "desc")
      .limit(limit)
      .execute(),
    gateBypasses(db, workspaceId, { gateId }),
  ]);
  return { facts, bypasses };
}

/** Bypasses (merged pull requests that skipped a required check), newest first: of one gate, of some pull requests, or of the workspace. */
export async function gateBypasses(db: Db, workspaceId: string, filter: { gateId?: string; pullRequestIds?: string[] } = {}, limit = 50) {
  if (filter.pullRequestIds && !filter.pullRequestIds.length) return [];
  let query = db
    .selectFrom("gate_bypasses")
    .innerJoin("gates", "gates.id", "gate_bypasses.gate_id")
    .innerJoin("pull_requests", "pull_requests.id", "gate_bypasses.pull_request_id")
    .selectAll("gate_bypasses")
    .select(["gates.name as gate_name", "gates.check_name", "pull_requests.url as pr_url", "pull_requests.repository as pr_repository", "pull_requests.number as pr_number", "pull_requests.title as pr_title"])
    .where("gate_bypasses.workspace_id", "=", workspaceId);
  if (filter.gateId) query = query.where("gate_bypasses.gate_id", "=", filter.gateId);
  if (filter.pullRequestIds) query = query.where("gate_bypasses.pull_request_id", "in", filter.pullRequestIds);
  return query.orderBy("gate_bypasses.merged_at", "desc").orderBy("gate_bypasses.id").limit(limit).execute();
}
