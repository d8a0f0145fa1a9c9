import { sql } from "kysely";
import { conflict, invalid, notFound, type ConflictWith, type Problem } from "~/domain/shared/outcomes";
import type { Db } from "#db/connection";
import type { IncidentStatus, Severity, TierKey, TimelineKind } from "#db/schema";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import type { PublicUser } from "~/domain/accounts/index.server";
import { incidentTimeErrors } from "./rules";
import { takeNextNumber } from "~/domain/shared/numbering.server";
import { recordChange, refreshIncidentSearch } from "~/domain/search/index.server";

export type IncidentInput = {
  title: string;
  severity: Severity;
  status: IncidentStatus;
  tier: TierKey;
  impact: string;
  startedAt: Date;
  detectedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  areaIds: string[];
};

type IncidentFieldErrors = Partial<Record<keyof IncidentInput, string[]>>;

export type SaveIncidentResult =
  | { ok: true; number: number; version: number }
  | Problem
  | ConflictWith<{ version: number; updatedBy: string | null; updatedAt: Date }>;

/** Areas must belong to the workspace; returns a field error otherwise. */
async function areaErrors(trx: Db, workspaceId: string, areaIds: string[]): Promise<IncidentFieldErrors> {
  if (areaIds.length === 0) return {};
  const found = await trx.selectFrom("areas").select("id").where("workspace_id", "=", workspaceId).where("id", "in", areaIds).execute();
  return found.length === new Set(areaIds).size ? {} : { areaIds: ["Choose areas of this workspace."] };
}

function ruleErrors(input: IncidentInput): IncidentFieldErrors {
  return incidentTimeErrors(input);
}

export async function createIncident(db: Db, actor: PublicUser, workspaceId: string, input: IncidentInput): Promise<SaveIncidentResult> {
  const timeErrors = ruleErrors(input);
  if (Object.keys(timeErrors).length) return invalid(timeErrors);
  return db.transaction().execute(async (trx) => {
    const areaProblems = await areaErrors(trx, workspaceId, input.areaIds);
    if (Object.keys(areaProblems).length) return invalid(areaProblems);
    const number = await takeNextNumber(trx, workspaceId, "incident");
    const incident = await trx
      .insertInto("incidents")
      .values({
        workspace_id: workspaceId,
        number,
        title: input.title,
        severity: input.severity,
        status: input.status,
        tier: input.tier,
        impact: input.impact,
        started_at: input.startedAt,
        detected_at: input.detectedAt,
        mitigated_at: input.mitigatedAt,
        resolved_at: input.resolvedAt,
        created_by: actor.id,
      })
      .returning(["id", "version"])
      .executeTakeFirstOrThrow();
    if (input.areaIds.length) {
      await trx
        .insertInto("incident_areas")
        .values([...new Set(input.areaIds)].map((area_id) => ({ incident_id: incident.id, area_id })))
        .execute();
    }
    await recordChange(trx, { type: "incident", id: incident.id }, {
      workspaceId,
      actorId: actor.id,
      action: "incident.created",
      change: { number, title: input.title, severity: input.severity, tier: input.tier },
    });
    return { ok: true as const, number, version: incident.version };
  });
}

/**
 * Saves the edit a user made to the version they loaded. If someone saved in between, nothing
 * is written and the caller gets the conflict to show; never a silent overwrite.
 */
