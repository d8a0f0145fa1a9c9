import { z } from "zod";
import type { Db } from "#db/connection";
import type { Severity } from "#db/schema";
import { applyIngestEvent, clampTitle, validDate, type IngestDelivery, type IngestEvent } from "./incident-ingest.server";
import { ignored, receiveDelivery, type DeliveryResult } from "./webhooks.server";

/**
 * PagerDuty v3 webhooks → incidents (incident-ingest.server.ts). Every incident event carries the
 * incident as it is now (`event.data`); `incident.priority_updated` is the one that says its
 * priority changed, and the severity follows it (PagerDuty sends one incident's events in order).
 */

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
  status: z.string().max(40).optional(),
  title: z.string().max(2000).optional(),
  created_at: z.string().max(64).optional(),
  urgency: z.string().max(20).optional(),
  priority: z.object({ summary: z.string().max(50).optional() }).nullable().optional(),
  service: z.object({ summary: z.string().max(300).optional() }).nullable().optional(),
});

const PAGERDUTY_KINDS: Record<string, IngestEvent["kind"]> = {
  "incident.triggered": "trigger",
  "incident.acknowledged": "acknowledge",
  "incident.resolved": "resolve",
  "incident.reopened": "reopen",
  "incident.priority_updated": "reprioritize",
};

/** P1 → SEV1 … P4 and below → SEV4; without a priority, urgency: high → SEV2, low → SEV3. */
export function pagerDutySeverity(priority: string | undefined, urgency: string | undefined): Severity {
  const p = priority?.trim().toUpperCase().match(/^P([1-5])$/)?.[1];
  if (p) return (["SEV1", "SEV2", "SEV3", "SEV4", "SEV4"] as const)[Number(p) - 1]!;
  return urgency === "high" ? "SEV2" : "SEV3";
}

/** What the severity comes from, as the timeline says it: "PagerDuty priority P1". */
function severityReason(priority: string | undefined, urgency: string | undefined): string {
  if (priority?.trim()) return `PagerDuty priority ${priority.trim()}`;
  return `PagerDuty (no priority${urgency ? `, ${urgency} urgency` : ""})`;
}

export async function receivePagerDutyDelivery(db: Db, { workspaceId, payload }: IngestDelivery): Promise<DeliveryResult> {
  const envelope = PagerDutyEnvelope.safeParse(payload);
  if (!envelope.success) return { kind: "rejected", why: "malformed", reason: "The payload is not a PagerDuty v3 webhook event." };
  const event = envelope.data.event;
  const header = { workspaceId, source: "pagerduty" as const, deliveryId: event.id, event: event.event_type };
  const kind = PAGERDUTY_KINDS[event.event_type];
  if (!kind) {
    const summary = event.event_type === "pagey.ping" ? "PagerDuty's ping: the subscription reaches Hindsight." : `${event.event_type} events are not used; acknowledged.`;
    return receiveDelivery(db, header, async () => ignored(summary));
  }
  const data = PagerDutyIncident.safeParse(event.data);
  const occurredAt = validDate(event.occurred_at);
  if (!data.success || !occurredAt) return { kind: "rejected", why: "malformed", reason: `The ${event.event_type} event has no incident Hindsight understands.` };
  const incident = data.data;
  const label = incident.number ? `PagerDuty incident #${incident.number}` : `PagerDuty incident ${incident.id}`;
  const service = incident.service?.summary ? ` (${incident.service.summary})` : "";
  const agent = event.agent?.summary ? ` by ${event.agent.summary}` : "";
  const triggered = `${label} triggered${service}: ${incident.title ?? ""}`.trim();
  // A priority change about an incident not seen before opens it, resolved if PagerDuty says so.
  const createAs = incident.status === "resolved" ? "resolve" : "trigger";
  const text = {
    trigger: triggered,
    acknowledge: `Acknowledged in PagerDuty${agent}.`,
    resolve: `Resolved in PagerDuty${agent}.`,
    reopen: `Reopened in PagerDuty${agent}.`,
    reprioritize: createAs === "resolve" ? "Resolved in PagerDuty." : triggered,
  }[kind];
  return receiveDelivery(db, header, (trx) =>
    applyIngestEvent(trx, workspaceId, {
      source: "pagerduty",
      key: incident.id,
      kind,
      createAs,
      occurredAt,
      title: clampTitle(incident.title ?? "", label),
      severity: pagerDutySeverity(incident.priority?.summary, incident.urgency),
      severityReason: severityReason(incident.priority?.summary, incident.urgency),
      reportsSeverity: kind === "reprioritize",
      startedAt: validDate(incident.created_at) ?? occurredAt,
      url: incident.html_url ?? null,
      firingCount: kind === "resolve" ? 0 : 1,
      text,
      detectedText: triggered,
      refireMakesNewIncident: false,
    }),
  );
}
