/** Incident vocabulary and rules shared by forms and the server. */
import type { IncidentStatus, Severity, TimelineKind } from "#db/schema";

export const SEVERITIES: readonly Severity[] = ["SEV1", "SEV2", "SEV3", "SEV4"];
export const SEVERITY_LABELS: Record<Severity, string> = {
  SEV1: "SEV1 · critical, customers broadly affected",
  SEV2: "SEV2 · major, a core feature degraded",
  SEV3: "SEV3 · minor, limited impact",
  SEV4: "SEV4 · low, no customer impact",
};
export const INCIDENT_STATUSES: readonly IncidentStatus[] = ["investigating", "identified", "monitoring", "resolved"];
export const TIMELINE_KINDS: readonly TimelineKind[] = [
  "trigger",
  "detection",
  "escalation",
  "action",
  "communication",
  "mitigation",
  "resolution",
  "note",
];

export function incidentReference(number: number): string {
  return `INC-${number}`;
}

export type IncidentTimes = {
  startedAt: Date;
  detectedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
};

/** Time stamps must follow each other; each broken order is reported on the later field. */
export function incidentTimeErrors(t: IncidentTimes): Partial<Record<"detectedAt" | "mitigatedAt" | "resolvedAt", string[]>> {
  const errors: Partial<Record<"detectedAt" | "mitigatedAt" | "resolvedAt", string[]>> = {};
  if (t.detectedAt && t.detectedAt < t.startedAt) errors.detectedAt = ["Detection can't be before the incident started."];
  const mitigatedFloor = t.detectedAt ?? t.startedAt;
  if (t.mitigatedAt && t.mitigatedAt < mitigatedFloor) {
    errors.mitigatedAt = [t.detectedAt ? "Mitigation can't be before detection." : "Mitigation can't be before the start."];
  }
  const resolvedFloor = t.mitigatedAt ?? t.detectedAt ?? t.startedAt;
  if (t.resolvedAt && t.resolvedAt < resolvedFloor) errors.resolvedAt = ["Resolution can't be before the earlier time stamps."];
  return errors;
}

/** "1 h 25 min", "3 d 2 h", "45 s"; null when either end is missing. */
export function formatDuration(from: Date | string | null, to: Date | string | null): string | null {
  if (!from || !to) return null;
  const ms = new Date(to).getTime() - new Date(from).getTime();
  if (ms < 0) return null;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ""}`;
  const d = Math.floor(h / 24);
  return `${d} d${h % 24 ? ` ${h % 24} h` : ""}`;
}
export * from "./policy";
