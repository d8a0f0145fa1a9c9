import { decideRecord } from "~/domain/shared/policy";
import { guardrailPolicy } from "./policy";
import { conflict, invalid, notFound, type Outcome } from "~/domain/shared/outcomes";
import type { Db } from "#db/connection";
import type { FactorCategory, GateInvolvement, TierKey } from "#db/schema";
import type { PublicUser } from "~/domain/accounts/index.server";
import { upsertPullRequest } from "./pull-requests.server";
import { recordChange } from "~/domain/search/index.server";

export type FactorInput = {
  text: string;
  category: FactorCategory;
  tier: TierKey;
  gates: { gateId: string; involvement: GateInvolvement }[];
  pullRequestUrls: string[];
};

type FactorFieldErrors = Partial<Record<keyof FactorInput, string[]>>;
export type FactorResult = Outcome<{ id: string }>;

/** The postmortem of an incident, locked, if it can still take factors. */
async function editablePostmortem(trx: Db, workspaceId: string, incidentNumber: number) {
  return trx
    .selectFrom("postmortems")
    .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
    .select(["postmortems.id", "postmortems.status"])
    .where("postmortems.workspace_id", "=", workspaceId)
    .where("incidents.number", "=", incidentNumber)
    .forUpdate("postmortems")
    .executeTakeFirst();
}

async function writeFactorLinks(trx: Db, workspaceId: string, factorId: string, input: FactorInput): Promise<FactorFieldErrors> {
  const gateIds = [...new Set(input.gates.map((g) => g.gateId))];
  if (gateIds.length) {
    const found = await trx.selectFrom("gates").select("id").where("workspace_id", "=", workspaceId).where("id", "in", gateIds).execute();
    if (found.length !== gateIds.length) return { gates: ["Choose gates of this workspace."] };
  }
  await trx.deleteFrom("factor_gates").where("factor_id", "=", factorId).execute();
  if (input.gates.length) {
    const unique = new Map(input.gates.map((g) => [g.gateId, g.involvement]));
    await trx
      .insertInto("factor_gates")
      .values([...unique].map(([gate_id, involvement]) => ({ factor_id: factorId, gate_id, involvement })))
      .execute();
  }
  await trx.deleteFrom("factor_pull_requests").where("factor_id", "=", factorId).execute();
  const prIds = new Set<string>();
  for (const url of input.pullRequestUrls) {
    const pr = await upsertPullRequest(trx, workspaceId, { url });
    if (!pr.ok) return { pullRequestUrls: [`${url}: ${pr.error}`] };
    prIds.add(pr.id);
  }
  if (prIds.size) {
    await trx
      .insertInto("factor_pull_requests")
      .values([...prIds].map((pull_request_id) => ({ factor_id: factorId, pull_request_id })))
      .execute();
  }
  return {};
}

/** Rolls the transaction back while returning field errors as a value. */
class FactorRejected extends Error {
  constructor(readonly fieldErrors: FactorFieldErrors) {
    super("factor rejected");
  }
}

export async function addFactor(db: Db, actor: PublicUser, workspaceId: string, incidentNumber: number, input: FactorInput): Promise<FactorResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const pm = await editablePostmortem(trx, workspaceId, incidentNumber);
      if (!pm) return notFound("This incident has no postmortem yet.");
      const frozen = decideRecord(guardrailPolicy["factor.edit"], actor.id, { postmortemStatus: pm.status });
      if (!frozen.ok) return frozen;
      const factor = await trx
        .insertInto("contributing_factors")
        .values({ workspace_id: workspaceId, postmortem_id: pm.id, text: input.text, category: input.category, tier: input.tier, created_by: actor.id })
        .returning("id")
        .executeTakeFirstOrThrow();
      const linkErrors = await writeFactorLinks(trx, workspaceId, factor.id, input);
      if (Object.keys(linkErrors).length) throw new FactorRejected(linkErrors);
      await recordChange(trx, { type: "factor", id: factor.id }, {
        workspaceId,
        actorId: actor.id,
        action: "factor.added",
        change: { incident: incidentNumber, category: input.category, tier: input.tier },
      });
      return { ok: true as const, id: factor.id };
    });
  } catch (error) {
    if (error instanceof FactorRejected) return invalid(error.fieldErrors);
    throw error;
  }
}

export async function updateFactor(db: Db, actor: PublicUser, workspaceId: string, factorId: string, input: FactorInput): Promise<FactorResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const factor = await factorForChange(trx, workspaceId, factorId);
      if (!factor) return notFound("Factor not found.");
      const frozen = decideRecord(guardrailPolicy["factor.edit"], actor.id, { postmortemStatus: factor.postmortem_status });
      if (!frozen.ok) return frozen;
      await trx
        .updateTable("contributing_factors")
        .set({ text: input.text, category: input.category, tier: input.tier, updated_at: new Date() })
        .where("id", "=", factorId)
        .execute();
      const linkErrors = await writeFactorLinks(trx, workspaceId, factorId, input);
      if (Object.keys(linkErrors).length) throw new FactorRejected(linkErrors);
      await recordChange(trx, { type: "factor", id: factorId }, {
        workspaceId,
        actorId: actor.id,
        action: "factor.updated",
        change: { category: input.category, tier: input.tier },
      });
      return { ok: true as const, id: factorId };
    });
  } catch (error) {
    if (error instanceof FactorRejected) return invalid(error.fieldErrors);
    throw error;
  }
}

