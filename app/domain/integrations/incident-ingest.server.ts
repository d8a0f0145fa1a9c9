import { createHash } from "node:crypto";
import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "#db/connection";
import { SYSTEM_USER_ID } from "#db/migrations/0007_integrations";
import type { ExternalIncidentState, IngestSource, Severity, TierKey, TimelineKind } from "#db/schema";
import { recordAuditEvent } from "~/domain/shared/audit.server";
import { incidentReference } from "~/domain/incidents/rules";
import { takeNextNumber } from "~/domain/shared/numbering.server";
import { refreshIncidentSearch } from "~/domain/search/index.server";
import { applied, ignored, receiveDelivery, type DeliveryResult, type Processed } from "./webhooks.server";

/**
 * Incidents from alerting. PagerDuty v3 webhooks and Alertmanager (webhook version 4) create an
 * incident the first time they report an external key (PagerDuty's incident id, Alertmanager's
 * groupKey), and update that incident afterwards: acknowledged, resolved, reopened, more alerts.
 * Each change is a timeline event and an audit event (no actor: the system did it), written in
 * the delivery's transaction. Numbers come from the same gapless counter as incidents people record.
 */

/** Incidents from alerting start at this tier until someone classifies the change involved. */
const INGESTED_TIER: TierKey = "T1";

type IngestKind = "trigger" | "acknowledge" | "resolve" | "reopen";

