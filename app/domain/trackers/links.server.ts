import { sql } from "kysely";
import type { Db } from "#db/connection";
import { enqueue } from "#db/queue";
import type { TrackerOpKind } from "#db/schema";
import type { PublicUser } from "~/domain/accounts/index.server";
import { actionReference } from "~/domain/guardrails/index.server";
import { recordChange } from "~/domain/search/index.server";
import { conflict, invalid, notFound, type Outcome } from "~/domain/shared/outcomes";
import { parseIssueUrl, TRACKER_VENDORS } from "./rules";

/**
 * An action's issue in a tracker: asked for (created by a job, never in the request), linked by
 * its URL, or unlinked. Every outbound call is a `tracker_ops` row and a pg-boss job
 * (`trackers.push`), enqueued in the transaction that asked for it (ADR 0016).
 */

/** Queues one outbound call for a link, in the caller's transaction. */
export async function queueOp(trx: Db, workspaceId: string, linkId: string, kind: TrackerOpKind, body = ""): Promise<string> {
  const op = await trx.insertInto("tracker_ops").values({ workspace_id: workspaceId, link_id: linkId, kind, body }).returning("id").executeTakeFirstOrThrow();
  await enqueue(trx, "trackers.push", { opId: op.id }, { singletonKey: `tracker-op:${op.id}` });
  return op.id;
}

async function lockAction(trx: Db, workspaceId: string, number: number) {
  return trx.selectFrom("guardrail_actions").select(["id", "number"]).where("workspace_id", "=", workspaceId).where("number", "=", number).forUpdate().executeTakeFirst();
}

async function connectionOf(trx: Db, workspaceId: string, connectionId: string) {
  return trx.selectFrom("tracker_connections").select(["id", "vendor", "name", "api_url", "target"]).where("id", "=", connectionId).where("workspace_id", "=", workspaceId).executeTakeFirst();
}

async function existingLink(trx: Db, actionId: string) {
  return trx.selectFrom("tracker_links").select(["id", "external_key"]).where("action_id", "=", actionId).executeTakeFirst();
}

/** "Create issue in …" on one action: the link now, the issue when the job has run. */
export async function requestIssue(db: Db, actor: PublicUser, workspaceId: string, number: number, connectionId: string): Promise<Outcome<{ reference: string }>> {
  return db.transaction().execute(async (trx) => {
    const action = await lockAction(trx, workspaceId, number);
    if (!action) return notFound("Action not found.");
    const connection = await connectionOf(trx, workspaceId, connectionId);
    if (!connection) return invalid({ connectionId: ["Choose one of this workspace's trackers."] });
    const linked = await existingLink(trx, action.id);
    if (linked) return conflict(`${actionReference(number)} already has an issue${linked.external_key ? ` (${linked.external_key})` : ", being created"}.`);
    await insertRequested(trx, actor, workspaceId, action, connection);
    return { ok: true as const, reference: actionReference(number) };
  });
}

async function insertRequested(trx: Db, actor: PublicUser, workspaceId: string, action: { id: string; number: number }, connection: { id: string; vendor: string; name: string }) {
  const link = await trx
    .insertInto("tracker_links")
    .values({ workspace_id: workspaceId, action_id: action.id, connection_id: connection.id, created_by: actor.id })
    .returning("id")
    .executeTakeFirstOrThrow();
  await queueOp(trx, workspaceId, link.id, "create");
  await recordChange(trx, { type: "action", id: action.id }, {
    workspaceId,
    actorId: actor.id,
    action: "action.tracker_issue_requested",
    change: { number: action.number, connectionId: connection.id, tracker: connection.name },
  });
}

