/**
 * The JSON API's input schemas (request bodies and query parameters), one per endpoint, shared by
 * the routes and the OpenAPI document's descriptions.
 */
import { z } from "zod";
import { INCIDENT_STATUSES, SEVERITIES, TIMELINE_KINDS } from "~/domain/incidents/rules";

const isoTime = z.iso.datetime({ offset: true, error: "Use an ISO 8601 date-time with a zone, like 2026-11-20T10:00:00Z." }).transform((v) => new Date(v));
const optionalIsoTime = isoTime.nullable().optional().transform((v) => v ?? null);
const tier = z.enum(["T0", "T1", "T2", "T3"]);
const severity = z.enum(SEVERITIES as ["SEV1", "SEV2", "SEV3", "SEV4"]);
const incidentStatus = z.enum(INCIDENT_STATUSES as ["investigating", "identified", "monitoring", "resolved"]);
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const NewIncidentInput = z.object({
  title: z.string().trim().min(3, "Give the incident a title of at least 3 characters.").max(200),
  severity,
  status: incidentStatus.default("investigating"),
  tier,
  impact: z.string().trim().max(5000).default(""),
  startedAt: isoTime,
  detectedAt: optionalIsoTime,
  mitigatedAt: optionalIsoTime,
  resolvedAt: optionalIsoTime,
  /** Area slugs, e.g. "billing". */
  areas: z.array(z.string().max(80)).max(20).default([]),
});

export const IncidentQuery = z.object({
  status: incidentStatus.optional(),
  severity: severity.optional(),
  tier: tier.optional(),
  area: z.string().max(80).optional(),
  cursor: z.string().max(200).optional(),
  limit: limit(100, 25),
});

export const TimelineInput = z.object({
  occurredAt: isoTime,
  kind: z.enum(TIMELINE_KINDS as ["trigger", "detection", "escalation", "action", "communication", "mitigation", "resolution", "note"]),
  text: z.string().trim().min(1, "Say what happened.").max(2000),
});

export const ActionQuery = z.object({
  status: z.enum(["open", "closed", "all"]).default("open"),
  owner: z.uuid().optional(),
});

export const ActionStatusInput = z.object({
  to: z.enum(["open", "in_progress", "done", "verified", "wont_do"]),
  expectedVersion: z.number().int().min(1),
  reason: z.string().trim().max(2000).nullable().optional(),
  evidenceUrl: z.url().max(1000).nullable().optional(),
  evidenceNote: z.string().trim().max(2000).nullable().optional(),
});

export const GateQuery = z.object({ status: z.enum(["proposed", "enforced", "retired"]).optional() });

export const DecisionQuery = z.object({
  status: z.enum(["proposed", "accepted", "rejected", "deprecated", "superseded"]).optional(),
  kind: z.enum(["adr", "rfc"]).optional(),
  tag: z.string().max(60).optional(),
});