type IngestEvent = {
  source: IngestSource;
  key: string;
  kind: IngestKind;
  occurredAt: Date;
  /** For a new incident. */
  title: string;
  severity: Severity;
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

function clampTitle(title: string, fallback: string): string {
  const t = title.replace(/\s+/g, " ").trim();
  if (t.length < 3) return fallback;
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}

function validDate(value: string | null | undefined): Date | null {
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

async function createIncidentFrom(trx: Db, workspaceId: string, e: IngestEvent): Promise<{ id: string; number: number }> {
  const resolved = e.kind === "resolve";
  const resolvedAt = resolved ? latest(e.occurredAt, e.startedAt) : null;
  const number = await takeNextNumber(trx, workspaceId, "incident");
  const incident = await trx
    .insertInto("incidents")
    .values({
      workspace_id: workspaceId,
      number,
      title: e.title,
      severity: e.severity,
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

const SOURCE_NAMES: Record<IngestSource, string> = { pagerduty: "PagerDuty", alertmanager: "Alertmanager" };

/** Creates or updates the incident for one external key; records what changed. */
async function applyIngestEvent(trx: Db, workspaceId: string, e: IngestEvent): Promise<Processed> {
  // Two events about one external key (triggered and acknowledged arriving together) queue here,
  // so the second sees the incident the first created instead of creating another.
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${workspaceId}:${e.source}:${e.key}`}, 0))`.execute(trx);
  const known = await trx
    .selectFrom("incident_external_keys")
    .innerJoin("incidents", "incidents.id", "incident_external_keys.incident_id")
    .select([
      "incident_external_keys.state",
      "incident_external_keys.firing_count",
      "incidents.id",
      "incidents.number",
      "incidents.status",
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
  const saveKey = async (incidentId: string, state: ExternalIncidentState) => {
    await trx
      .insertInto("incident_external_keys")
      .values({ workspace_id: workspaceId, source: e.source, external_key: e.key, incident_id: incidentId, state, firing_count: e.firingCount, url: e.url, updated_at: new Date() })
      .onConflict((oc) =>
        oc.columns(["workspace_id", "source", "external_key"]).doUpdateSet({ incident_id: incidentId, state, firing_count: e.firingCount, url: e.url, updated_at: new Date() }),
      )
      .execute();
  };

  /** Every change ends here: the incident's search documents follow it, in the same transaction. */
  const changed = async (incidentId: string, processed: Processed) => {
    await refreshIncidentSearch(trx, incidentId);
    return processed;
  };

  const refire = known && known.state === "resolved" && e.kind === "trigger" && e.refireMakesNewIncident;
  if (!known || refire) {
    const created = await createIncidentFrom(trx, workspaceId, e);
    const ref = incidentReference(created.number);
    await addTimeline(trx, workspaceId, created.id, created.number, "detection", e.startedAt, e.detectedText);
    if (e.kind === "acknowledge") await addTimeline(trx, workspaceId, created.id, created.number, "action", latest(e.occurredAt, e.startedAt), e.text);
    if (e.kind === "resolve") await addTimeline(trx, workspaceId, created.id, created.number, "resolution", latest(e.occurredAt, e.startedAt), e.text);
    const state: ExternalIncidentState = e.kind === "resolve" ? "resolved" : e.kind === "acknowledge" ? "acknowledged" : "triggered";
    await saveKey(created.id, state);
    return changed(created.id, applied(`${ref} recorded from ${source}.`, [
      `Created ${ref} “${e.title}” (${e.severity}${e.kind === "resolve" ? ", resolved" : ""})${refire ? "; the alert fired again after it resolved" : ""}.`,
    ]));
  }

  const ref = incidentReference(known.number);
  switch (e.kind) {
    case "trigger":
    case "reopen": {
      if (known.state === "resolved") {
        // PagerDuty reopened its incident: so is ours, unless a person already moved it on.
        const reopen = known.status === "resolved";
        if (reopen) {
          await trx
            .updateTable("incidents")
            .set({ status: "investigating", resolved_at: null, updated_at: new Date(), version: known.version + 1 })
            .where("id", "=", known.id)
            .execute();
          await recordAuditEvent(trx, {
            workspaceId,
            actorId: null,
            action: "incident.updated",
            entityType: "incident",
            entityId: known.id,
            change: { version: known.version + 1, status: { from: "resolved", to: "investigating" }, source: e.source },
          });
        }
        await addTimeline(trx, workspaceId, known.id, known.number, "detection", e.occurredAt, e.text);
        await saveKey(known.id, "triggered");
        return changed(known.id, applied(`${ref} reopened by ${source}.`, [`${ref} ${reopen ? "reopened" : "fired again"}.`]));
      }
      if (e.firingCount !== known.firing_count && e.source === "alertmanager") {
        await addTimeline(trx, workspaceId, known.id, known.number, "note", e.occurredAt, e.text);
        await saveKey(known.id, known.state);
        return changed(known.id, applied(`${ref} updated from ${source}.`, [`${ref}: ${e.firingCount} alerts firing (was ${known.firing_count}).`]));
      }
      return ignored(`${ref} is already recorded as firing.`);
    }
    case "acknowledge": {
      if (known.state !== "triggered") return ignored(`${ref} is already ${known.state} in ${source}.`);
      await addTimeline(trx, workspaceId, known.id, known.number, "action", e.occurredAt, e.text);
      await saveKey(known.id, "acknowledged");
      return changed(known.id, applied(`${ref} acknowledged in ${source}.`, [`${ref}: acknowledged.`]));
    }
    case "resolve": {
      if (known.state === "resolved") return ignored(`${ref} is already resolved in ${source}.`);
      const changes: string[] = [];
      if (known.status !== "resolved") {
        const resolvedAt = latest(e.occurredAt, known.mitigated_at, known.detected_at, known.started_at);
        await trx
          .updateTable("incidents")
          .set({ status: "resolved", resolved_at: resolvedAt, mitigated_at: known.mitigated_at ?? resolvedAt, updated_at: new Date(), version: known.version + 1 })
          .where("id", "=", known.id)
          .execute();
        await recordAuditEvent(trx, {
          workspaceId,
          actorId: null,
          action: "incident.updated",
          entityType: "incident",
          entityId: known.id,
          change: { version: known.version + 1, status: { from: known.status, to: "resolved" }, source: e.source },
        });
        changes.push(`${ref} resolved at ${resolvedAt.toISOString()}.`);
      } else {
        changes.push(`${ref}: ${source} resolved it too.`);
      }
      await addTimeline(trx, workspaceId, known.id, known.number, "resolution", e.occurredAt, e.text);
      await saveKey(known.id, "resolved");
      return changed(known.id, applied(`${ref} resolved in ${source}.`, changes));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PagerDuty v3

const PagerDutyEnvelope = z.object({
  event: z.object({
    id: z.string().min(1).max(200),
    event_type: z.string().min(1).max(100),
    resource_type: z.string().max(100).optional(),
    occurred_at: z.string().max(64),
    agent: z.object({ summary: z.string().max(300).optional() }).nullable().optional(),
    data: z.unknown(),
  }),
});

const PagerDutyIncident = z.object({
  id: z.string().min(1).max(200),
  html_url: z.string().max(1000).optional(),
  number: z.number().int().optional(),
  title: z.string().max(2000).optional(),
  created_at: z.string().max(64).optional(),
  urgency: z.string().max(20).optional(),
  priority: z.object({ summary: z.string().max(50).optional() }).nullable().optional(),
  service: z.object({ summary: z.string().max(300).optional() }).nullable().optional(),
});

const PAGERDUTY_KINDS: Record<string, IngestKind> = {
  "incident.triggered": "trigger",
  "incident.acknowledged": "acknowledge",
  "incident.resolved": "resolve",
  "incident.reopened": "reopen",
};

/** P1 → SEV1 … P4 and below → SEV4; without a priority, urgency: high → SEV2, low → SEV3. */
export function pagerDutySeverity(priority: string | undefined, urgency: string | undefined): Severity {
  const p = priority?.trim().toUpperCase().match(/^P([1-5])$/)?.[1];
  if (p) return (["SEV1", "SEV2", "SEV3", "SEV4", "SEV4"] as const)[Number(p) - 1]!;
  return urgency === "high" ? "SEV2" : "SEV3";
}

export type IngestDelivery = { workspaceId: string; payload: unknown };

export async function receivePagerDutyDelivery(db: Db, { workspaceId, payload }: IngestDelivery): Promise<DeliveryResult> {
  const envelope = PagerDutyEnvelope.safeParse(payload);
  if (!envelope.success) return { kind: "rejected", status: 400, reason: "The payload is not a PagerDuty v3 webhook event." };
  const event = envelope.data.event;
  const header = { workspaceId, source: "pagerduty" as const, deliveryId: event.id, event: event.event_type };
  const kind = PAGERDUTY_KINDS[event.event_type];
  if (!kind) {
    const summary = event.event_type === "pagey.ping" ? "PagerDuty's ping: the subscription reaches Hindsight." : `${event.event_type} events are not used; acknowledged.`;
    return receiveDelivery(db, header, async () => ignored(summary));
  }
  const data = PagerDutyIncident.safeParse(event.data);
  const occurredAt = validDate(event.occurred_at);
  if (!data.success || !occurredAt) return { kind: "rejected", status: 400, reason: `The ${event.event_type} event has no incident Hindsight understands.` };
  const incident = data.data;
  const label = incident.number ? `PagerDuty incident #${incident.number}` : `PagerDuty incident ${incident.id}`;
  const service = incident.service?.summary ? ` (${incident.service.summary})` : "";
  const agent = event.agent?.summary ? ` by ${event.agent.summary}` : "";
  const text = {
    trigger: `${label} triggered${service}: ${incident.title ?? ""}`.trim(),
    acknowledge: `Acknowledged in PagerDuty${agent}.`,
    resolve: `Resolved in PagerDuty${agent}.`,
    reopen: `Reopened in PagerDuty${agent}.`,
  }[kind];
  return receiveDelivery(db, header, (trx) =>
    applyIngestEvent(trx, workspaceId, {
      source: "pagerduty",
      key: incident.id,
      kind,
      occurredAt,
      title: clampTitle(incident.title ?? "", label),
      severity: pagerDutySeverity(incident.priority?.summary, incident.urgency),
      startedAt: validDate(incident.created_at) ?? occurredAt,
      url: incident.html_url ?? null,
      firingCount: kind === "resolve" ? 0 : 1,
      text,
      detectedText: `${label} triggered${service}: ${incident.title ?? ""}`.trim(),
      refireMakesNewIncident: false,
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Prometheus Alertmanager, webhook version 4

const Labels = z.record(z.string(), z.string());

const AlertmanagerPayload = z.object({
  version: z.string(),
  groupKey: z.string().min(1).max(2000),
  status: z.enum(["firing", "resolved"]),
  receiver: z.string().max(500).optional(),
  groupLabels: Labels.optional(),
  commonLabels: Labels.optional(),
  commonAnnotations: Labels.optional(),
  externalURL: z.string().max(1000).optional(),
  truncatedAlerts: z.number().int().optional(),
  alerts: z
    .array(
      z.object({
        status: z.enum(["firing", "resolved"]),
        labels: Labels,
        annotations: Labels.optional(),
        startsAt: z.string().max(64),
        endsAt: z.string().max(64).optional(),
        fingerprint: z.string().max(200).optional(),
      }),
    )
    .max(1000),
});

/** A `severity` label: critical/page → SEV1, error/major/high → SEV2, warning → SEV3, info/low → SEV4; SEV1–4 and P1–4 as written. */
export function alertSeverity(label: string | undefined): Severity {
  const value = label?.trim().toLowerCase() ?? "";
  const numbered = value.match(/^(?:sev|p)([1-4])$/)?.[1];
  if (numbered) return `SEV${numbered}` as Severity;
  if (["critical", "page", "emergency", "fatal"].includes(value)) return "SEV1";
  if (["error", "major", "high"].includes(value)) return "SEV2";
  if (["info", "informational", "low", "none"].includes(value)) return "SEV4";
  return "SEV3";
}

/** Alertmanager sends no delivery id; the body's SHA-256 stands in, so an identical repeat changes nothing. */
function alertmanagerDeliveryId(body: Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

export async function receiveAlertmanagerDelivery(db: Db, { workspaceId, payload, body }: IngestDelivery & { body: Uint8Array }): Promise<DeliveryResult> {
  const parsed = AlertmanagerPayload.safeParse(payload);
  if (!parsed.success) return { kind: "rejected", status: 400, reason: "The payload is not an Alertmanager webhook notification." };
  const n = parsed.data;
  if (n.version !== "4") return { kind: "rejected", status: 400, reason: `Alertmanager webhook version ${n.version} is not supported; version 4 is.` };
  const firing = n.alerts.filter((a) => a.status === "firing");
  const starts = n.alerts.map((a) => validDate(a.startsAt)).filter((d): d is Date => Boolean(d));
  const ends = n.alerts.map((a) => validDate(a.endsAt)).filter((d): d is Date => Boolean(d));
  const now = new Date();
  const startedAt = starts.length ? new Date(Math.min(...starts.map((d) => d.getTime()))) : now;
  const resolvedAt = n.status === "resolved" && ends.length ? new Date(Math.max(...ends.map((d) => d.getTime()))) : now;
  // A change in a firing group happened when its newest alert started firing.
  const firingStarts = firing.map((a) => validDate(a.startsAt)).filter((d): d is Date => Boolean(d));
  const newestFiring = firingStarts.length ? new Date(Math.max(...firingStarts.map((d) => d.getTime()))) : now;
  const labels = { ...n.groupLabels, ...n.commonLabels };
  const alertname = labels.alertname ?? n.alerts[0]?.labels.alertname ?? "Alert";
  const summary = n.commonAnnotations?.summary ?? n.commonAnnotations?.description ?? "";
  const title = clampTitle(summary ? `${alertname}: ${summary}` : alertname, `Alert ${alertname}`);
  const count = firing.length + (n.truncatedAlerts ?? 0);
  const text =
    n.status === "firing"
      ? `Alertmanager: ${count} alert${count === 1 ? "" : "s"} firing for ${alertname}${labels.service ? ` (${labels.service})` : ""}.`
      : `Alertmanager: all alerts for ${alertname} resolved.`;
  const header = { workspaceId, source: "alertmanager" as const, deliveryId: alertmanagerDeliveryId(body), event: `alertmanager.${n.status}` };
  const result = await receiveDelivery(db, header, (trx) =>
    applyIngestEvent(trx, workspaceId, {
      source: "alertmanager",
      key: n.groupKey,
      kind: n.status === "firing" ? "trigger" : "resolve",
      occurredAt: n.status === "firing" ? newestFiring : resolvedAt,
      title,
      severity: alertSeverity(labels.severity),
      startedAt,
      url: n.externalURL ?? null,
      firingCount: count,
      text,
      detectedText: n.status === "firing" ? text : `Alertmanager: ${alertname} fired${labels.service ? ` (${labels.service})` : ""}.`,
      refireMakesNewIncident: true,
    }),
  );
  // Alertmanager repeats a group's notification unchanged (repeat_interval): that is no replay attack.
  return result.kind === "replay" ? ignored("The same notification again; nothing new.") : result;
}
