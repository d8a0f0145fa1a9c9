import { invalid, notFound, type Outcome } from "~/domain/shared/outcomes";
import type { Db } from "#db/connection";
import type { AssistedByModel, PullRequestRole, TierKey } from "#db/schema";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import type { PublicUser } from "~/domain/accounts/index.server";
import { parsePullRequestUrl } from "./rules";

/** A tier or "assisted" a person gave is their explicit choice: webhooks never overwrite it (null and "unknown" choose nothing). */
function personsChoice(input: { tier?: TierKey | null; assisted?: AssistedByModel }) {
  return { tier_source: input.tier ? ("person" as const) : null, assisted_source: input.assisted && input.assisted !== "unknown" ? ("person" as const) : null };
}

/** Finds or records a pull request by its URL; tier and "assisted" are updated when given. */
export async function upsertPullRequest(
  trx: Db,
  workspaceId: string,
  input: { url: string; tier?: TierKey | null; assisted?: AssistedByModel },
): Promise<{ ok: true; id: string; repository: string; number: number } | { ok: false; error: string }> {
  const parsed = parsePullRequestUrl(input.url);
  if (!parsed.ok) return parsed;
  const row = await trx
    .insertInto("pull_requests")
    .values({
      workspace_id: workspaceId,
      repository: parsed.repository,
      number: parsed.number,
      url: parsed.url,
      tier: input.tier ?? null,
      assisted: input.assisted ?? "unknown",
      ...personsChoice(input),
    })
    .onConflict((oc) =>
      oc.columns(["workspace_id", "repository", "number"]).doUpdateSet((eb) => ({
        tier: input.tier !== undefined ? eb.val(input.tier) : eb.ref("pull_requests.tier"),
        assisted: input.assisted !== undefined ? eb.val(input.assisted) : eb.ref("pull_requests.assisted"),
        tier_source: input.tier !== undefined ? eb.val(personsChoice(input).tier_source ?? null) : eb.ref("pull_requests.tier_source"),
        assisted_source: input.assisted !== undefined ? eb.val(personsChoice(input).assisted_source ?? null) : eb.ref("pull_requests.assisted_source"),
      })),
    )
    .returning("id")
    .executeTakeFirstOrThrow();
  return { ok: true, id: row.id, repository: parsed.repository, number: parsed.number };
}

export type LinkPullRequestInput = { url: string; role: PullRequestRole; tier: TierKey | null; assisted: AssistedByModel };

export async function linkPullRequestToIncident(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  incidentNumber: number,
  input: LinkPullRequestInput,
): Promise<Outcome> {
  return db.transaction().execute(async (trx) => {
    const incident = await trx.selectFrom("incidents").select("id").where("workspace_id", "=", workspaceId).where("number", "=", incidentNumber).executeTakeFirst();
    if (!incident) return notFound();
    const pr = await upsertPullRequest(trx, workspaceId, input);
    if (!pr.ok) return invalid({ url: [pr.error] });
    await trx
      .insertInto("incident_pull_requests")
      .values({ incident_id: incident.id, pull_request_id: pr.id, role: input.role })
      .onConflict((oc) => oc.columns(["incident_id", "pull_request_id"]).doUpdateSet({ role: input.role }))
      .execute();
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "incident.pull_request_linked",
      entityType: "incident",
      entityId: incident.id,
      change: { pullRequest: `${pr.repository}#${pr.number}`, role: input.role, tier: input.tier, assisted: input.assisted },
    });
    return { ok: true as const };
  });
}

export async function unlinkPullRequestFromIncident(db: Db, actor: PublicUser, workspaceId: string, incidentNumber: number, pullRequestId: string) {
  return db.transaction().execute(async (trx) => {
    const incident = await trx.selectFrom("incidents").select("id").where("workspace_id", "=", workspaceId).where("number", "=", incidentNumber).executeTakeFirst();
    if (!incident) return false;
    const removed = await trx
      .deleteFrom("incident_pull_requests")
      .where("incident_id", "=", incident.id)
      .where("pull_request_id", "=", pullRequestId)
      .executeTakeFirst();
    if (!removed.numDeletedRows) return false;
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "incident.pull_request_unlinked",
      entityType: "incident",
      entityId: incident.id,
      change: { pullRequestId },
    });
    return true;
  });
}

export async function incidentPullRequests(db: Db, workspaceId: string, incidentId: string) {
  return db
    .selectFrom("incident_pull_requests")
    .innerJoin("pull_requests", "pull_requests.id", "incident_pull_requests.pull_request_id")
    .selectAll("pull_requests")
    .select("incident_pull_requests.role")
    .where("incident_pull_requests.incident_id", "=", incidentId)
    .where("pull_requests.workspace_id", "=", workspaceId)
    .orderBy("incident_pull_requests.role")
    .orderBy("pull_requests.repository")
    .orderBy("pull_requests.number")
    .execute();
}
