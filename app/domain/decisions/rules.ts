/**
 * Decision-record vocabulary shared by forms, pages and the server: kinds, statuses, typed links,
 * references ("ADR-7", "INC-12", "ACT-3", "GATE:<uuid>", GitHub pull-request URLs) and file names.
 * No database, no Node APIs: the browser bundle may import it.
 */
import type { DecisionKind, DecisionLinkKind, DecisionLinkTarget, DecisionStatus } from "#db/schema";
import { parsePullRequestUrl } from "~/domain/guardrails/rules";

export type { DecisionKind, DecisionLinkKind, DecisionLinkTarget, DecisionStatus } from "#db/schema";
export { nearestStatus, statusWordFor } from "./status-words";

/** A record's identity inside a workspace: ADR-7 is { kind: "adr", number: 7 }. */
export type DecisionKey = { kind: DecisionKind; number: number };
export type DecisionDetails = { status: DecisionStatus; deciders: string[]; decidedOn: string | null; tags: string[] };

export const DECISION_KINDS: readonly DecisionKind[] = ["adr", "rfc"];
export const DECISION_KIND_LABELS: Record<DecisionKind, string> = { adr: "ADR", rfc: "RFC" };

export const DECISION_STATUSES: readonly DecisionStatus[] = ["proposed", "accepted", "rejected", "deprecated", "superseded"];
export const DECISION_STATUS_LABELS: Record<DecisionStatus, string> = {
  proposed: "Proposed",
  accepted: "Accepted",
  rejected: "Rejected",
  deprecated: "Deprecated",
  superseded: "Superseded",
};

/** "ADR-7", "RFC-2": how people, URLs and exports name a record. */
export function decisionReference(kind: DecisionKind, number: number): string {
  return `${DECISION_KIND_LABELS[kind]}-${number}`;
}

const REFERENCE = /^(adr|rfc)[-_ ]?0*(\d{1,9})$/i;

/** Reads "ADR-7", "adr-0007", "RFC 2"; null for anything else. */
export function parseDecisionReference(text: string): { kind: DecisionKind; number: number } | null {
  const match = REFERENCE.exec(text.trim());
  if (!match) return null;
  const number = Number(match[2]);
  // ADR-0 is a record: MADR and others number their first decision 0000.
  if (!Number.isSafeInteger(number) || number < 0) return null;
  return { kind: match[1]!.toLowerCase() as DecisionKind, number };
}

// ---------------------------------------------------------------------------------------------
// Typed links

export type LinkKindRule = {
  label: string;
  /** What the page calls the link when seen from its target ("Superseded by" for "supersedes"). */
  inverseLabel: string;
  targets: readonly DecisionLinkTarget[];
  /** For links between two records: the kind stored on the other record. */
  inverse?: DecisionLinkKind;
  /** What a person types as the target, for the form's hint. */
  hint: string;
};

export const LINK_KINDS: Record<DecisionLinkKind, LinkKindRule> = {
  supersedes: { label: "Supersedes", inverseLabel: "Superseded by", targets: ["decision"], inverse: "superseded_by", hint: "ADR-3 or RFC-1" },
  superseded_by: { label: "Superseded by", inverseLabel: "Supersedes", targets: ["decision"], inverse: "supersedes", hint: "ADR-9 or RFC-2" },
  amends: { label: "Amends", inverseLabel: "Amended by", targets: ["decision"], inverse: "amended_by", hint: "ADR-3 or RFC-1" },
  amended_by: { label: "Amended by", inverseLabel: "Amends", targets: ["decision"], inverse: "amends", hint: "ADR-9 or RFC-2" },
  informed_by: { label: "Informed by incident", inverseLabel: "Informed", targets: ["incident"], hint: "INC-12" },
  implements: { label: "Implements", inverseLabel: "Implemented by", targets: ["action", "gate"], hint: "ACT-3 or GATE:<id>" },
  pull_request: { label: "Pull request", inverseLabel: "Implements", targets: ["pull_request"], hint: "https://github.com/owner/repo/pull/42" },
};

export const LINK_KIND_ORDER: readonly DecisionLinkKind[] = ["supersedes", "superseded_by", "amends", "amended_by", "informed_by", "implements", "pull_request"];

/** The stored identity of an incident, action, gate or pull request a link points at. */
export type ResolvedTarget = { type: Exclude<DecisionLinkTarget, "decision">; id: string; ref: string; url: string | null };

