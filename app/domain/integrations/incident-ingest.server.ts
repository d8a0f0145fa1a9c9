import { sql, type Insertable } from "kysely";
import type { Db } from "#db/connection";
import { SYSTEM_USER_ID } from "#db/migrations/0007_integrations";
import type { Database, ExternalIncidentState, IngestSource, Severity, TierKey, TimelineKind } from "#db/schema";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import { incidentReference, SEVERITIES } from "~/domain/incidents/rules";
import { takeNextNumber } from "~/domain/shared/numbering.server";
import { refreshIncidentSearch } from "~/domain/search/index.server";
import { applied, ignored, type Processed } from "./webhooks.server";

/**
 * Incidents from alerting. PagerDuty v3 webhooks (pagerduty-ingest.server.ts) and Alertmanager
 * (alertmanager-ingest.server.ts, webhook version 4) create an incident the first time they report
 * an external key (PagerDuty's incident id, Alertmanager's groupKey), and update that incident
 * afterwards: acknowledged, resolved, reopened, more alerts, a new priority or severity label.
 * Each change is a timeline event and an audit event (no actor: the system did it), written in
 * the delivery's transaction. Numbers come from the same gapless counter as incidents people record.
 *
 * The severity follows the sender until a person sets it (`incidents.severity_set_by_person`): a
 * person wins, and a later change from the sender is only noted on the timeline.
 */

/** Incidents from alerting start at this tier until someone classifies the change involved. */
const INGESTED_TIER: TierKey = "T1";

type IngestKind = "trigger" | "acknowledge" | "resolve" | "reopen" | "reprioritize";

export type IngestEvent = {
  source: IngestSource;
  key: string;
  kind: IngestKind;
  /** How to open the incident when this event is the first about its key (a priority change about an unseen incident). */
  createAs?: Exclude<IngestKind, "reprioritize">;
  occurredAt: Date;
  /** For a new incident. */
  title: string;
  /** The severity the sender gives it now (PagerDuty's priority, Alertmanager's severity label, mapped). */
  severity: Severity;
  /** What the severity comes from, for the timeline: "PagerDuty priority P1". */
  severityReason: string;
  /** Whether this event reports the sender's current severity, to be followed on a known incident. */
  reportsSeverity: boolean;
  startedAt: Date;
  url: string | null;
  /** Alertmanager: alerts firing in the group now. */
  firingCount: number;
  /** Timeline text for this change, e.g. "Acknowledged in PagerDuty by Jane". */
  text: string;
  /** Timeline text of the detection, when this event creates the incident. */
  detectedText: string;
  /** Alertmanager only: a resolved group that fires again is a new incident. */
  refireMakesNewIncident: boolean;
};

export type IngestDelivery = { workspaceId: string; payload: unknown };

export function clampTitle(title: string, fallback: string): string {
  const t = title.replace(/\s+/g, " ").trim();
  if (t.length < 3) return fallback;
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}

export function validDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 2000 ? null : d;
}

const latest = (...dates: Array<Date | null | undefined>): Date =>
  new Date(Math.max(...dates.filter((d): d is Date => Boolean(d)).map((d) => d.getTime())));

async function addTimeline(trx: Db, workspaceId: string, incidentId: string, number: number, kind: TimelineKind, at: Date, text: string) {
  const event = await trx
    .insertInto("timeline_events")
    .values({ incident_id: incidentId, occurred_at: at, kind, text: text.slice(0, 2000), created_by: SYSTEM_USER_ID })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, {
    workspaceId,
    actorId: null,
    action: "timeline_event.added",
    entityType: "timeline_event",
    entityId: event.id,
    change: { incident: number, kind },
  });
}