async function factorForChange(trx: Db, workspaceId: string, factorId: string) {
  return trx
    .selectFrom("contributing_factors")
    .innerJoin("postmortems", "postmortems.id", "contributing_factors.postmortem_id")
    .select(["contributing_factors.id", "contributing_factors.postmortem_id", "postmortems.status as postmortem_status"])
    .where("contributing_factors.id", "=", factorId)
    .where("contributing_factors.workspace_id", "=", workspaceId)
    .forUpdate("contributing_factors")
    .executeTakeFirst();
}

/** Records that a factor needs no action, and why (or clears it with null). */
export async function setNoActionReason(db: Db, actor: PublicUser, workspaceId: string, factorId: string, reason: string | null): Promise<FactorResult> {
  return db.transaction().execute(async (trx) => {
    const factor = await factorForChange(trx, workspaceId, factorId);
    if (!factor) return notFound("Factor not found.");
    const frozen = decideRecord(guardrailPolicy["factor.edit"], actor.id, { postmortemStatus: factor.postmortem_status });
    if (!frozen.ok) return frozen;
    await trx.updateTable("contributing_factors").set({ no_action_reason: reason, updated_at: new Date() }).where("id", "=", factorId).execute();
    await recordChange(trx, { type: "factor", id: factorId }, {
      workspaceId,
      actorId: actor.id,
      action: reason ? "factor.no_action_recorded" : "factor.no_action_cleared",
      change: { reason },
    });
    return { ok: true as const, id: factorId };
  });
}

/** Removes a factor that has no actions yet; actions keep their ACT numbers, so they block removal. */
export async function removeFactor(db: Db, actor: PublicUser, workspaceId: string, factorId: string): Promise<FactorResult> {
  return db.transaction().execute(async (trx) => {
    const factor = await factorForChange(trx, workspaceId, factorId);
    if (!factor) return notFound("Factor not found.");
    const frozen = decideRecord(guardrailPolicy["factor.edit"], actor.id, { postmortemStatus: factor.postmortem_status });
    if (!frozen.ok) return frozen;
    const action = await trx.selectFrom("guardrail_actions").select("number").where("factor_id", "=", factorId).executeTakeFirst();
    if (action) return conflict("This factor has guardrail actions. Mark them won't do instead of removing the factor.");
    await trx.deleteFrom("contributing_factors").where("id", "=", factorId).execute();
    await recordChange(trx, { type: "factor", id: factorId }, { workspaceId, actorId: actor.id, action: "factor.removed" });
    return { ok: true as const, id: factorId };
  });
}

/** A postmortem's factors with their gates, pull requests and actions: the chain as one read. */
export async function factorsOfPostmortem(db: Db, workspaceId: string, postmortemId: string) {
  const factors = await db
    .selectFrom("contributing_factors")
    .selectAll()
    .where("postmortem_id", "=", postmortemId)
    .where("workspace_id", "=", workspaceId)
    .orderBy("created_at")
    .execute();
  const ids = factors.map((f) => f.id);
  if (!ids.length) return [];
  const [gates, prs, actions] = await Promise.all([
    db
      .selectFrom("factor_gates")
      .innerJoin("gates", "gates.id", "factor_gates.gate_id")
      .select(["factor_gates.factor_id", "factor_gates.involvement", "gates.id", "gates.name", "gates.status", "gates.kind"])
      .where("factor_gates.factor_id", "in", ids)
      .execute(),
    db
      .selectFrom("factor_pull_requests")
      .innerJoin("pull_requests", "pull_requests.id", "factor_pull_requests.pull_request_id")
      .select(["factor_pull_requests.factor_id", "pull_requests.id", "pull_requests.repository", "pull_requests.number", "pull_requests.url", "pull_requests.title"])
      .where("factor_pull_requests.factor_id", "in", ids)
      .execute(),
    db
      .selectFrom("guardrail_actions")
      .leftJoin("users", "users.id", "guardrail_actions.owner_id")
      .leftJoin("gates", "gates.id", "guardrail_actions.gate_id")
      // The action's issue in the team's tracker, shown as "ACT-7 ↔ PLAT-123" (issue 19).
      .leftJoin("tracker_links", "tracker_links.action_id", "guardrail_actions.id")
      .select([
        "guardrail_actions.factor_id",
        "guardrail_actions.number",
        "guardrail_actions.title",
        "guardrail_actions.kind",
        "guardrail_actions.status",
        "guardrail_actions.due_on",
        "users.display_name as owner_name",
        "gates.id as gate_id",
        "gates.name as gate_name",
        "tracker_links.external_key as tracker_key",
        "tracker_links.url as tracker_url",
      ])
      .where("guardrail_actions.factor_id", "in", ids)
      .orderBy("guardrail_actions.number")
      .execute(),
  ]);
  return factors.map((f) => ({
    ...f,
    gates: gates.filter((g) => g.factor_id === f.id),
    pullRequests: prs.filter((p) => p.factor_id === f.id),
    actions: actions.filter((a) => a.factor_id === f.id),
  }));
}

/** Publish-rule reasons: every factor needs an action or a recorded "no action" reason. */
export async function factorsWithoutAction(db: Db, postmortemId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("contributing_factors")
    .select(["text"])
    .where("postmortem_id", "=", postmortemId)
    .where("no_action_reason", "is", null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom("guardrail_actions").select("guardrail_actions.id").whereRef("guardrail_actions.factor_id", "=", "contributing_factors.id"))))
    .orderBy("created_at")
    .execute();
  return rows.map((r) => {
    const short = r.text.length > 60 ? `${r.text.slice(0, 57)}…` : r.text;
    return `The factor "${short}" has no guardrail action and no recorded reason for none.`;
  });
}
