import { conflict, invalid, notFound, type Outcome, fieldErrorsOf } from "~/domain/shared/outcomes";
import { sql } from "kysely";
import type { Db } from "#db/connection";
import type { ActionKind, ActionStatus } from "#db/schema";
import type { PublicUser } from "~/domain/accounts/index.server";
import { insertGate, type GateInput } from "./gates.server";
import { transitionProblem } from "./rules";
import { takeNextNumber } from "~/domain/shared/numbering.server";
import { upsertPullRequest } from "./pull-requests.server";
import { recordChange, refreshSearchDocument } from "~/domain/search/index.server";
import type { AuditAction } from "~/domain/shared/audit.server";
import { announceMilestone } from "./milestones.server";
import { INCIDENT_HEADLINE } from "~/domain/incidents/index.server";

export type ActionInput = {
  title: string;
  kind: ActionKind;
  ownerId: string | null;
  dueOn: string | null;
  /** An existing gate this action creates or sharpens… */
  gateId: string | null;
  /** …or a new one, proposed in the same step. */
  newGate: GateInput | null;
  implementingPrUrl: string | null;
};

type ActionFieldErrors = Partial<Record<keyof ActionInput | "newGate.name" | "newGate.checkName", string[]>>;
export type ActionResult = Outcome<{ number: number }>;

class ActionRejected extends Error {
  constructor(readonly fieldErrors: ActionFieldErrors) {
    super("action rejected");
  }
}

async function ownerIsMember(trx: Db, workspaceId: string, ownerId: string | null): Promise<boolean> {
  if (!ownerId) return true;
  return Boolean(await trx.selectFrom("memberships").select("user_id").where("workspace_id", "=", workspaceId).where("user_id", "=", ownerId).executeTakeFirst());
}

async function resolveGateAndPr(trx: Db, actor: PublicUser, workspaceId: string, input: ActionInput) {
  let gateId = input.gateId;
  if (input.newGate) {
    const created = await insertGate(trx, actor, workspaceId, input.newGate);
    if (!created.ok) throw new ActionRejected({ "newGate.checkName": fieldErrorsOf(created)?.checkName ?? ["Check the new gate."] });
    gateId = created.id;
  } else if (gateId) {
    const gate = await trx.selectFrom("gates").select("id").where("id", "=", gateId).where("workspace_id", "=", workspaceId).executeTakeFirst();
    if (!gate) throw new ActionRejected({ gateId: ["Choose a gate of this workspace."] });
  }
  let prId: string | null = null;
  if (input.implementingPrUrl) {
    const pr = await upsertPullRequest(trx, workspaceId, { url: input.implementingPrUrl });
    if (!pr.ok) throw new ActionRejected({ implementingPrUrl: [pr.error] });
    prId = pr.id;
  }
  if (!(await ownerIsMember(trx, workspaceId, input.ownerId))) throw new ActionRejected({ ownerId: ["The owner must be a member of this workspace."] });
  return { gateId, prId };
}

/** Creates ACT-n from a factor in one step, with a new gate when the action proposes one. */
export async function createAction(db: Db, actor: PublicUser, workspaceId: string, factorId: string, input: ActionInput): Promise<ActionResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const factor = await trx
        .selectFrom("contributing_factors")
        .select(["id", "no_action_reason"])
        .where("id", "=", factorId)
        .where("workspace_id", "=", workspaceId)
        .executeTakeFirst();
      if (!factor) return notFound("Factor not found.");
      const { gateId, prId } = await resolveGateAndPr(trx, actor, workspaceId, input);
      const number = await takeNextNumber(trx, workspaceId, "action");
      const action = await trx
        .insertInto("guardrail_actions")
        .values({
          workspace_id: workspaceId,
          number,
          factor_id: factorId,
          title: input.title,
          kind: input.kind,
          owner_id: input.ownerId,
          due_on: input.dueOn,
          gate_id: gateId,
          implementing_pr_id: prId,
          created_by: actor.id,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      // An action now exists, so a "no action" reason no longer applies.
      if (factor.no_action_reason) await trx.updateTable("contributing_factors").set({ no_action_reason: null }).where("id", "=", factorId).execute();
      if (factor.no_action_reason) await refreshSearchDocument(trx, "factor", factorId);
      await recordChange(trx, { type: "action", id: action.id }, {
        workspaceId,
        actorId: actor.id,
        action: "action.created",
        change: { number, title: input.title, kind: input.kind, ownerId: input.ownerId, dueOn: input.dueOn, gateId },
      });
      return { ok: true as const, number };
    });
  } catch (error) {
    if (error instanceof ActionRejected) return invalid(error.fieldErrors);
    throw error;
  }
}

export type ActionDetailsInput = Omit<ActionInput, "newGate"> & { newGate?: null };

