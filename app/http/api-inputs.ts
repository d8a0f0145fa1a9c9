/**
 * The JSON API's input schemas (request bodies and query parameters), one per endpoint, shared by
 * the routes and the OpenAPI document's descriptions.
 */
import { z } from "zod";
import { DECISION_KINDS, DECISION_STATUSES } from "~/domain/decisions/rules";
import { ACTION_STATUSES, GATE_STATUSES } from "~/domain/guardrails/rules";
import { INCIDENT_STATUSES, SEVERITIES, TIMELINE_KINDS } from "~/domain/incidents/rules";
import { labelKeys } from "~/domain/shared/fields";
import { LIMITS } from "~/domain/shared/limits";
import { TIER_KEYS } from "~/domain/workspaces/rules";

const isoTime = z.iso.datetime({ offset: true, error: "Use an ISO 8601 date-time with a zone, like 2026-11-20T10:00:00Z." }).transform((v) => new Date(v));
const optionalIsoTime = isoTime.nullable().optional().transform((v) => v ?? null);
const tier = z.enum(TIER_KEYS);
const severity = z.enum(SEVERITIES);
const incidentStatus = z.enum(INCIDENT_STATUSES);
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const NewIncidentInput = z.object({
  title: z.string().trim().min(3, "Give the incident a title of at least 3 characters.").max(LIMITS.title),
  severity,
  status: incidentStatus.default("investigating"),
  tier,
  impact: z.string().trim().max(LIMITS.impact).default(""),
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
  kind: z.enum(TIMELINE_KINDS),
  text: z.string().trim().min(1, "Say what happened.").max(LIMITS.text),
});

export const ActionQuery = z.object({
  status: z.enum(["open", "closed", "all"]).default("open"),
  owner: z.uuid().optional(),
});

export const ActionStatusInput = z.object({
  to: z.enum(labelKeys(ACTION_STATUSES)),
  expectedVersion: z.number().int().min(1),
  reason: z.string().trim().max(LIMITS.text).nullable().optional(),
  evidenceUrl: z.url().max(1000).nullable().optional(),
  evidenceNote: z.string().trim().max(2000).nullable().optional(),
});

export const GateQuery = z.object({ status: z.enum(labelKeys(GATE_STATUSES)).optional() });

export const DecisionQuery = z.object({
  status: z.enum(DECISION_STATUSES).optional(),
  kind: z.enum(DECISION_KINDS).optional(),
  tag: z.string().max(60).optional(),
});