/** "Create issues in …" for every action of a postmortem that has none yet, in one step. */
export async function requestIssuesForPostmortem(db: Db, actor: PublicUser, workspaceId: string, incidentNumber: number, connectionId: string): Promise<Outcome<{ requested: number[] }>> {
  return db.transaction().execute(async (trx) => {
    const connection = await connectionOf(trx, workspaceId, connectionId);
    if (!connection) return invalid({ connectionId: ["Choose one of this workspace's trackers."] });
    const incident = await trx.selectFrom("incidents").select("id").where("workspace_id", "=", workspaceId).where("number", "=", incidentNumber).executeTakeFirst();
    if (!incident) return notFound("Incident not found.");
    const actions = await trx
      .selectFrom("guardrail_actions")
      .innerJoin("contributing_factors", "contributing_factors.id", "guardrail_actions.factor_id")
      .innerJoin("postmortems", "postmortems.id", "contributing_factors.postmortem_id")
      .select(["guardrail_actions.id", "guardrail_actions.number"])
      .where("postmortems.incident_id", "=", incident.id)
      .where("guardrail_actions.workspace_id", "=", workspaceId)
      .where((eb) => eb.not(eb.exists(eb.selectFrom("tracker_links").select("tracker_links.id").whereRef("tracker_links.action_id", "=", "guardrail_actions.id"))))
      .orderBy("guardrail_actions.number")
      .forUpdate()
      .execute();
    for (const action of actions) await insertRequested(trx, actor, workspaceId, action, connection);
    return { ok: true as const, requested: actions.map((a) => a.number) };
  });
}

/**
 * "Link an existing issue": the pasted URL names the tracker, which must be one of the
 * workspace's connections (the GitHub repository, the Jira site and project, the Linear team).
 * Its current state is read from the tracker by a queued `fetch` op (never in this request) and
 * applied like a webhook's; until then the link counts it as open.
 */
