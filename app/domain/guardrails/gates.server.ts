import { sql } from "kysely";
import { conflict, invalid, notFound, type ConflictWith, type Problem } from "~/domain/shared/outcomes";
import type { Db } from "#db/connection";
import type { GateKind, GateState, GateStatus, TierKey } from "#db/schema";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import type { PublicUser } from "~/domain/accounts/index.server";
import { refreshGateState } from "./enforcement.server";
import { INCIDENT_HEADLINE } from "~/domain/incidents/index.server";

export type GateInput = {
  name: string;
  kind: GateKind;
  repository: string;
  checkName: string;
  tiers: TierKey[];
  status: GateStatus;
  description: string;
};

type GateFieldErrors = Partial<Record<keyof GateInput, string[]>>;
export type SaveGateResult =
  | { ok: true; id: string; version: number }
  | Problem
  | ConflictWith<{ version: number }>;

const DUPLICATE_CHECK = "Another gate already watches this check in this repository.";

async function duplicateCheck(trx: Db, workspaceId: string, input: GateInput, exceptId?: string): Promise<GateFieldErrors> {
  if (!input.checkName) return {};
  let query = trx
    .selectFrom("gates")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where(sql`lower(repository)`, "=", input.repository.toLowerCase())
    .where("check_name", "=", input.checkName);
  if (exceptId) query = query.where("id", "<>", exceptId);
  return (await query.executeTakeFirst()) ? { checkName: [DUPLICATE_CHECK] } : {};
}

/** Creates a gate inside the caller's transaction (used alone, and by "create action with a new gate"). */
export async function insertGate(trx: Db, actor: PublicUser, workspaceId: string, input: GateInput): Promise<SaveGateResult> {
  const duplicate = await duplicateCheck(trx, workspaceId, input);
  if (Object.keys(duplicate).length) return invalid(duplicate);
  const gate = await trx
    .insertInto("gates")
    .values({
      workspace_id: workspaceId,
      name: input.name,
      kind: input.kind,
      repository: input.repository,
      check_name: input.checkName,
      tiers: JSON.stringify(input.tiers),
      status: input.status,
      description: input.description,
      created_by: actor.id,
    })
    .returning(["id", "version"])
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, {
    workspaceId,
    actorId: actor.id,
    action: "gate.created",
    entityType: "gate",
    entityId: gate.id,
    change: { name: input.name, kind: input.kind, repository: input.repository, checkName: input.checkName, status: input.status },
  });
  // Facts about its repository may already be known: the new gate starts in the state they give.
  await refreshGateState(trx, workspaceId, gate.id, new Date());
  return { ok: true, id: gate.id, version: gate.version };
}

export function createGate(db: Db, actor: PublicUser, workspaceId: string, input: GateInput): Promise<SaveGateResult> {
  return db.transaction().execute((trx) => insertGate(trx, actor, workspaceId, input));
}

export async function updateGate(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  gateId: string,
  expectedVersion: number,
  input: GateInput,
): Promise<SaveGateResult> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom("gates").selectAll().where("id", "=", gateId).where("workspace_id", "=", workspaceId).forUpdate().executeTakeFirst();
    if (!current) return notFound("Gate not found");
    if (current.version !== expectedVersion) return { ...conflict("Someone changed this gate meanwhile. Compare, then save again."), current: { version: current.version } };
    const duplicate = await duplicateCheck(trx, workspaceId, input, gateId);
    if (Object.keys(duplicate).length) return invalid(duplicate);
    const version = current.version + 1;
    await trx
      .updateTable("gates")
      .set({
        name: input.name,
        kind: input.kind,
        repository: input.repository,
        check_name: input.checkName,
        tiers: JSON.stringify(input.tiers),
        status: input.status,
        description: input.description,
        updated_at: new Date(),
        version,
      })
      .where("id", "=", gateId)
      .execute();
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "gate.updated",
      entityType: "gate",
      entityId: gateId,
      change: { version, ...(current.status !== input.status ? { status: { from: current.status, to: input.status } } : {}) },
    });
    // Another repository or check name is other evidence.
    if (current.repository !== input.repository || current.check_name !== input.checkName) await refreshGateState(trx, workspaceId, gateId, new Date());
    return { ok: true as const, id: gateId, version };
  });
}

