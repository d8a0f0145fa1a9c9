import type { Db } from "#db/connection";
import { actionReference, FACTOR_CATEGORIES, onActionMilestone, type ActionMilestone } from "~/domain/guardrails/index.server";
import { incidentReference, INCIDENT_HEADLINE } from "~/domain/incidents/index.server";
import { appUrlFromEnv } from "~/domain/integrations/index.server";
import { recordChange } from "~/domain/search/index.server";
import { TrackerCallError } from "./client";
import { clientFor } from "./connections.server";
import { applyIssueSnapshot } from "./inbound.server";
import { queueOp } from "./links.server";
import { issueBodyLines, issueTitle, labelsFor, priorityFor, regressedComment, trackerError, verifiedComment } from "./rules";

/**
 * Outbound sync: the `trackers.push` job runs one `tracker_ops` row: create, comment, reopen, or
 * fetch (read a linked or just-created issue's state and apply it as a webhook would). A call
 * that fails for a passing reason (nothing answered, 429, 5xx) throws, so pg-boss retries it with
 * backoff; one the tracker refused (401, 403, 404, 422) stops at once. Either way the error is kept on the op and
 * on the link, shown on the action, and the person can retry it. Nothing is lost, nothing waits
 * in a request.
 */

/** One try and five retries, as every queue (ADR 0016). */
export const MAX_ATTEMPTS = 6;

export type OpResult = { opId: string; outcome: "done" | "skipped" | "failed" | "retrying"; message?: string };

async function actionSource(db: Db, actionId: string) {
  return db
    .selectFrom("guardrail_actions")
    .innerJoin("workspaces", "workspaces.id", "guardrail_actions.workspace_id")
    .innerJoin("contributing_factors", "contributing_factors.id", "guardrail_actions.factor_id")
    .innerJoin("incidents", "incidents.id", "guardrail_actions.incident_id")
    .leftJoin("users as owner", "owner.id", "guardrail_actions.owner_id")
    .leftJoin("gates", "gates.id", "guardrail_actions.gate_id")
    .select([
      "guardrail_actions.number",
      "guardrail_actions.title",
      "workspaces.slug",
      "contributing_factors.text as factor_text",
      "contributing_factors.category as factor_category",
      "contributing_factors.tier as factor_tier",
      ...INCIDENT_HEADLINE,
      "incidents.severity",
      "incidents.tier as incident_tier",
      "owner.email as owner_email",
      "owner.display_name as owner_name",
      "gates.name as gate_name",
      "gates.check_name as gate_check",
    ])
    .where("guardrail_actions.id", "=", actionId)
    .executeTakeFirstOrThrow();
}