async function createIncidentFrom(trx: Db, workspaceId: string, e: IngestEvent, resolved: boolean): Promise<{ id: string; number: number }> {
  const resolvedAt = resolved ? latest(e.occurredAt, e.startedAt) : null;
  const number = await takeNextNumber(trx, workspaceId, "incident");
  const incident = await trx
    .insertInto("incidents")
    .values({
      workspace_id: workspaceId,
      number,
      title: e.title,
      severity: e.severity,
      severity_set_by_person: false,
      status: resolved ? "resolved" : "investigating",
      tier: INGESTED_TIER,
      impact: "",
      started_at: e.startedAt,
      detected_at: e.startedAt,
      mitigated_at: resolvedAt,
      resolved_at: resolvedAt,
      created_by: SYSTEM_USER_ID,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAuditEvent(trx, {
    workspaceId,
    actorId: null,
    action: "incident.created",
    entityType: "incident",
    entityId: incident.id,
    change: { number, title: e.title, severity: e.severity, tier: INGESTED_TIER, source: e.source, externalKey: e.key },
  });
  return { id: incident.id, number };
}

type IncidentChange = Partial<Pick<Insertable<Database["incidents"]>, "severity" | "status" | "resolved_at" | "mitigated_at">>;

/** Changes an incident on the sender's word: a new version and an audit event without an actor. */
async function updateIncidentFromSender(trx: Db, workspaceId: string, incident: { id: string; version: number }, set: IncidentChange, change: Record<string, unknown>) {
  const version = incident.version + 1;
  await trx.updateTable("incidents").set({ ...set, updated_at: new Date(), version }).where("id", "=", incident.id).execute();
  await recordAuditEvent(trx, { workspaceId, actorId: null, action: "incident.updated", entityType: "incident", entityId: incident.id, change: { version, ...change } });
}

const SOURCE_NAMES: Record<IngestSource, string> = { pagerduty: "PagerDuty", alertmanager: "Alertmanager" };

type KnownIncident = {
  id: string;
  number: number;
  severity: Severity;
  severity_set_by_person: boolean;
  reported_severity: Severity;
  version: number;
};

/**
 * The sender reports a severity on a known incident. Nothing happens when it reports the same as
 * last time. Otherwise the incident takes it, with a timeline event, unless a person set the
 * severity: then it stays, and the timeline notes what the sender said. Returns the change line.
 */
async function followSeverity(trx: Db, workspaceId: string, known: KnownIncident, e: IngestEvent, at: Date): Promise<string | null> {
  if (known.reported_severity === e.severity) return null;
  const ref = incidentReference(known.number);
  if (known.severity === e.severity) return `${ref}: ${e.severityReason} agrees with its severity, ${e.severity}.`;
  if (known.severity_set_by_person) {
    await addTimeline(trx, workspaceId, known.id, known.number, "note", at, `${e.severityReason} would make this ${e.severity}; the severity stays ${known.severity}, as a person set it.`);
    return `${ref}: severity kept at ${known.severity}, set by a person (${e.severityReason} means ${e.severity}).`;
  }
  await updateIncidentFromSender(trx, workspaceId, known, { severity: e.severity }, { severity: { from: known.severity, to: e.severity }, source: e.source });
  // SEVERITIES runs from SEV1 (the most severe) down.
  const raised = SEVERITIES.indexOf(e.severity) < SEVERITIES.indexOf(known.severity);
  const text = `Severity ${raised ? "raised" : "lowered"} from ${known.severity} to ${e.severity} by ${e.severityReason}.`;
  await addTimeline(trx, workspaceId, known.id, known.number, raised ? "escalation" : "note", at, text);
  return `${ref}: severity ${known.severity} → ${e.severity}.`;
}

/** Creates or updates the incident for one external key; records what changed. */
export async function applyIngestEvent(trx: Db, workspaceId: string, e: IngestEvent): Promise<Processed> {
  // Two events about one external key (triggered and acknowledged arriving together) queue here,
  // so the second sees the incident the first created instead of creating another.
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${workspaceId}:${e.source}:${e.key}`}, 0))`.execute(trx);
  const known = await trx
    .selectFrom("incident_external_keys")
    .innerJoin("incidents", "incidents.id", "incident_external_keys.incident_id")
    .select([
      "incident_external_keys.state",
      "incident_external_keys.firing_count",
      "incident_external_keys.severity as reported_severity",
      "incidents.id",
      "incidents.number",
      "incidents.status",
      "incidents.severity",
      "incidents.severity_set_by_person",
      "incidents.started_at",
      "incidents.detected_at",
      "incidents.mitigated_at",
      "incidents.version",
    ])
    .where("incident_external_keys.workspace_id", "=", workspaceId)
    .where("incident_external_keys.source", "=", e.source)
    .where("incident_external_keys.external_key", "=", e.key)
    .forUpdate("incident_external_keys")
    .executeTakeFirst();
  const source = SOURCE_NAMES[e.source];
  /** Records the sender's state for the key; the severity it reported changes only when given. */
  const saveKey = async (incidentId: string, state: ExternalIncidentState, severity: Severity) => {
    const values = { incident_id: incidentId, state, firing_count: e.firingCount, severity, url: e.url, updated_at: new Date() };
    await trx
      .insertInto("incident_external_keys")
      .values({ workspace_id: workspaceId, source: e.source, external_key: e.key, ...values })
      .onConflict((oc) => oc.columns(["workspace_id", "source", "external_key"]).doUpdateSet(values))
      .execute();
  };

  /** Every change ends here: the incident's search documents follow it, in the same transaction. */
  const changed = async (incidentId: string, processed: Processed) => {
    await refreshIncidentSearch(trx, incidentId);
    return processed;
  };

  const refire = known && known.state === "resolved" && e.kind === "trigger" && e.refireMakesNewIncident;
  if (!known || refire) {
    const createAs = e.kind === "reprioritize" ? (e.createAs ?? "trigger") : e.kind;
    const created = await createIncidentFrom(trx, workspaceId, e, createAs === "resolve");
    const ref = incidentReference(created.number);
    await addTimeline(trx, workspaceId, created.id, created.number, "detection", e.startedAt, e.detectedText);
    if (createAs === "acknowledge") await addTimeline(trx, workspaceId, created.id, created.number, "action", latest(e.occurredAt, e.startedAt), e.text);
    if (createAs === "resolve") await addTimeline(trx, workspaceId, created.id, created.number, "resolution", latest(e.occurredAt, e.startedAt), e.text);
    const state: ExternalIncidentState = createAs === "resolve" ? "resolved" : createAs === "acknowledge" ? "acknowledged" : "triggered";
    await saveKey(created.id, state, e.severity);
    return changed(created.id, applied(`${ref} recorded from ${source}.`, [
      `Created ${ref} “${e.title}” (${e.severity}${createAs === "resolve" ? ", resolved" : ""})${refire ? "; the alert fired again after it resolved" : ""}.`,
    ]));
  }

  const ref = incidentReference(known.number);
  switch (e.kind) {
    case "reprioritize": {
      const line = await followSeverity(trx, workspaceId, known, e, e.occurredAt);
      if (!line) return ignored(`${ref}: ${e.severityReason} still means ${e.severity}; nothing changed.`);
      await saveKey(known.id, known.state, e.severity);
      return changed(known.id, applied(`${ref}: severity reported by ${source}.`, [line]));
    }
    case "trigger":
    case "reopen": {
      if (known.state === "resolved") {
        // PagerDuty reopened its incident: so is ours, unless a person already moved it on.
        const reopen = known.status === "resolved";
        if (reopen) {
          const change = { status: { from: "resolved", to: "investigating" }, source: e.source };
          await updateIncidentFromSender(trx, workspaceId, known, { status: "investigating", resolved_at: null }, change);
        }
        await addTimeline(trx, workspaceId, known.id, known.number, "detection", e.occurredAt, e.text);
        await saveKey(known.id, "triggered", known.reported_severity);
        return changed(known.id, applied(`${ref} reopened by ${source}.`, [`${ref} ${reopen ? "reopened" : "fired again"}.`]));
      }
      const changes: string[] = [];
      // Alertmanager says when alerts started, not when the group's severity changed: that is dated on arrival.
      const severityLine = e.reportsSeverity ? await followSeverity(trx, workspaceId, known, e, new Date()) : null;
      if (severityLine) changes.push(severityLine);
      if (e.firingCount !== known.firing_count && e.source === "alertmanager") {
        await addTimeline(trx, workspaceId, known.id, known.number, "note", e.occurredAt, e.text);
        changes.push(`${ref}: ${e.firingCount} alerts firing (was ${known.firing_count}).`);
      }
      if (!changes.length) return ignored(`${ref} is already recorded as firing.`);
      await saveKey(known.id, known.state, e.reportsSeverity ? e.severity : known.reported_severity);
      return changed(known.id, applied(`${ref} updated from ${source}.`, changes));
    }
    case "acknowledge": {
      if (known.state !== "triggered") return ignored(`${ref} is already ${known.state} in ${source}.`);
      await addTimeline(trx, workspaceId, known.id, known.number, "action", e.occurredAt, e.text);
      await saveKey(known.id, "acknowledged", known.reported_severity);
      return changed(known.id, applied(`${ref} acknowledged in ${source}.`, [`${ref}: acknowledged.`]));
    }
    case "resolve": {
      if (known.state === "resolved") return ignored(`${ref} is already resolved in ${source}.`);
      const changes: string[] = [];
      if (known.status !== "resolved") {
        const resolvedAt = latest(e.occurredAt, known.mitigated_at, known.detected_at, known.started_at);
        const set = { status: "resolved" as const, resolved_at: resolvedAt, mitigated_at: known.mitigated_at ?? resolvedAt };
        await updateIncidentFromSender(trx, workspaceId, known, set, { status: { from: known.status, to: "resolved" }, source: e.source });
        changes.push(`${ref} resolved at ${resolvedAt.toISOString()}.`);
      } else {
        changes.push(`${ref}: ${source} resolved it too.`);
      }
      await addTimeline(trx, workspaceId, known.id, known.number, "resolution", e.occurredAt, e.text);
      await saveKey(known.id, "resolved", known.reported_severity);
      return changed(known.id, applied(`${ref} resolved in ${source}.`, changes));
    }
  }
}