/**
 * The incidents a gate is bound to: those whose factors name it, and those whose factors asked for
 * an action that builds or sharpens it (a gate proposed from an incident's action came from that
 * incident even when no factor names it). One row per (gate, incident).
 */
function gateIncidents(workspaceId: string) {
  return sql<{ gate_id: string; incident_id: string }>`(
    select fg.gate_id, f.incident_id
    from factor_gates fg
    join contributing_factors f on f.id = fg.factor_id
    where f.workspace_id = ${workspaceId}
    union
    select ga.gate_id, ga.incident_id
    from guardrail_actions ga
    where ga.workspace_id = ${workspaceId} and ga.gate_id is not null
  )`;
}

export type GateListFilters = { status?: GateStatus; state?: GateState; tier?: TierKey };

export async function listGates(db: Db, workspaceId: string, filters: GateListFilters = {}) {
  let query = db
    .selectFrom("gates")
    .selectAll("gates")
    .select((eb) => [
      eb
        .selectFrom(gateIncidents(workspaceId).as("gi"))
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("gi.gate_id", "=", "gates.id")
        .as("incident_count"),
      eb
        .selectFrom("guardrail_actions")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("guardrail_actions.gate_id", "=", "gates.id")
        .as("action_count"),
    ])
    .where("gates.workspace_id", "=", workspaceId);
  if (filters.status) query = query.where("gates.status", "=", filters.status);
  // A state is what the evidence says about a gate in use: retired gates have none worth listing.
  if (filters.state) query = query.where("gates.state", "=", filters.state).where("gates.status", "<>", "retired");
  if (filters.tier) query = query.where(sql<boolean>`gates.tiers @> ${JSON.stringify([filters.tier])}::jsonb`);
  return query.orderBy("gates.status").orderBy("gates.name").execute();
}

/** A gate with the whole chain around it: the factors that named it (and their incidents) and the actions that build or sharpen it. */
export async function findGate(db: Db, workspaceId: string, gateId: string) {
  const gate = await db.selectFrom("gates").selectAll().where("id", "=", gateId).where("workspace_id", "=", workspaceId).executeTakeFirst();
  if (!gate) return null;
  const [factors, actions] = await Promise.all([
    db
      .selectFrom("factor_gates")
      .innerJoin("contributing_factors", "contributing_factors.id", "factor_gates.factor_id")
      .innerJoin("postmortems", "postmortems.id", "contributing_factors.postmortem_id")
      .innerJoin("incidents", "incidents.id", "postmortems.incident_id")
      .select([
        "contributing_factors.id",
        "contributing_factors.text",
        "contributing_factors.category",
        "factor_gates.involvement",
        ...INCIDENT_HEADLINE,
      ])
      .where("factor_gates.gate_id", "=", gateId)
      .orderBy("incidents.number", "desc")
      .execute(),
    db
      .selectFrom("guardrail_actions")
      .leftJoin("users", "users.id", "guardrail_actions.owner_id")
      .select([
        "guardrail_actions.number",
        "guardrail_actions.title",
        "guardrail_actions.status",
        "guardrail_actions.due_on",
        "users.display_name as owner_name",
      ])
      .where("guardrail_actions.gate_id", "=", gateId)
      .orderBy("guardrail_actions.number", "desc")
      .execute(),
  ]);
  return { ...gate, factors, actions };
}

/** Gates a form can offer: the workspace's, not retired. */
export async function gateChoices(db: Db, workspaceId: string) {
  return db
    .selectFrom("gates")
    .select(["id", "name", "kind", "repository", "check_name", "status"])
    .where("workspace_id", "=", workspaceId)
    .where("status", "<>", "retired")
    .orderBy("name")
    .execute();
}
