import type { Db } from "#db/connection";
import type { PublicUser } from "~/domain/accounts/index.server";
import { type ActionInput, addFactor, createAction, type FactorInput } from "~/domain/guardrails/index.server";
import { startPostmortem } from "~/domain/postmortems/index.server";
import { makeIncident } from "./incidents";

export async function makePostmortem(db: Db, actor: PublicUser, workspaceId: string, incident: Parameters<typeof makeIncident>[3] = {}) {
  const { number } = await makeIncident(db, actor, workspaceId, incident);
  const started = await startPostmortem(db, actor, workspaceId, number, "lightweight");
  if (!started.ok) throw new Error(started.message);
  return number;
}

export async function makeFactor(db: Db, actor: PublicUser, workspaceId: string, incidentNumber: number, overrides: Partial<FactorInput> = {}) {
  const result = await addFactor(db, actor, workspaceId, incidentNumber, {
    text: "The migration ran without a dry run on production-sized data",
    category: "missing_test",
    tier: "T3",
    gates: [],
    pullRequestUrls: [],
    ...overrides,
  });
  if (!result.ok) throw new Error(`could not add factor: ${JSON.stringify(result)}`);
  return result.id;
}

export function actionInput(overrides: Partial<ActionInput> = {}): ActionInput {
  return {
    title: "Run migrations against a production-sized snapshot in CI",
    kind: "better_test",
    ownerId: null,
    dueOn: null,
    gateId: null,
    newGate: null,
    implementingPrUrl: null,
    ...overrides,
  };
}

export async function makeAction(db: Db, actor: PublicUser, workspaceId: string, factorId: string, overrides: Partial<ActionInput> = {}) {
  const result = await createAction(db, actor, workspaceId, factorId, actionInput(overrides));
  if (!result.ok) throw new Error(`could not create action: ${JSON.stringify(result)}`);
  return result.number;
}
