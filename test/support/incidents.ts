import type { Db } from "#db/connection";
import type { PublicUser } from "~/domain/accounts/index.server";
import { createIncident, type IncidentInput } from "~/domain/incidents/index.server";

export function incidentInput(overrides: Partial<IncidentInput> = {}): IncidentInput {
  return {
    title: "Checkout returned 500s after a config push",
    severity: "SEV2",
    status: "investigating",
    tier: "T2",
    impact: "About 4% of checkouts failed for 25 minutes.",
    startedAt: new Date("2026-11-20T10:00:00Z"),
    detectedAt: new Date("2026-11-20T10:07:00Z"),
    mitigatedAt: null,
    resolvedAt: null,
    areaIds: [],
    ...overrides,
  };
}

export async function makeIncident(db: Db, actor: PublicUser, workspaceId: string, overrides: Partial<IncidentInput> = {}) {
  const result = await createIncident(db, actor, workspaceId, incidentInput(overrides));
  if (!result.ok) throw new Error(`could not create incident: ${JSON.stringify(result)}`);
  return result;
}