export async function linkExistingIssue(db: Db, actor: PublicUser, workspaceId: string, number: number, url: string): Promise<Outcome<{ key: string }>> {
  const parsed = parseIssueUrl(url);
  if (!parsed.ok) return invalid({ issueUrl: [parsed.error] });
  return db.transaction().execute(async (trx) => {
    const action = await lockAction(trx, workspaceId, number);
    if (!action) return notFound("Action not found.");
    const connections = await trx.selectFrom("tracker_connections").select(["id", "vendor", "name", "api_url", "target"]).where("workspace_id", "=", workspaceId).where("vendor", "=", parsed.vendor).execute();
    const connection = connections.find((c) => {
      if (parsed.vendor === "github") return c.target === parsed.repository;
      if (parsed.vendor === "jira") return c.api_url.toLowerCase() === parsed.site.toLowerCase() && parsed.key.startsWith(`${c.target}-`);
      return parsed.key.startsWith(`${c.target}-`);
    });
    if (!connection) {
      return invalid({ issueUrl: [`No ${TRACKER_VENDORS[parsed.vendor]} connection of this workspace covers ${parsed.key}: an admin adds it in Settings → Integrations → Trackers.`] });
    }
    const linked = await existingLink(trx, action.id);
    if (linked) return conflict(`${actionReference(number)} already has an issue${linked.external_key ? ` (${linked.external_key})` : ""}: unlink it first.`);
    const externalId = parsed.vendor === "github" ? parsed.number : parsed.key;
    const taken = await trx
      .selectFrom("tracker_links")
      .innerJoin("guardrail_actions", "guardrail_actions.id", "tracker_links.action_id")
      .select("guardrail_actions.number")
      .where("tracker_links.connection_id", "=", connection.id)
      .where((eb) => eb.or([eb("tracker_links.external_key", "=", parsed.key), eb("tracker_links.external_id", "=", externalId)]))
      .executeTakeFirst();
    if (taken) return conflict(`${parsed.key} is already linked to ${actionReference(taken.number)}.`);
    const link = await trx
      .insertInto("tracker_links")
      .values({
        workspace_id: workspaceId,
        action_id: action.id,
        connection_id: connection.id,
        external_id: externalId,
        external_key: parsed.key,
        url: parsed.url,
        remote_state: "open",
        created_by: actor.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await queueOp(trx, workspaceId, link.id, "fetch");
    await recordChange(trx, { type: "action", id: action.id }, {
      workspaceId,
      actorId: actor.id,
      action: "action.tracker_linked",
      change: { number, key: parsed.key, url: parsed.url, connectionId: connection.id },
    });
    return { ok: true as const, key: parsed.key };
  });
}

export async function unlinkIssue(db: Db, actor: PublicUser, workspaceId: string, number: number): Promise<Outcome> {
  return db.transaction().execute(async (trx) => {
    const action = await lockAction(trx, workspaceId, number);
    if (!action) return notFound("Action not found.");
    const removed = await trx.deleteFrom("tracker_links").where("action_id", "=", action.id).returning(["external_key", "url"]).executeTakeFirst();
    if (!removed) return conflict(`${actionReference(number)} has no issue to unlink.`);
    await recordChange(trx, { type: "action", id: action.id }, { workspaceId, actorId: actor.id, action: "action.tracker_unlinked", change: { number, ...removed } });
    return { ok: true as const };
  });
}

/** Sends the link's failed calls again (after the admin fixed the token, say). */
export async function retryLink(db: Db, actor: PublicUser, workspaceId: string, number: number): Promise<Outcome<{ retried: number }>> {
  return db.transaction().execute(async (trx) => {
    const action = await lockAction(trx, workspaceId, number);
    if (!action) return notFound("Action not found.");
    const link = await trx.selectFrom("tracker_links").select("id").where("action_id", "=", action.id).executeTakeFirst();
    if (!link) return conflict(`${actionReference(number)} has no issue.`);
    const failed = await trx
      .updateTable("tracker_ops")
      .set({ status: "pending", attempts: 0, updated_at: new Date() })
      .where("link_id", "=", link.id)
      .where("status", "=", "failed")
      .returning("id")
      .execute();
    if (!failed.length) return conflict("Nothing failed: there is nothing to retry.");
    for (const op of failed) await enqueue(trx, "trackers.push", { opId: op.id }, { singletonKey: `tracker-op:${op.id}:${Date.now()}` });
    await trx.updateTable("tracker_links").set({ last_error: null, last_error_at: null }).where("id", "=", link.id).execute();
    await recordChange(trx, { type: "action", id: action.id }, { workspaceId, actorId: actor.id, action: "action.tracker_retried", change: { number, ops: failed.length } });
    return { ok: true as const, retried: failed.length };
  });
}

export type TrackerLinkView = {
  actionId: string;
  number: number;
  key: string | null;
  url: string | null;
  vendor: "github" | "jira" | "linear";
  tracker: string;
  remoteState: "pending" | "open" | "closed";
  lastSyncedAt: Date | null;
  lastError: string | null;
  pendingOps: number;
  failedOps: number;
};

/** The links of the given actions (or all of the workspace's), with their sync state. */
export async function trackerLinks(db: Db, workspaceId: string, actionIds?: readonly string[]): Promise<TrackerLinkView[]> {
  if (actionIds && !actionIds.length) return [];
  let query = db
    .selectFrom("tracker_links")
    .innerJoin("tracker_connections", "tracker_connections.id", "tracker_links.connection_id")
    .innerJoin("guardrail_actions", "guardrail_actions.id", "tracker_links.action_id")
    .select([
      "tracker_links.action_id",
      "guardrail_actions.number",
      "tracker_links.external_key",
      "tracker_links.url",
      "tracker_connections.vendor",
      "tracker_connections.name",
      "tracker_links.remote_state",
      "tracker_links.last_synced_at",
      "tracker_links.last_error",
      // Updates waiting to be sent; reading the issue's state is not one.
      sql<number>`(select count(*) from tracker_ops o where o.link_id = tracker_links.id and o.status = 'pending' and o.kind <> 'fetch')::int`.as("pending_ops"),
      sql<number>`(select count(*) from tracker_ops o where o.link_id = tracker_links.id and o.status = 'failed')::int`.as("failed_ops"),
    ])
    .where("tracker_links.workspace_id", "=", workspaceId);
  if (actionIds) query = query.where("tracker_links.action_id", "in", [...actionIds]);
  const rows = await query.orderBy("guardrail_actions.number").execute();
  return rows.map((r) => ({
    actionId: r.action_id,
    number: r.number,
    key: r.external_key,
    url: r.url,
    vendor: r.vendor,
    tracker: r.name,
    remoteState: r.remote_state,
    lastSyncedAt: r.last_synced_at,
    lastError: r.last_error,
    pendingOps: Number(r.pending_ops),
    failedOps: Number(r.failed_ops),
  }));
}

/** A postmortem's actions and their issues, for its "Create issues in …" card. */
export async function postmortemTracking(db: Db, workspaceId: string, incidentNumber: number) {
  const actions = await db
    .selectFrom("guardrail_actions")
    .innerJoin("contributing_factors", "contributing_factors.id", "guardrail_actions.factor_id")
    .innerJoin("postmortems", "postmortems.id", "contributing_factors.postmortem_id")
    .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
    .select(["guardrail_actions.id"])
    .where("incidents.workspace_id", "=", workspaceId)
    .where("incidents.number", "=", incidentNumber)
    .execute();
  const links = await trackerLinks(db, workspaceId, actions.map((a) => a.id));
  return { actions: actions.length, untracked: actions.length - links.length, links };
}