export type LinkTargetRef =
  | { type: "decision"; kind: DecisionKind; number: number; ref: string }
  | { type: "incident"; number: number; ref: string }
  | { type: "action"; number: number; ref: string }
  | { type: "gate"; id: string; ref: string }
  | { type: "pull_request"; repository: string; number: number; url: string; ref: string };

const INCIDENT = /^inc[-_ ]?0*(\d{1,9})$/i;
const ACTION = /^act[-_ ]?0*(\d{1,9})$/i;
const GATE = /^gate:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * What a link's target text names, for the link kind chosen; a message when it names nothing
 * that kind of link can point at. Whether the target exists is the server's question.
 */
export function parseLinkTarget(kind: DecisionLinkKind, text: string): { ok: true; target: LinkTargetRef } | { ok: false; message: string } {
  const value = text.trim();
  const allowed = LINK_KINDS[kind].targets;
  if (allowed.includes("decision")) {
    const ref = parseDecisionReference(value);
    if (ref) return { ok: true, target: { type: "decision", ...ref, ref: decisionReference(ref.kind, ref.number) } };
    return { ok: false, message: "Name a decision record, like ADR-3 or RFC-1." };
  }
  if (allowed.includes("incident")) {
    const match = INCIDENT.exec(value);
    if (match) return { ok: true, target: { type: "incident", number: Number(match[1]), ref: `INC-${Number(match[1])}` } };
    return { ok: false, message: "Name an incident, like INC-12." };
  }
  if (allowed.includes("pull_request")) {
    const pr = parsePullRequestUrl(value);
    if (!pr.ok) return { ok: false, message: pr.error };
    return { ok: true, target: { type: "pull_request", repository: pr.repository, number: pr.number, url: pr.url, ref: `${pr.repository}#${pr.number}` } };
  }
  const action = ACTION.exec(value);
  if (action) return { ok: true, target: { type: "action", number: Number(action[1]), ref: `ACT-${Number(action[1])}` } };
  const gate = GATE.exec(value);
  if (gate) return { ok: true, target: { type: "gate", id: gate[1]!.toLowerCase(), ref: `GATE:${gate[1]!.toLowerCase()}` } };
  return { ok: false, message: "Name a guardrail action (ACT-3) or a gate (GATE:<id>)." };
}

// ---------------------------------------------------------------------------------------------
// Lists, tags, dates, file names

/** "Alice, Bob; Carol" or a list → trimmed, de-duplicated entries. */
export function splitList(value: string | readonly string[]): string[] {
  const parts = typeof value === "string" ? value.split(/[,;\n]/) : value;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of parts) {
    const item = part.trim().replace(/\s+/g, " ");
    if (item && !seen.has(item.toLowerCase())) {
      seen.add(item.toLowerCase());
      out.push(item);
    }
  }
  return out;
}

export const MAX_TAGS = 20;
export const MAX_DECIDERS = 30;

/** Tags are lower-case words joined by hyphens: "Data Access" → "data-access". */
function normalizeTag(tag: string): string {
  return tag
    .trim()
    .toLowerCase()
    .replace(/^#/, "")
    .replace(/[^\p{L}\p{N}._/-]+/gu, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);
}

export function normalizeTags(tags: string | readonly string[]): string[] {
  return [...new Set(splitList(tags).map(normalizeTag).filter(Boolean))];
}

/** A real calendar day written "YYYY-MM-DD". */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** "Use Postgres for everything!" → "use-postgres-for-everything" (ASCII, at most 60 characters). */
function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return slug || "decision";
}

/** Where a record lives in an export: "adr/0007-use-postgres.md". */
export function decisionFilePath(kind: DecisionKind, number: number, title: string): string {
  return `${kind}/${String(number).padStart(4, "0")}-${slugify(title)}.md`;
}

/** Where a link's target lives in the app; null for pull requests (they link out) and vanished targets. */
export function linkTargetPath(
  slug: string,
  link: { targetType: DecisionLinkTarget; ref: string; target: { kind?: DecisionKind; number?: number; id?: string } },
): string | null {
  const { target } = link;
  switch (link.targetType) {
    case "decision":
      return target.kind && typeof target.number === "number" ? `/w/${slug}/decisions/${decisionReference(target.kind, target.number)}` : null;
    case "incident":
      return target.number ? `/w/${slug}/incidents/${target.number}` : null;
    case "action":
      return target.number ? `/w/${slug}/guardrails/actions/${target.number}` : null;
    case "gate":
      return target.id ? `/w/${slug}/gates/${target.id}` : null;
    case "pull_request":
      return null;
  }
}
export * from "./policy";