/** Runs one outbound call. Throws only to ask the queue for a retry. */
export async function runTrackerOp(db: Db, opId: string, now = new Date()): Promise<OpResult> {
  const op = await db
    .selectFrom("tracker_ops")
    .innerJoin("tracker_links", "tracker_links.id", "tracker_ops.link_id")
    .select(["tracker_ops.id", "tracker_ops.kind", "tracker_ops.body", "tracker_ops.status", "tracker_ops.attempts", "tracker_ops.workspace_id", "tracker_links.id as link_id", "tracker_links.action_id", "tracker_links.connection_id", "tracker_links.external_id"])
    .where("tracker_ops.id", "=", opId)
    .executeTakeFirst();
  if (!op || op.status !== "pending") return { opId, outcome: "skipped" };
  const connection = await db.selectFrom("tracker_connections").selectAll().where("id", "=", op.connection_id).executeTakeFirstOrThrow();
  const client = clientFor(connection);
  try {
    if (op.kind === "create") {
      if (op.external_id) return await finish(db, op, now, {});
      const source = await actionSource(db, op.action_id);
      const facts = { tier: source.factor_tier ?? source.incident_tier, severity: source.severity };
      const assignee = source.owner_email ? await client.findAssignee(source.owner_email).catch(() => null) : null;
      const note = assignee
        ? null
        : source.owner_name
          ? `Unassigned: no ${connection.vendor === "github" ? "GitHub user" : "user"} with ${source.owner_name}'s email was found; the owner in Hindsight is ${source.owner_name}.`
          : "Unassigned: the action has no owner in Hindsight yet.";
      const body = {
        reference: actionReference(source.number),
        title: source.title,
        factorText: source.factor_text,
        factorCategory: FACTOR_CATEGORIES[source.factor_category],
        incidentReference: incidentReference(source.incident_number),
        incidentTitle: source.incident_title,
        gateName: source.gate_name,
        gateCheck: source.gate_check,
        actionUrl: `${appUrlFromEnv()}/w/${source.slug}/guardrails/actions/${source.number}`,
        ownerName: source.owner_name,
      };
      const issue = await client.createIssue({
        title: issueTitle(body),
        bodyLines: issueBodyLines(body, note),
        labels: labelsFor(connection.vendor, connection.mapping, facts),
        priority: priorityFor(connection.vendor, connection.mapping, facts),
        assignee,
      });
      // Then its state as the tracker has it (an automation may have moved or assigned it), read by a job of its own.
      return await finish(db, op, now, { external_id: issue.id, external_key: issue.key, url: issue.url, remote_state: issue.state }, issue.key, (trx) => queueOp(trx, op.workspace_id, op.link_id, "fetch"));
    }
    if (!op.external_id) throw new TrackerCallError(null, "the issue is not created yet");
    if (op.kind === "fetch") {
      const issue = await client.findIssue(op.external_id);
      let summary = "";
      const result = await finish(db, op, now, {}, undefined, async (trx) => {
        summary = (await applyIssueSnapshot(trx, { id: op.link_id, workspaceId: op.workspace_id, connectionId: op.connection_id }, issue, op.id, now)).summary;
      });
      return { ...result, message: summary };
    }
    if (op.kind === "comment") await client.comment(op.external_id, op.body);
    if (op.kind === "reopen") {
      await client.reopen(op.external_id);
      return await finish(db, op, now, { remote_state: "open", pushed_state: "open", pushed_at: now });
    }
    return await finish(db, op, now, {});
  } catch (error) {
    if (!(error instanceof TrackerCallError)) throw error;
    const attempts = op.attempts + 1;
    const message = trackerError(connection.vendor, error.status, error.message);
    const final = !error.retryable || attempts >= MAX_ATTEMPTS;
    await db.transaction().execute(async (trx) => {
      await trx.updateTable("tracker_ops").set({ attempts, last_error: message, status: final ? "failed" : "pending", updated_at: now }).where("id", "=", op.id).execute();
      await trx.updateTable("tracker_links").set({ last_error: message, last_error_at: now }).where("id", "=", op.link_id).execute();
    });
    if (!final) throw new Error(message);
    return { opId, outcome: "failed", message };
  }
}

type LinkUpdate = Partial<{ external_id: string; external_key: string; url: string; remote_state: "open" | "closed"; pushed_state: "open"; pushed_at: Date }>;

/** Marks the op done and the link synced, with what else the op's result changes, in one transaction. */
async function finish(db: Db, op: { id: string; kind: string; link_id: string; action_id: string; workspace_id: string }, now: Date, link: LinkUpdate, createdKey?: string, also?: (trx: Db) => Promise<unknown>): Promise<OpResult> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("tracker_ops").set({ status: "done", done_at: now, updated_at: now, last_error: null }).where("id", "=", op.id).execute();
    await trx.updateTable("tracker_links").set({ ...link, last_synced_at: now, last_error: null, last_error_at: null }).where("id", "=", op.link_id).execute();
    if (createdKey) {
      // Audited with the action's record (its search document is refreshed by the same call).
      await recordChange(trx, { type: "action", id: op.action_id }, { workspaceId: op.workspace_id, actorId: null, action: "action.tracker_issue_created", change: { key: createdKey, url: link.url } });
    }
    if (also) await also(trx);
  });
  return { opId: op.id, outcome: "done" };
}

/**
 * What a milestone sends to the tracker: a comment when the action is verified; a comment when
 * its gate regressed, and the issue reopened if it was closed.
 */
export async function queueFollowUps(trx: Db, milestone: ActionMilestone): Promise<void> {
  const links = await trx
    .selectFrom("tracker_links")
    .innerJoin("guardrail_actions", "guardrail_actions.id", "tracker_links.action_id")
    .select(["tracker_links.id", "tracker_links.remote_state", "guardrail_actions.number"])
    .where("tracker_links.workspace_id", "=", milestone.workspaceId)
    .where(
      "tracker_links.action_id",
      "in",
      milestone.actions.map((a) => a.id),
    )
    .execute();
  for (const link of links) {
    const reference = actionReference(link.number);
    if (milestone.kind === "verified") {
      await queueOp(trx, milestone.workspaceId, link.id, "comment", verifiedComment(reference, milestone.evidence));
    } else {
      await queueOp(trx, milestone.workspaceId, link.id, "comment", regressedComment(reference, milestone.reason));
      if (link.remote_state === "closed") await queueOp(trx, milestone.workspaceId, link.id, "reopen");
    }
  }
}

onActionMilestone("trackers", queueFollowUps);