/** Edits title, kind, owner, due date, gate and implementing PR, against the version the user saw. */
export async function updateAction(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  number: number,
  expectedVersion: number,
  input: ActionDetailsInput,
): Promise<ActionResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const current = await lockAction(trx, workspaceId, number);
      if (!current) return notFound("Action not found.");
      if (current.version !== expectedVersion) return conflict(staleMessage(current.version));
      const { gateId, prId } = await resolveGateAndPr(trx, actor, workspaceId, { ...input, newGate: null });
      await trx
        .updateTable("guardrail_actions")
        .set({
          title: input.title,
          kind: input.kind,
          owner_id: input.ownerId,
          due_on: input.dueOn,
          gate_id: gateId,
          implementing_pr_id: prId,
          updated_at: new Date(),
          version: current.version + 1,
        })
        .where("id", "=", current.id)
        .execute();
      await recordChange(trx, { type: "action", id: current.id }, {
        workspaceId,
        actorId: actor.id,
        action: "action.updated",
        change: { number, ownerId: input.ownerId, dueOn: input.dueOn, gateId },
      });
      return { ok: true as const, number };
    });
  } catch (error) {
    if (error instanceof ActionRejected) return invalid(error.fieldErrors);
    throw error;
  }
}

function staleMessage(version: number) {
  return `Someone changed this action meanwhile (now version ${version}). Look at it again, then repeat your change.`;
}

async function lockAction(trx: Db, workspaceId: string, number: number) {
  return trx
    .selectFrom("guardrail_actions")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("number", "=", number)
    .forUpdate()
    .executeTakeFirst();
}

export type StatusChange = {
  to: ActionStatus;
  expectedVersion: number;
  reason?: string | null;
  evidenceUrl?: string | null;
  evidenceNote?: string | null;
};

export async function changeActionStatus(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  number: number,
  change: StatusChange,
  now = new Date(),
): Promise<ActionResult> {
  return db.transaction().execute(async (trx) => {
    const current = await lockAction(trx, workspaceId, number);
    if (!current) return notFound("Action not found.");
    if (current.version !== change.expectedVersion) return conflict(staleMessage(current.version));
    const problem = transitionProblem(current.status, change.to, change);
    if (problem) return conflict(problem);
    const verified = change.to === "verified";
    await trx
      .updateTable("guardrail_actions")
      .set({
        status: change.to,
        wont_do_reason: change.to === "wont_do" ? change.reason!.trim() : null,
        done_at: change.to === "done" ? now : change.to === "verified" ? (current.done_at ?? now) : change.to === "in_progress" || change.to === "open" ? null : current.done_at,
        evidence_url: verified ? change.evidenceUrl?.trim() || null : current.evidence_url,
        evidence_note: verified ? change.evidenceNote?.trim() || null : current.evidence_note,
        verified_by: verified ? actor.id : change.to === "in_progress" ? null : current.verified_by,
        verified_at: verified ? now : change.to === "in_progress" ? null : current.verified_at,
        // A drift reason stands until the action is finished again.
        drift_reason: change.to === "done" || verified || change.to === "wont_do" ? null : current.drift_reason,
        updated_at: now,
        version: current.version + 1,
      })
      .where("id", "=", current.id)
      .execute();
    await recordChange(trx, { type: "action", id: current.id }, {
      workspaceId,
      actorId: actor.id,
      action: "action.status_changed",
      change: { number, from: current.status, to: change.to, reason: change.reason ?? null, evidenceUrl: change.evidenceUrl ?? null },
    });
    if (verified) {
      const evidence = change.evidenceUrl?.trim() || change.evidenceNote?.trim() || null;
      await announceMilestone(trx, { kind: "verified", workspaceId, actions: [{ id: current.id, number }], evidence, byGate: false });
    }
    return { ok: true as const, number };
  });
}

export type OutsideChange = {
  /** done or in progress: what a tracker may say. */
  status?: "done" | "in_progress";
  /** A member, matched by the tracker's assignee's email. */
  ownerId?: string;
  /** When the fact happened at the source (a closed issue's time becomes the action's done time). */
  at: Date;
  auditAction: AuditAction;
  change: Record<string, unknown>;
};

/**
 * A change told by another system (an issue tracker), applied inside its transaction with the
 * audit event and no actor. Done keeps the source's time, so a gate seen passing afterwards
 * verifies it; never verified: that needs the gate or a person (docs/decisions/0028).
 */