export async function updateIncident(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  number: number,
  expectedVersion: number,
  input: IncidentInput,
): Promise<SaveIncidentResult> {
  const timeErrors = ruleErrors(input);
  if (Object.keys(timeErrors).length) return invalid(timeErrors);
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("incidents")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("number", "=", number)
      .forUpdate()
      .executeTakeFirst();
    if (!current) return notFound("Incident not found");
    if (current.version !== expectedVersion) {
      const last = await trx
        .selectFrom("audit_events")
        .leftJoin("users", "users.id", "audit_events.actor_id")
        .select(["users.display_name"])
        .where("audit_events.entity_id", "=", current.id)
        .orderBy("audit_events.id", "desc")
        .limit(1)
        .executeTakeFirst();
      return {
        ...conflict("Someone changed this incident meanwhile. Compare, then save again."),
        current: { version: current.version, updatedBy: last?.display_name ?? null, updatedAt: current.updated_at },
      };
    }
    const areaProblems = await areaErrors(trx, workspaceId, input.areaIds);
    if (Object.keys(areaProblems).length) return invalid(areaProblems);
    const version = current.version + 1;
    await trx
      .updateTable("incidents")
      .set({
        title: input.title,
        severity: input.severity,
        status: input.status,
        tier: input.tier,
        impact: input.impact,
        started_at: input.startedAt,
        detected_at: input.detectedAt,
        mitigated_at: input.mitigatedAt,
        resolved_at: input.resolvedAt,
        updated_at: new Date(),
        version,
        // A person who changes the severity takes it over from the alerting sender (ingest follows it until then).
        ...(input.severity !== current.severity ? { severity_set_by_person: true } : {}),
      })
      .where("id", "=", current.id)
      .execute();
    await trx.deleteFrom("incident_areas").where("incident_id", "=", current.id).execute();
    if (input.areaIds.length) {
      await trx
        .insertInto("incident_areas")
        .values([...new Set(input.areaIds)].map((area_id) => ({ incident_id: current.id, area_id })))
        .execute();
    }
    const changed: Record<string, unknown> = {};
    for (const [key, before, after] of [
      ["title", current.title, input.title],
      ["severity", current.severity, input.severity],
      ["status", current.status, input.status],
      ["tier", current.tier, input.tier],
    ] as const) {
      if (before !== after) changed[key] = { from: before, to: after };
    }
    await refreshIncidentSearch(trx, current.id);
    await recordAuditEvent(trx, {
      workspaceId,
      actorId: actor.id,
      action: "incident.updated",
      entityType: "incident",
      entityId: current.id,
      change: { version, ...changed },
    });
    return { ok: true as const, number, version };
  });
}

export async function findIncident(db: Db, workspaceId: string, number: number) {
  const incident = await db
    .selectFrom("incidents")
    .innerJoin("users", "users.id", "incidents.created_by")
    .selectAll("incidents")
    .select("users.display_name as created_by_name")
    .where("incidents.workspace_id", "=", workspaceId)
    .where("incidents.number", "=", number)
    .executeTakeFirst();
  if (!incident) return null;
  const [areas, timeline] = await Promise.all([
    db
      .selectFrom("incident_areas")
      .innerJoin("areas", "areas.id", "incident_areas.area_id")
      .select(["areas.id", "areas.slug", "areas.name"])
      .where("incident_areas.incident_id", "=", incident.id)
      .orderBy("areas.name")
      .execute(),
    db
      .selectFrom("timeline_events")
      .innerJoin("users", "users.id", "timeline_events.created_by")
      .selectAll("timeline_events")
      .select("users.display_name as author_name")
      .where("timeline_events.incident_id", "=", incident.id)
      .orderBy("timeline_events.occurred_at")
      .orderBy("timeline_events.created_at")
      .execute(),
  ]);
  return { ...incident, areas, timeline };
}

export type IncidentFilters = {
  status?: IncidentStatus;
  severity?: Severity;
  tier?: TierKey;
  area?: string;
  from?: Date;
  to?: Date;
};

export type IncidentCursor = { startedAt: Date; number: number };

export function encodeIncidentCursor(c: IncidentCursor): string {
  return Buffer.from(`${c.startedAt.toISOString()}|${c.number}`).toString("base64url");
}

export function decodeIncidentCursor(value: string | null | undefined): IncidentCursor | null {
  if (!value) return null;
  const [iso, n] = Buffer.from(value, "base64url").toString("utf8").split("|");
  const startedAt = new Date(iso ?? "");
  const number = Number(n);
  if (Number.isNaN(startedAt.getTime()) || !Number.isInteger(number)) return null;
  return { startedAt, number };
}

