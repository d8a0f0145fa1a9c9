/**
 * How records look in the JSON API (v1): camelCase, ISO times, references like "INC-3" beside
 * numbers. One function per shape, so every endpoint that returns an incident returns the same one.
 * Kept in step with the OpenAPI document (openapi.server.ts).
 */
import type { BoardPage, factorsOfPostmortem, findAction, findGate, incidentPullRequests, listGates } from "~/domain/guardrails/index.server";
import type { findIncident, listIncidents } from "~/domain/incidents/index.server";
import type { listPostmortems } from "~/domain/postmortems/index.server";
import type { findDecision, listDecisions } from "~/domain/decisions/index.server";
import { actionReference } from "~/domain/guardrails/rules";
import { incidentReference } from "~/domain/incidents/rules";

type Row<F extends (...args: never[]) => Promise<unknown>> = NonNullable<Awaited<ReturnType<F>>>;
type Item<F extends (...args: never[]) => Promise<unknown[]>> = Awaited<ReturnType<F>>[number];

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export function incidentSummaryView(i: Row<typeof listIncidents>["incidents"][number]) {
  return {
    number: i.number,
    ref: incidentReference(i.number),
    title: i.title,
    severity: i.severity,
    status: i.status,
    tier: i.tier,
    startedAt: iso(i.started_at),
    detectedAt: iso(i.detected_at),
    mitigatedAt: iso(i.mitigated_at),
    resolvedAt: iso(i.resolved_at),
    areas: i.areas,
  };
}

function pullRequestView(p: Item<typeof incidentPullRequests>) {
  return {
    repository: p.repository,
    number: p.number,
    url: p.url,
    title: p.title,
    author: p.author,
    state: p.state,
    mergedAt: iso(p.merged_at),
    tier: p.tier,
    assisted: p.assisted,
    role: p.role,
  };
}

export function incidentView(i: Row<typeof findIncident>, pullRequests: Awaited<ReturnType<typeof incidentPullRequests>>) {
  return {
    number: i.number,
    ref: incidentReference(i.number),
    title: i.title,
    severity: i.severity,
    status: i.status,
    tier: i.tier,
    impact: i.impact,
    startedAt: iso(i.started_at),
    detectedAt: iso(i.detected_at),
    mitigatedAt: iso(i.mitigated_at),
    resolvedAt: iso(i.resolved_at),
    areas: i.areas.map((a) => a.name),
    createdBy: i.created_by_name,
    createdAt: iso(i.created_at),
    updatedAt: iso(i.updated_at),
    version: i.version,
    timeline: i.timeline.map((e) => ({ id: e.id, occurredAt: iso(e.occurred_at), kind: e.kind, text: e.text, author: e.author_name })),
    pullRequests: pullRequests.map(pullRequestView),
  };
}

export function postmortemSummaryView(p: Item<typeof listPostmortems>) {
  return {
    incidentNumber: p.incident_number,
    incidentRef: incidentReference(p.incident_number),
    title: p.title,
    status: p.status,
    severity: p.incident_severity,
    tier: p.incident_tier,
    updatedAt: iso(p.updated_at),
    publishedAt: iso(p.published_at),
  };
}

export function factorView(f: Item<typeof factorsOfPostmortem>) {
  return {
    id: f.id,
    text: f.text,
    category: f.category,
    tier: f.tier,
    noActionReason: f.no_action_reason,
    gates: f.gates.map((g) => ({ id: g.id, name: g.name, status: g.status, involvement: g.involvement })),
    pullRequests: f.pullRequests.map((p) => ({ repository: p.repository, number: p.number, url: p.url, title: p.title })),
    actions: f.actions.map((a) => ({ number: a.number, ref: actionReference(a.number), title: a.title, status: a.status, dueOn: a.due_on, owner: a.owner_name })),
  };
}