export async function applyOutsideChange(trx: Db, workspaceId: string, actionId: string, outside: OutsideChange): Promise<boolean> {
  const current = await trx.selectFrom("guardrail_actions").selectAll().where("id", "=", actionId).where("workspace_id", "=", workspaceId).forUpdate().executeTakeFirst();
  if (!current) return false;
  const status = outside.status && outside.status !== current.status ? outside.status : null;
  if (status && transitionProblem(current.status, status, {})) return false;
  const owner = outside.ownerId !== undefined && outside.ownerId !== current.owner_id ? outside.ownerId : null;
  if (!status && !owner) return false;
  await trx
    .updateTable("guardrail_actions")
    .set({
      ...(status ? { status, done_at: status === "done" ? outside.at : null, drift_reason: status === "done" ? null : current.drift_reason } : {}),
      ...(owner ? { owner_id: owner } : {}),
      updated_at: new Date(),
      version: current.version + 1,
    })
    .where("id", "=", current.id)
    .execute();
  await recordChange(trx, { type: "action", id: current.id }, {
    workspaceId,
    actorId: null,
    action: outside.auditAction,
    change: { number: current.number, ...(status ? { from: current.status, to: status } : {}), ...(owner ? { ownerId: owner } : {}), ...outside.change },
  });
  return true;
}

/** One action with the chain around it: factor → postmortem → incident, and its gate and PR. */
export async function findAction(db: Db, workspaceId: string, number: number) {
  return (
    (await db
      .selectFrom("guardrail_actions")
      .innerJoin("contributing_factors", "contributing_factors.id", "guardrail_actions.factor_id")
      .innerJoin("postmortems", "postmortems.id", "contributing_factors.postmortem_id")
      .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
      .leftJoin("users as owner", "owner.id", "guardrail_actions.owner_id")
      .leftJoin("users as verifier", "verifier.id", "guardrail_actions.verified_by")
      .leftJoin("gates", "gates.id", "guardrail_actions.gate_id")
      .leftJoin("pull_requests", "pull_requests.id", "guardrail_actions.implementing_pr_id")
      .selectAll("guardrail_actions")
      .select([
        "contributing_factors.text as factor_text",
        "contributing_factors.category as factor_category",
        "postmortems.title as postmortem_title",
        ...INCIDENT_HEADLINE,
        "owner.display_name as owner_name",
        "verifier.display_name as verified_by_name",
        "gates.name as gate_name",
        "gates.status as gate_status",
        "gates.state as gate_state",
        "gates.state_reason as gate_state_reason",
        "gates.last_seen_at as gate_last_seen_at",
        "pull_requests.url as pr_url",
        "pull_requests.repository as pr_repository",
        "pull_requests.number as pr_number",
      ])
      .where("guardrail_actions.workspace_id", "=", workspaceId)
      .where("guardrail_actions.number", "=", number)
      .executeTakeFirst()) ?? null
  );
}

/**
 * What keeps coming back: factor categories and gates named in more than one incident. A
 * repeat with no verified guardrail among its actions is flagged: the lesson hasn't landed.
 */
export async function recurrences(db: Db, workspaceId: string) {
  const categories = await db
    .selectFrom("contributing_factors")
    .innerJoin("postmortems", "postmortems.id", "contributing_factors.postmortem_id")
    .leftJoin("guardrail_actions", "guardrail_actions.factor_id", "contributing_factors.id")
    .select([
      "contributing_factors.category",
      sql<number>`count(distinct postmortems.incident_id)::int`.as("incidents"),
      sql<number>`count(distinct guardrail_actions.id) filter (where guardrail_actions.status = 'verified')::int`.as("verified_actions"),
    ])
    .where("contributing_factors.workspace_id", "=", workspaceId)
    .groupBy("contributing_factors.category")
    .having(sql`count(distinct postmortems.incident_id)`, ">", 1)
    .orderBy(sql`count(distinct postmortems.incident_id)`, "desc")
    .execute();
  const gates = await db
    .selectFrom("factor_gates")
    .innerJoin("gates", "gates.id", "factor_gates.gate_id")
    .innerJoin("contributing_factors", "contributing_factors.id", "factor_gates.factor_id")
    .innerJoin("postmortems", "postmortems.id", "contributing_factors.postmortem_id")
    .select([
      "gates.id",
      "gates.name",
      "gates.status",
      sql<number>`count(distinct postmortems.incident_id)::int`.as("incidents"),
      sql<number>`(select count(*) from guardrail_actions ga where ga.gate_id = gates.id and ga.status = 'verified')::int`.as("verified_actions"),
    ])
    .where("gates.workspace_id", "=", workspaceId)
    .groupBy(["gates.id", "gates.name", "gates.status"])
    .having(sql`count(distinct postmortems.incident_id)`, ">", 1)
    .orderBy(sql`count(distinct postmortems.incident_id)`, "desc")
    .execute();
  return {
    categories: categories.map((c) => ({ ...c, flagged: c.verified_actions === 0 })),
    gates: gates.map((g) => ({ ...g, flagged: g.verified_actions === 0 })),
  };
}