/** Newest first, `limit` a page, keyset-paginated on (started_at, number): stable under inserts. */
export async function listIncidents(db: Db, workspaceId: string, filters: IncidentFilters, after: IncidentCursor | null, limit = 25) {
  let query = db
    .selectFrom("incidents")
    .select([
      "incidents.id",
      "incidents.number",
      "incidents.title",
      "incidents.severity",
      "incidents.status",
      "incidents.tier",
      "incidents.started_at",
      "incidents.detected_at",
      "incidents.mitigated_at",
      "incidents.resolved_at",
      // The areas' names in the same statement: one statement fewer on every list page.
      (eb) =>
        sql<string[]>`array(${eb
          .selectFrom("incident_areas")
          .innerJoin("areas", "areas.id", "incident_areas.area_id")
          .select("areas.name")
          .whereRef("incident_areas.incident_id", "=", "incidents.id")
          .orderBy("areas.name")})`.as("areas"),
    ])
    .where("incidents.workspace_id", "=", workspaceId);
  if (filters.status) query = query.where("incidents.status", "=", filters.status);
  if (filters.severity) query = query.where("incidents.severity", "=", filters.severity);
  if (filters.tier) query = query.where("incidents.tier", "=", filters.tier);
  if (filters.from) query = query.where("incidents.started_at", ">=", filters.from);
  if (filters.to) query = query.where("incidents.started_at", "<", filters.to);
  if (filters.area) {
    const area = filters.area;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("incident_areas")
          .innerJoin("areas", "areas.id", "incident_areas.area_id")
          .select(sql.lit(1).as("one"))
          .whereRef("incident_areas.incident_id", "=", "incidents.id")
          .where("areas.slug", "=", area),
      ),
    );
  }
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple("incidents.started_at", "incidents.number"), "<", eb.tuple(after.startedAt, after.number)),
    );
  }
  const rows = await query
    .orderBy("incidents.started_at", "desc")
    .orderBy("incidents.number", "desc")
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = rows.length > limit && last ? { startedAt: last.started_at, number: last.number } : null;
  return { incidents: page, next };
}

export async function countIncidents(db: Db, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom("incidents")
    .select(sql<number>`count(*)::int`.as("count"))
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirstOrThrow();
  return row.count;
}

export type TimelineInput = { occurredAt: Date; kind: TimelineKind; text: string };

async function incidentId(trx: Db, workspaceId: string, number: number): Promise<string | null> {
  const row = await trx.selectFrom("incidents").select("id").where("workspace_id", "=", workspaceId).where("number", "=", number).executeTakeFirst();
  return row?.id ?? null;
}

export async function addTimelineEvent(db: Db, actor: PublicUser, workspaceId: string, number: number, input: TimelineInput) {
  return db.transaction().execute(async (trx) => {
    const id = await incidentId(trx, workspaceId, number);
    if (!id) return null;
    const event = await trx
      .insertInto("timeline_events")
      .values({ incident_id: id, occurred_at: input.occurredAt, kind: input.kind, text: input.text, created_by: actor.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordChange(trx, { type: "incident", id }, {
      workspaceId,
      actorId: actor.id,
      action: "timeline_event.added",
      change: { incident: number, kind: input.kind },
      entity: { type: "timeline_event", id: event.id },
    });
    return event;
  });
}

/** Edits or removes (input null) one event of the incident; null when it isn't there. */
export async function changeTimelineEvent(
  db: Db,
  actor: PublicUser,
  workspaceId: string,
  number: number,
  eventId: string,
  input: TimelineInput | null,
) {
  return db.transaction().execute(async (trx) => {
    const id = await incidentId(trx, workspaceId, number);
    if (!id) return null;
    const target = trx.selectFrom("timeline_events").where("id", "=", eventId).where("incident_id", "=", id);
    const before = await target.selectAll().executeTakeFirst();
    if (!before) return null;
    if (input) {
      await trx
        .updateTable("timeline_events")
        .set({ occurred_at: input.occurredAt, kind: input.kind, text: input.text, updated_at: new Date() })
        .where("id", "=", eventId)
        .execute();
    } else {
      await trx.deleteFrom("timeline_events").where("id", "=", eventId).execute();
    }
    await recordChange(trx, { type: "incident", id }, {
      workspaceId,
      actorId: actor.id,
      action: input ? "timeline_event.edited" : "timeline_event.removed",
      change: { incident: number, before: { kind: before.kind, text: before.text, occurredAt: before.occurred_at.toISOString() } },
      entity: { type: "timeline_event", id: eventId },
    });
    return { id: eventId };
  });
}