export function actionSummaryView(a: BoardPage["actions"][number]) {
  return {
    number: a.number,
    ref: actionReference(a.number),
    title: a.title,
    kind: a.kind,
    status: a.status,
    dueOn: a.due_on,
    overdue: a.overdue,
    owner: a.owner_id ? { id: a.owner_id, name: a.owner_name } : null,
    gate: a.gate_id ? { id: a.gate_id, name: a.gate_name } : null,
    incident: { number: a.incident_number, ref: incidentReference(a.incident_number), title: a.incident_title },
    category: a.category,
  };
}

export function actionView(a: Row<typeof findAction>) {
  return {
    number: a.number,
    ref: actionReference(a.number),
    title: a.title,
    kind: a.kind,
    status: a.status,
    dueOn: a.due_on,
    owner: a.owner_id ? { id: a.owner_id, name: a.owner_name } : null,
    gate: a.gate_id ? { id: a.gate_id, name: a.gate_name, status: a.gate_status, lastSeenAt: iso(a.gate_last_seen_at) } : null,
    implementingPullRequest: a.pr_url ? { repository: a.pr_repository, number: a.pr_number, url: a.pr_url } : null,
    factor: { id: a.factor_id, text: a.factor_text, category: a.factor_category },
    incident: { number: a.incident_number, ref: incidentReference(a.incident_number), title: a.incident_title },
    wontDoReason: a.wont_do_reason,
    evidenceUrl: a.evidence_url,
    evidenceNote: a.evidence_note,
    doneAt: iso(a.done_at),
    verifiedAt: iso(a.verified_at),
    verifiedBy: a.verified_by_name,
    createdAt: iso(a.created_at),
    updatedAt: iso(a.updated_at),
    version: a.version,
  };
}

/** What the list and the single gate both say of a gate. */
function gateFields(g: Item<typeof listGates> | Row<typeof findGate>) {
  return {
    id: g.id,
    name: g.name,
    kind: g.kind,
    repository: g.repository,
    checkName: g.check_name,
    tiers: g.tiers,
    status: g.status,
    state: g.state,
    stateReason: g.state_reason,
    description: g.description,
    lastSeenAt: iso(g.last_seen_at),
    lastSeenUrl: g.last_seen_url,
    version: g.version,
  };
}

export function gateSummaryView(g: Item<typeof listGates>) {
  return {
    ...gateFields(g),
    incidentCount: g.incident_count ?? 0,
    actionCount: g.action_count ?? 0,
  };
}

export function gateView(g: Row<typeof findGate>) {
  return {
    ...gateFields(g),
    factors: g.factors.map((f) => ({
      id: f.id,
      text: f.text,
      category: f.category,
      involvement: f.involvement,
      incident: { number: f.incident_number, ref: incidentReference(f.incident_number), title: f.incident_title },
    })),
    actions: g.actions.map((a) => ({ number: a.number, ref: actionReference(a.number), title: a.title, status: a.status, dueOn: a.due_on, owner: a.owner_name })),
  };
}

export function decisionSummaryView(d: Item<typeof listDecisions>) {
  return {
    ref: d.ref,
    kind: d.kind,
    number: d.number,
    title: d.title,
    status: d.status,
    tags: d.tags,
    deciders: d.deciders,
    decidedOn: typeof d.decided_on === "string" ? d.decided_on : null,
    updatedAt: iso(d.updated_at),
    supersededBy: d.supersededBy,
  };
}

export function decisionView(d: Row<typeof findDecision>) {
  return {
    ref: d.ref,
    kind: d.kind,
    number: d.number,
    title: d.title,
    status: d.status,
    tags: d.tags,
    deciders: d.deciders,
    decidedOn: typeof d.decided_on === "string" ? d.decided_on : null,
    bodyText: d.body_text,
    version: d.version,
    createdAt: iso(d.created_at),
    updatedAt: iso(d.updated_at),
    links: d.links.map((l) => ({ kind: l.kind, targetType: l.targetType, ref: l.ref, title: l.title, status: l.status, url: l.url })),
    chain: d.chain.map((c) => ({ ref: c.ref, title: c.title, status: c.status, current: c.current })),
  };
}
